using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace GovMail.Imap.Tests.Support;

/// <summary>
/// A client that sends exactly the bytes a test gives and reads exactly what comes back, line by line, for transcript
/// tests. Every read is guarded by a generous deadline so a broken server fails the test instead of hanging it; no
/// test asserts on time.
/// </summary>
internal sealed class RawImapClient : IAsyncDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly TcpClient _tcp;
    private Stream _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawImapClient(TcpClient tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
    }

    /// <summary>Connects to 143 (plain) or 993 (<paramref name="tls"/>); the greeting is left unread.</summary>
    public static async Task<RawImapClient> ConnectAsync(IPEndPoint endPoint, bool tls = false)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(endPoint);
        var client = new RawImapClient(tcp, tcp.GetStream());
        if (tls) await client.HandshakeAsync();
        return client;
    }

    /// <summary>Connects over TLS, reads the greeting and logs in as <paramref name="user"/>.</summary>
    public static async Task<RawImapClient> LoginAsync(IPEndPoint imaps, string user, string password)
    {
        var client = await ConnectAsync(imaps, tls: true);
        await client.ReadLineAsync();
        await client.SendAsync($"L1 LOGIN \"{user}\" \"{password}\"\r\n");
        var reply = await client.ReadUntilTaggedAsync("L1");
        Assert.StartsWith("L1 OK", reply[^1]);
        return client;
    }

    /// <summary>Starts TLS over the connection (after the server said OK to STARTTLS).</summary>
    public async Task HandshakeAsync()
    {
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        using var cts = new CancellationTokenSource(Guard);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, cts.Token);
        _stream = tls;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(Guard);
        await _stream.WriteAsync(bytes, cts.Token);
        await _stream.FlushAsync(cts.Token);
    }

    /// <summary>The next line without its CRLF; null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync()
    {
        while (true)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                var line = Encoding.UTF8.GetString(_buffer, _start, lf - _start).TrimEnd('\r');
                _start = lf + 1;
                return line;
            }
            if (!await FillAsync()) return null;
        }
    }

    /// <summary>Exactly <paramref name="count"/> octets (a literal's content).</summary>
    public async Task<byte[]> ReadBytesAsync(int count)
    {
        while (_end - _start < count)
            if (!await FillAsync()) throw new IOException("The server closed the connection in the middle of a literal.");
        var bytes = _buffer.AsSpan(_start, count).ToArray();
        _start += count;
        return bytes;
    }

    /// <summary>Lines up to and including the tagged response of <paramref name="tag"/>.</summary>
    public async Task<List<string>> ReadUntilTaggedAsync(string tag)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new IOException($"The connection closed before the response to {tag}; got: {string.Join(" | ", lines)}");
            lines.Add(line);
            if (line.StartsWith(tag + " ", StringComparison.Ordinal)) return lines;
        }
    }

    /// <summary>Asserts that the next lines are exactly <paramref name="expected"/>.</summary>
    public async Task ExpectAsync(params string[] expected)
    {
        foreach (var line in expected) Assert.Equal(line, await ReadLineAsync());
    }

    /// <summary>Whether the server has closed the connection (after reading what it still had to say).</summary>
    public async Task<bool> IsClosedAsync()
    {
        while (await FillAsync())
        {
        }
        return true;
    }

    private async Task<bool> FillAsync()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        using var cts = new CancellationTokenSource(Guard);
        int n;
        try
        {
            n = await _stream.ReadAsync(_buffer.AsMemory(_end), cts.Token);
        }
        catch (IOException)
        {
            return false;
        }
        _end += n;
        return n > 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
