using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GovMail.Bench.Smtp;

/// <summary>
/// The messages of one run: deterministic 10 KB (by default) official letters with realistic headers and a Vietnamese
/// subject, body text/plain UTF-8 in base64 as Outlook and Thunderbird send it. Message <c>i</c> goes to recipient
/// <c>i mod K</c>; every header has a fixed width so every message has exactly the same size.
/// </summary>
public sealed class MessageFactory
{
    private const string Sender = "vanthu@sonoivu.hanoi.gov.vn";
    private static readonly DateTimeOffset Date = new(2026, 3, 2, 8, 30, 0, TimeSpan.FromHours(7));
    private readonly IReadOnlyList<string> _recipients;
    private readonly byte[] _body;
    private readonly string _run;
    private readonly string _pad;

    public MessageFactory(IReadOnlyList<string> recipients, int size, string run)
    {
        _recipients = recipients;
        _run = run;
        var header = Headers(0, "");
        var budget = size - Encoding.UTF8.GetByteCount(header) - 2; // the blank line
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(Letter, 1 + size / Encoding.UTF8.GetByteCount(Letter))));
        // Largest body (base64, 76 columns) that fits; the few octets left go into a padding header, so size is exact.
        var take = Math.Min(text.Length, budget * 3 / 4);
        byte[] body;
        while ((body = Base64Lines(text.AsSpan(0, take))).Length > budget) take -= 3;
        _body = body;
        var left = budget - body.Length;
        _pad = left >= 16 ? "X-Bench-Padding: " + new string('x', left - 19) + "\r\n" : "";
        Size = Encoding.UTF8.GetByteCount(Headers(0, _pad)) + 2 + _body.Length;
    }

    /// <summary>Octets of each message as sent (before the terminating CRLF.CRLF), headers and body.</summary>
    public int Size { get; }

    public string RecipientOf(long index) => _recipients[(int)(index % _recipients.Count)];

    public string SenderAddress => Sender;

    /// <summary>Writes message <paramref name="index"/>, dot-stuffed (it needs none) and followed by CRLF.CRLF.</summary>
    public int Write(long index, byte[] buffer)
    {
        var n = Encoding.UTF8.GetBytes(Headers(index, _pad), buffer);
        buffer[n++] = (byte)'\r';
        buffer[n++] = (byte)'\n';
        _body.CopyTo(buffer, n);
        n += _body.Length;
        ".\r\n"u8.CopyTo(buffer.AsSpan(n));
        return n + 3;
    }

    public int BufferSize => Size + 64;

    private string Headers(long index, string pad)
    {
        var rcpt = RecipientOf(index);
        var number = index.ToString("D7", CultureInfo.InvariantCulture);
        var at = Date.AddSeconds(index % 86_400);
        var subject = $"Công văn số {number}/SNV-VP về việc triển khai thư điện tử công vụ và chữ ký số năm 2026";
        return
            $"Received: from vpdt.sonoivu.hanoi.gov.vn (vpdt.sonoivu.hanoi.gov.vn [10.21.4.17])\r\n" +
            $"\tby mail.sonoivu.hanoi.gov.vn with ESMTPSA id {number}{_run}\r\n" +
            $"\tfor <{rcpt}>; {at.ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture)} +0700\r\n" +
            $"Date: {at.ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture)} +0700\r\n" +
            $"From: {EncodedWords("Văn thư Sở Nội vụ Hà Nội")} <{Sender}>\r\n" +
            $"To: {EncodedWords("Cán bộ tiếp nhận văn bản")} <{rcpt}>\r\n" +
            $"Subject: {EncodedWords(subject)}\r\n" +
            $"Message-ID: <{number}.{_run}@sonoivu.hanoi.gov.vn>\r\n" +
            "MIME-Version: 1.0\r\n" +
            "Content-Type: text/plain; charset=\"utf-8\"\r\n" +
            "Content-Transfer-Encoding: base64\r\n" +
            "Content-Language: vi-VN\r\n" +
            "X-Mailer: GovMail.Bench.Smtp\r\n" +
            pad;
    }

    /// <summary>RFC 2047 B-encoded words of at most 45 octets of UTF-8 each (never splitting a character), folded.</summary>
    private static string EncodedWords(string text)
    {
        var words = new List<string>();
        var bytes = new List<byte>();
        Span<byte> b = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var n = rune.EncodeToUtf8(b);
            if (bytes.Count + n > 45)
            {
                words.Add("=?UTF-8?B?" + Convert.ToBase64String(bytes.ToArray()) + "?=");
                bytes.Clear();
            }
            for (var i = 0; i < n; i++) bytes.Add(b[i]);
        }
        if (bytes.Count > 0) words.Add("=?UTF-8?B?" + Convert.ToBase64String(bytes.ToArray()) + "?=");
        return string.Join("\r\n ", words);
    }

    private static byte[] Base64Lines(ReadOnlySpan<byte> data)
    {
        var encoded = new byte[Base64.GetMaxEncodedToUtf8Length(data.Length)];
        Base64.EncodeToUtf8(data, encoded, out _, out var written);
        var output = new MemoryStream(written + written / 76 * 2 + 2);
        for (var i = 0; i < written; i += 76)
        {
            output.Write(encoded, i, Math.Min(76, written - i));
            output.Write("\r\n"u8);
        }
        return output.ToArray();
    }

    private const string Letter =
        "Kính gửi: Thủ trưởng các cơ quan, đơn vị.\r\n\r\n" +
        "Thực hiện Kế hoạch chuyển đổi số của Thành phố, Sở Nội vụ đề nghị các cơ quan, đơn vị rà soát danh sách cán bộ, công chức, " +
        "viên chức được cấp hộp thư điện tử công vụ; hướng dẫn đổi mật khẩu ở lần đăng nhập đầu tiên; sử dụng hộp thư công vụ để " +
        "trao đổi văn bản, tài liệu trong hoạt động công vụ thay cho thư điện tử cá nhân; báo cáo tình hình sử dụng định kỳ hằng quý " +
        "về Sở Nội vụ trước ngày 05 của tháng đầu quý sau. Trường hợp tài khoản không sử dụng trong 90 ngày, đơn vị đề xuất thu hồi " +
        "theo quy định. Đầu mối liên hệ: Phòng Công chức, viên chức, điện thoại 024.3825.xxxx.\r\n\r\n" +
        "Nơi nhận: Như trên; Lãnh đạo Sở; Lưu: VT, CCVC.\r\n\r\n";
}

