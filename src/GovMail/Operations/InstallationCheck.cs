using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DnsClient;
using GovMail.Configuration;
using GovMail.Core;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Operations;

/// <summary>One verification of <c>govmail check</c>: what was checked, whether it holds, what was seen and how to fix it.</summary>
public sealed record CheckOutcome(string Check, bool Ok, string Detail, string? Fix);

/// <summary>
/// <c>govmail check</c>: verifies a running installation from the server itself: every enabled listener answers with its
/// protocol's greeting, the TLS certificate is valid for the host name and not about to expire, the DNS records of every mail
/// domain are published as <c>govmail install</c> printed them (as this server's resolver sees them), there is disk space,
/// and the database is reachable and up to date. Each problem comes with its fix.
/// </summary>
public sealed class InstallationCheck(GovMailOptions options, GovMailDatabase database, TimeProvider clock)
{
    /// <summary>A DNS server to ask instead of the system's (<c>--dns-server</c>).</summary>
    public IPEndPoint? DnsServer { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The records the run looked for (what <c>govmail install</c> prints), after <see cref="RunAsync"/>.</summary>
    public IReadOnlyList<DnsRecord> ExpectedDns { get; private set; } = [];

    public async Task<IReadOnlyList<CheckOutcome>> RunAsync(CancellationToken ct)
    {
        var results = new List<CheckOutcome>();
        var domains = await DatabaseAsync(results, ct);
        await ListenersAsync(results, ct);
        var hostName = options.HostName ?? (domains.Count > 0 ? "mail." + domains[0] : System.Net.Dns.GetHostName());
        Certificate(results, hostName);
        Disk(results);
        if (domains.Count > 0) await DnsAsync(results, domains, hostName, ct);
        return results;
    }

    private static CheckOutcome Ok(string check, string detail) => new(check, true, detail, null);

    private static CheckOutcome Problem(string check, string detail, string fixCode, params object?[] args) =>
        new(check, false, detail, Messages.Format(fixCode, null, args));

    private async Task<List<string>> DatabaseAsync(List<CheckOutcome> results, CancellationToken ct)
    {
        var check = Messages.Get("CheckDatabase");
        try
        {
            await using var db = database.Open();
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            var domains = await db.Domains.AsNoTracking().Select(d => d.Name).ToListAsync(ct);
            results.Add(pending.Count > 0
                ? Problem(check, Messages.Format("CheckDatabasePending", null, [pending.Count]), "CheckFixMigrate")
                : Ok(check, $"{database.Settings.Provider}, {domains.Count} domain(s)"));
            return domains;
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            results.Add(Problem(check, e.Message, "CheckFixDatabase"));
            // The DNS records can still be checked for the domains that have a DKIM key in the data folder.
            return [.. Smtp.Dkim.DkimKeyStore.In(options.DataDirectory).Domains()];
        }
    }

    private async Task ListenersAsync(List<CheckOutcome> results, CancellationToken ct)
    {
        var l = options.Listeners;
        var host = string.IsNullOrWhiteSpace(l.Bind) || l.Bind.Trim() is "0.0.0.0" or "::" ? "127.0.0.1" : l.Bind.Trim();
        (string Name, int Port, bool Tls, string Greeting)[] listeners =
        [
            ("SMTP (MX)", l.Smtp, false, "220"), ("SMTP submission", l.Submission, false, "220"), ("SMTP submissions", l.Submissions, true, "220"),
            ("IMAP", l.Imap, false, "* OK"), ("IMAPS", l.Imaps, true, "* OK"),
        ];
        foreach (var (name, port, tls, greeting) in listeners.Where(x => x.Port > 0))
        {
            var check = Messages.Format("CheckListener", null, [name, port]);
            try
            {
                var line = await GreetingAsync(host, port, tls, ct);
                results.Add(line.StartsWith(greeting, StringComparison.Ordinal)
                    ? Ok(check, line)
                    : Problem(check, line, "CheckFixListenerWrong", port));
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
            {
                results.Add(Problem(check, e.Message, "CheckFixListener", port));
            }
        }
        foreach (var (name, port, tls) in new[] { ("HTTP", l.Http, false), ("HTTPS", l.Https, true) }.Where(x => x.Item2 > 0))
        {
            var check = Messages.Format("CheckListener", null, [name, port]);
            try
            {
                using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
                using var http = new HttpClient(handler) { Timeout = Timeout };
                using var response = await http.GetAsync($"{(tls ? "https" : "http")}://{host}:{port}/healthz", ct);
                results.Add(response.IsSuccessStatusCode
                    ? Ok(check, $"/healthz {(int)response.StatusCode}")
                    : Problem(check, $"/healthz {(int)response.StatusCode}", "CheckFixListenerWrong", port));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                results.Add(Problem(check, e.Message, "CheckFixListener", port));
            }
        }
    }

    private async Task<string> GreetingAsync(string host, int port, bool tls, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host, port, timeout.Token);
        Stream stream = tcp.GetStream();
        if (tls)
        {
            var ssl = new SslStream(stream, false, (_, _, _, _) => true);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, timeout.Token);
            stream = ssl;
        }
        var buffer = new byte[512];
        var read = await stream.ReadAsync(buffer, timeout.Token);
        var text = Encoding.ASCII.GetString(buffer, 0, read);
        var end = text.IndexOf('\r');
        return end >= 0 ? text[..end] : text.TrimEnd();
    }

