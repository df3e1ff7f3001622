using System.Buffers;
using System.Text;
using GovMail.Imap.Commands;
using GovMail.Net;

namespace GovMail.Imap.Protocol;

// IDLE (RFC 2177): wait for DONE while announcing changes as they are noticed.
internal sealed partial class ImapSession
{
    /// <summary>
    /// Waits for the client's DONE while telling it of changes to the selected mailbox as soon as the notification bus
    /// reports them. One read stays pending the whole time (a notice does not cancel it), so an idle session holds no
    /// buffer, just a few small objects.
    /// </summary>
    private async ValueTask<Reply> IdleAsync(SimpleCommand command)
    {
        Writer.Continuation("idling");
        Task<NetworkReadResult>? pending = null;
        while (true)
        {
            _signal.Reset();
            if (_selected is not null)
            {
                await SyncAsync(allowExpunge: true, force: pending is null);
                if (_ending) return Reply.AlreadySent;
            }
            if (!await FlushAsync())
            {
                _ending = true;
                return Reply.AlreadySent;
            }

            pending ??= _connection.ReadAsync(_options.IdleTimeout, idle: true).AsTask();
            var wake = _signal.WaitAsync();
            if (await Task.WhenAny(pending, wake) != pending) continue;

            var read = await pending;
            pending = null;
            switch (read.Status)
            {
                case NetworkReadStatus.TimedOut:
                    _ending = true;
                    _endReason = "timeout in IDLE";
                    Writer.Status(null, ImapStatus.Bye, ImapResponseCodeKind.None, "Autologout: IDLE for too long.");
                    return Reply.AlreadySent;
                case NetworkReadStatus.ShutdownRequested:
                    _ending = true;
                    _endReason = "server stopping";
                    Writer.Status(null, ImapStatus.Bye, ImapResponseCodeKind.Unavailable, "The server is shutting down; please reconnect later.");
                    return Reply.AlreadySent;
            }
            var buffer = read.Buffer;
            if (buffer.PositionOf((byte)'\n') is { } lf)
            {
                var line = buffer.Slice(0, lf);
                var done = line.Length <= 6 && Encoding.ASCII.GetString(line).TrimEnd('\r').Equals("DONE", StringComparison.OrdinalIgnoreCase);
                _connection.Input.AdvanceTo(buffer.GetPosition(1, lf));
                return done ? Reply.Ok("IDLE terminated.") : Reply.Bad("Expected DONE to end IDLE.");
            }
            if (read.Status == NetworkReadStatus.Closed)
            {
                _ending = true;
                return Reply.AlreadySent;
            }
            if (buffer.Length > MaxResponseLineLength)
            {
                _connection.Input.AdvanceTo(buffer.End);
                return Reply.Bad("Expected DONE to end IDLE.");
            }
            _connection.Input.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
