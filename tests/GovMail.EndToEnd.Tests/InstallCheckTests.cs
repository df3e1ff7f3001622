using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using GovMail.Cli.Tests.Support;
using GovMail.EndToEnd.Tests.Support;
using GovMail.Operations;
using GovMail.Smtp.Dkim;
using static GovMail.EndToEnd.Tests.Support.TenantDataFolder;

namespace GovMail.EndToEnd.Tests;

/// <summary>
/// <c>govmail install</c> staged under a folder (the files a real install writes to /etc and /var/lib), and <c>govmail check</c>
/// against a running server whose DNS is answered by a real DNS server (Debian's dnsmasq) holding the records install printed,
/// less one: every listener, the database and the published records pass; the missing record and the self-signed
/// certificate are named with their fixes. A healthy install (a certificate issued by a test CA, every record published)
/// reports no problem; a broken one (an expired certificate, PostgreSQL not reachable, no DKIM record) names each of the three.
/// </summary>
public sealed class InstallCheckTests
{
    [Fact]
    public async Task Install_writes_a_hardened_unit_a_commented_configuration_and_prints_the_dns_records_and_keeps_the_configuration_on_rerun()
    {
        var root = Path.Combine(Path.GetTempPath(), "govmail-install-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var run = await GovMailProcess.RunAsync(["install", "--root", root, "--data", "/var/lib/govmail", "--domain", Domain, "--name", Organisation, "--json"], Path.GetTempPath());
            Assert.True(run.ExitCode == 0, run.Err + run.Out);
            var json = run.Json;

            var unit = await File.ReadAllTextAsync(Path.Combine(root, "etc/systemd/system/govmail.service"));
            Assert.Contains("serve --data /var/lib/govmail", unit);
            Assert.Contains("\nUser=govmail\n", unit);
            Assert.Contains("AmbientCapabilities=CAP_NET_BIND_SERVICE", unit);
            Assert.Contains("ProtectSystem=strict", unit);
            Assert.Contains("ReadWritePaths=/var/lib/govmail", unit);

            // The configuration explains itself in comments, and govmail reads it as it is.
            var configPath = Path.Combine(root, "var/lib/govmail/govmail.json");
            var config = await File.ReadAllTextAsync(configPath);
            Assert.Contains("//", config);
            var parsed = JsonDocument.Parse(config, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }).RootElement;
            Assert.Equal("mail." + Domain, parsed.GetProperty("HostName").GetString());
            var list = await GovMailProcess.RunAsync(["account", "list", "--json", "--data", Path.Combine(root, "var/lib/govmail")], Path.GetTempPath());
            Assert.True(list.ExitCode == 0, list.Err);

            var purposes = json.GetProperty("dns").EnumerateArray().Select(r => r.GetProperty("purpose").GetString()).ToList();
            Assert.Contains("MX", purposes);
            Assert.Contains("SPF", purposes);
            Assert.Contains("DKIM", purposes);
            Assert.Contains("DMARC", purposes);
            Assert.Contains("MTA-STS", purposes);
            Assert.Contains("Outlook autodiscover", purposes);
            var dkim = json.GetProperty("dns").EnumerateArray().Single(r => r.GetProperty("purpose").GetString() == "DKIM");
            Assert.StartsWith("v=DKIM1; k=rsa; p=", dkim.GetProperty("value").GetString());
            Assert.Contains(json.GetProperty("toRun").EnumerateArray(), c => c.GetString()!.Contains("useradd --system"));
            Assert.Equal("admin@" + Domain, json.GetProperty("adminAddress").GetString());

            // A second install keeps the operator's edits.
            await File.WriteAllTextAsync(configPath, config.Replace("\"MaxRecipients\": 100", "\"MaxRecipients\": 250"));
            var again = await GovMailProcess.RunAsync(["install", "--root", root, "--data", "/var/lib/govmail", "--json"], Path.GetTempPath());
            Assert.True(again.ExitCode == 0, again.Err);
            Assert.Contains("\"MaxRecipients\": 250", await File.ReadAllTextAsync(configPath));
            Assert.Contains(again.Json.GetProperty("kept").EnumerateArray(), k => k.GetString() == configPath);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Check_passes_what_holds_and_names_the_missing_dns_record_and_the_self_signed_certificate_with_their_fixes()
    {
        using var data = await CreateAsync();
        using var server = await GovMailServer.StartAsync(data);
        await StageAsync(data, server);
        // First against a DNS server that knows nothing: every record is missing, and check says which it expects.
        List<JsonElement> dns;
        await using (var empty = await DnsmasqServer.StartAsync([]))
        {
            var bare = await CheckAsync(data, empty);
            Assert.Equal(1, bare.ExitCode);
            Assert.All(bare.Json.GetProperty("checks").EnumerateArray().Where(c => c.GetProperty("check").GetString()!.StartsWith("DNS", StringComparison.Ordinal)),
                c => Assert.False(c.GetProperty("ok").GetBoolean()));
            dns = bare.Json.GetProperty("dns").EnumerateArray().Where(r => r.GetProperty("purpose").GetString() != "DMARC").ToList();
        }

        // Then with the records published, all but DMARC.
        await using var dnsmasq = await DnsmasqServer.StartAsync(dns.Select(r => (r.GetProperty("name").GetString()!, r.GetProperty("type").GetString()!, r.GetProperty("value").GetString()!)));
        var check = await CheckAsync(data, dnsmasq);
        Assert.Equal(1, check.ExitCode);
        var checks = check.Json.GetProperty("checks").EnumerateArray().ToList();
        bool Ok(string prefix) => checks.Where(c => c.GetProperty("check").GetString()!.StartsWith(prefix, StringComparison.Ordinal)).All(c => c.GetProperty("ok").GetBoolean());
        Assert.Equal(6, checks.Count(c => c.GetProperty("check").GetString()!.StartsWith("Cổng", StringComparison.Ordinal)));
        Assert.True(Ok("Cổng"), check.Out);
        Assert.True(Ok("Cơ sở dữ liệu"), check.Out);
        Assert.True(Ok("DNS MX"), check.Out);
        Assert.True(Ok("DNS SPF"), check.Out);
        Assert.True(Ok("DNS DKIM"), check.Out);
        Assert.True(Ok("DNS IMAP"), check.Out);
        var dmarc = Assert.Single(checks, c => c.GetProperty("check").GetString()!.StartsWith("DNS DMARC", StringComparison.Ordinal));
        Assert.False(dmarc.GetProperty("ok").GetBoolean());
        Assert.Contains($"_dmarc.{Domain}. IN TXT \"v=DMARC1", dmarc.GetProperty("fix").GetString());
        var cert = Assert.Single(checks, c => c.GetProperty("check").GetString() == "Chứng chỉ TLS");
        Assert.False(cert.GetProperty("ok").GetBoolean());
        Assert.Contains("tự ký", cert.GetProperty("fix").GetString());

        // With the server stopped, every listener is named with what to do.
        await server.StopAsync();
        var down = await CheckAsync(data, dnsmasq, json: false);
        Assert.Equal(1, down.ExitCode);
        Assert.Contains("systemctl status govmail", down.Out);
    }

    [Fact]
    public async Task Check_on_a_healthy_install_with_a_ca_issued_certificate_and_every_record_published_reports_no_problem_and_names_a_certificate_file_without_its_intermediate()
    {
        using var data = await CreateAsync();
        // A certificate for the host name issued by a (test) certificate authority through its intermediate, the two in the
        // PKCS#12 file where govmail serve looks for it.
        using var issued = TestCertificateChain.Create("mail." + Domain);
        Directory.CreateDirectory(Path.Combine(data.Path, "tls"));
        await File.WriteAllBytesAsync(Path.Combine(data.Path, "tls", "govmail.pfx"), issued.Pkcs12());
        using var server = await GovMailServer.StartAsync(data);
        await StageAsync(data, server);
        // Every record govmail install prints for the domain, DKIM key included.
        var records = DnsPlan.For([Domain], "mail." + Domain, DkimKeyStore.In(data.Path));
        Assert.Contains(records, r => r.Purpose == "DKIM");
        await using var dnsmasq = await DnsmasqServer.StartAsync(Zone(records));

        var check = await CheckAsync(data, dnsmasq);
        var checks = check.Json.GetProperty("checks").EnumerateArray().ToList();
        var problems = checks.Where(c => !c.GetProperty("ok").GetBoolean()).Select(c => c.GetProperty("check").GetString() + ": " + c.GetProperty("fix").GetString()).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(0, check.ExitCode);
        Assert.True(check.Json.GetProperty("ok").GetBoolean());
        // Every part was looked at: six listeners, the certificate (issued by the CA), the disk, the database and each record.
        Assert.Equal(6, checks.Count(c => c.GetProperty("check").GetString()!.StartsWith("Cổng", StringComparison.Ordinal)));
        var cert = Assert.Single(checks, c => c.GetProperty("check").GetString() == "Chứng chỉ TLS");
        Assert.Contains($"cấp bởi {issued.Intermediate.Subject}", cert.GetProperty("detail").GetString());
        Assert.Single(checks, c => c.GetProperty("check").GetString() == "Dung lượng đĩa");
        Assert.Single(checks, c => c.GetProperty("check").GetString() == "Cơ sở dữ liệu");
        Assert.Equal(records.Count, checks.Count(c => c.GetProperty("check").GetString()!.StartsWith("DNS ", StringComparison.Ordinal)));

        var text = await CheckAsync(data, dnsmasq, json: false);
        Assert.True(text.ExitCode == 0, text.Out + text.Err);
        Assert.Contains("Mọi hạng mục đều đạt.", text.Out);
        Assert.DoesNotContain("LỖI", text.Out);

        // The same certificate named as a PEM file without its intermediate (certbot's cert.pem instead of fullchain.pem).
        var alone = Path.Combine(data.Path, "cert.pem");
        await File.WriteAllTextAsync(alone, issued.Leaf.ExportCertificatePem() + "\n" + issued.PrivateKeyPem);
        await StageAsync(data, server, $$"""
            "Tls": { "CertificateFile": "{{alone}}" },
            """);
        var withoutChain = await CheckAsync(data, dnsmasq);
        Assert.Equal(1, withoutChain.ExitCode);
        var problem = Assert.Single(withoutChain.Json.GetProperty("checks").EnumerateArray(), c => !c.GetProperty("ok").GetBoolean());
        Assert.Equal("Chứng chỉ TLS", problem.GetProperty("check").GetString());
        Assert.Equal($"Tệp chứng chỉ {alone} chỉ có chứng chỉ của máy chủ, thiếu chứng chỉ trung gian của {issued.Intermediate.Subject}: " +
            "nhiều điện thoại và phần mềm thư sẽ từ chối kết nối. Dùng tệp có đủ chuỗi chứng chỉ (với certbot: fullchain.pem thay cho cert.pem).",
            problem.GetProperty("fix").GetString());
    }

    [Fact]
    public async Task Check_on_a_broken_install_names_the_expired_certificate_the_unreachable_database_and_the_missing_dkim_record_with_their_fixes()
    {
        using var data = await CreateAsync();
        using var server = await GovMailServer.StartAsync(data);
        // A certificate that expired a month ago, and a PostgreSQL server that is not there (a port nothing listens on).
        var now = DateTimeOffset.UtcNow;
        var expired = Path.Combine(data.Path, "expired.pem");
        using (var certificate = TestCertificate.Issued("mail." + Domain, now.AddDays(-400), now.AddDays(-30)))
            await File.WriteAllTextAsync(expired, certificate.Pem);
        var closed = GovMailProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        await StageAsync(data, server, $$"""
            "Tls": { "CertificateFile": "{{expired}}" },
            "Database": { "Provider": "postgres", "ConnectionString": "Host=127.0.0.1;Port={{closed}};Database=govmail;Username=govmail;Password=govmail;Timeout=5" },
            """);
        // The zone holds every record but the DKIM key.
        var records = DnsPlan.For([Domain], "mail." + Domain, DkimKeyStore.In(data.Path));
        var dkim = Assert.Single(records, r => r.Purpose == "DKIM");
        await using var dnsmasq = await DnsmasqServer.StartAsync(Zone(records.Where(r => r.Purpose != "DKIM")));

        var check = await CheckAsync(data, dnsmasq);
        Assert.True(check.ExitCode == 1, check.Out + check.Err);
        var problems = check.Json.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("ok").GetBoolean())
            .ToDictionary(c => c.GetProperty("check").GetString()!, c => c.GetProperty("fix").GetString()!);
        Assert.Equal(
            ["Chứng chỉ TLS", "Cơ sở dữ liệu", $"DNS DKIM: {dkim.Name} TXT"],
            problems.Keys.Order(StringComparer.Ordinal));
        Assert.Equal($"Chứng chỉ đã hết hạn: thay {expired} bằng chứng chỉ mới rồi khởi động lại dịch vụ.", problems["Chứng chỉ TLS"]);
        Assert.Equal("Kiểm tra chuỗi kết nối (Database:ConnectionString), máy chủ PostgreSQL đang chạy và quyền của người dùng cơ sở dữ liệu.", problems["Cơ sở dữ liệu"]);
        Assert.Equal($"Công bố bản ghi: {dkim.ZoneLine}", problems[$"DNS DKIM: {dkim.Name} TXT"]);
        Assert.StartsWith($"Công bố bản ghi: govmail._domainkey.{Domain}. IN TXT \"v=DKIM1; k=rsa; p=", problems[$"DNS DKIM: {dkim.Name} TXT"]);

        // The text report ends with the three, each with its fix.
        var text = await CheckAsync(data, dnsmasq, json: false);
        Assert.Equal(1, text.ExitCode);
        Assert.Contains("3 hạng mục cần khắc phục:", text.Out);
        foreach (var (name, fix) in problems) Assert.Contains($"- {name}: {fix}", text.Out);
    }

