using System.Text.RegularExpressions;

namespace GovMail.Core.Security;

/// <summary>
/// Seed 004's official-use rules: official mail is not forwarded to public webmail (gmail, yahoo…), and the official address is
/// not used to register on social networks or e-banking, and official mail does not give a public webmail address as the
/// contact ("không sử dụng thư điện tử công cộng (gmail, yahoo mail ...)"). The domain lists are defaults; a tenant configures its own.
/// </summary>
public static partial class OfficialUse
{
    /// <summary>Public webmail domains that official mail may not be forwarded to automatically.</summary>
    public static readonly IReadOnlyList<string> PublicMailDomains =
    [
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.com.vn", "ymail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
        "icloud.com", "me.com", "aol.com", "mail.ru", "yandex.com", "proton.me", "protonmail.com", "gmx.com", "zoho.com",
    ];

    /// <summary>Senders whose mail shows an official address was used to sign up: social networks, e-commerce, e-banking.</summary>
    public static readonly IReadOnlyList<string> RegistrationSenderDomains =
    [
        "facebook.com", "facebookmail.com", "instagram.com", "tiktok.com", "twitter.com", "x.com", "linkedin.com", "zalo.me", "zalo.vn",
        "shopee.vn", "lazada.vn", "tiki.vn", "sendo.vn",
        "vietcombank.com.vn", "techcombank.com.vn", "vietinbank.vn", "bidv.com.vn", "mbbank.com.vn", "acb.com.vn", "tpb.vn",
        "vpbank.com.vn", "momo.vn", "zalopay.vn", "vnpay.vn",
    ];

    /// <summary>Is the address's domain one of <paramref name="domains"/> or below one (<c>mail.facebook.com</c>)?</summary>
    public static bool IsInDomains(string? address, IEnumerable<string> domains)
    {
        if (string.IsNullOrWhiteSpace(address)) return false;
        var at = address.LastIndexOf('@');
        var domain = (at >= 0 ? address[(at + 1)..] : address).Trim().TrimEnd('>').ToLowerInvariant();
        foreach (var d in domains)
        {
            var listed = d.Trim().ToLowerInvariant();
            if (listed.Length == 0) continue;
            if (domain == listed || domain.EndsWith("." + listed, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>Why forwarding official mail to <paramref name="target"/> is refused, or null.</summary>
    public static Problem? CheckForwardTarget(string target, IEnumerable<string> publicMailDomains) =>
        IsInDomains(target, publicMailDomains) ? Problem.Of("ForwardToPublicMail", target) : null;

    /// <summary>
    /// The public webmail addresses the author of a message gives in its text (a signature, "liên hệ qua …"), lower case, in
    /// order, each once. What the author quotes is not theirs: lines starting with <c>&gt;</c> are skipped and the text stops at a
    /// reply or forward header ("Vào …, … đã viết:", "On … wrote:", "-----Original Message-----", "From:"/"Từ:"), in either its
    /// written or its diacritic-folded form. Addresses in <paramref name="except"/> (the message's own correspondents) are left out.
    /// </summary>
    public static IReadOnlyList<string> PublicContactsIn(string? text, IEnumerable<string> publicMailDomains, IEnumerable<string>? except = null)
    {
        if (string.IsNullOrEmpty(text)) return [];
        var domains = publicMailDomains.ToList();
        var skip = new HashSet<string>((except ?? []).Select(a => a.Trim().ToLowerInvariant()), StringComparer.Ordinal);
        var found = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('>')) continue;
            // A reply header may sit inside a line: an HTML body's text runs its paragraphs together.
            var header = QuoteHeader().Match(line);
            if (header.Success) line = line[..header.Index];
            if (line.Contains('@', StringComparison.Ordinal))
                foreach (Match m in EmailAddress().Matches(line))
                {
                    var address = m.Value.TrimEnd('.', '-').ToLowerInvariant();
                    if (IsInDomains(address, domains) && !skip.Contains(address) && !found.Contains(address)) found.Add(address);
                }
            if (header.Success) break;
        }
        return found;
    }

    // Linear time (NonBacktracking): a body may hold one line of hundreds of kilobytes.
    [GeneratedRegex(@"[A-Za-z0-9_%+\-][A-Za-z0-9._%+\-]*@[A-Za-z0-9][A-Za-z0-9.\-]*\.[A-Za-z]{2,}",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex EmailAddress();

    /// <summary>Where quoted or forwarded text begins, in Vietnamese (with or without diacritics) and English.</summary>
    [GeneratedRegex(@"^(?:from|từ|tu)\s*:\s.*@"
        + @"|-{2,}\s*(?:original message|forwarded message|thư gốc|thu goc|thư chuyển tiếp|thu chuyen tiep)\b"
        + @"|\b(?:on|vào|vao|lúc|luc)\s.{0,200}?\b(?:wrote|đã viết|da viet)\s*:",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex QuoteHeader();
}
