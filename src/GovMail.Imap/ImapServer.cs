using System.Net;
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
    private readonly ListenerSet<ImapListenerKind> _listeners;

    /// <param name="certificate">Asked at every TLS handshake, so a renewed certificate is used without a restart. IMAP needs TLS: there is no login without it.</param>
    public ImapServer(ImapServerOptions options, ImapServices services, Func<ServerCertificateChain> certificate, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        options.Validate();
        _options = options;
        _services = services;
        _certificate = new ServerCertificate(certificate);
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ImapServer>();
        _time = timeProvider;
        _listeners = new ListenerSet<ImapListenerKind>("IMAP", new ConnectionLimiter(options.MaxConnections, options.MaxConnectionsPerIp),
            timeProvider, loggerFactory, _logger);
    }

    public ImapServerOptions Options => _options;

    /// <summary>The bus the sessions listen on; publish deliveries here (<see cref="MailboxNotifications.PublishDelivered"/>).</summary>
    public MailboxNotifications Notifications => _services.Notifications;

    /// <summary>The endpoints being listened on, with real port numbers. Empty before start.</summary>
    public IReadOnlyList<ImapBoundEndPoint> EndPoints => [.. _listeners.Bound.Select(b => new ImapBoundEndPoint(b.Kind, b.EndPoint))];

    /// <summary>The first bound endpoint of a kind; throws if the server has none.</summary>
    public IPEndPoint GetEndPoint(ImapListenerKind kind) => _listeners.GetEndPoint(kind);

    /// <summary>Open connections over all listeners.</summary>
    public int ConnectionCount => _listeners.ConnectionCount;

    /// <summary>Binds every listener and starts accepting. If one endpoint cannot be bound, none stays open.</summary>
    public Task StartAsync(CancellationToken ct)
    {
        if (_options.Listeners.Count == 0) throw new InvalidOperationException("The IMAP server has no listeners configured.");
        return _listeners.StartAsync(_options.Listeners.Select(l => new ListenerSpec<ImapListenerKind>(l.Kind,
            new TcpListenerOptions(l.EndPoint)
            {
                ImplicitTls = l.Kind == ImapListenerKind.Imaps ? _certificate : null,
                TlsHandshakeTimeout = _options.TlsHandshakeTimeout,
            },
            new ImapConnectionHandler(new ImapListenerContext(_options, l.Kind, _services, _certificate, _time,
                _loggerFactory.CreateLogger("GovMail.Imap.Session"))))), ct);
    }

    /// <summary>Stops accepting, says <c>* BYE</c> to idle sessions and lets the others finish their command; when <paramref name="ct"/> fires, the rest are closed.</summary>
    public Task StopAsync(CancellationToken ct) => _listeners.StopAsync(ct);

    public ValueTask DisposeAsync() => _listeners.DisposeAsync();
}