/// <summary>What the load generator saw: one latency per accepted message, refusals, and when the last reply came.</summary>
public sealed record LoadResult(int Sent, int Accepted, int Refused, double[] LatenciesMs, TimeSpan Elapsed, long StartTimestamp,
    IReadOnlyList<string> RefusalSamples);

/// <summary>
/// Raw pipelined SMTP over plain sockets, to keep client cost out of the figures. M sessions each send their share of the
/// messages one after another on one connection: MAIL, RCPT and DATA in one write (PIPELINING), the three replies, then the
/// content and CRLF.CRLF in one write and the final reply. Latency is from the terminating CRLF.CRLF being written to the
/// final reply (the server's durable acceptance).
/// </summary>
public static class SmtpLoad
{
    public static async Task<LoadResult> RunAsync(IPEndPoint target, MessageFactory messages, long firstIndex, int count, int sessions,
        CancellationToken ct)
    {
        var clients = new SmtpClientConnection[sessions];
        for (var s = 0; s < sessions; s++) clients[s] = await SmtpClientConnection.OpenAsync(target, ct);
        var latencies = new double[count];
        var refused = 0;
        var samples = new List<string>();
        var start = Stopwatch.GetTimestamp();
        var tasks = new Task[sessions];
        for (var s = 0; s < sessions; s++)
        {
            var client = clients[s];
            var session = s;
            tasks[s] = Task.Run(async () =>
            {
                var buffer = new byte[messages.BufferSize];
                var envelope = new byte[1024];
                for (var k = session; k < count; k += sessions)
                {
                    var index = firstIndex + k;
                    var rcpt = messages.RecipientOf(index);
                    var commands = Encoding.ASCII.GetBytes(
                        $"MAIL FROM:<{messages.SenderAddress}> SIZE={messages.Size}\r\nRCPT TO:<{rcpt}>\r\nDATA\r\n", envelope);
                    await client.SendAsync(envelope.AsMemory(0, commands), ct);
                    var mail = await client.ReadReplyAsync(ct);
                    var rcptReply = await client.ReadReplyAsync(ct);
                    var data = await client.ReadReplyAsync(ct);
                    if (data.Code != 354)
                    {
                        // DATA refused (no valid recipient): the transaction is over, nothing to send.
                        Interlocked.Increment(ref refused);
                        lock (samples) if (samples.Count < 5) samples.Add($"{mail.Line} / {rcptReply.Line} / {data.Line}");
                        latencies[k] = double.NaN;
                        if (mail.Code == 250) { await client.SendAsync("RSET\r\n"u8.ToArray(), ct); await client.ReadReplyAsync(ct); }
                        continue;
                    }
                    var n = messages.Write(index, buffer);
                    await client.SendAsync(buffer.AsMemory(0, n), ct);
                    var sentAt = Stopwatch.GetTimestamp();
                    var final = await client.ReadReplyAsync(ct);
                    latencies[k] = Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds;
                    if (final.Code / 100 != 2)
                    {
                        Interlocked.Increment(ref refused);
                        lock (samples) if (samples.Count < 5) samples.Add(final.Line);
                        latencies[k] = double.NaN;
                    }
                }
            }, ct);
        }
        await Task.WhenAll(tasks);
        var elapsed = Stopwatch.GetElapsedTime(start);
        foreach (var c in clients) await c.DisposeAsync();
        var ok = latencies.Where(l => !double.IsNaN(l)).ToArray();
        return new LoadResult(count, ok.Length, refused, ok, elapsed, start, samples);
    }
}

