using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace GovMail.Smtp.Tests.Support;

/// <summary>
/// A bare TCP client for transcript tests: it sends exactly the bytes given and reads replies byte by byte (never past
/// the end of a reply, so a STARTTLS handshake can follow). Reads are bounded by a generous safety timeout that only
/// stops a broken test from hanging; no test measures speed with it.
/// </summary>
internal sealed class RawSmtpClient : IAsyncDisposable
{
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(30);

    private readonly TcpClient _tcp;
    private Stream _stream;

    private RawSmtpClient(TcpClient tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
    }

    public static async Task<RawSmtpClient> ConnectAsync(IPEndPoint endPoint, bool implicitTls = false)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(endPoint);
        var client = new RawSmtpClient(tcp, tcp.GetStream());
        if (implicitTls) await client.StartTlsAsync();
        return client;
    }

    public async Task SendAsync(string text) => await SendAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends the bytes in one write, so they reach the server together (pipelining, injection tests).</summary>
    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Reads one complete reply (all its lines) and returns its exact text, CRLFs included.</summary>
    public async Task<string> ReadReplyAsync()
    {
        var reply = new StringBuilder();
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new IOException($"The server closed the connection after: {reply}");
            reply.Append(line);
            if (line.Length < 4 || line[3] != '-') return reply.ToString();
        }
    }

    /// <summary>Reads one reply and checks it is exactly these lines.</summary>
    public async Task ExpectAsync(params string[] lines)
    {
        var expected = string.Concat(lines.Select(l => l + "\r\n"));
        Assert.Equal(expected, await ReadReplyAsync());
    }

    /// <summary>Sends a command and checks the reply is exactly these lines.</summary>
    public async Task CommandAsync(string command, params string[] replyLines)
    {
        await SendAsync(command + "\r\n");
        await ExpectAsync(replyLines);
    }

    /// <summary>Sends a BDAT command line and its chunk in one write and checks the reply.</summary>
    public async Task ChunkAsync(string command, string chunk, params string[] replyLines)
    {
        await SendAsync(command + "\r\n" + chunk);
        await ExpectAsync(replyLines);
    }

    /// <summary>Reads the greeting and says EHLO; for tests whose subject comes after.</summary>
    public async Task GreetAsync()
    {
        Assert.StartsWith("220 ", await ReadReplyAsync());
        await SendAsync("EHLO client.example\r\n");
        Assert.StartsWith("250-", await ReadReplyAsync());
    }

    /// <summary>True when the server has closed the connection (the next read sees the end of the stream).</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        try
        {
            return await ReadLineAsync() is null;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public async Task StartTlsAsync()
    {
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        using var timeout = new CancellationTokenSource(SafetyTimeout);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = TestSmtpServer.HostName,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, timeout.Token);
        _stream = tls;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    /// <summary>One line with its CRLF, or null at the end of the stream.</summary>
    private async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(SafetyTimeout);
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            var read = await _stream.ReadAsync(one, timeout.Token);
            if (read == 0) return bytes.Count == 0 ? null : throw new IOException("The server closed the connection in the middle of a line.");
            bytes.Add(one[0]);
            if (one[0] == '\n') return Encoding.UTF8.GetString(bytes.ToArray());
        }
    }
}
