using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using GovMail.EndToEnd.Tests.Support;
using static GovMail.EndToEnd.Tests.Support.TenantDataFolder;

namespace GovMail.EndToEnd.Tests;

/// <summary>
/// A certificate renewed on disk (as certbot renews one: new PEM certificate and key files) is used by the next TLS connection
/// of every listener (SMTP 465 and STARTTLS, IMAPS, HTTPS) of the running <c>govmail serve</c>, without a restart; a file caught
/// half-written leaves the previous certificate in use.
/// </summary>
public sealed class TlsReloadTests
{
    private static (string Certificate, string Key, string Thumbprint) MakeCertificate(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
        return (cert.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), cert.Thumbprint);
    }

    /// <summary>Replaces a file the way a renewal tool does: a new file renamed over the old one.</summary>
    private static void Replace(string path, string content)
    {
        File.WriteAllText(path + ".new", content);
        File.Move(path + ".new", path, overwrite: true);
    }

    /// <summary>The thumbprint of the certificate a TLS handshake on <paramref name="port"/> presents (implicit TLS).</summary>
    private static async Task<string> PresentedAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        string? thumbprint = null;
        await using var tls = new SslStream(tcp.GetStream(), false, (_, cert, _, _) =>
        {
            thumbprint = cert is null ? null : new X509Certificate2(cert).Thumbprint;
            return true;
        });
        await tls.AuthenticateAsClientAsync("localhost");
        return thumbprint!;
    }

    /// <summary>The same after SMTP STARTTLS on the submission port.</summary>
    private static async Task<string> PresentedAfterStartTlsAsync(int port)
    {
        using var smtp = new MailKit.Net.Smtp.SmtpClient();
        string? thumbprint = null;
        smtp.ServerCertificateValidationCallback = (_, cert, _, _) =>
        {
            thumbprint = cert is null ? null : new X509Certificate2(cert).Thumbprint;
            return true;
        };
        smtp.CheckCertificateRevocation = false;
        await smtp.ConnectAsync("127.0.0.1", port, MailKit.Security.SecureSocketOptions.StartTls);
        await smtp.DisconnectAsync(true);
        return thumbprint!;
    }

    [Fact]
    public async Task Certificate_files_replaced_while_serving_are_presented_by_the_next_connection_of_every_listener()
    {
        using var data = await CreateAsync();
        var tls = Path.Combine(data.Path, "certs");
        Directory.CreateDirectory(tls);
        string certFile = Path.Combine(tls, "fullchain.pem"), keyFile = Path.Combine(tls, "privkey.pem");
        var first = MakeCertificate("mail-cu.tphcm.gov.vn");
        var renewed = MakeCertificate("mail-moi.tphcm.gov.vn");
        Replace(certFile, first.Certificate);
        Replace(keyFile, first.Key);
        await File.WriteAllTextAsync(Path.Combine(data.Path, "govmail.json"),
            JsonSerializer.Serialize(new { Tls = new { CertificateFile = certFile, KeyFile = keyFile } }));

        using var server = await GovMailServer.StartAsync(data, https: true);
        var ports = new[] { server.ImapsPort, server.SubmissionsPort, server.HttpsPort };
        foreach (var port in ports) Assert.Equal(first.Thumbprint, await PresentedAsync(port));
        Assert.Equal(first.Thumbprint, await PresentedAfterStartTlsAsync(server.SubmissionPort));

        // Renewal caught half-way (the new key, the old certificate): they do not match, the old pair stays in use.
        Replace(keyFile, renewed.Key);
        Assert.Equal(first.Thumbprint, await PresentedAsync(server.ImapsPort));
        Replace(certFile, renewed.Certificate);

        foreach (var port in ports) Assert.Equal(renewed.Thumbprint, await PresentedAsync(port));
        Assert.Equal(renewed.Thumbprint, await PresentedAfterStartTlsAsync(server.SubmissionPort));
        Assert.Equal(0, await server.StopAsync());
        Assert.Contains("TLS certificate reloaded", server.Output);
    }
}
