using GovMail.Smtp.Dkim;

namespace GovMail.Operations;

/// <summary>One DNS record a GovMail installation needs published: where, what, and why in plain words.</summary>
public sealed record DnsRecord(string Name, string Type, string Value, string Purpose)
{
    /// <summary>The record as a zone-file line.</summary>
    public string ZoneLine => Type == "TXT" && !Value.StartsWith('"') ? $"{Name}. IN TXT \"{Value}\"" : $"{Name}. IN {Type} {Value}";
}

/// <summary>
/// The DNS records of each mail domain: MX to this server, SPF, DKIM (the domain's key), DMARC, client autoconfiguration
/// (Thunderbird autoconfig, Outlook autodiscover, RFC 6186 SRV records) and MTA-STS. <c>govmail install</c> prints them and
/// <c>govmail check</c> looks them up.
/// </summary>
public static class DnsPlan
{
    public static IReadOnlyList<DnsRecord> For(IEnumerable<string> domains, string hostName, DkimKeyStore dkim)
    {
        var records = new List<DnsRecord>();
        foreach (var raw in domains)
        {
            var domain = raw.Trim().TrimEnd('.').ToLowerInvariant();
            records.Add(new(domain, "MX", $"10 {hostName}.", "MX"));
            records.Add(new(domain, "TXT", "v=spf1 mx -all", "SPF"));
            if (dkim.Find(domain) is { } key)
            {
                var record = key.Record();
                records.Add(new(record.Name.TrimEnd('.'), "TXT", string.Concat(record.Strings), "DKIM"));
            }
            records.Add(new($"_dmarc.{domain}", "TXT", $"v=DMARC1; p=quarantine; rua=mailto:postmaster@{domain}; adkim=r; aspf=r", "DMARC"));
            records.Add(new($"autoconfig.{domain}", "CNAME", $"{hostName}.", "Thunderbird autoconfig"));
            records.Add(new($"_autodiscover._tcp.{domain}", "SRV", $"0 0 443 {hostName}.", "Outlook autodiscover"));
            records.Add(new($"_imaps._tcp.{domain}", "SRV", $"0 1 993 {hostName}.", "IMAP (RFC 6186)"));
            records.Add(new($"_submissions._tcp.{domain}", "SRV", $"0 1 465 {hostName}.", "SMTP submission (RFC 8314)"));
            records.Add(new($"_submission._tcp.{domain}", "SRV", $"0 1 587 {hostName}.", "SMTP submission (RFC 6186)"));
            records.Add(new($"mta-sts.{domain}", "CNAME", $"{hostName}.", "MTA-STS policy host"));
            records.Add(new($"_mta-sts.{domain}", "TXT", "v=STSv1; id=1", "MTA-STS"));
            records.Add(new($"_smtp._tls.{domain}", "TXT", $"v=TLSRPTv1; rua=mailto:postmaster@{domain}", "TLS-RPT"));
        }
        return records;
    }
}
