using System.Globalization;

namespace GovMail.Smtp.Inbound;

/// <summary>What a domain asks receivers to do with mail that fails DMARC (RFC 7489 §6.3 p= and sp=).</summary>
public enum DmarcPolicy
{
    None,
    Quarantine,
    Reject,
}

/// <summary>A parsed <c>v=DMARC1</c> record: the policy for the domain, for its subdomains, alignment modes and pct.</summary>
public sealed record DmarcRecord(DmarcPolicy Policy, DmarcPolicy? SubdomainPolicy, bool StrictDkim, bool StrictSpf, int Percent)
{
    /// <summary>The record, or null when the text is not a usable DMARC record (wrong version, missing or unknown p=).</summary>
    public static DmarcRecord? Parse(string txt)
    {
        var tags = new List<(string Name, string Value)>();
        foreach (var part in txt.Split(';'))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                if (part.Trim().Length == 0) continue;
                return null;
            }
            tags.Add((part[..eq].Trim().ToLowerInvariant(), part[(eq + 1)..].Trim()));
        }
        // v=DMARC1 must be the first tag (§6.4).
        if (tags.Count == 0 || tags[0].Name != "v" || tags[0].Value != "DMARC1") return null;
        DmarcPolicy? policy = null, subdomain = null;
        bool strictDkim = false, strictSpf = false;
        var percent = 100;
        foreach (var (name, value) in tags.Skip(1))
        {
            switch (name)
            {
                case "p": policy = ParsePolicy(value); if (policy is null) return null; break;
                case "sp": subdomain = ParsePolicy(value); break;
                case "adkim": strictDkim = value.Equals("s", StringComparison.OrdinalIgnoreCase); break;
                case "aspf": strictSpf = value.Equals("s", StringComparison.OrdinalIgnoreCase); break;
                case "pct":
                    if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pct) && pct <= 100) percent = pct;
                    break;
            }
        }
        return policy is { } p ? new DmarcRecord(p, subdomain, strictDkim, strictSpf, percent) : null;
    }

    private static DmarcPolicy? ParsePolicy(string value) => value.ToLowerInvariant() switch
    {
        "none" => DmarcPolicy.None,
        "quarantine" => DmarcPolicy.Quarantine,
        "reject" => DmarcPolicy.Reject,
        _ => null,
    };
}