/// <summary>One SMTP client connection: greeting and EHLO on open, replies read line by line from a private buffer.</summary>
public sealed class SmtpClientConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start, _end;

    private SmtpClientConnection(Socket socket) => _socket = socket;

    public static async Task<SmtpClientConnection> OpenAsync(IPEndPoint target, CancellationToken ct)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(target, ct);
        var c = new SmtpClientConnection(socket);
        var greeting = await c.ReadReplyAsync(ct);
        if (greeting.Code != 220) throw new InvalidOperationException($"{target}: greeting {greeting.Line}");
        await c.SendAsync("EHLO bench-client.sonoivu.hanoi.gov.vn\r\n"u8.ToArray(), ct);
        var ehlo = await c.ReadReplyAsync(ct);
        if (ehlo.Code != 250) throw new InvalidOperationException($"{target}: EHLO {ehlo.Line}");
        if (!ehlo.Text.Contains("PIPELINING", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"{target} does not offer PIPELINING");
        return c;
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            var n = await _socket.SendAsync(data, SocketFlags.None, ct);
            data = data[n..];
        }
    }

    /// <summary>One reply, all its lines; <c>Line</c> is the last line, <c>Text</c> all of them.</summary>
    public async ValueTask<(int Code, string Line, string Text)> ReadReplyAsync(CancellationToken ct)
    {
        var text = new StringBuilder();
        while (true)
        {
            var line = await ReadLineAsync(ct);
            text.AppendLine(line);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code))
                throw new InvalidOperationException($"not an SMTP reply: {line}");
            if (line.Length == 3 || line[3] == ' ') return (code, line, text.ToString());
        }
    }

    private async ValueTask<string> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                var end = lf > _start && _buffer[lf - 1] == '\r' ? lf - 1 : lf;
                var line = Encoding.UTF8.GetString(_buffer, _start, end - _start);
                _start = lf + 1;
                return line;
            }
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length) throw new InvalidOperationException("reply line too long");
            var n = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, ct);
            if (n == 0) throw new IOException("the server closed the connection");
            _end += n;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await SendAsync("QUIT\r\n"u8.ToArray(), cts.Token);
            await ReadReplyAsync(cts.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or InvalidOperationException) { }
        _socket.Dispose();
    }
}
