using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace GovMail.Smtp.Inbound;

/// <summary>SPF mechanisms (RFC 7208 §5).</summary>
public enum SpfMechanism
{
    All,
    Include,
    A,
    Mx,
    Ptr,
    Ip4,
    Ip6,
    Exists,
}

/// <summary>
/// One directive: what it yields when it matches (its qualifier, as a result), the mechanism, and the mechanism's
/// arguments: a domain-spec (possibly with macros), a network for ip4/ip6, prefix lengths for a/mx/ip4/ip6.
/// </summary>
public sealed record SpfDirective(SpfResult Qualifier, SpfMechanism Mechanism, string? DomainSpec = null, IPAddress? Network = null,
    int Prefix4 = 32, int Prefix6 = 128);

/// <summary>A parsed <c>v=spf1</c> record: its directives in order and the <c>redirect</c> / <c>exp</c> modifiers.</summary>
public sealed partial record SpfRecord(IReadOnlyList<SpfDirective> Directives, string? Redirect, string? Explanation)
{
    /// <summary>Whether a TXT string is an SPF version 1 record: <c>v=spf1</c> alone or followed by a space (§4.5).</summary>
    public static bool IsSpf(string txt) =>
        txt.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (txt.Length == 6 || txt[6] == ' ');

    /// <summary>Parses a record; a syntax error (unknown mechanism, bad address, bad macro, repeated modifier) is a problem text.</summary>
    public static (SpfRecord? Record, string? Problem) Parse(string txt)
    {
        if (!IsSpf(txt)) return (null, "not an SPF record");
        var directives = new List<SpfDirective>();
        string? redirect = null, explanation = null;
        foreach (var term in txt[6..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (ModifierTerm().Match(term) is { Success: true } modifier)
            {
                var name = modifier.Groups["name"].Value;
                var value = modifier.Groups["value"].Value;
                if (!SpfMacro.IsValid(value, explanation: name.Equals("exp", StringComparison.OrdinalIgnoreCase)))
                    return (null, $"bad macro in '{term}'");
                if (name.Equals("redirect", StringComparison.OrdinalIgnoreCase))
                {
                    if (redirect is not null) return (null, "more than one redirect");
                    if (!IsDomainSpec(value)) return (null, $"bad domain in '{term}'");
                    redirect = value;
                }
                else if (name.Equals("exp", StringComparison.OrdinalIgnoreCase))
                {
                    if (explanation is not null) return (null, "more than one exp");
                    explanation = value;
                }
                // Unknown modifiers are ignored (§6).
                continue;
            }
            var directive = ParseDirective(term);
            if (directive is null) return (null, $"bad term '{term}'");
            directives.Add(directive);
        }
        return (new SpfRecord(directives, redirect, explanation), null);
    }

    private static SpfDirective? ParseDirective(string term)
    {
        var qualifier = term[0] switch
        {
            '+' => SpfResult.Pass,
            '-' => SpfResult.Fail,
            '~' => SpfResult.SoftFail,
            '?' => SpfResult.Neutral,
            _ => (SpfResult?)null,
        };
        var rest = qualifier is null ? term : term[1..];
        var nameEnd = rest.IndexOfAny([':', '/']);
        var name = (nameEnd < 0 ? rest : rest[..nameEnd]).ToLowerInvariant();
        var args = nameEnd < 0 ? "" : rest[nameEnd..];
        var q = qualifier ?? SpfResult.Pass;
        switch (name)
        {
            case "all":
                return args.Length == 0 ? new SpfDirective(q, SpfMechanism.All) : null;
            case "include":
            case "exists":
                return args.StartsWith(':') && IsDomainSpec(args[1..])
                    ? new SpfDirective(q, name == "include" ? SpfMechanism.Include : SpfMechanism.Exists, args[1..])
                    : null;
            case "ptr":
                if (args.Length == 0) return new SpfDirective(q, SpfMechanism.Ptr);
                return args.StartsWith(':') && IsDomainSpec(args[1..]) ? new SpfDirective(q, SpfMechanism.Ptr, args[1..]) : null;
            case "a":
            case "mx":
                var m = DomainAndDualCidr().Match(args);
                if (!m.Success) return null;
                var spec = m.Groups["spec"].Success ? m.Groups["spec"].Value : null;
                if (spec is not null && !IsDomainSpec(spec)) return null;
                var p4 = m.Groups["c4"].Success ? int.Parse(m.Groups["c4"].Value, CultureInfo.InvariantCulture) : 32;
                var p6 = m.Groups["c6"].Success ? int.Parse(m.Groups["c6"].Value, CultureInfo.InvariantCulture) : 128;
                if (p4 > 32 || p6 > 128) return null;
                return new SpfDirective(q, name == "a" ? SpfMechanism.A : SpfMechanism.Mx, spec, Prefix4: p4, Prefix6: p6);
            case "ip4":
                var v4 = Ip4Network().Match(args);
                if (!v4.Success || !IPAddress.TryParse(v4.Groups["ip"].Value, out var ip4) || ip4.AddressFamily != AddressFamily.InterNetwork) return null;
                var c4 = v4.Groups["cidr"].Success ? int.Parse(v4.Groups["cidr"].Value, CultureInfo.InvariantCulture) : 32;
                return c4 <= 32 ? new SpfDirective(q, SpfMechanism.Ip4, Network: ip4, Prefix4: c4) : null;
            case "ip6":
                var v6 = Ip6Network().Match(args);
                if (!v6.Success || !IPAddress.TryParse(v6.Groups["ip"].Value, out var ip6) || ip6.AddressFamily != AddressFamily.InterNetworkV6) return null;
                var c6 = v6.Groups["cidr"].Success ? int.Parse(v6.Groups["cidr"].Value, CultureInfo.InvariantCulture) : 128;
                return c6 <= 128 ? new SpfDirective(q, SpfMechanism.Ip6, Network: ip6, Prefix6: c6) : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// A domain-spec (§7.1): a valid macro-string that, unless it ends in a macro, ends in a top label that is not all digits.
    /// </summary>
    private static bool IsDomainSpec(string spec)
    {
        if (spec.Length == 0 || !SpfMacro.IsValid(spec, explanation: false)) return false;
        var trimmed = spec.TrimEnd('.');
        if (trimmed.EndsWith('}')) return true;
        var top = trimmed[(trimmed.LastIndexOf('.') + 1)..];
        return trimmed.Contains('.') && TopLabel().IsMatch(top);
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z][A-Za-z0-9_.\-]*)=(?<value>.*)$")]
    private static partial Regex ModifierTerm();

    [GeneratedRegex(@"^(?::(?<spec>[^/]+))?(?:/(?<c4>0|[1-9][0-9]?))?(?://(?<c6>0|[1-9][0-9]{0,2}))?$")]
    private static partial Regex DomainAndDualCidr();

    [GeneratedRegex(@"^:(?<ip>[0-9]{1,3}(?:\.[0-9]{1,3}){3})(?:/(?<cidr>0|[1-9][0-9]?))?$")]
    private static partial Regex Ip4Network();

    [GeneratedRegex(@"^:(?<ip>[0-9A-Fa-f:.]+)(?:/(?<cidr>0|[1-9][0-9]{0,2}))?$")]
    private static partial Regex Ip6Network();

    [GeneratedRegex(@"^(?:[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9\-]*[A-Za-z0-9])$")]
    private static partial Regex TopLabel();
}
