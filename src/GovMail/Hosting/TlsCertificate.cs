using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GovMail.Hosting;

/// <summary>
/// The server's TLS certificate. On first start a self-signed one is created in <c>DATA/tls/</c> so that STARTTLS, IMAPS
/// and HTTPS work at once; an operator replaces it with a real certificate later.
/// </summary>
public static class TlsCertificate
{
    public const string FileName = "govmail.pfx";

    public static X509Certificate2 LoadOrCreate(string tlsDirectory, IEnumerable<string> hostNames, TimeProvider clock, out bool created)
    {
        System.IO.Directory.CreateDirectory(tlsDirectory);
        var path = Path.Combine(tlsDirectory, FileName);
        if (File.Exists(path))
        {
            created = false;
            return X509CertificateLoader.LoadPkcs12FromFile(path, null, X509KeyStorageFlags.Exportable);
        }
        var names = hostNames.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={names.FirstOrDefault() ?? "localhost"}, O=GovMail", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var n in names) san.AddDnsName(n);
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = clock.GetUtcNow();
        using var cert = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));
        var pfx = cert.Export(X509ContentType.Pfx);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, pfx);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
        created = true;
        return X509CertificateLoader.LoadPkcs12(pfx, null, X509KeyStorageFlags.Exportable);
    }
}
