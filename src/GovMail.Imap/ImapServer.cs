using System.Net;
using System.Security.Cryptography.X509Certificates;
using GovMail.Imap.Protocol;
using GovMail.Net;
using GovMail.Storage.Mail;
using Microsoft.Extensions.Logging;

namespace GovMail.Imap;

/// <summary>An endpoint the server is listening on, with the port actually bound.</summary>
public sealed record ImapBoundEndPoint(ImapListenerKind Kind, IPEndPoint EndPoint);

/// <summary>
/// The IMAP server: one TCP listener per configured endpoint (143 with STARTTLS, 993 with implicit TLS), sharing the
/// connection limits and the mail store. <see cref="StartAsync"/> binds every listener or none; <see cref="StopAsync"/>
/// stops accepting, says <c>* BYE</c> to idle sessions, lets busy ones finish and closes the rest when its token fires.
/// </summary>
public sealed class ImapServer : IAsyncDisposable
{
    private readonly ImapServerOptions _options;
    private readonly ImapServices _services;
    private readonly ServerCertificate _certificate;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConnectionLimiter _limiter;
    private readonly List<(ImapListenerKind Kind, TcpConnectionListener Listener)> _listeners = [];
    private readonly Lock _lock = new();
    private bool _started;

    /// <param name="certificate">Asked at every TLS handshake, so a renewed certificate is used without a restart. IMAP needs TLS: there is no login without it.</param>
    public ImapServer(ImapServerOptions options, ImapServices services, Func<X509Certificate2> certificate, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        options.Validate();
        _options = options;
        _services = services;
        _certificate = new ServerCertificate(certificate);
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ImapServer>();
        _time = timeProvider;
        _limiter = new ConnectionLimiter(options.MaxConnections, options.MaxConnectionsPerIp);
    }

    public ImapServerOptions Options => _options;

    /// <summary>The bus the sessions listen on; publish deliveries here (<see cref="MailboxNotifications.PublishDelivered"/>).</summary>
    public MailboxNotifications Notifications => _services.Notifications;

    /// <summary>The endpoints being listened on, with real port numbers. Empty before start.</summary>
    public IReadOnlyList<ImapBoundEndPoint> EndPoints
    {
        get
        {
            lock (_lock)
            {
                var endPoints = new List<ImapBoundEndPoint>(_listeners.Count);
                foreach (var (kind, listener) in _listeners)
                    if (listener.BoundEndPoint is { } bound) endPoints.Add(new ImapBoundEndPoint(kind, bound));
                return endPoints;
            }
        }
    }

    /// <summary>The first bound endpoint of a kind; throws if the server has none.</summary>
    public IPEndPoint GetEndPoint(ImapListenerKind kind)
    {
        foreach (var endPoint in EndPoints)
            if (endPoint.Kind == kind) return endPoint.EndPoint;
        throw new InvalidOperationException($"The IMAP server has no {kind} listener.");
    }

    /// <summary>Open connections over all listeners.</summary>
    public int ConnectionCount => _limiter.Count;

    /// <summary>Binds every listener and starts accepting. If one endpoint cannot be bound, none stays open.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_started) throw new InvalidOperationException("The IMAP server is already started.");
            _started = true;
        }
        if (_options.Listeners.Count == 0) throw new InvalidOperationException("The IMAP server has no listeners configured.");
        try
        {
            foreach (var listenerOptions in _options.Listeners)
            {
                var context = new ImapListenerContext(_options, listenerOptions.Kind, _services, _certificate, _time,
                    _loggerFactory.CreateLogger("GovMail.Imap.Session"));
                var tcp = new TcpListenerOptions(listenerOptions.EndPoint)
                {
                    ImplicitTls = listenerOptions.Kind == ImapListenerKind.Imaps ? _certificate : null,
                    TlsHandshakeTimeout = _options.TlsHandshakeTimeout,
                };
                var listener = new TcpConnectionListener(tcp, new ImapConnectionHandler(context), _limiter, _time, _loggerFactory.CreateLogger<TcpConnectionListener>());
                listener.Start();
                lock (_lock) _listeners.Add((listenerOptions.Kind, listener));
                _logger.LogInformation("IMAP {Kind} listening on {EndPoint}", listenerOptions.Kind, listener.BoundEndPoint);
            }
        }
        catch
        {
            foreach (var (_, listener) in Snapshot()) await listener.DisposeAsync();
            lock (_lock) _listeners.Clear();
            throw;
        }
    }

    /// <summary>Stops accepting, says <c>* BYE</c> to idle sessions and lets the others finish their command; when <paramref name="ct"/> fires, the rest are closed.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        var listeners = Snapshot();
        var stops = new List<Task>(listeners.Count);
        foreach (var (_, listener) in listeners) stops.Add(listener.StopAsync(ct));
        await Task.WhenAll(stops);
        _logger.LogInformation("IMAP server stopped");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, listener) in Snapshot()) await listener.DisposeAsync();
        lock (_lock) _listeners.Clear();
    }

    private List<(ImapListenerKind Kind, TcpConnectionListener Listener)> Snapshot()
    {
        lock (_lock) return [.. _listeners];
    }
}
