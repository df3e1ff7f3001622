using System.Net;
using GovMail.Cli;
using GovMail.Configuration;
using GovMail.Net;
using GovMail.Smtp;
using GovMail.Smtp.Delivery;
using GovMail.Smtp.Dkim;
using GovMail.Smtp.Inbound;
using GovMail.Smtp.Outbound;
using GovMail.Storage.Blobs;
using GovMail.Storage.Mail;
using Microsoft.Extensions.Logging;

namespace GovMail.Hosting;

/// <summary>Wires the SMTP listeners of <c>serve</c> to the delivery pipeline and the directory.</summary>
public static class SmtpHost
{
    /// <summary>
    /// The SMTP server for the enabled ports, or null when all three are off. Every local delivery, and every delivery status
    /// notice the relay files for a local sender, is announced on <paramref name="notifications"/>, the bus the IMAP sessions
    /// listen on.
    /// </summary>
    public static SmtpServer? Create(CliContext ctx, ListenerOptions listeners, IPAddress bind, string hostName, string publicUrl,
        Func<ServerCertificateChain> certificate, ILoggerFactory loggers, MailDelivery sink)
    {
        var endpoints = new List<SmtpListenerOptions>();
        if (listeners.Smtp > 0) endpoints.Add(new(new IPEndPoint(bind, listeners.Smtp), SmtpListenerKind.Mx));
        if (listeners.Submission > 0) endpoints.Add(new(new IPEndPoint(bind, listeners.Submission), SmtpListenerKind.Submission));
        if (listeners.Submissions > 0) endpoints.Add(new(new IPEndPoint(bind, listeners.Submissions), SmtpListenerKind.Submissions));
        if (endpoints.Count == 0) return null;

        var o = ctx.Options.Smtp;
        var options = new SmtpServerOptions
        {
            HostName = hostName,
            Listeners = endpoints,
            SpoolDirectory = ctx.Options.SpoolDirectory,
            MaxMessageSize = o.MaxMessageMegabytes * 1024L * 1024,
            MaxRecipients = o.MaxRecipients,
            MaxConnections = o.MaxConnections,
            MaxConnectionsPerIp = o.MaxConnectionsPerIp,
            CommandTimeout = TimeSpan.FromSeconds(o.CommandTimeoutSeconds),
        };
        IMessageSink checkedSink = o.InboundChecks
            ? new InboundCheckingSink(sink,
                new InboundChecker(new DnsClientResolver(TimeSpan.FromSeconds(Math.Max(1, o.DnsTimeoutSeconds))), hostName, ctx.Clock),
                ctx.Database, loggers.CreateLogger<InboundCheckingSink>())
            : sink;
        return new SmtpServer(options,
            new DirectorySmtpAuthenticator(ctx.Database, ctx.Clock, publicUrl),
            new DirectorySmtpPolicy(ctx.Database, ctx.Clock),
            checkedSink,
            certificate,
            loggers,
            ctx.Clock);
    }

    /// <summary>
    /// The delivery pipeline SMTP and the web submit into: every local delivery is announced on <paramref name="notifications"/>
    /// (the bus IMAP and the web listen on), every queued message wakes the relay.
    /// </summary>
    public static MailDelivery CreateDelivery(CliContext ctx, string hostName, ILoggerFactory loggers, OutboundRelay relay,
        MailboxNotifications notifications)
    {
        var sink = new MailDelivery(ctx.Database, ctx.Blobs, ctx.Clock, hostName, loggers.CreateLogger<MailDelivery>());
        sink.Queued += relay.Wake;
        sink.Delivered += notifications.PublishDelivered;
        relay.Delivered += notifications.PublishDelivered;
        return sink;
    }

    /// <summary>Submission for the web: the same checks as port 587 and the same pipeline, with a copy in the sender's Sent.</summary>
    public static PipelineSubmission CreateSubmission(CliContext ctx, MailDelivery sink, MailboxNotifications notifications) =>
        new(ctx.Database, ctx.Blobs, sink, new DirectorySmtpPolicy(ctx.Database, ctx.Clock), ctx.Clock,
            ctx.Options.SpoolDirectory, ctx.Options.Smtp.MaxMessageMegabytes * 1024L * 1024, notifications);

    /// <summary>The relay that empties the outbound queue; one per node, any number may share a database.</summary>
    public static OutboundRelay CreateRelay(CliContext ctx, string hostName, ILoggerFactory loggers)
    {
        var options = ctx.Options.Outbound;
        if (string.IsNullOrWhiteSpace(options.HostName) || options.HostName == System.Net.Dns.GetHostName()) options.HostName = hostName;
        return new OutboundRelay(ctx.Database, ctx.Blobs, options, DkimKeyStore.In(ctx.Options.DataDirectory),
            new DnsMailExchangerLookup(), ctx.Clock, loggers.CreateLogger<OutboundRelay>());
    }
}