    /// <summary>
    /// The domain's DKIM key, and what <c>govmail install</c> would have written for the running server: its ports, on loopback,
    /// then <paramref name="settings"/> (more top-level properties, each followed by a comma).
    /// </summary>
    private static async Task StageAsync(TenantDataFolder data, GovMailServer server, string settings = "")
    {
        (await data.RunAsync("dkim", "init", Domain)).Ok();
        string P(int port) => port.ToString(CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(Path.Combine(data.Path, "govmail.json"), $$"""
            {
              // staged for the test: the ports of the running server
              {{settings}}
              "HostName": "mail.{{Domain}}",
              "Listeners": { "Bind": "127.0.0.1", "Smtp": {{P(server.MxPort)}}, "Submission": {{P(server.SubmissionPort)}}, "Submissions": {{P(server.SubmissionsPort)}},
                             "Imap": {{P(server.ImapPort)}}, "Imaps": {{P(server.ImapsPort)}}, "Http": {{P(server.HttpPort)}}, "Https": 0 }
            }
            """);
    }

    /// <summary><c>govmail check</c> in its own process, asking the given DNS server.</summary>
    private static Task<CliResult> CheckAsync(TenantDataFolder data, DnsmasqServer dns, bool json = true) =>
        GovMailProcess.RunAsync(["check", "--dns-server", $"127.0.0.1:{dns.Port.ToString(CultureInfo.InvariantCulture)}", .. json ? new[] { "--json" } : [], "--data", data.Path], data.Path);

    private static IEnumerable<(string Name, string Type, string Value)> Zone(IEnumerable<DnsRecord> records) => records.Select(r => (r.Name, r.Type, r.Value));

    /// <summary>A server certificate issued by a throw-away certificate authority, as PEM (certificate then key).</summary>
    private sealed class TestCertificate : IDisposable
    {
        private const string Authority = "CN=GovMail Test CA, O=GovMail tests";

        private readonly X509Certificate2 _certificate;
        private readonly RSA _key;

        private TestCertificate(X509Certificate2 certificate, RSA key) => (_certificate, _key) = (certificate, key);

        public string Pem => _certificate.ExportCertificatePem() + "\n" + _key.ExportPkcs8PrivateKeyPem() + "\n";

        public static TestCertificate Issued(string host, DateTimeOffset notBefore, DateTimeOffset notAfter)
        {
            using var authorityKey = RSA.Create(2048);
            var authorityRequest = new CertificateRequest(Authority, authorityKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            using var authority = authorityRequest.CreateSelfSigned(notBefore.AddDays(-1), notAfter.AddYears(1));

            var key = RSA.Create(2048);
            var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(host);
            names.AddDnsName("localhost");
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            using var issued = request.Create(authority, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
            return new TestCertificate(issued.CopyWithPrivateKey(key), key);
        }

        public void Dispose()
        {
            _certificate.Dispose();
            _key.Dispose();
        }
    }

    /// <summary>Debian's dnsmasq answering only the given records, on a free loopback port.</summary>
    private sealed class DnsmasqServer : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _config;

        private DnsmasqServer(Process process, string config, int port) => (_process, _config, Port) = (process, config, port);

        public int Port { get; }

        public static async Task<DnsmasqServer> StartAsync(IEnumerable<(string Name, string Type, string Value)> records)
        {
            var dnsmasq = ExternalProgram.Require("dnsmasq", "dnsmasq-base");
            var port = GovMailProcess.FreePort();
            var conf = new StringBuilder($"port={port}\nlisten-address=127.0.0.1\nbind-interfaces\nno-resolv\nno-hosts\n");
            var hosts = new HashSet<string>();
            foreach (var (name, type, value) in records)
            {
                var v = value.Split(' ');
                switch (type)
                {
                    case "MX": conf.Append($"mx-host={name},{v[1].TrimEnd('.')},{v[0]}\n"); hosts.Add(v[1].TrimEnd('.')); break;
                    case "TXT": conf.Append($"txt-record={name},{string.Join(',', value.Chunk(250).Select(c => '"' + new string(c) + '"'))}\n"); break;
                    case "CNAME": conf.Append($"cname={name},{value.TrimEnd('.')}\n"); hosts.Add(value.TrimEnd('.')); break;
                    case "SRV": conf.Append($"srv-host={name},{v[3].TrimEnd('.')},{v[2]},{v[0]},{v[1]}\n"); break;
                }
            }
            foreach (var h in hosts) conf.Append($"host-record={h},127.0.0.1\n");
            var config = Path.Combine(Path.GetTempPath(), $"govmail-dnsmasq-{port}.conf");
            await File.WriteAllTextAsync(config, conf.ToString());
            var info = new ProcessStartInfo(dnsmasq.FilePath) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "--keep-in-foreground", "--conf-file=" + config, "--log-facility=-" }) info.ArgumentList.Add(a);
            var process = Process.Start(info)!;
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            for (var i = 0; i < 100; i++)
            {
                try
                {
                    // A bound port means dnsmasq is up: binding the same one must fail.
                    using var probe = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
                }
                catch (System.Net.Sockets.SocketException)
                {
                    return new DnsmasqServer(process, config, port);
                }
                Assert.False(process.HasExited, "dnsmasq ended at start");
                await Task.Delay(50);
            }
            throw new TimeoutException("dnsmasq did not start");
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill();
            await _process.WaitForExitAsync();
            _process.Dispose();
            File.Delete(_config);
        }
    }
}
