using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GovMail.Net;
using Microsoft.Extensions.Logging;

namespace GovMail.Hosting;

/// <summary>
/// The server's TLS certificate. On first start a self-signed one is created in <c>DATA/tls/</c> so that STARTTLS, IMAPS
/// and HTTPS work at once; an operator replaces it with a real certificate later, either by overwriting that file or by
/// naming their own files (<c>Tls:CertificateFile</c>, <c>Tls:KeyFile</c>). Either way the files are watched: see
/// <see cref="CertificateFiles"/>.
/// </summary>
public static class TlsCertificate
{
    public const string FileName = "govmail.pfx";

    /// <summary>
    /// The certificate files the settings name, or the data folder's (made now when missing). <c>serve</c> registers the result as
    /// a singleton, so the logger comes from the host's services like every other one.
    /// </summary>
    public static CertificateFiles Open(Configuration.TlsOptions tls, string tlsDirectory, IEnumerable<string> hostNames, TimeProvider clock,
        ILogger<CertificateFiles> log)
    {
        if (!string.IsNullOrWhiteSpace(tls.CertificateFile))
        {
            var certificate = Path.GetFullPath(tls.CertificateFile);
            var key = string.IsNullOrWhiteSpace(tls.KeyFile) ? null : Path.GetFullPath(tls.KeyFile);
            foreach (var f in new[] { certificate, key })
                if (f is not null && !File.Exists(f)) throw new Cli.CliException(Core.Problem.Of("TlsFileMissing", f));
            return new CertificateFiles(certificate, key, log);
        }
        LoadOrCreate(tlsDirectory, hostNames, clock, out var created).Dispose();
        return new CertificateFiles(Path.Combine(tlsDirectory, FileName), null, log) { Created = created };
    }

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

/// <summary>
/// A certificate read from files and read again when they change, without a restart: every TLS handshake (SMTP STARTTLS and
/// 465, IMAP STARTTLS and 993, HTTPS) asks <see cref="Current"/>, which compares the files' modification times and sizes with
/// those it loaded and reloads when they differ. A file caught half-written (a certificate renewed before its key) is refused
/// with a warning and the previous certificate kept until the files change again. A <c>.pfx</c>/<c>.p12</c> file holds both parts;
/// otherwise the certificate is PEM (a full chain: the server's certificate and the intermediates, all sent in the handshake)
/// and the key PEM in <c>keyFile</c> or in the same file.
/// </summary>
public sealed class CertificateFiles
{
    private readonly string _certificateFile;
    private readonly string? _keyFile;
    private readonly ILogger _log;
    private readonly Lock _lock = new();
    private ServerCertificateChain _current;
    private (long, long, long, long) _stamp;

    public CertificateFiles(string certificateFile, string? keyFile, ILogger log)
    {
        _certificateFile = certificateFile;
        _keyFile = keyFile;
        _log = log;
        _stamp = Stamp();
        _current = Load();
    }

    /// <summary>Was the data folder's self-signed certificate made at this start?</summary>
    public bool Created { get; init; }

    /// <summary>The certificate and its intermediates of the files as they are now (or as they last were readable).</summary>
    public ServerCertificateChain Current
    {
        get
        {
            var stamp = Stamp();
            if (stamp == _stamp) return _current;
            lock (_lock)
            {
                if (stamp == _stamp) return _current;
                try
                {
                    var fresh = Load();
                    _log.LogInformation("TLS certificate reloaded from {File}: {Subject}, {Thumbprint}, valid until {NotAfter:u}, {Intermediates} intermediate certificate(s)",
                        _certificateFile, fresh.Leaf.Subject, fresh.Leaf.Thumbprint, fresh.Leaf.NotAfter.ToUniversalTime(), fresh.Intermediates.Count);
                    // The old certificate is not disposed: a handshake in progress may still hold it.
                    _current = fresh;
                }
                catch (Exception e) when (e is CryptographicException or IOException or ArgumentException or InvalidOperationException)
                {
                    _log.LogWarning(e, "TLS certificate {File} changed but cannot be used; keeping {Thumbprint}", _certificateFile, _current.Leaf.Thumbprint);
                }
                _stamp = stamp;
                return _current;
            }
        }
    }

    private ServerCertificateChain Load() => Read(_certificateFile, _keyFile);

    /// <summary>
    /// The certificate with its key, and the other certificates of the file as its intermediates, from a <c>.pfx</c>/<c>.p12</c>
    /// file or from PEM files. The server's certificate is the one the private key belongs to, wherever it stands in the file.
    /// </summary>
    public static ServerCertificateChain Read(string certificateFile, string? keyFile)
    {
        if (certificateFile.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || certificateFile.EndsWith(".p12", StringComparison.OrdinalIgnoreCase))
        {
            var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(certificateFile, null, X509KeyStorageFlags.Exportable);
            var leaf = all.FirstOrDefault(c => c.HasPrivateKey) ?? throw new InvalidOperationException($"{certificateFile}: no private key");
            return new ServerCertificateChain(leaf, [.. all.Where(c => !ReferenceEquals(c, leaf))]);
        }
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(certificateFile);
        if (certificates.Count == 0) throw new InvalidOperationException($"{certificateFile}: no certificate");
        var key = File.ReadAllText(keyFile ?? certificateFile);
        foreach (var candidate in certificates)
        {
            X509Certificate2 pem;
            try
            {
                pem = X509Certificate2.CreateFromPem(candidate.ExportCertificatePem(), key);
            }
            catch (CryptographicException)
            {
                continue; // an intermediate: the key is not its
            }
            using (pem)
            {
                // A key from PEM is ephemeral; SslStream on some platforms wants it exportable through PKCS#12.
                var leaf = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
                return new ServerCertificateChain(leaf, [.. certificates.Where(c => !ReferenceEquals(c, candidate))]);
            }
        }
        throw new InvalidOperationException($"{keyFile ?? certificateFile}: the private key belongs to no certificate in {certificateFile}");
    }

    private (long, long, long, long) Stamp()
    {
        static (long, long) Of(string? f)
        {
            if (f is null) return (0, 0);
            var info = new FileInfo(f);
            return info.Exists ? (info.LastWriteTimeUtc.Ticks, info.Length) : (0, 0);
        }
        var (a, b) = Of(_certificateFile);
        var (c, d) = Of(_keyFile);
        return (a, b, c, d);
    }
}
