using System.Net;
using GovMail.Cli;
using GovMail.Configuration;
using GovMail.Imap;
using GovMail.Net;
using GovMail.Storage.Blobs;
using GovMail.Storage.Mail;
using Microsoft.Extensions.Logging;

namespace GovMail.Hosting;

/// <summary>Wires the IMAP listeners of <c>serve</c> to the mail store, the directory and the notification bus.</summary>
public static class ImapHost
{
    /// <summary>
    /// The IMAP server for the enabled ports (143 with STARTTLS, 993 with implicit TLS), or null when both are off. Its
    /// sessions hear of new mail through <paramref name="notifications"/>, the bus SMTP delivery publishes on.
    /// </summary>
    public static ImapServer? Create(CliContext ctx, ListenerOptions listeners, IPAddress bind, Func<ServerCertificateChain> certificate, ILoggerFactory loggers,
        string publicUrl, MailboxNotifications notifications)
    {
        var endpoints = new List<ImapListenerOptions>();
        if (listeners.Imap > 0) endpoints.Add(new(new IPEndPoint(bind, listeners.Imap), ImapListenerKind.Imap));
        if (listeners.Imaps > 0) endpoints.Add(new(new IPEndPoint(bind, listeners.Imaps), ImapListenerKind.Imaps));
        if (endpoints.Count == 0) return null;

        // APPEND takes what SMTP takes unless Imap:AppendLimitMegabytes says otherwise.
        var options = ctx.Options.Imap.ToServerOptions(endpoints, publicUrl, ctx.Options.Smtp.MaxMessageMegabytes);
        var services = new ImapServices(ctx.Database, ctx.Blobs, notifications, ctx.Hasher);
        return new ImapServer(options, services, certificate, loggers, ctx.Clock);
    }
}
