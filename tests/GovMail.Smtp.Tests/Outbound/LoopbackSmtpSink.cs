using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace GovMail.Smtp.Tests.Outbound;

/// <summary>A message the sink accepted: the envelope as sent and the exact DATA bytes (dot-unstuffed, final CRLF kept).</summary>
internal sealed record SinkMessage(int Connection, string MailFrom, string MailParameters, IReadOnlyList<string> Recipients, byte[] Data, bool Tls)
{
    public string Text => Encoding.UTF8.GetString(Data);
}

/// <summary>
/// The far end of the relay in tests: a small SMTP server on loopback speaking just enough (EHLO, STARTTLS, MAIL, RCPT, DATA,
/// RSET, QUIT) and scriptable per connection, e.g. "the first connection answers 451 to RCPT, the second accepts".
/// It keeps every accepted message and every command line.
/// </summary>
internal sealed class LoopbackSmtpSink : IAsyncDisposable
{
    public const string HostName = "sink.hanoi.test";

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    private LoopbackSmtpSink()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public static LoopbackSmtpSink Start() => new();

    public int Port { get; }

    /// <summary>The transport map entry that sends a domain here.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public int Connections => Volatile.Read(ref _connections);
    public ConcurrentQueue<SinkMessage> Messages { get; } = new();
    public ConcurrentQueue<string> Commands { get; } = new();

    /// <summary>The reply to RCPT TO on connection N (1-based) for an address; null accepts.</summary>
    public Func<int, string, string?> RcptReply { get; set; } = (_, _) => null;

    /// <summary>The reply after the data on connection N; null accepts.</summary>
    public Func<int, string?> DataReply { get; set; } = _ => null;

    public bool OfferStartTls { get; set; }
    public bool OfferSmtpUtf8 { get; set; } = true;
    public bool OfferDsn { get; set; }

    /// <summary>A smarthost that wants SMTP AUTH: offers AUTH PLAIN after STARTTLS only, and refuses MAIL until logged in.</summary>
    public (string User, string Password)? RequireLogin { get; set; }

