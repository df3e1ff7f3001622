using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace GovMail.Net;

/// <summary>
/// One accepted TCP connection seen as a pair of pipes, over the plain socket or over TLS. A protocol session reads
/// <see cref="Input"/> and writes <see cref="Output"/>; both are replaced when the connection switches to TLS, and whatever
/// plaintext was buffered at that moment is thrown away with the old reader (RFC 3207 section 4.2).
/// </summary>
public sealed class NetworkConnection : IAsyncDisposable
{
    private const int TimeoutInterrupt = 1, ShutdownInterrupt = 2;

    // An idle connection should cost kilobytes: a zero-byte read waits for data without holding a buffer (as Kestrel
    // does), and the pipe takes buffers from the shared pool only while data is flowing.
    private static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true);
    private static readonly StreamPipeWriterOptions WriterOptions = new(minimumBufferSize: 4096, leaveOpen: true);

    private readonly Socket _socket;
    private readonly NetworkStream _networkStream;
    private readonly TimeProvider _time;
    private readonly ITimer _deadline;
    private readonly CancellationTokenRegistration _shutdownRegistration;
    private SslStream? _tls;
    private TaskCompletionSource<int>? _interrupt;
    private Task<ReadResult>? _abandonedRead;
    private int _idle;
    private int _flushing;
    private int _disposed;

    public NetworkConnection(Socket socket, string id, TimeProvider time, CancellationToken shutdownRequested, CancellationToken aborted)
    {
        _socket = socket;
        Id = id;
        RemoteEndPoint = Normalize((IPEndPoint)socket.RemoteEndPoint!);
        LocalEndPoint = Normalize((IPEndPoint)socket.LocalEndPoint!);
        ShutdownRequested = shutdownRequested;
        Aborted = aborted;
        _time = time;
        _networkStream = new NetworkStream(socket, ownsSocket: true);
        Input = PipeReader.Create(_networkStream, ReaderOptions);
        Output = PipeWriter.Create(_networkStream, WriterOptions);
        _deadline = time.CreateTimer(static state => ((NetworkConnection)state!).OnDeadline(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _shutdownRegistration = shutdownRequested.UnsafeRegister(static state => ((NetworkConnection)state!).OnShutdownRequested(), this);
    }

    /// <summary>A short id for logs, unique enough to follow one session.</summary>
    public string Id { get; }

    public IPEndPoint RemoteEndPoint { get; }
    public IPEndPoint LocalEndPoint { get; }

    public PipeReader Input { get; private set; }
    public PipeWriter Output { get; private set; }

    public bool IsTls => _tls is not null;
    public SslProtocols TlsProtocol => _tls?.SslProtocol ?? SslProtocols.None;
    public TlsCipherSuite? TlsCipherSuite => _tls?.NegotiatedCipherSuite;

    /// <summary>Signalled when the server stops gracefully: finish the current step, then say goodbye.</summary>
    public CancellationToken ShutdownRequested { get; }

    /// <summary>Signalled when the server stops hard: every read and write is cancelled.</summary>
    public CancellationToken Aborted { get; }

    /// <summary>
    /// Waits for input. <paramref name="idle"/> means the protocol waits between commands: then a graceful stop ends the
    /// wait with <see cref="NetworkReadStatus.ShutdownRequested"/>. A silent peer ends it with <see cref="NetworkReadStatus.TimedOut"/>.
    /// <para>
    /// After those two statuses the read is left pending rather than cancelled (cancelling a read can leave an
    /// <see cref="SslStream"/> unusable), so the protocol may only write its last words and close the connection.
    /// </para>
    /// </summary>
    public async ValueTask<NetworkReadResult> ReadAsync(TimeSpan timeout, bool idle)
    {
        if (_abandonedRead is not null) throw new InvalidOperationException("The connection was interrupted; it can only be closed.");
        if (idle && ShutdownRequested.IsCancellationRequested) return new(NetworkReadStatus.ShutdownRequested, default);

        var pending = Input.ReadAsync(Aborted);
        // Data already buffered, or on the socket: no timer, no allocation.
        if (pending.IsCompleted) return Map(await pending);

        // Waiting in the middle of a command (the rest of a literal, of a line, of DATA): acknowledge what came now. A
        // client with Nagle's algorithm on (MailKit's, for one) holds the tail of its command until what it sent is
        // acknowledged, and the delayed acknowledgement would only come after 40 ms, a stall on every APPEND.
        if (!idle) AcknowledgeNow();
        var read = pending.AsTask();
        var interrupt = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _interrupt, interrupt);
        Volatile.Write(ref _idle, idle ? 1 : 0);
        if (idle && ShutdownRequested.IsCancellationRequested) interrupt.TrySetResult(ShutdownInterrupt);
        _deadline.Change(timeout, Timeout.InfiniteTimeSpan);
        Task winner;
        try
        {
            winner = await Task.WhenAny(read, interrupt.Task);
        }
        finally
        {
            _deadline.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Volatile.Write(ref _idle, 0);
            Volatile.Write(ref _interrupt, null);
        }
        if (winner == read) return Map(await read);

        _abandonedRead = read;
        return new(await interrupt.Task == TimeoutInterrupt ? NetworkReadStatus.TimedOut : NetworkReadStatus.ShutdownRequested, default);
    }

    /// <summary>
    /// The input a protocol reads next: what is already buffered, unless <paramref name="mustWait"/> (it holds only part of
    /// what the protocol needs: then <see cref="ReadAsync"/> waits for more). With <paramref name="flushTimeout"/>, what the
    /// protocol wrote is sent before waiting, and not before: that keeps pipelined commands cheap. A send that fails is
    /// <see cref="NetworkReadStatus.SendFailed"/>.
    /// </summary>
    public async ValueTask<NetworkReadResult> NextAsync(bool mustWait, TimeSpan timeout, bool idle, TimeSpan? flushTimeout = null)
    {
        if (!mustWait && Input.TryRead(out var ready)) return Map(ready);
        if (flushTimeout is { } sendWithin && !await FlushAsync(sendWithin)) return new(NetworkReadStatus.SendFailed, default);
        return await ReadAsync(timeout, idle);
    }

    /// <summary>
    /// Sends the acknowledgement of what has arrived at once instead of delaying it (Linux TCP_QUICKACK, which also flushes
    /// an acknowledgement already scheduled); elsewhere nothing.
    /// </summary>
    private void AcknowledgeNow()
    {
        if (!OperatingSystem.IsLinux() || _quickAckUnsupported) return;
        try
        {
            _socket.SetRawSocketOption(IpProtocolTcp, TcpQuickAck, QuickAckOn);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Not a TCP socket the kernel lets us tune, or already closed: the acknowledgement simply comes later.
            _quickAckUnsupported = true;
        }
    }

    private const int IpProtocolTcp = 6;
    private const int TcpQuickAck = 12;
    private static readonly byte[] QuickAckOn = [1, 0, 0, 0];
    private bool _quickAckUnsupported;

    private static NetworkReadResult Map(ReadResult result) =>
        new(result.IsCompleted ? NetworkReadStatus.Closed : NetworkReadStatus.Data, result.Buffer);

    /// <summary>Sends what the protocol wrote to <see cref="Output"/>. False if the peer did not take it within the timeout or is gone.</summary>
    public async ValueTask<bool> FlushAsync(TimeSpan timeout)
    {
        var pending = Output.FlushAsync(Aborted);
        if (pending.IsCompleted) return IsSent(await pending);
        Volatile.Write(ref _flushing, 1);
        _deadline.Change(timeout, Timeout.InfiniteTimeSpan);
        try
        {
            // A flush that times out is cancelled; the connection is closed right after, so the stream's state no longer matters.
            return IsSent(await pending);
        }
        finally
        {
            _deadline.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Volatile.Write(ref _flushing, 0);
        }
    }

    private static bool IsSent(FlushResult result) => !result.IsCanceled && !result.IsCompleted;

    /// <summary>
    /// Switches to TLS as the server. The caller has sent (and flushed) its "go ahead" reply. Any bytes the client sent
    /// before the handshake that are still unread are discarded with the plaintext reader, never handed to the protocol.
    /// </summary>
    public async Task UpgradeToTlsAsync(SslServerAuthenticationOptions options, TimeSpan handshakeTimeout)
    {
        if (_tls is not null) throw new InvalidOperationException("The connection already uses TLS.");
        await Input.CompleteAsync();
        await Output.CompleteAsync();
        var tls = new SslStream(_networkStream, leaveInnerStreamOpen: true);
        try
        {
            using var timeout = new CancellationTokenSource(handshakeTimeout, _time);
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, Aborted);
            await tls.AuthenticateAsServerAsync(options, cancel.Token);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
        _tls = tls;
        Input = PipeReader.Create(tls, ReaderOptions);
        Output = PipeWriter.Create(tls, WriterOptions);
    }

    /// <summary>Closes the connection: our side first (so the last reply is delivered), then the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _shutdownRegistration.DisposeAsync();
        await _deadline.DisposeAsync();
        await IgnoreNetworkErrors(Output.CompleteAsync());
        try
        {
            if (_socket.Connected) _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        if (_tls is not null) await _tls.DisposeAsync();
        await _networkStream.DisposeAsync();
        // A read left pending by a timeout or a stop ends now that the socket is closed.
        if (_abandonedRead is not null) await IgnoreNetworkErrors(new ValueTask(_abandonedRead));
        await IgnoreNetworkErrors(Input.CompleteAsync());
    }

    private static async ValueTask IgnoreNetworkErrors(ValueTask operation)
    {
        try
        {
            await operation;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The peer is gone; nothing is left to deliver.
        }
    }

    /// <summary>Closes the socket at once, without waiting for anything; used when the server stops hard.</summary>
    public void Abort()
    {
        try
        {
            _socket.Close(0);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void OnShutdownRequested()
    {
        if (Volatile.Read(ref _idle) == 1) Volatile.Read(ref _interrupt)?.TrySetResult(ShutdownInterrupt);
    }

    private void OnDeadline()
    {
        Volatile.Read(ref _interrupt)?.TrySetResult(TimeoutInterrupt);
        if (Volatile.Read(ref _flushing) == 1)
        {
            try
            {
                Output.CancelPendingFlush();
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
                // The writer was completed concurrently; nothing is waiting on it.
            }
        }
    }

    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
}
