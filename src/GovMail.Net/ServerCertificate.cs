using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace GovMail.Net;

/// <summary>
/// The certificate a listener presents, asked for at every TLS handshake so an operator can replace it without a restart.
/// The certificate context (the leaf and the intermediates sent with it) is built once per distinct chain, not once per handshake.
/// </summary>
public sealed class ServerCertificate(Func<ServerCertificateChain> source)
{
    private readonly Lock _lock = new();
    private ServerCertificateChain? _current;
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
        var chain = source() ?? throw new InvalidOperationException("The server certificate source returned no certificate.");
        lock (_lock)
        {
            if (_context is not null && _current is not null && _current.SameAs(chain)) return _context;
            if (!chain.Leaf.HasPrivateKey)
                throw new InvalidOperationException($"The server certificate {chain.Leaf.Subject} has no private key.");
            // Offline: the intermediates are those of the file, never fetched.
            _context = SslStreamCertificateContext.Create(chain.Leaf, chain.Intermediates, offline: true);
            _current = chain;
            return _context;
        }
    }
}
