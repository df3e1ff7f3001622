using System.Net;
using System.Net.Sockets;

namespace GovMail.Smtp.Inbound;

/// <summary>
/// <c>check_host()</c> of RFC 7208 §4: fetches the domain's <c>v=spf1</c> record and evaluates it against the connecting
/// address — ip4, ip6, a, mx, ptr, include, exists, all, the redirect modifier, macros — within the limits of §4.6.4:
/// at most 10 terms that query DNS (include, a, mx, ptr, exists, redirect), at most 10 MX or PTR names per term and at most
/// 2 void lookups, beyond which the result is permerror. A DNS timeout or server failure is temperror.
/// </summary>
public sealed class SpfEvaluator(IDnsResolver dns)
{
    public const int MaxDnsTerms = 10;
    public const int MaxVoidLookups = 2;
    public const int MaxNamesPerTerm = 10;

    /// <summary>Counts shared by the whole evaluation, includes and redirects included.</summary>
    private sealed class Evaluation(SpfMacroContext root)
    {
        public SpfMacroContext Root { get; } = root;
        public int DnsTerms;
        public int VoidLookups;
    }

    /// <summary>
    /// Checks <paramref name="sender"/> (the MAIL FROM address, or <c>postmaster@</c> the HELO name when it is empty)
    /// sent from <paramref name="ip"/>, for <paramref name="domain"/>.
    /// </summary>
    public async Task<SpfCheck> CheckHostAsync(IPAddress ip, string domain, string sender, string heloName, CancellationToken ct)
    {
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        var name = NormaliseDomain(domain);
        if (name is null) return new SpfCheck(SpfResult.None, domain, "not a domain name");
        if (!sender.Contains('@')) sender = "postmaster@" + sender;
        var evaluation = new Evaluation(new SpfMacroContext(ip, sender, name, heloName));
        var (result, problem) = await CheckAsync(evaluation, name, ct);
        return new SpfCheck(result, name, problem);
    }

    private async Task<(SpfResult, string?)> CheckAsync(Evaluation e, string domain, CancellationToken ct)
    {
        var txt = await dns.TxtAsync(domain, ct);
        if (txt.Status == DnsLookupStatus.Failed) return (SpfResult.TempError, $"DNS lookup of {domain} failed");
        var records = txt.Records.Where(SpfRecord.IsSpf).ToList();
        if (records.Count == 0) return (SpfResult.None, null);
        if (records.Count > 1) return (SpfResult.PermError, $"{domain} publishes more than one SPF record");
        var (record, syntax) = SpfRecord.Parse(records[0]);
        if (record is null) return (SpfResult.PermError, $"{domain}: {syntax}");

        var context = e.Root with { Domain = domain };
        foreach (var directive in record.Directives)
        {
            var (matched, error, problem) = await MatchAsync(e, directive, context, ct);
            if (error is { } failed) return (failed, problem);
            if (matched) return (directive.Qualifier, null);
        }

        if (record.Redirect is null) return (SpfResult.Neutral, null);
        if (++e.DnsTerms > MaxDnsTerms) return (SpfResult.PermError, "more than 10 DNS lookups");
        var target = ExpandDomain(record.Redirect, context);
        if (target is null) return (SpfResult.PermError, $"bad redirect in {domain}");
        var (result, why) = await CheckAsync(e, target, ct);
        // A redirect to a domain without a record is an error in the record that redirects (§6.1).
        return result == SpfResult.None ? (SpfResult.PermError, $"redirect target {target} has no SPF record") : (result, why);
    }

