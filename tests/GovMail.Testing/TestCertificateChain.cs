using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GovMail.Net;

namespace GovMail.Testing;

/// <summary>
/// A certificate issued the way a public CA issues one: a root, an intermediate the root signed, and the server's
/// certificate for <c>localhost</c> the intermediate signed; with the <c>fullchain.pem</c> (server certificate, then the
/// intermediate) and <c>privkey.pem</c> a tool such as certbot writes. A client trusting only <see cref="Root"/> accepts the
/// server only when the server sends the intermediate.
/// </summary>
public sealed class TestCertificateChain : IDisposable
{
    private readonly RSA _leafKey;

    private TestCertificateChain(X509Certificate2 root, X509Certificate2 intermediate, X509Certificate2 leaf, RSA leafKey) =>
        (Root, Intermediate, Leaf, _leafKey) = (root, intermediate, leaf, leafKey);

    public X509Certificate2 Root { get; }
    public X509Certificate2 Intermediate { get; }

    /// <summary>The server's certificate, without its private key.</summary>
    public X509Certificate2 Leaf { get; }

    public string FullChainPem => Leaf.ExportCertificatePem() + "\n" + Intermediate.ExportCertificatePem() + "\n";
    public string PrivateKeyPem => _leafKey.ExportPkcs8PrivateKeyPem() + "\n";

    /// <summary>What a server presents: the certificate with its key, and the intermediate.</summary>
    public ServerCertificateChain ServerChain() =>
        new(X509CertificateLoader.LoadPkcs12(Pkcs12OfLeaf(), null), [X509CertificateLoader.LoadCertificate(Intermediate.RawData)]);

    private byte[] Pkcs12OfLeaf()
    {
        using var withKey = Leaf.CopyWithPrivateKey(_leafKey);
        return withKey.Export(X509ContentType.Pkcs12);
    }

    /// <summary>The server certificate with its key and the intermediate, as one PKCS#12 file holds them.</summary>
    public byte[] Pkcs12()
    {
        using var withKey = Leaf.CopyWithPrivateKey(_leafKey);
        return new X509Certificate2Collection { withKey, Intermediate }.Export(X509ContentType.Pkcs12)!;
    }

    public static TestCertificateChain Create(string hostName = "localhost")
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = RSA.Create(2048);
        var rootRequest = Authority("CN=GovMail Test Root CA, O=GovMail tests", rootKey);
        var root = rootRequest.CreateSelfSigned(now.AddDays(-2), now.AddYears(5));

        using var intermediateKey = RSA.Create(2048);
        var intermediateRequest = Authority("CN=GovMail Test Intermediate CA, O=GovMail tests", intermediateKey);
        using var intermediateSigned = intermediateRequest.Create(root, now.AddDays(-1), now.AddYears(2), RandomNumberGenerator.GetBytes(16));
        using var intermediate = intermediateSigned.CopyWithPrivateKey(intermediateKey);

        var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest($"CN={hostName}", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        names.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var leaf = leafRequest.Create(intermediate, now.AddDays(-1), now.AddDays(90), RandomNumberGenerator.GetBytes(16));
        return new TestCertificateChain(root, X509CertificateLoader.LoadCertificate(intermediate.RawData), leaf, leafKey);
    }

    /// <summary>
    /// A client's check of the certificates a server sent: a chain from <paramref name="presented"/> to <see cref="Root"/>, with
    /// no other trust, no downloads and no other certificates than those in <paramref name="sent"/>.
    /// </summary>
    public bool BuildsToRoot(X509Certificate2 presented, X509Certificate2Collection sent)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ExtraStore.AddRange(sent);
        return chain.Build(presented);
    }

    /// <summary>
    /// A client's TLS handshake over <paramref name="stream"/> that trusts <see cref="Root"/> alone and downloads nothing: the
    /// certificate the server presented, the certificates it sent with it, and what the client found wrong.
    /// </summary>
    public async Task<Handshake> HandshakeAsync(Stream stream, string targetHost = "localhost")
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.Add(Root);
        X509Certificate2? presented = null;
        var sent = new X509Certificate2Collection();
        var errors = SslPolicyErrors.None;
        await using var tls = new SslStream(stream, leaveInnerStreamOpen: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            CertificateChainPolicy = policy,
            // Accepts whatever came, so the test can say what was wrong instead of seeing a failed handshake.
            RemoteCertificateValidationCallback = (_, certificate, chain, e) =>
            {
                presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                // Where .NET puts the certificates the server sent besides its own.
                if (chain is not null) sent.AddRange(chain.ChainPolicy.ExtraStore);
                errors = e;
                return true;
            },
        }, timeout.Token);
        return new Handshake(presented, sent, errors);
    }

    /// <summary>The same on a new connection to an implicit-TLS port (993, 465, 443).</summary>
    public async Task<Handshake> HandshakeAsync(IPEndPoint endPoint)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(endPoint);
        return await HandshakeAsync(tcp.GetStream());
    }

    /// <summary>What a client saw in a handshake (see <see cref="HandshakeAsync"/>).</summary>
    public sealed record Handshake(X509Certificate2? Presented, X509Certificate2Collection Sent, SslPolicyErrors Errors);

    private static CertificateRequest Authority(string name, RSA key)
    {
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    public void Dispose()
    {
        Root.Dispose();
        Intermediate.Dispose();
        Leaf.Dispose();
        _leafKey.Dispose();
    }
}
