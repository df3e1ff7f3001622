using GovMail.Net;

namespace GovMail.Imap.Protocol;

/// <summary>Runs an <see cref="ImapSession"/> on each connection of one listener, and turns away the ones over the limits with <c>* BYE</c>.</summary>
internal sealed class ImapConnectionHandler(ImapListenerContext context) : IConnectionHandler
{
    public Task RunAsync(NetworkConnection connection) => new ImapSession(connection, context).RunAsync();

    public async Task RefuseAsync(NetworkConnection connection, ConnectionRefusal refusal)
    {
        var writer = new ImapResponseWriter(connection.Output, utf8: false);
        writer.Status(null, ImapStatus.Bye, ImapResponseCodeKind.Unavailable, refusal == ConnectionRefusal.TooManyConnectionsFromAddress
            ? "Too many connections from your address; try again later."
            : "Too many connections; try again later.");
        await connection.FlushAsync(context.Options.CommandTimeout);
    }
}
