namespace GovMail.Core.Security;

/// <summary>
/// Seed 004's official-use rules: official mail is not forwarded to public webmail (gmail, yahoo…), and the official address is
/// not used to register on social networks or e-banking. The domain lists are defaults; a tenant configures its own.
/// </summary>
public static class OfficialUse
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
}
