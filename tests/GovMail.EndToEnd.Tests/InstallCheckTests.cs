using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GovMail.Cli.Tests.Support;
using GovMail.EndToEnd.Tests.Support;
using static GovMail.EndToEnd.Tests.Support.TenantDataFolder;

namespace GovMail.EndToEnd.Tests;

/// <summary>
/// <c>govmail install</c> staged under a folder (the files a real install writes to /etc and /var/lib), and <c>govmail check</c>
/// against a running server whose DNS is answered by a real DNS server (Debian's dnsmasq) holding the records install printed,
/// less one: every listener, the database and the published records pass; the missing record and the self-signed
/// certificate are named with their fixes.
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
        // What `govmail install` would have written: the ports this server listens on, on loopback.
        string P(int port) => port.ToString(CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(Path.Combine(data.Path, "govmail.json"), $$"""
            {
              // staged for the test: the ports of the running server
              "HostName": "mail.{{Domain}}",
              "Listeners": { "Bind": "127.0.0.1", "Smtp": {{P(server.MxPort)}}, "Submission": {{P(server.SubmissionPort)}}, "Submissions": {{P(server.SubmissionsPort)}},
                             "Imap": {{P(server.ImapPort)}}, "Imaps": {{P(server.ImapsPort)}}, "Http": {{P(server.HttpPort)}}, "Https": 0 }
            }
            """);
        (await data.RunAsync("dkim", "init", Domain)).Ok();
        // First against a DNS server that knows nothing: every record is missing, and check says which it expects.
        List<JsonElement> dns;
        await using (var empty = await DnsmasqServer.StartAsync([]))
        {
            var bare = await GovMailProcess.RunAsync(["check", "--dns-server", $"127.0.0.1:{P(empty.Port)}", "--json", "--data", data.Path], data.Path);
            Assert.Equal(1, bare.ExitCode);
            Assert.All(bare.Json.GetProperty("checks").EnumerateArray().Where(c => c.GetProperty("check").GetString()!.StartsWith("DNS", StringComparison.Ordinal)),
                c => Assert.False(c.GetProperty("ok").GetBoolean()));
            dns = bare.Json.GetProperty("dns").EnumerateArray().Where(r => r.GetProperty("purpose").GetString() != "DMARC").ToList();
        }

        // Then with the records published, all but DMARC.
        await using var dnsmasq = await DnsmasqServer.StartAsync(dns.Select(r => (r.GetProperty("name").GetString()!, r.GetProperty("type").GetString()!, r.GetProperty("value").GetString()!)));
        var check = await GovMailProcess.RunAsync(["check", "--dns-server", $"127.0.0.1:{P(dnsmasq.Port)}", "--json", "--data", data.Path], data.Path);
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
        var down = await GovMailProcess.RunAsync(["check", "--dns-server", $"127.0.0.1:{P(dnsmasq.Port)}", "--data", data.Path], data.Path);
        Assert.Equal(1, down.ExitCode);
        Assert.Contains("systemctl status govmail", down.Out);
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
