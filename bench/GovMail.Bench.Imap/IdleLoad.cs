using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace GovMail.Bench.Imap;

/// <summary>
/// N connections that each do what a phone does: TLS (implicit, 993), LOGIN, SELECT INBOX, IDLE, then nothing. Written on
/// raw sockets (no client library state to speak of), each bound to a source address 127.0.0.x so that neither ephemeral
/// ports nor a server's per-address limit run out: <see cref="PerAddress"/> connections per address.
/// </summary>
public sealed class IdleLoad : IAsyncDisposable
{
    public const int PerAddress = 100;

    private readonly List<(Socket Socket, SslStream Tls)> _open = [];
    private readonly Lock _lock = new();

    public int Open { get { lock (_lock) return _open.Count; } }
    public int Failed { get; private set; }
    public List<string> FailureSamples { get; } = [];

    /// <summary>Opens connections <paramref name="from"/>..<paramref name="from"/>+<paramref name="count"/>-1, at most <paramref name="parallel"/> handshakes at once.</summary>
    public async Task<TimeSpan> OpenAsync(IPEndPoint server, IReadOnlyList<BenchAccount> accounts, int from, int count, int parallel, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        using var gate = new SemaphoreSlim(parallel);
        var tasks = new List<Task>(count);
        for (var i = from; i < from + count; i++)
        {
            await gate.WaitAsync(ct);
            var n = i;
            tasks.Add(Task.Run(async () =>
            {
                try { await OpenOneAsync(server, accounts[n % accounts.Count], n, ct); }
                catch (Exception e) when (e is IOException or SocketException or InvalidOperationException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
                {
                    lock (_lock)
                    {
                        Failed++;
                        if (FailureSamples.Count < 5) FailureSamples.Add($"#{n}: {e.GetType().Name}: {e.Message}");
                    }
                }
                finally { gate.Release(); }
            }, ct));
        }
        await Task.WhenAll(tasks);
        return Stopwatch.GetElapsedTime(start);
    }

    private async Task OpenOneAsync(IPEndPoint server, BenchAccount account, int n, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        SslStream? tls = null;
        try
        {
            socket.Bind(new IPEndPoint(new IPAddress([127, 0, (byte)(1 + n / PerAddress / 250), (byte)(2 + n / PerAddress % 250)]), 0));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(120));
            await socket.ConnectAsync(server, timeout.Token);
            tls = new SslStream(new NetworkStream(socket, ownsSocket: false), false, (_, _, _, _) => true);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, timeout.Token);
            var reader = new LineReader(tls);
            await reader.UntilAsync("* OK", timeout.Token);
            await tls.WriteAsync(Encoding.UTF8.GetBytes($"a LOGIN \"{account.Address}\" \"{account.Password}\"\r\n"), timeout.Token);
            await reader.UntilAsync("a OK", timeout.Token);
            await tls.WriteAsync("b SELECT INBOX\r\n"u8.ToArray(), timeout.Token);
            await reader.UntilAsync("b OK", timeout.Token);
            await tls.WriteAsync("c IDLE\r\n"u8.ToArray(), timeout.Token);
            await reader.UntilAsync("+", timeout.Token);
            lock (_lock) _open.Add((socket, tls));
        }
        catch
        {
            tls?.Dispose();
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<(Socket Socket, SslStream Tls)> open;
        lock (_lock)
        {
            open = [.. _open];
            _open.Clear();
        }
        foreach (var (socket, tls) in open)
        {
            try { socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { }
            await tls.DisposeAsync();
            socket.Dispose();
        }
    }

    /// <summary>Reads CRLF lines until one starts with the expected text; a tagged NO/BAD is an error.</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[4096];
        private int _start, _end;

        public async Task UntilAsync(string prefix, CancellationToken ct)
        {
            while (true)
            {
                var line = await ReadLineAsync(ct);
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return;
                var tag = prefix.Split(' ')[0];
                if (tag.Length > 0 && tag != "*" && tag != "+" && line.StartsWith(tag + " ", StringComparison.Ordinal))
                    throw new InvalidOperationException($"expected '{prefix}', got '{line}'");
            }
        }

        private async Task<string> ReadLineAsync(CancellationToken ct)
        {
            while (true)
            {
                var at = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (at >= 0)
                {
                    var line = Encoding.UTF8.GetString(_buffer, _start, at - _start).TrimEnd('\r');
                    _start = at + 1;
                    return line;
                }
                if (_start > 0)
                {
                    Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }
                if (_end == _buffer.Length) _end = 0; // a line longer than the buffer: its start is not needed here
                var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
                if (read == 0) throw new IOException("the server closed the connection");
                _end += read;
            }
        }
    }
}
