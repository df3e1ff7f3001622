using System.Text;

namespace GovMail.Smtp.Inbound;

/// <summary>
/// The <c>Authentication-Results:</c> header field (RFC 8601) this server writes, and the test for one that claims to be
/// ours but came with the message (§5: such a field is a forgery and must not reach the reader as it is).
/// </summary>
public static class AuthenticationResults
{
    public const string FieldName = "Authentication-Results";

    /// <summary>The name a forged field is renamed to, so it stays visible to an administrator but no client trusts it.</summary>
    public const string RenamedFieldName = "X-Forged-Authentication-Results";

    /// <summary>The whole field, folded one method per line and ending in CRLF.</summary>
    public static string Format(string authServId, SpfCheck spf, bool spfOfHelo, IReadOnlyList<DkimCheck> dkim, DmarcCheck dmarc)
    {
        var sb = new StringBuilder(256);
        sb.Append(FieldName).Append(": ").Append(authServId).Append(';');
        sb.Append("\r\n\tspf=").Append(Name(spf.Result));
        if (spf.Domain.Length > 0) sb.Append(spfOfHelo ? " smtp.helo=" : " smtp.mailfrom=").Append(Value(spf.Domain));
        sb.Append(';');
        foreach (var d in dkim)
        {
            sb.Append("\r\n\tdkim=").Append(Name(d.Result));
            if (d.Problem is not null && d.Result != DkimResult.Pass) sb.Append(" (").Append(Comment(d.Problem)).Append(')');
            if (d.Domain is not null) sb.Append(" header.d=").Append(Value(d.Domain));
            if (d.Selector is not null) sb.Append(" header.s=").Append(Value(d.Selector));
            if (d.Signature is not null) sb.Append(" header.b=").Append(Value(d.Signature));
            sb.Append(';');
        }
        sb.Append("\r\n\tdmarc=").Append(Name(dmarc.Result));
        if (dmarc.Result is DmarcResult.Pass or DmarcResult.Fail) sb.Append(" (p=").Append(Name(dmarc.Policy)).Append(')');
        if (dmarc.FromDomain is not null) sb.Append(" header.from=").Append(Value(dmarc.FromDomain));
        return sb.Append("\r\n").ToString();
    }

    /// <summary>Whether a received <c>Authentication-Results</c> value names <paramref name="authServId"/> as its author.</summary>
    public static bool ClaimsAuthServId(string value, string authServId)
    {
        var id = StripComments(value);
        var end = id.IndexOfAny([';', ' ', '\t', '\r', '\n']);
        if (end >= 0) id = id[..end];
        return id.Trim().Trim('"').Equals(authServId, StringComparison.OrdinalIgnoreCase);
    }

    private static string StripComments(string value)
    {
        var sb = new StringBuilder(value.Length);
        var depth = 0;
        foreach (var c in value)
        {
            if (c == '(') depth++;
            else if (c == ')' && depth > 0) depth--;
            else if (depth == 0) sb.Append(c);
        }
        return sb.ToString().TrimStart(' ', '\t', '\r', '\n');
    }

    private static string Name<T>(T value) where T : Enum => value.ToString().ToLowerInvariant();

    /// <summary>A property value: a token as it is, anything else as a quoted string (RFC 2045 value).</summary>
    private static string Value(string value)
    {
        foreach (var c in value)
            if (c <= ' ' || c >= 0x7F || "()<>,;:\\\"/[]?=".Contains(c))
                return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
                    .Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal) + "\"";
        return value;
    }

    private static string Comment(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
            if (c is >= ' ' and < (char)0x7F and not '(' and not ')' and not '\\') sb.Append(c);
        return sb.ToString();
    }
}
