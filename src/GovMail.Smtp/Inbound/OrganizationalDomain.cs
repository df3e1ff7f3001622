namespace GovMail.Smtp.Inbound;

/// <summary>
/// The organisational domain of RFC 7489 §3.2 by a simple public-suffix heuristic instead of the full Public Suffix List:
/// when the top label is a two-letter country code and the label under it is a well-known second-level category
/// (<c>gov</c>, <c>com</c>, <c>edu</c>, <c>org</c>, <c>net</c>, <c>ac</c>, <c>co</c>, …), the public suffix is those two
/// labels (<c>gov.vn</c>, <c>co.uk</c>), otherwise it is the top label alone. The organisational domain is the public
/// suffix plus one label: <c>svhtt.hanoi.gov.vn</c> → <c>hanoi.gov.vn</c>, <c>mail.example.com</c> → <c>example.com</c>.
/// Suffixes the heuristic misses (<c>github.io</c>, <c>s3.amazonaws.com</c>) make DMARC treat their customers as one
/// organisation: relaxed alignment is then looser than it should be there, never stricter.
/// </summary>
public static class OrganizationalDomain
{
    private static readonly HashSet<string> SecondLevelCategories = new(StringComparer.OrdinalIgnoreCase)
    {
        "gov", "com", "edu", "org", "net", "ac", "co", "mil", "int", "info", "biz", "name", "pro", "health", "nic",
        "or", "ne", "go", "gob", "gouv", "govt", "nhs", "ltd", "plc", "sch", "police", "res", "pvt", "idv", "web",
    };

    public static string Of(string domain)
    {
        var labels = domain.TrimEnd('.').ToLowerInvariant().Split('.');
        if (labels.Length <= 2) return string.Join('.', labels);
        var suffixLabels = labels[^1].Length == 2 && SecondLevelCategories.Contains(labels[^2]) ? 2 : 1;
        return string.Join('.', labels[^(suffixLabels + 1)..]);
    }

    /// <summary>Whether two domains are aligned (RFC 7489 §3.1): equal when strict, of the same organisational domain when relaxed.</summary>
    public static bool Aligned(string a, string b, bool strict) =>
        strict ? string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)
               : string.Equals(Of(a), Of(b), StringComparison.Ordinal);
}
