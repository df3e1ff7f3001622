using System.Buffers;
using System.Diagnostics;
using System.Text;
using GovMail.Net;
using Microsoft.Extensions.Logging;

namespace GovMail.Smtp.Protocol;

/// <summary>
/// One SMTP conversation, from the greeting to QUIT (or a timeout, an error limit, a stop). It reads command lines,
/// hands each to its handler (the partial files beside this one) and writes replies; replies are sent when the client
/// has no further pipelined command waiting (RFC 2920), so a pipelined group gets its replies together and in order.
/// </summary>
internal sealed partial class SmtpSession
{
    /// <summary>
    /// Longest command line, CRLF included. RFC 5321 section 4.5.3.1.4 says 512, but each ESMTP parameter (SIZE, DSN
    /// ORCPT, ENVID, AUTH=) may lengthen it; 4096 leaves room for all of them and for an AUTH PLAIN initial response.
    /// </summary>
    public const int MaxCommandLineLength = 4096;

    /// <summary>Longest AUTH response line (RFC 4954 section 4 asks servers to take 12288 octets).</summary>
    public const int MaxAuthResponseLength = 12288;

    private readonly NetworkConnection _connection;
    private readonly SmtpListenerContext _context;
    private readonly SmtpServerOptions _options;
    private string? _heloName;
    private string? _account;
    private string? _keeper;
    private SmtpTransaction? _transaction;
    private int _badCommands;
    private int _messagesAccepted;
    private int _messagesRefused;
    private int _spoolSequence;
    private string _endReason = "closed by client";

    public SmtpSession(NetworkConnection connection, SmtpListenerContext context)
    {
        _connection = connection;
        _context = context;
        _options = context.Options;
    }

    private string Host => _options.HostName;
    private CancellationToken Aborted => _connection.Aborted;

