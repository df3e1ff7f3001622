using System.Net;
using Microsoft.Extensions.Logging;

namespace GovMail.Net;

/// <summary>One listener of a <see cref="ListenerSet{TKind}"/>: what it is for, where it binds and who handles its connections.</summary>
public sealed record ListenerSpec<TKind>(TKind Kind, TcpListenerOptions Tcp, IConnectionHandler Handler) where TKind : struct, Enum;

/// <summary>
/// The TCP listeners of one server (SMTP's MX and submission ports, IMAP's 143 and 993), sharing one
/// <see cref="ConnectionLimiter"/>. <see cref="StartAsync"/> binds every listener or none; <see cref="StopAsync"/> stops them
/// together, each letting its sessions finish until the token fires.
/// </summary>
public sealed class ListenerSet<TKind>(string protocol, ConnectionLimiter limiter, TimeProvider time, ILoggerFactory loggerFactory, ILogger logger)
    : IAsyncDisposable where TKind : struct, Enum
{
    private readonly List<(TKind Kind, TcpConnectionListener Listener)> _listeners = [];
    private readonly Lock _lock = new();
    private bool _started;

    /// <summary>The endpoints being listened on, with real port numbers (useful when the options said port 0). Empty before start.</summary>
    public IReadOnlyList<(TKind Kind, IPEndPoint EndPoint)> Bound
    {
        get
        {
            lock (_lock)
            {
                var bound = new List<(TKind, IPEndPoint)>(_listeners.Count);
                foreach (var (kind, listener) in _listeners)
                    if (listener.BoundEndPoint is { } endPoint) bound.Add((kind, endPoint));
                return bound;
            }
        }
    }

    /// <summary>The first bound endpoint of a kind; throws if there is none.</summary>
    public IPEndPoint GetEndPoint(TKind kind)
    {
        foreach (var (k, endPoint) in Bound)
            if (EqualityComparer<TKind>.Default.Equals(k, kind)) return endPoint;
        throw new InvalidOperationException($"The {protocol} server has no {kind} listener.");
    }

    /// <summary>Open connections over all listeners.</summary>
    public int ConnectionCount => limiter.Count;

    /// <summary>Binds every listener and starts accepting. If one endpoint cannot be bound, none stays open.</summary>
    public async Task StartAsync(IEnumerable<ListenerSpec<TKind>> listeners, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_started) throw new InvalidOperationException($"The {protocol} server is already started.");
            _started = true;
        }
        try
        {
            foreach (var spec in listeners)
            {
                var listener = new TcpConnectionListener(spec.Tcp with { Name = spec.Kind.ToString().ToLowerInvariant() }, spec.Handler, limiter, time, loggerFactory.CreateLogger<TcpConnectionListener>());
                listener.Start();
                lock (_lock) _listeners.Add((spec.Kind, listener));
                logger.LogInformation("{Protocol} {Kind} listening on {EndPoint}", protocol, spec.Kind, listener.BoundEndPoint);
            }
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops accepting on every listener and lets sessions finish; when <paramref name="ct"/> fires, the rest are closed.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        var listeners = Snapshot();
        var stops = new List<Task>(listeners.Count);
        foreach (var (_, listener) in listeners) stops.Add(listener.StopAsync(ct));
        await Task.WhenAll(stops);
        logger.LogInformation("{Protocol} server stopped", protocol);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, listener) in Snapshot()) await listener.DisposeAsync();
        lock (_lock) _listeners.Clear();
    }

    private List<(TKind Kind, TcpConnectionListener Listener)> Snapshot()
    {
        lock (_lock) return [.. _listeners];
    }
}