    private async Task<(bool Matched, SpfResult? Error, string? Problem)> MatchAsync(Evaluation e, SpfDirective d, SpfMacroContext context,
        CancellationToken ct)
    {
        var ip = context.Ip;
        switch (d.Mechanism)
        {
            case SpfMechanism.All:
                return (true, null, null);
            case SpfMechanism.Ip4:
            case SpfMechanism.Ip6:
                return (InNetwork(ip, d.Network!, d.Mechanism == SpfMechanism.Ip4 ? d.Prefix4 : d.Prefix6), null, null);
        }

        if (++e.DnsTerms > MaxDnsTerms) return (false, SpfResult.PermError, "more than 10 DNS lookups");
        var target = d.DomainSpec is null ? context.Domain : ExpandDomain(d.DomainSpec, context);
        if (target is null) return (false, SpfResult.PermError, $"bad domain in {d.Mechanism.ToString().ToLowerInvariant()}");
        switch (d.Mechanism)
        {
            case SpfMechanism.Include:
            {
                var (result, problem) = await CheckAsync(e, target, ct);
                return result switch
                {
                    SpfResult.Pass => (true, null, null),
                    SpfResult.Fail or SpfResult.SoftFail or SpfResult.Neutral => (false, null, null),
                    SpfResult.TempError => (false, SpfResult.TempError, problem),
                    SpfResult.None => (false, SpfResult.PermError, $"included domain {target} has no SPF record"),
                    _ => (false, SpfResult.PermError, problem),
                };
            }
            case SpfMechanism.A:
            {
                var addresses = await dns.AddressesAsync(target, ip.AddressFamily, ct);
                if (Void(e, addresses.Status) is { } error) return (false, error.Result, error.Problem);
                return (addresses.Records.Any(a => InNetwork(ip, a, Prefix(d, ip))), null, null);
            }
            case SpfMechanism.Mx:
            {
                var hosts = await dns.MxAsync(target, ct);
                if (Void(e, hosts.Status) is { } error) return (false, error.Result, error.Problem);
                if (hosts.Records.Count > MaxNamesPerTerm) return (false, SpfResult.PermError, $"{target} has more than 10 MX records");
                foreach (var host in hosts.Records)
                {
                    var addresses = await dns.AddressesAsync(host, ip.AddressFamily, ct);
                    if (addresses.Status == DnsLookupStatus.Failed) return (false, SpfResult.TempError, $"DNS lookup of {host} failed");
                    if (addresses.Records.Any(a => InNetwork(ip, a, Prefix(d, ip)))) return (true, null, null);
                }
                return (false, null, null);
            }
            case SpfMechanism.Exists:
            {
                // Always an A query, whatever the connection's address family (§5.7).
                var addresses = await dns.AddressesAsync(target, AddressFamily.InterNetwork, ct);
                if (Void(e, addresses.Status) is { } error) return (false, error.Result, error.Problem);
                return (addresses.Status == DnsLookupStatus.Found, null, null);
            }
            case SpfMechanism.Ptr:
                return (await PtrMatchesAsync(e, ip, target, ct), null, null);
            default:
                return (false, SpfResult.PermError, "unknown mechanism");
        }
    }

    /// <summary>A failed lookup is temperror; an empty one counts as void, and a third void lookup is permerror.</summary>
    private static (SpfResult Result, string Problem)? Void(Evaluation e, DnsLookupStatus status) => status switch
    {
        DnsLookupStatus.Failed => (SpfResult.TempError, "DNS lookup failed"),
        DnsLookupStatus.NotFound when ++e.VoidLookups > MaxVoidLookups => (SpfResult.PermError, "more than 2 void DNS lookups"),
        _ => null,
    };

    /// <summary>ptr (§5.5): a reverse name of the address that resolves back to it and is, or ends in, the target domain.</summary>
    private async Task<bool> PtrMatchesAsync(Evaluation e, IPAddress ip, string target, CancellationToken ct)
    {
        var names = await dns.PtrAsync(ip, ct);
        if (names.Status != DnsLookupStatus.Found)
        {
            if (names.Status == DnsLookupStatus.NotFound) e.VoidLookups++;
            return false;
        }
        foreach (var name in names.Records.Take(MaxNamesPerTerm))
        {
            var host = name.TrimEnd('.');
            if (!host.Equals(target, StringComparison.OrdinalIgnoreCase) && !host.EndsWith("." + target, StringComparison.OrdinalIgnoreCase)) continue;
            var back = await dns.AddressesAsync(host, ip.AddressFamily, ct);
            if (back.Records.Any(a => a.Equals(ip))) return true;
        }
        return false;
    }

    private static int Prefix(SpfDirective d, IPAddress ip) => ip.AddressFamily == AddressFamily.InterNetworkV6 ? d.Prefix6 : d.Prefix4;

    /// <summary>A domain-spec expanded, shortened from the left to 253 characters (§7.3), or null if not usable.</summary>
    private static string? ExpandDomain(string spec, SpfMacroContext context)
    {
        var expanded = SpfMacro.Expand(spec, context)?.TrimEnd('.');
        if (string.IsNullOrEmpty(expanded)) return null;
        while (expanded.Length > 253)
        {
            var dot = expanded.IndexOf('.');
            if (dot < 0) return null;
            expanded = expanded[(dot + 1)..];
        }
        return NormaliseDomain(expanded);
    }

    /// <summary>Lower-case ASCII (IDNA) form of a domain with at least two labels of 1 to 63 octets, or null.</summary>
    public static string? NormaliseDomain(string domain)
    {
        string ascii;
        try { ascii = new System.Globalization.IdnMapping().GetAscii(domain.TrimEnd('.')).ToLowerInvariant(); }
        catch (ArgumentException) { return null; }
        if (ascii.Length is 0 or > 253) return null;
        var labels = ascii.Split('.');
        if (labels.Length < 2) return null;
        foreach (var label in labels)
            if (label.Length is 0 or > 63) return null;
        return ascii;
    }

    /// <summary>Whether the first <paramref name="prefix"/> bits of two addresses of the same family agree.</summary>
    public static bool InNetwork(IPAddress ip, IPAddress network, int prefix)
    {
        if (ip.AddressFamily != network.AddressFamily) return false;
        var a = ip.GetAddressBytes();
        var b = network.GetAddressBytes();
        var full = prefix / 8;
        for (var i = 0; i < full; i++)
            if (a[i] != b[i]) return false;
        var rest = prefix % 8;
        if (rest == 0) return true;
        var mask = (byte)(0xFF << (8 - rest));
        return (a[full] & mask) == (b[full] & mask);
    }
}