    public async Task RunAsync()
    {
        var started = _context.Time.GetTimestamp();
        try
        {
            Reply(SmtpReplies.Greeting(Host));
            while (await NextCommandAsync())
            {
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or ObjectDisposedException)
        {
            _endReason = "connection lost";
            throw;
        }
        catch (System.Security.Authentication.AuthenticationException)
        {
            _endReason = "TLS handshake failed";
            throw;
        }
        finally
        {
            if (_transaction?.Spool is { } spool) await spool.DisposeAsync();
            _context.Logger.LogInformation(
                "SMTP session {SessionId} {Listener} from {Remote} helo {Helo} tls {Tls} auth {Account}: {Accepted} messages accepted, {Refused} refused, {BadCommands} bad commands; ended: {EndReason} after {DurationMs} ms",
                _connection.Id, _context.Kind, _connection.RemoteEndPoint, _heloName ?? "-", _connection.IsTls ? _connection.TlsProtocol.ToString() : "no",
                _account ?? "-", _messagesAccepted, _messagesRefused, _badCommands, _endReason,
                (long)_context.Time.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>Reads and handles one command; false when the session is over.</summary>
    private async ValueTask<bool> NextCommandAsync()
    {
        var line = await ReadLineAsync(LineKind.Command);
        switch (line.Status)
        {
            case LineStatus.Closed:
                return false;
            case LineStatus.TimedOut:
                return await CloseAsync(SmtpReplies.Timeout(Host), "timeout");
            case LineStatus.ShutdownRequested:
                return await CloseAsync(SmtpReplies.ShuttingDown(Host), "server stopping");
            case LineStatus.TooLong:
                return await RefuseAsync(SmtpReplies.LineTooLong);
        }
        var parsed = line.Parsed;
        if (parsed.Command is not { } command) return await RefuseAsync(parsed.Error!);

        switch (command.Kind)
        {
            case SmtpCommandKind.Helo:
            case SmtpCommandKind.Ehlo:
                return await HandleHeloAsync(command);
            case SmtpCommandKind.Mail:
                return await HandleMailAsync(command);
            case SmtpCommandKind.Rcpt:
                return await HandleRcptAsync(command);
            case SmtpCommandKind.Data:
                return await HandleDataAsync();
            case SmtpCommandKind.Bdat:
                return await HandleBdatAsync(command);
            case SmtpCommandKind.Rset:
                await ResetTransactionAsync();
                Reply(SmtpReplies.ResetOk);
                return true;
            case SmtpCommandKind.Noop:
                Reply(SmtpReplies.Ok);
                return true;
            case SmtpCommandKind.Quit:
                return await CloseAsync(SmtpReplies.Closing(Host), "quit");
            case SmtpCommandKind.Vrfy:
                // Never says whether an address exists: that would list the directory to anyone who asks.
                Reply(SmtpReplies.CannotVerify);
                return true;
            case SmtpCommandKind.Expn:
                Reply(SmtpReplies.ExpnDisabled);
                return true;
            case SmtpCommandKind.Help:
                Reply(SmtpReplies.Help);
                return true;
            case SmtpCommandKind.StartTls:
                return await HandleStartTlsAsync(line.BufferedAfter);
            case SmtpCommandKind.Auth:
                return await HandleAuthAsync(command);
            default:
                throw new UnreachableException($"No handler for {command.Kind}.");
        }
    }

    private async ValueTask<bool> HandleHeloAsync(SmtpCommand command)
    {
        // A new EHLO/HELO ends any open transaction (RFC 5321 section 4.1.4).
        await ResetTransactionAsync();
        _heloName = command.Argument;
        Reply(command.Kind == SmtpCommandKind.Ehlo
            ? SmtpReplies.Ehlo(Host, _connection.RemoteEndPoint.Address, CurrentExtensions(), _options.MaxMessageSize)
            : SmtpReplies.Helo(Host, _connection.RemoteEndPoint.Address));
        return true;
    }

    /// <summary>What EHLO offers here and now: STARTTLS only before TLS, AUTH only on submission and only under TLS.</summary>
    private SmtpExtensions CurrentExtensions()
    {
        var extensions = SmtpExtensions.Pipelining | SmtpExtensions.Size | SmtpExtensions.EightBitMime | SmtpExtensions.SmtpUtf8 |
            SmtpExtensions.EnhancedStatusCodes | SmtpExtensions.Chunking | SmtpExtensions.Dsn;
        if (!_connection.IsTls && _context.Certificate is not null) extensions |= SmtpExtensions.StartTls;
        if (_context.IsSubmission && _connection.IsTls) extensions |= SmtpExtensions.Auth;
        return extensions;
    }

    // Replies

    private void Reply(SmtpReply reply) => SmtpReplyWriter.Write(_connection.Output, reply, utf8: _transaction?.SmtpUtf8 == true);

    /// <summary>A refusal of a client mistake: counted, and past the limit the session ends with 421.</summary>
    private async ValueTask<bool> RefuseAsync(SmtpReply reply)
    {
        if (++_badCommands > _options.MaxBadCommands) return await CloseAsync(SmtpReplies.TooManyErrors(Host), "too many errors");
        Reply(reply);
        return true;
    }

    private async ValueTask<bool> CloseAsync(SmtpReply reply, string reason)
    {
        Reply(reply);
        _endReason = reason;
        await FlushAsync();
        return false;
    }

    private ValueTask<bool> FlushAsync() => _connection.FlushAsync(_options.CommandTimeout);

    // Reading lines

    private enum LineKind
    {
        /// <summary>A command: the session is idle while waiting, so a server stop ends the wait.</summary>
        Command,
        /// <summary>A line inside an exchange (an AUTH response).</summary>
        Response,
    }

    private enum LineStatus
    {
        Line,
        TooLong,
        Closed,
        TimedOut,
        ShutdownRequested,
    }

    private readonly record struct LineRead(LineStatus Status, SmtpParseResult Parsed = default, string? Text = null, long BufferedAfter = 0);

    /// <summary>
    /// Reads one line ending in LF (a CR before it is dropped). Replies written so far are sent before waiting for more
    /// input, and not before: that is what makes pipelining work. A line longer than <see cref="MaxCommandLineLength"/> is
    /// read to its end and thrown away, so the session stays in step. A bare LF ends a command line too: unlike in
    /// DATA, nothing hides behind it here, and some old scripts send one.
    /// </summary>
    private async ValueTask<LineRead> ReadLineAsync(LineKind kind)
    {
        var maxLength = kind == LineKind.Command ? MaxCommandLineLength : MaxAuthResponseLength;
        var mustWait = false;
        var discarding = false;
        while (true)
        {
            var read = await _connection.NextAsync(mustWait, _options.CommandTimeout, idle: kind == LineKind.Command, flushTimeout: _options.CommandTimeout);
            switch (read.Status)
            {
                case NetworkReadStatus.TimedOut: return new(LineStatus.TimedOut);
                case NetworkReadStatus.ShutdownRequested: return new(LineStatus.ShutdownRequested);
                case NetworkReadStatus.SendFailed: return new(LineStatus.Closed);
            }
            var buffer = read.Buffer;
            var closed = read.Status == NetworkReadStatus.Closed;

            if (buffer.PositionOf((byte)'\n') is { } lf)
            {
                var line = buffer.Slice(0, lf);
                var next = buffer.GetPosition(1, lf);
                LineRead result;
                if (discarding || line.Length >= maxLength) result = new(LineStatus.TooLong);
                else if (kind == LineKind.Command) result = new(LineStatus.Line, Parsed: ParseCommand(line), BufferedAfter: buffer.Slice(next).Length);
                else result = new(LineStatus.Line, Text: DecodeResponse(line));
                _connection.Input.AdvanceTo(next);
                return result;
            }
            if (discarding || buffer.Length >= maxLength)
            {
                discarding = true;
                _connection.Input.AdvanceTo(buffer.End);
            }
            else
            {
                _connection.Input.AdvanceTo(buffer.Start, buffer.End);
            }
            if (closed) return new(LineStatus.Closed);
            mustWait = true;
        }
    }

    private static SmtpParseResult ParseCommand(ReadOnlySequence<byte> line)
    {
        if (line.IsSingleSegment) return SmtpCommandParser.Parse(WithoutCr(line.FirstSpan));
        Span<byte> copy = stackalloc byte[MaxCommandLineLength];
        line.CopyTo(copy);
        return SmtpCommandParser.Parse(WithoutCr(copy[..(int)line.Length]));
    }

    private static string DecodeResponse(ReadOnlySequence<byte> line) => Encoding.ASCII.GetString(line).Trim();

    private static ReadOnlySpan<byte> WithoutCr(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
}
