using System.Net;
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
    private readonly ListenerSet<SmtpListenerKind> _listeners;

    /// <param name="certificate">Asked at every TLS handshake, so a renewed certificate is used without a restart; null means no TLS (then no STARTTLS, and no submission listeners).</param>
    public SmtpServer(
        SmtpServerOptions options,
        ISmtpAuthenticator authenticator,
        ISmtpPolicy policy,
        IMessageSink sink,
        Func<ServerCertificateChain>? certificate,
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
        _listeners = new ListenerSet<SmtpListenerKind>("SMTP", new ConnectionLimiter(options.MaxConnections, options.MaxConnectionsPerIp),
            timeProvider, loggerFactory, _logger);
    }

    public SmtpServerOptions Options => _options;

    /// <summary>The endpoints being listened on, with real port numbers (useful when the options said port 0). Empty before start.</summary>
    public IReadOnlyList<SmtpBoundEndPoint> EndPoints => [.. _listeners.Bound.Select(b => new SmtpBoundEndPoint(b.Kind, b.EndPoint))];

    /// <summary>The first bound endpoint of a kind; throws if the server has none.</summary>
    public IPEndPoint GetEndPoint(SmtpListenerKind kind) => _listeners.GetEndPoint(kind);

    /// <summary>Open connections over all listeners.</summary>
    public int ConnectionCount => _listeners.ConnectionCount;

    /// <summary>Binds every listener and starts accepting. If one endpoint cannot be bound, none stays open.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        if (_options.Listeners.Count == 0) throw new InvalidOperationException("The SMTP server has no listeners configured.");
        foreach (var listenerOptions in _options.Listeners)
        {
            if (listenerOptions.Kind != SmtpListenerKind.Mx && _certificate is null)
                throw new InvalidOperationException($"The {listenerOptions.Kind} listener on {listenerOptions.EndPoint} needs a TLS certificate.");
        }
        Directory.CreateDirectory(_options.SpoolDirectory);
        await _listeners.StartAsync(_options.Listeners.Select(l => new ListenerSpec<SmtpListenerKind>(l.Kind,
            new TcpListenerOptions(l.EndPoint)
            {
                ImplicitTls = l.Kind == SmtpListenerKind.Submissions ? _certificate : null,
                TlsHandshakeTimeout = _options.TlsHandshakeTimeout,
            },
            new SmtpConnectionHandler(new SmtpListenerContext(_options, l.Kind, _authenticator, _policy, _sink, _certificate, _time,
                _loggerFactory.CreateLogger("GovMail.Smtp.Session"))))), ct);
    }

    /// <summary>
    /// Stops accepting on every listener, tells idle sessions <c>421 4.3.2</c> and lets the others finish their current
    /// step; when <paramref name="ct"/> fires, whatever is still open is closed at once.
    /// </summary>
    public Task StopAsync(CancellationToken ct) => _listeners.StopAsync(ct);

    public ValueTask DisposeAsync() => _listeners.DisposeAsync();
}
