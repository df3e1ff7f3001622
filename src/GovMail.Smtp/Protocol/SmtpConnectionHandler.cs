using GovMail.Net;

namespace GovMail.Smtp.Protocol;

/// <summary>Runs an <see cref="SmtpSession"/> on each connection of one listener, and turns away the ones over the limits with 421.</summary>
internal sealed class SmtpConnectionHandler(SmtpListenerContext context) : IConnectionHandler
{
    public Task RunAsync(NetworkConnection connection) => new SmtpSession(connection, context).RunAsync();

    public async Task RefuseAsync(NetworkConnection connection, ConnectionRefusal refusal)
    {
        var host = context.Options.HostName;
        var reply = refusal == ConnectionRefusal.TooManyConnectionsFromAddress
            ? SmtpReplies.TooManyConnectionsFromAddress(host)
            : SmtpReplies.TooManyConnections(host);
        SmtpReplyWriter.Write(connection.Output, reply, utf8: false);
        await connection.FlushAsync(context.Options.CommandTimeout);
    }
}
