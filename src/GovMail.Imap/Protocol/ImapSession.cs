using System.Buffers;
using System.Diagnostics;
using System.Text;
using GovMail.Imap.Commands;
using GovMail.Imap.Selection;
using GovMail.Net;
using GovMail.Storage.Mail;
using Microsoft.Extensions.Logging;

namespace GovMail.Imap.Protocol;

/// <summary>
/// One IMAP conversation, from the greeting to LOGOUT (or a timeout, an error limit, a stop). It reads whole commands
/// (<see cref="ImapCommandFramer"/>), checks that each is allowed in the current state, hands it to its handler (the
/// partial files beside this one), tells the client what other sessions changed when that is allowed, and ends it with
/// the tagged response. Responses are sent when the client has nothing more waiting, so pipelined commands are answered
/// together.
/// </summary>
internal sealed partial class ImapSession
{
    /// <summary>Longest line read outside a command: an AUTHENTICATE response, IDLE's DONE, the end of an APPEND.</summary>
    public const int MaxResponseLineLength = 12288;

    /// <summary>Octets written before a FETCH stops to send them.</summary>
    private const int FlushThreshold = 64 * 1024;

    private readonly NetworkConnection _connection;
    private readonly ImapListenerContext _context;
    private readonly ImapServerOptions _options;
    private readonly ImapCommandFramer _framer;
    private readonly MailboxQueries _queries;
    private readonly MailStore _store;
    private readonly ChangeSignal _signal = new();
    private SessionState _state = SessionState.NotAuthenticated;
    private SessionAccount? _account;
    private SelectedMailbox? _selected;
    private bool _utf8;

    /// <summary>A CONDSTORE enabling command was given (RFC 7162 section 3.1): flag updates carry MODSEQ from now on.</summary>
    private bool _condStore;

    /// <summary>ENABLE QRESYNC was given: expunges are told as VANISHED, and SELECT may resynchronize (RFC 7162 section 3.2).</summary>
    private bool _qresync;

    /// <summary>
    /// ENABLE IMAP4rev2 was given (RFC 9051 appendix A): no RECENT, SEARCH answered with ESEARCH, mailbox names in UTF-8,
    /// a LIST response on SELECT, [CLOSED] when one mailbox replaces another.
    /// </summary>
    private bool _rev2;
    /// <summary>The UIDs (ascending) the last SEARCH RETURN (SAVE) kept for <c>$</c>; emptied when the mailbox is left (RFC 5182).</summary>
    private List<uint> _savedResult = [];

    private bool _ending;
    private int _badCommands;
    private int _commands;
    private string _endReason = "closed by client";

    public ImapSession(NetworkConnection connection, ImapListenerContext context)
    {
        _connection = connection;
        _context = context;
        _options = context.Options;
        _framer = new ImapCommandFramer(_options.MaxCommandSize, _options.MaxLiteralSize,
            _options.NonSynchronizingLiterals == NonSynchronizingLiterals.LiteralMinus ? ImapCommandFramer.LiteralMinusLimit : long.MaxValue);
        var services = context.Services;
        _queries = new MailboxQueries(services.Database);
        _store = new MailStore(services.Database, context.Time)
        {
            Notifications = services.Notifications, Blobs = services.Blobs, ExpungeLogLimit = _options.ExpungeLogLimit,
        };
    }

    private enum SessionState
    {
        NotAuthenticated,
        Authenticated,
        Selected,
    }

    /// <summary>The account logged in.</summary>
    /// <summary>Who is logged in: the account whose mail this is, and the keeper acting for it when it is a collective mailbox.</summary>
    private sealed record SessionAccount(Guid Id, string Address, Guid? Keeper = null);

    private CancellationToken Aborted => _connection.Aborted;

    private ImapResponseWriter Writer => new(_connection.Output, _utf8, _options.MaxMessageSize);

    private string Remote => _connection.RemoteEndPoint.Address.ToString();