    private void Certificate(List<CheckOutcome> results, string hostName)
    {
        var check = Messages.Get("CheckCertificate");
        var path = string.IsNullOrWhiteSpace(options.Tls.CertificateFile)
            ? Path.Combine(options.TlsDirectory, Hosting.TlsCertificate.FileName) : Path.GetFullPath(options.Tls.CertificateFile);
        if (!File.Exists(path))
        {
            results.Add(Problem(check, path, "CheckFixCertificateMissing", path));
            return;
        }
        try
        {
            using var chain = Hosting.CertificateFiles.Read(path, string.IsNullOrWhiteSpace(options.Tls.KeyFile) ? null : options.Tls.KeyFile);
            var cert = chain.Leaf;
            var now = clock.GetUtcNow();
            var left = cert.NotAfter.ToUniversalTime() - now.UtcDateTime;
            var detail = Messages.Format("CheckCertificateDetail", null, [cert.Subject, cert.Issuer, new DateTimeOffset(cert.NotAfter.ToUniversalTime(), TimeSpan.Zero)]);
            if (left < TimeSpan.Zero) results.Add(Problem(check, detail, "CheckFixCertificateExpired", path));
            else if (left < TimeSpan.FromDays(14)) results.Add(Problem(check, detail, "CheckFixCertificateExpiring", (int)left.TotalDays, path));
            else if (!cert.MatchesHostname(hostName)) results.Add(Problem(check, detail, "CheckFixCertificateName", hostName, path));
            else if (cert.Subject == cert.Issuer) results.Add(Problem(check, detail, "CheckFixCertificateSelfSigned", hostName, path));
            // Served alone, a CA-issued certificate is refused by the clients that do not fetch the intermediate themselves.
            else if (chain.Intermediates.Count == 0) results.Add(Problem(check, detail, "CheckFixCertificateChain", path, cert.Issuer));
            else results.Add(Ok(check, detail));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or InvalidOperationException or ArgumentException or IOException)
        {
            results.Add(Problem(check, e.Message, "CheckFixCertificateMissing", path));
        }
    }

    private void Disk(List<CheckOutcome> results)
    {
        var check = Messages.Get("CheckDisk");
        var drive = new DriveInfo(options.DataDirectory);
        var free = drive.AvailableFreeSpace;
        var share = drive.TotalSize == 0 ? 1.0 : (double)free / drive.TotalSize;
        var detail = Messages.Format("CheckDiskDetail", null, [options.DataDirectory, free / 1024.0 / 1024 / 1024, share * 100]);
        results.Add(free < 2L * 1024 * 1024 * 1024 || share < 0.05 ? Problem(check, detail, "CheckFixDisk") : Ok(check, detail));
    }

    private async Task DnsAsync(List<CheckOutcome> results, IReadOnlyList<string> domains, string hostName, CancellationToken ct)
    {
        var lookup = DnsServer is { } server
            ? new LookupClient(new LookupClientOptions(server) { Timeout = Timeout, Retries = 1, UseCache = false })
            : new LookupClient(new LookupClientOptions { Timeout = Timeout, Retries = 1, UseCache = false });
        ExpectedDns = DnsPlan.For(domains, hostName, Smtp.Dkim.DkimKeyStore.In(options.DataDirectory));
        foreach (var record in ExpectedDns)
        {
            var check = $"DNS {record.Purpose}: {record.Name} {record.Type}";
            var type = record.Type switch { "MX" => QueryType.MX, "TXT" => QueryType.TXT, "CNAME" => QueryType.CNAME, _ => QueryType.SRV };
            try
            {
                var answer = await lookup.QueryAsync(record.Name, type, QueryClass.IN, ct);
                var found = answer.Answers.Select(Text).Where(t => t is not null).Cast<string>().ToList();
                var match = found.Any(f => Matches(record, f));
                results.Add(match
                    ? Ok(check, string.Join(" | ", found))
                    : Problem(check, found.Count == 0 ? Messages.Get("CheckDnsNone") : string.Join(" | ", found), "CheckFixDns", record.ZoneLine));
            }
            catch (DnsResponseException e)
            {
                results.Add(Problem(check, e.Message, "CheckFixDns", record.ZoneLine));
            }
        }
    }

    private static string? Text(DnsClient.Protocol.DnsResourceRecord r) => r switch
    {
        DnsClient.Protocol.MxRecord mx => $"{mx.Preference} {mx.Exchange.Value}",
        DnsClient.Protocol.TxtRecord txt => string.Concat(txt.Text),
        DnsClient.Protocol.CNameRecord cname => cname.CanonicalName.Value,
        DnsClient.Protocol.SrvRecord srv => $"{srv.Priority} {srv.Weight} {srv.Port} {srv.Target.Value}",
        _ => null,
    };

    /// <summary>Whether a published record does what the expected one does (the same host, policy or key; order and case aside).</summary>
    private static bool Matches(DnsRecord expected, string found)
    {
        static string Norm(string s) => s.Trim().TrimEnd('.').ToLowerInvariant().Replace(" ", "");
        return expected.Purpose switch
        {
            "SPF" => found.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && !found.Contains("+all", StringComparison.OrdinalIgnoreCase),
            "DMARC" => found.StartsWith("v=DMARC1", StringComparison.OrdinalIgnoreCase),
            "MTA-STS" => found.StartsWith("v=STSv1", StringComparison.OrdinalIgnoreCase),
            "TLS-RPT" => found.StartsWith("v=TLSRPTv1", StringComparison.OrdinalIgnoreCase),
            "MX" => Norm(found).EndsWith(Norm(expected.Value.Split(' ')[1]), StringComparison.Ordinal),
            _ => Norm(found) == Norm(expected.Value),
        };
    }
}