    /// <summary>Users that logged in, in order.</summary>
    public ConcurrentQueue<string> LoggedIn { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            var number = Interlocked.Increment(ref _connections);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try { await SessionAsync(number, client.GetStream()); }
                    catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or System.Security.Authentication.AuthenticationException) { }
                }
            });
        }
    }

    private async Task SessionAsync(int connection, Stream stream)
    {
        var reader = new LineReader(stream);
        var tls = false;
        var loggedIn = false;
        string mailFrom = "", parameters = "";
        var recipients = new List<string>();
        await WriteAsync(stream, $"220 {HostName} ESMTP sink\r\n");
        while (true)
        {
            var line = await reader.ReadLineAsync(_stop.Token);
            if (line is null) return;
            var text = Encoding.UTF8.GetString(line);
            Commands.Enqueue(text);
            var verb = text.Split(' ', 2)[0].ToUpperInvariant();
            if (text.StartsWith("MAIL FROM:", StringComparison.OrdinalIgnoreCase)) verb = "MAIL";
            else if (text.StartsWith("RCPT TO:", StringComparison.OrdinalIgnoreCase)) verb = "RCPT";
            switch (verb)
            {
                case "EHLO":
                    var ehlo = new StringBuilder($"250-{HostName}\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n");
                    if (OfferSmtpUtf8) ehlo.Append("250-SMTPUTF8\r\n");
                    if (OfferStartTls && !tls) ehlo.Append("250-STARTTLS\r\n");
                    if (OfferDsn) ehlo.Append("250-DSN\r\n");
                    if (RequireLogin is not null && tls) ehlo.Append("250-AUTH PLAIN\r\n");
                    ehlo.Append("250 SIZE 52428800\r\n");
                    await WriteAsync(stream, ehlo.ToString());
                    break;
                case "HELO":
                case "NOOP":
                    await WriteAsync(stream, "250 2.0.0 Ok\r\n");
                    break;
                case "STARTTLS":
                    await WriteAsync(stream, "220 2.0.0 Ready to start TLS\r\n");
                    var ssl = new SslStream(stream);
                    await ssl.AuthenticateAsServerAsync(TestCertificate.Instance);
                    stream = ssl;
                    reader = new LineReader(stream);
                    tls = true;
                    (mailFrom, parameters) = ("", "");
                    recipients.Clear();
                    break;
                case "AUTH" when RequireLogin is { } wanted && tls:
                    var parts = text.Split(' ', 3);
                    var initial = parts.Length > 2 ? parts[2] : null;
                    if (initial is null)
                    {
                        await WriteAsync(stream, "334 \r\n");
                        initial = Encoding.ASCII.GetString(await reader.ReadLineAsync(_stop.Token) ?? []);
                    }
                    var fields = Encoding.UTF8.GetString(Convert.FromBase64String(initial)).Split('\0');
                    loggedIn = fields.Length == 3 && fields[1] == wanted.User && fields[2] == wanted.Password;
                    if (loggedIn) LoggedIn.Enqueue(fields[1]);
                    await WriteAsync(stream, loggedIn ? "235 2.7.0 Authentication successful\r\n" : "535 5.7.8 Authentication credentials invalid\r\n");
                    break;
                case "MAIL" when RequireLogin is not null && !loggedIn:
                    await WriteAsync(stream, "530 5.7.0 Authentication required\r\n");
                    break;
                case "MAIL":
                    var close = text.IndexOf('>');
                    mailFrom = text[(text.IndexOf('<') + 1)..close];
                    parameters = text[(close + 1)..].Trim();
                    recipients.Clear();
                    await WriteAsync(stream, "250 2.1.0 Ok\r\n");
                    break;
                case "RCPT":
                    var address = text[(text.IndexOf('<') + 1)..text.IndexOf('>')];
                    var reply = RcptReply(connection, address);
                    if (reply is null) recipients.Add(address);
                    await WriteAsync(stream, (reply ?? "250 2.1.5 Ok") + "\r\n");
                    break;
                case "DATA":
                    if (recipients.Count == 0)
                    {
                        await WriteAsync(stream, "554 5.5.1 No valid recipients\r\n");
                        break;
                    }
                    await WriteAsync(stream, "354 End data with <CR><LF>.<CR><LF>\r\n");
                    var data = new MemoryStream();
                    while (true)
                    {
                        var dataLine = await reader.ReadLineAsync(_stop.Token, keepLineEnd: true) ?? throw new IOException("closed in DATA");
                        if (dataLine is [(byte)'.', (byte)'\r', (byte)'\n']) break;
                        var start = dataLine.Length > 0 && dataLine[0] == '.' ? 1 : 0;
                        data.Write(dataLine, start, dataLine.Length - start);
                    }
                    var dataReply = DataReply(connection);
                    if (dataReply is null)
                        Messages.Enqueue(new SinkMessage(connection, mailFrom, parameters, recipients.ToList(), data.ToArray(), tls));
                    await WriteAsync(stream, (dataReply ?? "250 2.0.0 Ok: queued") + "\r\n");
                    recipients.Clear();
                    break;
                case "RSET":
                    recipients.Clear();
                    await WriteAsync(stream, "250 2.0.0 Ok\r\n");
                    break;
                case "QUIT":
                    await WriteAsync(stream, "221 2.0.0 Bye\r\n");
                    return;
                default:
                    await WriteAsync(stream, "502 5.5.2 Command not recognised\r\n");
                    break;
            }
        }
    }

    private async Task WriteAsync(Stream stream, string text)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), _stop.Token);
        await stream.FlushAsync(_stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    /// <summary>Reads CRLF-terminated lines as bytes, so the message data is kept exactly.</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start, _end;

        public async Task<byte[]?> ReadLineAsync(CancellationToken ct, bool keepLineEnd = false)
        {
            var line = new MemoryStream();
            while (true)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline >= 0)
                {
                    line.Write(_buffer, _start, newline + 1 - _start);
                    _start = newline + 1;
                    var bytes = line.ToArray();
                    if (keepLineEnd) return bytes;
                    var length = bytes.Length - 1;
                    if (length > 0 && bytes[length - 1] == '\r') length--;
                    return bytes[..length];
                }
                line.Write(_buffer, _start, _end - _start);
                _start = _end = 0;
                var read = await stream.ReadAsync(_buffer, ct);
                if (read == 0) return null;
                _end = read;
            }
        }
    }
}
