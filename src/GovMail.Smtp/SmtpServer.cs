using System.Net;
using System.Security.Cryptography.X509Certificates;
using GovMail.Net;
using GovMail.Smtp.Protocol;
using Microsoft.Extensions.Logging;

namespace GovMail.Smtp;

/// <summary>An endpoint the server is listening on, with the port actually bound.</summary>
public sealed record SmtpBoundEndPoint(SmtpListenerKind Kind, IPEndPoint EndPoint);

/// <summary>
/// The SMTP server: one TCP listener per configured endpoint (MX on 25, submission on 587 with STARTTLS, submissions on 465
/// with implicit TLS), all sharing the connection limits, the spool directory and the injected authenticator, policy and
/// sink. <see cref="StartAsync"/> binds every listener or none; <see cref="StopAsync"/> stops accepting, says
/// <c>421 4.3.2</c> to idle sessions, lets busy ones finish and closes the rest when its token fires.
/// </summary>
public sealed class SmtpServer : IAsyncDisposable
{
    private readonly SmtpServerOptions _options;
    private readonly ISmtpAuthenticator _authenticator;
    private readonly ISmtpPolicy _policy;
    private readonly IMessageSink _sink;
    private readonly ServerCertificate? _certificate;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConnectionLimiter _limiter;
    private readonly List<(SmtpListenerKind Kind, TcpConnectionListener Listener)> _listeners = [];
    private readonly Lock _lock = new();
    private bool _started;

    /// <param name="certificate">Asked at every TLS handshake, so a renewed certificate is used without a restart; null means no TLS (then no STARTTLS, and no submission listeners).</param>
    public SmtpServer(
        SmtpServerOptions options,
        ISmtpAuthenticator authenticator,
        ISmtpPolicy policy,
        IMessageSink sink,
        Func<X509Certificate2>? certificate,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider)
    {
        options.Validate();
        _options = options;
        _authenticator = authenticator;
        _policy = policy;
        _sink = sink;
        _certificate = certificate is null ? null : new ServerCertificate(certificate);
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<SmtpServer>();
        _time = timeProvider;
        _limiter = new ConnectionLimiter(options.MaxConnections, options.MaxConnectionsPerIp);
    }

    public SmtpServerOptions Options => _options;

    /// <summary>The endpoints being listened on, with real port numbers (useful when the options said port 0). Empty before start.</summary>
    public IReadOnlyList<SmtpBoundEndPoint> EndPoints
    {
        get
        {
            lock (_lock)
            {
                var endPoints = new List<SmtpBoundEndPoint>(_listeners.Count);
                foreach (var (kind, listener) in _listeners)
                {
                    if (listener.BoundEndPoint is { } bound) endPoints.Add(new SmtpBoundEndPoint(kind, bound));
                }
                return endPoints;
            }
        }
    }

    /// <summary>The first bound endpoint of a kind; throws if the server has none.</summary>
    public IPEndPoint GetEndPoint(SmtpListenerKind kind)
    {
        foreach (var endPoint in EndPoints)
        {
            if (endPoint.Kind == kind) return endPoint.EndPoint;
        }
        throw new InvalidOperationException($"The SMTP server has no {kind} listener.");
    }

    /// <summary>Open connections over all listeners.</summary>
    public int ConnectionCount => _limiter.Count;

    /// <summary>Binds every listener and starts accepting. If one endpoint cannot be bound, none stays open.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_started) throw new InvalidOperationException("The SMTP server is already started.");
            _started = true;
        }
        if (_options.Listeners.Count == 0) throw new InvalidOperationException("The SMTP server has no listeners configured.");
        Directory.CreateDirectory(_options.SpoolDirectory);
        foreach (var listenerOptions in _options.Listeners)
        {
            if (listenerOptions.Kind != SmtpListenerKind.Mx && _certificate is null)
                throw new InvalidOperationException($"The {listenerOptions.Kind} listener on {listenerOptions.EndPoint} needs a TLS certificate.");
        }

        try
        {
            foreach (var listenerOptions in _options.Listeners)
            {
                var context = new SmtpListenerContext(_options, listenerOptions.Kind, _authenticator, _policy, _sink, _certificate, _time,
                    _loggerFactory.CreateLogger("GovMail.Smtp.Session"));
                var tcp = new TcpListenerOptions(listenerOptions.EndPoint)
                {
                    ImplicitTls = listenerOptions.Kind == SmtpListenerKind.Submissions ? _certificate : null,
                    TlsHandshakeTimeout = _options.TlsHandshakeTimeout,
                };
                var listener = new TcpConnectionListener(tcp, new SmtpConnectionHandler(context), _limiter, _time, _loggerFactory.CreateLogger<TcpConnectionListener>());
                listener.Start();
                lock (_lock) _listeners.Add((listenerOptions.Kind, listener));
                _logger.LogInformation("SMTP {Kind} listening on {EndPoint}", listenerOptions.Kind, listener.BoundEndPoint);
            }
        }
        catch
        {
            foreach (var (_, listener) in Snapshot()) await listener.DisposeAsync();
            lock (_lock) _listeners.Clear();
            throw;
        }
    }

    /// <summary>
    /// Stops accepting on every listener, tells idle sessions <c>421 4.3.2</c> and lets the others finish their current
    /// step; when <paramref name="ct"/> fires, whatever is still open is closed at once.
    /// </summary>
    public async Task StopAsync(CancellationToken ct)
    {
        var listeners = Snapshot();
        var stops = new List<Task>(listeners.Count);
        foreach (var (_, listener) in listeners) stops.Add(listener.StopAsync(ct));
        await Task.WhenAll(stops);
        _logger.LogInformation("SMTP server stopped");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, listener) in Snapshot()) await listener.DisposeAsync();
        lock (_lock) _listeners.Clear();
    }

    private List<(SmtpListenerKind Kind, TcpConnectionListener Listener)> Snapshot()
    {
        lock (_lock) return [.. _listeners];
    }
}
