using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GovMail.Net;

namespace GovMail.Testing;

/// <summary>A self-signed certificate for the test servers (SMTP and IMAP), made once per test run.</summary>
public static class TestCertificate
{
    private static readonly Lazy<X509Certificate2> Certificate = new(Create);

    private static readonly Lazy<ServerCertificateChain> Alone = new(() => ServerCertificateChain.Of(Certificate.Value));

    public static X509Certificate2 Instance => Certificate.Value;

    /// <summary>The same certificate as a server presents it: alone, without intermediates.</summary>
    public static ServerCertificateChain Chain => Alone.Value;

    private static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=mail.tphcm.gov.vn", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("mail.tphcm.gov.vn");
        names.AddDnsName("mx.govmail.test");
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }
}
