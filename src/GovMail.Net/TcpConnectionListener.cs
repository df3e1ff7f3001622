using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace GovMail.Net;

/// <summary>
/// Accepts TCP connections on one endpoint and hands each to the protocol's <see cref="IConnectionHandler"/> as its own
/// async session, within the limits of a shared <see cref="ConnectionLimiter"/>. Knows nothing of the protocol spoken.
/// </summary>
public sealed class TcpConnectionListener : IAsyncDisposable
{
    private readonly TcpListenerOptions _options;
    private readonly IConnectionHandler _handler;
    private readonly ConnectionLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopAccepting = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly ConcurrentDictionary<NetworkConnection, Task> _sessions = new();
    private Socket? _socket;
    private Task _acceptLoop = Task.CompletedTask;
    private int _disposed;

    public TcpConnectionListener(TcpListenerOptions options, IConnectionHandler handler, ConnectionLimiter limiter, TimeProvider time, ILogger logger)
    {
        _options = options;
        _handler = handler;
        _limiter = limiter;
        _time = time;
        _logger = logger;
    }

    /// <summary>The endpoint actually bound (the real port when the options asked for port 0); null before <see cref="Start"/>.</summary>
    public IPEndPoint? BoundEndPoint { get; private set; }

    /// <summary>Sessions running now.</summary>
    public int ActiveSessions => _sessions.Count;

    /// <summary>Binds and starts accepting. Throws if the endpoint cannot be bound.</summary>
    public void Start()
    {
        if (_socket is not null) throw new InvalidOperationException("The listener is already started.");
        var endPoint = _options.EndPoint;
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            if (!OperatingSystem.IsWindows()) socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endPoint);
            socket.Listen(_options.Backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _socket = socket;
        BoundEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync(socket);
    }

    /// <summary>
    /// Stops accepting, asks every session to finish gracefully (idle ones say goodbye at once), and waits for them. When
    /// <paramref name="ct"/> fires first, the remaining connections are closed hard.
    /// </summary>
    public async Task StopAsync(CancellationToken ct)
    {
        await _stopAccepting.CancelAsync();
        _socket?.Dispose();
        await _acceptLoop;
        await _shutdown.CancelAsync();
        try
        {
            await WaitForSessionsAsync().WaitAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _logger.LogWarning("Listener {EndPoint}: {Count} sessions did not finish in time and are closed hard", BoundEndPoint, _sessions.Count);
            await _abort.CancelAsync();
            foreach (var connection in _sessions.Keys) connection.Abort();
            await WaitForSessionsAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await StopAsync(new CancellationToken(canceled: true));
        _stopAccepting.Dispose();
        _shutdown.Dispose();
        _abort.Dispose();
    }

    private async Task WaitForSessionsAsync()
    {
        while (!_sessions.IsEmpty)
        {
            try
            {
                await Task.WhenAll(_sessions.Values);
            }
            catch
            {
                // Each session logs its own failure.
            }
        }
    }

    private async Task AcceptLoopAsync(Socket listenSocket)
    {
        await Task.Yield();
        while (!_stopAccepting.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listenSocket.AcceptAsync(_stopAccepting.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // A connection reset before we accepted it, or the process is out of descriptors: keep serving the others.
                _logger.LogWarning(e, "Listener {EndPoint}: accept failed", BoundEndPoint);
                continue;
            }
            Start(socket);
        }
    }

    private void Start(Socket socket)
    {
        NetworkConnection connection;
        try
        {
            socket.NoDelay = true;
            connection = new NetworkConnection(socket, NewConnectionId(), _time, _shutdown.Token, _abort.Token);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            socket.Dispose();
            return;
        }
        var remote = connection.RemoteEndPoint.Address;
        var admitted = _limiter.TryAcquire(remote, out var refusal);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var session = RunAsync(connection, admitted, refusal, gate.Task);
        _sessions[connection] = session;
        gate.SetResult();
    }

    private async Task RunAsync(NetworkConnection connection, bool admitted, ConnectionRefusal refusal, Task registered)
    {
        await registered;
        // Every log line written during the session (the protocol's, the login's, the delivery's) carries its id: the
        // correlation id an operator searches the JSON log by.
        using var scope = _logger.BeginScope("{Listener} session {SessionId} from {Remote}", _options.Name, connection.Id,
            connection.RemoteEndPoint.Address.ToString());
        try
        {
            if (!admitted)
            {
                _logger.LogInformation("Connection {ConnectionId} from {Remote} refused: {Refusal}", connection.Id, connection.RemoteEndPoint, refusal);
                // Answering over implicit TLS would cost a handshake to every flood connection; just close those.
                if (_options.ImplicitTls is null)
                    await _handler.RefuseAsync(connection, refusal).WaitAsync(_options.RefusalTimeout, _time);
                return;
            }
            NetMetrics.Opened(_options.Name);
            if (_options.ImplicitTls is { } certificate)
                await connection.UpgradeToTlsAsync(certificate.CreateAuthenticationOptions(), _options.TlsHandshakeTimeout);
            await _handler.RunAsync(connection);
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            _logger.LogDebug("Connection {ConnectionId} from {Remote} ended: {Reason}", connection.Id, connection.RemoteEndPoint, e.Message);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Connection {ConnectionId} from {Remote} failed", connection.Id, connection.RemoteEndPoint);
        }
        finally
        {
            if (admitted)
            {
                _limiter.Release(connection.RemoteEndPoint.Address);
                NetMetrics.Closed(_options.Name);
            }
            await connection.DisposeAsync();
            _sessions.TryRemove(connection, out _);
        }
    }

    private static string NewConnectionId()
    {
        Span<byte> bytes = stackalloc byte[6];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
