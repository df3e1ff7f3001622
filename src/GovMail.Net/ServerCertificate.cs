using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace GovMail.Net;

/// <summary>
/// The certificate a listener presents, asked for at every TLS handshake so an operator can replace it without a restart.
/// The certificate context (chain) is built once per distinct certificate, not once per handshake.
/// </summary>
public sealed class ServerCertificate(Func<X509Certificate2> source)
{
    private readonly Lock _lock = new();
    private X509Certificate2? _current;
    private SslStreamCertificateContext? _context;

    /// <summary>TLS 1.2 and 1.3 only.</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>The options for one server handshake; throws if the certificate cannot be had.</summary>
    public SslServerAuthenticationOptions CreateAuthenticationOptions() => new()
    {
        ServerCertificateContext = GetContext(),
        EnabledSslProtocols = Protocols,
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    };

    private SslStreamCertificateContext GetContext()
    {
        var certificate = source() ?? throw new InvalidOperationException("The server certificate source returned no certificate.");
        lock (_lock)
        {
            if (_context is not null && _current is not null &&
                (ReferenceEquals(_current, certificate) || _current.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span)))
                return _context;
            if (!certificate.HasPrivateKey)
                throw new InvalidOperationException($"The server certificate {certificate.Subject} has no private key.");
            _context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
            _current = certificate;
            return _context;
        }
    }
}