    public async Task RunAsync()
    {
        var started = _context.Time.GetTimestamp();
        try
        {
            Writer.Status(null, ImapStatus.Ok, ImapResponseCodeKind.Capability, $"{_options.ServerName} IMAP ready.", CurrentCapabilities());
            while (await NextCommandAsync())
            {
            }
            await FlushAsync();
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
            _selected?.Dispose();
            _context.Logger.LogInformation(
                "IMAP session {SessionId} {Listener} from {Remote} tls {Tls} user {Account}: {Commands} commands, {BadCommands} bad; ended: {EndReason} after {DurationMs} ms",
                _connection.Id, _context.Kind, _connection.RemoteEndPoint, _connection.IsTls ? _connection.TlsProtocol.ToString() : "no",
                _account?.Address ?? "-", _commands, _badCommands, _endReason, (long)_context.Time.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>What CAPABILITY says now: STARTTLS and LOGINDISABLED before TLS on 143, AUTH=PLAIN only under TLS.</summary>
    private ImapCapabilities CurrentCapabilities()
    {
        var capabilities = ImapCapabilities.Imap4Rev1 | ImapCapabilities.Imap4Rev2 | ImapCapabilities.SaslIr | ImapCapabilities.Id |
            ImapCapabilities.Enable | ImapCapabilities.Idle | ImapCapabilities.Namespace | ImapCapabilities.Unselect | ImapCapabilities.UidPlus |
            ImapCapabilities.Move | ImapCapabilities.Children | ImapCapabilities.SpecialUse | ImapCapabilities.ListExtended |
            ImapCapabilities.ListStatus | ImapCapabilities.StatusSize | ImapCapabilities.Quota | ImapCapabilities.QuotaResStorage |
            ImapCapabilities.Utf8Accept | ImapCapabilities.AppendLimit | ImapCapabilities.CondStore |
            ImapCapabilities.QResync | ImapCapabilities.ESearch | ImapCapabilities.Sort |
            ImapCapabilities.SortDisplay | ImapCapabilities.ThreadOrderedSubject | ImapCapabilities.ThreadReferences |
            ImapCapabilities.Binary | ImapCapabilities.CreateSpecialUse | ImapCapabilities.SearchRes;
        capabilities |= _options.NonSynchronizingLiterals == NonSynchronizingLiterals.LiteralMinus
            ? ImapCapabilities.LiteralMinus
            : ImapCapabilities.LiteralPlus;
        if (!_connection.IsTls) capabilities |= ImapCapabilities.StartTls | ImapCapabilities.LoginDisabled;
        else if (_state == SessionState.NotAuthenticated) capabilities |= ImapCapabilities.AuthPlain;
        // RFC 8437 section 3: advertised once logged in, where the command may be given.
        if (_state != SessionState.NotAuthenticated) capabilities |= ImapCapabilities.Unauthenticate;
        return capabilities;
    }

    /// <summary>Reads and handles one command; false when the session is over.</summary>
    private async ValueTask<bool> NextCommandAsync()
    {
        var read = await ReadCommandAsync();
        switch (read.Status)
        {
            case ReadStatus.Closed:
                return false;
            case ReadStatus.TimedOut:
                return await ByeAsync(ImapResponseCodeKind.None, "Autologout: no command for too long.", "timeout");
            case ReadStatus.ShutdownRequested:
                return await ByeAsync(ImapResponseCodeKind.Unavailable, "The server is shutting down; please reconnect later.", "server stopping");
            case ReadStatus.TooLong:
                // Read to the end of the line and refuse it; a line that ends announcing a literal already on its way cannot be followed.
                if (!await DiscardLineAsync()) return await ByeAsync(ImapResponseCodeKind.TooBig, "Command too long.", "command too long");
                return Refuse(read.Tag, ImapStatus.Bad, ImapResponseCodeKind.TooBig, "Command too long.");
            case ReadStatus.LiteralTooLarge:
                if (read.NonSynchronizing)
                    return await ByeAsync(ImapResponseCodeKind.TooBig, "Literal too large.", "literal too large");
                return Refuse(read.Tag, ImapStatus.No, ImapResponseCodeKind.TooBig, "Literal too large.");
            case ReadStatus.NonSynchronizingTooLarge:
                return await RefuseNonSynchronizingAsync(read);
            case ReadStatus.Append:
                _commands++;
                return await HandleAppendAsync(read.Parsed, read.LiteralSize, read.NonSynchronizing);
        }

        _commands++;
        var parsed = read.Parsed;
        if (parsed.Command is not { } command) return Refuse(parsed.Tag, parsed.ErrorStatus, parsed.ErrorCode, parsed.Error!);
        if (StateError(command) is { } notNow) return Refuse(command.Tag, ImapStatus.Bad, ImapResponseCodeKind.None, notNow);

        var reply = await DispatchAsync(command);
        if (reply.Sent) return !_ending;
        if (_selected is not null && !_ending)
        {
            // RFC 3501 section 7.4.1: no EXPUNGE while answering FETCH, STORE or SEARCH (and SORT, THREAD; their UID forms may).
            var allowExpunge = command.Uid || command.Kind is not (ImapCommandKind.Fetch or ImapCommandKind.Store or ImapCommandKind.Search or
                ImapCommandKind.Sort or ImapCommandKind.Thread);
            await SyncAsync(allowExpunge, force: command.Kind is ImapCommandKind.Noop or ImapCommandKind.Check or ImapCommandKind.Idle);
        }
        if (reply.Status == ImapStatus.Bad) return Refuse(command.Tag, reply.Status, reply.Code, reply.Text);
        Writer.Status(command.Tag, reply.Status, reply.Code, reply.Text, CurrentCapabilities());
        return !_ending;
    }

    /// <summary>Why a command may not be given now, or null.</summary>
    private string? StateError(ImapCommand command)
    {
        switch (command.Kind)
        {
            case ImapCommandKind.Capability or ImapCommandKind.Noop or ImapCommandKind.Logout or ImapCommandKind.Id:
                return null;
            case ImapCommandKind.StartTls or ImapCommandKind.Login or ImapCommandKind.Authenticate:
                return _state == SessionState.NotAuthenticated ? null : "Already logged in.";
        }
        if (_state == SessionState.NotAuthenticated) return "Log in first.";
        return command.Kind switch
        {
            ImapCommandKind.Check or ImapCommandKind.Close or ImapCommandKind.Unselect or ImapCommandKind.Expunge or ImapCommandKind.Search or
                ImapCommandKind.Fetch or ImapCommandKind.Store or ImapCommandKind.Copy or ImapCommandKind.Move or ImapCommandKind.Sort or
                ImapCommandKind.Thread
                when _state != SessionState.Selected => "No mailbox selected.",
            _ => null,
        };
    }

    private ValueTask<Reply> DispatchAsync(ImapCommand command) => command switch
    {
        SimpleCommand { Kind: ImapCommandKind.Capability } => Capability(),
        SimpleCommand { Kind: ImapCommandKind.Noop or ImapCommandKind.Check } => Completed(command),
        SimpleCommand { Kind: ImapCommandKind.Logout } => Logout(),
        SimpleCommand { Kind: ImapCommandKind.StartTls } c => StartTlsAsync(c),
        SimpleCommand { Kind: ImapCommandKind.Namespace } => Namespace(),
        SimpleCommand { Kind: ImapCommandKind.Close } => CloseAsync(),
        SimpleCommand { Kind: ImapCommandKind.Unselect } => Unselect(),
        SimpleCommand { Kind: ImapCommandKind.Unauthenticate } => Unauthenticate(),
        SimpleCommand { Kind: ImapCommandKind.Expunge } => ExpungeAsync(null),
        SimpleCommand { Kind: ImapCommandKind.Idle } c => IdleAsync(c),
        UidExpungeCommand c => ExpungeAsync(c.Set),
        LoginCommand c => LoginAsync(c.User, c.Password),
        AuthenticateCommand c => AuthenticateAsync(c),
        IdCommand c => Id(c),
        EnableCommand c => Enable(c),
        MailboxCommand { Kind: ImapCommandKind.Select or ImapCommandKind.Examine } c => SelectAsync(c),
        MailboxCommand { Kind: ImapCommandKind.Create } c => CreateAsync(c),
        MailboxCommand { Kind: ImapCommandKind.Delete } c => DeleteAsync(c),
        MailboxCommand { Kind: ImapCommandKind.Subscribe or ImapCommandKind.Unsubscribe } c => SubscribeAsync(c),
        MailboxCommand { Kind: ImapCommandKind.GetQuotaRoot } c => GetQuotaRootAsync(c),
        QuotaCommand c => QuotaAsync(c),
        RenameCommand c => RenameAsync(c),
        ListCommand c => ListAsync(c),
        StatusCommand c => StatusAsync(c),
        FetchCommand c => FetchAsync(c),
        StoreCommand c => StoreAsync(c),
        SearchCommand c => SearchAsync(c),
        SortCommand c => SortAsync(c),
        ThreadCommand c => ThreadAsync(c),
        CopyCommand c => CopyAsync(c),
        _ => throw new UnreachableException($"No handler for {command}."),
    };

    private static ValueTask<Reply> Completed(ImapCommand command) =>
        Done(Reply.Ok($"{command.Kind.ToString().ToUpperInvariant()} completed."));

    private static ValueTask<Reply> Done(Reply reply) => ValueTask.FromResult(reply);

    private ValueTask<Reply> Capability()
    {
        Writer.Capability(CurrentCapabilities());
        return Done(Reply.Ok("CAPABILITY completed."));
    }

    private ValueTask<Reply> Logout()
    {
        Writer.Status(null, ImapStatus.Bye, ImapResponseCodeKind.None, "GovMail logging out.");
        _ending = true;
        _endReason = "logout";
        return Done(Reply.Ok("LOGOUT completed."));
    }

    /// <summary>
    /// UNAUTHENTICATE (RFC 8437): back to the not-authenticated state on the same connection (and TLS). The selected
    /// mailbox is left without expunging, as UNSELECT does, and everything of the user is forgotten, the extensions the
    /// client ENABLEd included; the client may log in again, as the same or another user.
    /// </summary>
    private ValueTask<Reply> Unauthenticate()
    {
        Deselect();
        _context.Logger.LogInformation("IMAP session {SessionId} user {Account}: UNAUTHENTICATE", _connection.Id, _account?.Address ?? "-");
        _account = null;
        _state = SessionState.NotAuthenticated;
        _condStore = false;
        _qresync = false;
        _rev2 = false;
        _utf8 = false;
        return Done(Reply.Ok("UNAUTHENTICATE completed."));
    }

    private ValueTask<Reply> Namespace()
    {
        Writer.Namespace();
        return Done(Reply.Ok("NAMESPACE completed."));
    }

    /// <summary>The tagged response a handler wants sent, after any updates from other sessions; or "already sent".</summary>
    private readonly record struct Reply(ImapStatus Status, ImapResponseCode Code, string Text, bool Sent = false)
    {
        public static Reply Ok(string text, ImapResponseCode code = default) => new(ImapStatus.Ok, code, text);
        public static Reply No(string text, ImapResponseCode code = default) => new(ImapStatus.No, code, text);
        public static Reply Bad(string text) => new(ImapStatus.Bad, default, text);
        public static readonly Reply AlreadySent = new(ImapStatus.Ok, default, "", Sent: true);
    }

    /// <summary>A client mistake: answered, counted, and past the limit the session ends.</summary>
    private bool Refuse(string? tag, ImapStatus status, ImapResponseCode code, string text)
    {
        if (++_badCommands > _options.MaxBadCommands)
        {
            Writer.Status(tag, status, code, text);
            Writer.Status(null, ImapStatus.Bye, ImapResponseCodeKind.None, "Too many errors; closing the connection.");
            _endReason = "too many errors";
            return false;
        }
        Writer.Status(tag, status, code, text);
        return true;
    }

    /// <summary>
    /// A non-synchronizing literal above the LITERAL- limit: its octets are already coming, so they are read and dropped
    /// with the rest of the command, which is then refused with BAD [TOOBIG] (RFC 7888 section 4). One too large even to
    /// read past ends the session.
    /// </summary>
    private async ValueTask<bool> RefuseNonSynchronizingAsync(CommandRead read)
    {
        const string text = "Non-synchronizing literals above 4096 octets are not accepted (LITERAL-); send it as a synchronizing literal.";
        if (read.LiteralSize > _options.MaxMessageSize) return await ByeAsync(ImapResponseCodeKind.TooBig, text, "literal too large");
        await CopyLiteralAsync(null, read.LiteralSize, Aborted);
        if (!await DiscardLineAsync()) return await ByeAsync(ImapResponseCodeKind.TooBig, text, "literal too large");
        return Refuse(read.Tag, ImapStatus.Bad, ImapResponseCodeKind.TooBig, text);
    }

    private async ValueTask<bool> ByeAsync(ImapResponseCode code, string text, string reason)
    {
        Writer.Status(null, ImapStatus.Bye, code, text);
        _endReason = reason;
        await FlushAsync();
        return false;
    }

    private ValueTask<bool> FlushAsync() => _connection.FlushAsync(_options.CommandTimeout);

    /// <summary>Sends what is buffered once it is large, so a big FETCH does not sit in memory.</summary>
    private async ValueTask FlushIfLargeAsync()
    {
        var output = _connection.Output;
        if (output.CanGetUnflushedBytes && output.UnflushedBytes >= FlushThreshold && !await FlushAsync())
            throw new IOException("The client stopped reading.");
    }

    // Reading commands

    private enum ReadStatus
    {
        Command,
        Append,
        Closed,
        TimedOut,
        ShutdownRequested,
        TooLong,
        LiteralTooLarge,
        NonSynchronizingTooLarge,
    }

    private readonly record struct CommandRead(ReadStatus Status, ImapParseResult Parsed = default, string? Tag = null, long LiteralSize = 0,
        bool NonSynchronizing = false);

    /// <summary>
    /// Reads until a whole command is buffered, answering <c>+</c> to each synchronizing literal on the way. Responses
    /// written so far are sent before waiting for input, not before: that keeps pipelined commands cheap.
    /// </summary>
    private async ValueTask<CommandRead> ReadCommandAsync()
    {
        _framer.Reset();
        var mustWait = false;
        var started = false;
        while (true)
        {
            var timeout = started ? _options.CommandTimeout : _state == SessionState.NotAuthenticated ? _options.LoginTimeout : _options.IdleTimeout;
            var read = await _connection.NextAsync(mustWait, timeout, idle: !started, flushTimeout: _options.CommandTimeout);
            switch (read.Status)
            {
                case NetworkReadStatus.TimedOut: return new CommandRead(ReadStatus.TimedOut);
                case NetworkReadStatus.ShutdownRequested: return new CommandRead(ReadStatus.ShutdownRequested);
                case NetworkReadStatus.SendFailed: return new CommandRead(ReadStatus.Closed);
            }
            var buffer = read.Buffer;
            var closed = read.Status == NetworkReadStatus.Closed;
            if (!buffer.IsEmpty) started = true;

            var frame = _framer.Frame(buffer);
            while (frame.Status == FrameStatus.NeedContinuation)
            {
                Writer.Continuation("Ready for literal data.");
                frame = _framer.Frame(buffer);
            }
            switch (frame.Status)
            {
                case FrameStatus.Incomplete:
                    _connection.Input.AdvanceTo(buffer.Start, buffer.End);
                    if (closed) return new CommandRead(ReadStatus.Closed);
                    mustWait = true;
                    continue;
                case FrameStatus.Complete:
                {
                    var command = buffer.Slice(0, frame.Length);
                    if (IsBlankLine(command))
                    {
                        // Some clients send an empty line now and then; it is no command and no mistake.
                        _connection.Input.AdvanceTo(command.End);
                        _framer.Reset();
                        started = false;
                        mustWait = false;
                        continue;
                    }
                    var parsed = ImapCommandParser.Parse(command, _utf8);
                    _connection.Input.AdvanceTo(command.End);
                    return new CommandRead(ReadStatus.Command, parsed);
                }
                case FrameStatus.AppendLiteral:
                {
                    var prefix = buffer.Slice(0, frame.Length);
                    var parsed = ImapCommandParser.ParseAppend(prefix, _utf8);
                    _connection.Input.AdvanceTo(prefix.End);
                    return new CommandRead(ReadStatus.Append, parsed, parsed.Tag, frame.LiteralSize, frame.NonSynchronizing);
                }
                case FrameStatus.LiteralTooLarge or FrameStatus.NonSynchronizingTooLarge:
                {
                    var tag = TagOf(buffer);
                    _connection.Input.AdvanceTo(buffer.GetPosition(frame.Length));
                    var status = frame.Status == FrameStatus.LiteralTooLarge ? ReadStatus.LiteralTooLarge : ReadStatus.NonSynchronizingTooLarge;
                    return new CommandRead(status, default, tag, frame.LiteralSize, frame.NonSynchronizing);
                }
                default:
                    _connection.Input.AdvanceTo(buffer.Start);
                    return new CommandRead(ReadStatus.TooLong, default, TagOf(buffer));
            }
        }
    }

    private static bool IsBlankLine(ReadOnlySequence<byte> line) =>
        line.Length <= 2 && (line.Length == 1 || line.FirstSpan[0] == (byte)'\r');

    private static string? TagOf(ReadOnlySequence<byte> buffer)
    {
        Span<byte> start = stackalloc byte[64];
        var n = (int)Math.Min(buffer.Length, start.Length);
        buffer.Slice(0, n).CopyTo(start);
        return ImapCommandParser.TryReadTag(start[..n]);
    }

    private enum LineStatus
    {
        Line,
        TooLong,
        Closed,
        TimedOut,
        ShutdownRequested,
    }

    /// <summary>Reads one line inside a command (an AUTHENTICATE response, the end of APPEND), without its line ending.</summary>
    private async ValueTask<(LineStatus Status, string? Text)> ReadLineAsync()
    {
        var mustWait = false;
        var discarding = false;
        while (true)
        {
            var read = await _connection.NextAsync(mustWait, _options.CommandTimeout, idle: false, flushTimeout: _options.CommandTimeout);
            switch (read.Status)
            {
                case NetworkReadStatus.TimedOut: return (LineStatus.TimedOut, null);
                case NetworkReadStatus.ShutdownRequested: return (LineStatus.ShutdownRequested, null);
                case NetworkReadStatus.SendFailed: return (LineStatus.Closed, null);
            }
            var buffer = read.Buffer;
            var closed = read.Status == NetworkReadStatus.Closed;
            if (buffer.PositionOf((byte)'\n') is { } lf)
            {
                var line = buffer.Slice(0, lf);
                var result = discarding || line.Length > MaxResponseLineLength
                    ? (LineStatus.TooLong, null)
                    : (LineStatus.Line, Encoding.UTF8.GetString(line).TrimEnd('\r'));
                _connection.Input.AdvanceTo(buffer.GetPosition(1, lf));
                return result;
            }
            if (discarding || buffer.Length > MaxResponseLineLength)
            {
                discarding = true;
                _connection.Input.AdvanceTo(buffer.End);
            }
            else
            {
                _connection.Input.AdvanceTo(buffer.Start, buffer.End);
            }
            if (closed) return (LineStatus.Closed, null);
            mustWait = true;
        }
    }

    /// <summary>
    /// Drops input up to and including the next line feed. False when the line ended with a non-synchronizing literal
    /// (its octets are coming and cannot be told from commands), when the client closed, or when the line goes on for
    /// far too long to be worth reading.
    /// </summary>
    private async ValueTask<bool> DiscardLineAsync()
    {
        var limit = 16L * _options.MaxCommandSize;
        long discarded = 0;
        var tail = new byte[16];
        var tailLength = 0;
        var mustWait = false;
        while (true)
        {
            var read = await _connection.NextAsync(mustWait, _options.CommandTimeout, idle: false);
            if (read.Status is NetworkReadStatus.TimedOut or NetworkReadStatus.ShutdownRequested) return false;
            var buffer = read.Buffer;
            var closed = read.Status == NetworkReadStatus.Closed;
            var lf = buffer.PositionOf((byte)'\n');
            var line = lf is { } end ? buffer.Slice(0, end) : buffer;
            // Keep the last octets of the line: they tell whether it announced a literal.
            var take = line.Slice(Math.Max(0, line.Length - tail.Length));
            var n = (int)take.Length;
            if (tailLength + n > tail.Length)
            {
                var shift = tailLength + n - tail.Length;
                tail.AsSpan(shift, tailLength - shift).CopyTo(tail);
                tailLength -= shift;
            }
            take.CopyTo(tail.AsSpan(tailLength));
            tailLength += n;
            if (lf is { } found)
            {
                _connection.Input.AdvanceTo(buffer.GetPosition(1, found));
                var text = tail.AsSpan(0, tailLength).TrimEnd((byte)'\r');
                return !(text.Length >= 3 && text[^1] == (byte)'}' && text[^2] is (byte)'+' or (byte)'-');
            }
            discarded += buffer.Length;
            _connection.Input.AdvanceTo(buffer.End);
            if (closed || discarded > limit) return false;
            mustWait = true;
        }
    }

    /// <summary>Hands the next <paramref name="size"/> octets of input to <paramref name="target"/> (or drops them when it is null).</summary>
    private async Task CopyLiteralAsync(Stream? target, long size, CancellationToken ct)
    {
        var remaining = size;
        var mustWait = false;
        while (remaining > 0)
        {
            var read = await _connection.NextAsync(mustWait, _options.CommandTimeout, idle: false);
            if (read.Status is NetworkReadStatus.TimedOut or NetworkReadStatus.ShutdownRequested)
                throw new IOException("The client stopped sending the literal.");
            var buffer = read.Buffer;
            var closed = read.Status == NetworkReadStatus.Closed;
            var take = buffer.Slice(0, Math.Min(buffer.Length, remaining));
            if (target is not null)
                foreach (var segment in take)
                    await target.WriteAsync(segment, ct);
            remaining -= take.Length;
            _connection.Input.AdvanceTo(take.End);
            if (remaining > 0 && closed) throw new IOException("The client closed the connection in the middle of a literal.");
            mustWait = take.Length == 0;
        }
    }
}
