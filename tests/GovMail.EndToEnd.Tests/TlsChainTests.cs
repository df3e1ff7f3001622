using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using GovMail.EndToEnd.Tests.Support;
using GovMail.Hosting;
using static GovMail.EndToEnd.Tests.Support.TenantDataFolder;

namespace GovMail.EndToEnd.Tests;

/// <summary>
/// A certificate issued by a CA through an intermediate (certbot's <c>fullchain.pem</c> and <c>privkey.pem</c>, or a
/// <c>.pfx</c> holding the chain) is read with its intermediate, and every listener of <c>govmail serve</c> sends the
/// intermediate in the handshake: a client that trusts only the root, as phones and mail programs do, accepts the server.
/// </summary>
public sealed class TlsChainTests
{
    [Fact]
    public void A_full_chain_pem_with_its_key_file_reads_as_the_server_certificate_with_its_key_and_the_intermediate()
    {
        using var issued = TestCertificateChain.Create();
        var folder = Directory.CreateTempSubdirectory("govmail-chain-");
        try
        {
            string fullChain = Path.Combine(folder.FullName, "fullchain.pem"), key = Path.Combine(folder.FullName, "privkey.pem");
            File.WriteAllText(fullChain, issued.FullChainPem);
            File.WriteAllText(key, issued.PrivateKeyPem);

            using var chain = CertificateFiles.Read(fullChain, key);

            Assert.Equal(issued.Leaf.Thumbprint, chain.Leaf.Thumbprint);
            Assert.True(chain.Leaf.HasPrivateKey);
            Assert.Equal(issued.Intermediate.Thumbprint, Assert.Single(chain.Intermediates).Thumbprint);
        }
        finally
        {
            folder.Delete(true);
        }
    }

    [Fact]
    public void The_server_certificate_is_the_one_the_key_belongs_to_wherever_it_stands_in_one_pem_file_and_in_a_pfx()
    {
        using var issued = TestCertificateChain.Create();
        var folder = Directory.CreateTempSubdirectory("govmail-chain-");
        try
        {
            // Intermediate first, then the server's certificate, then its key: all in one file.
            var combined = Path.Combine(folder.FullName, "server.pem");
            File.WriteAllText(combined, issued.Intermediate.ExportCertificatePem() + "\n" + issued.Leaf.ExportCertificatePem() + "\n" + issued.PrivateKeyPem);
            var pfx = Path.Combine(folder.FullName, "server.pfx");
            File.WriteAllBytes(pfx, issued.Pkcs12());

            foreach (var file in new[] { combined, pfx })
            {
                using var chain = CertificateFiles.Read(file, null);
                Assert.Equal(issued.Leaf.Thumbprint, chain.Leaf.Thumbprint);
                Assert.True(chain.Leaf.HasPrivateKey);
                Assert.Equal(issued.Intermediate.Thumbprint, Assert.Single(chain.Intermediates).Thumbprint);
            }

            // A key that belongs to none of the certificates (a renewal caught half-way) is refused, not half-used.
            using var other = TestCertificateChain.Create();
            var wrongKey = Path.Combine(folder.FullName, "other.pem");
            File.WriteAllText(wrongKey, other.PrivateKeyPem);
            var fullChain = Path.Combine(folder.FullName, "fullchain.pem");
            File.WriteAllText(fullChain, issued.FullChainPem);
            Assert.Throws<InvalidOperationException>(() => CertificateFiles.Read(fullChain, wrongKey));
        }
        finally
        {
            folder.Delete(true);
        }
    }

    [Fact]
    public async Task Serve_sends_the_intermediate_on_https_imaps_submissions_and_after_smtp_starttls()
    {
        using var issued = TestCertificateChain.Create();
        using var data = await CreateAsync();
        var tls = Path.Combine(data.Path, "certs");
        Directory.CreateDirectory(tls);
        string certFile = Path.Combine(tls, "fullchain.pem"), keyFile = Path.Combine(tls, "privkey.pem");
        await File.WriteAllTextAsync(certFile, issued.FullChainPem);
        await File.WriteAllTextAsync(keyFile, issued.PrivateKeyPem);
        await File.WriteAllTextAsync(Path.Combine(data.Path, "govmail.json"),
            JsonSerializer.Serialize(new { Tls = new { CertificateFile = certFile, KeyFile = keyFile } }));

        using var server = await GovMailServer.StartAsync(data, https: true);

        foreach (var port in new[] { server.HttpsPort, server.ImapsPort, server.SubmissionsPort })
        {
            var seen = await issued.HandshakeAsync(new IPEndPoint(IPAddress.Loopback, port));
            Assert.Equal(issued.Leaf.Thumbprint, seen.Presented?.Thumbprint);
            Assert.Contains(seen.Sent, c => c.Thumbprint == issued.Intermediate.Thumbprint);
            Assert.Equal(SslPolicyErrors.None, seen.Errors);
        }

        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, server.SubmissionPort);
            var stream = tcp.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII, false, 1, leaveOpen: true);
            Assert.StartsWith("220 ", await reader.ReadLineAsync());
            await stream.WriteAsync("EHLO client.example\r\n"u8.ToArray());
            while (await reader.ReadLineAsync() is { } line && !line.StartsWith("250 ", StringComparison.Ordinal)) { }
            await stream.WriteAsync("STARTTLS\r\n"u8.ToArray());
            Assert.StartsWith("220 ", await reader.ReadLineAsync());
            var seen = await issued.HandshakeAsync(stream);
            Assert.Contains(seen.Sent, c => c.Thumbprint == issued.Intermediate.Thumbprint);
            Assert.Equal(SslPolicyErrors.None, seen.Errors);
        }

        // A real HTTP request over that handshake (ALPN and all), checked the way a browser trusting the root would.
        var builds = false;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, chain, _) =>
                builds = certificate is not null && chain is not null && issued.BuildsToRoot(certificate, chain.ChainPolicy.ExtraStore),
        };
        using var http = new HttpClient(handler);
        var health = await http.GetAsync($"https://localhost:{server.HttpsPort}/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(builds);
        Assert.Equal(0, await server.StopAsync());
    }
}
