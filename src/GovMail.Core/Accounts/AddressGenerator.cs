using System.Text;
using GovMail.Core.Text;

namespace GovMail.Core.Accounts;

/// <summary>
/// Suggests the local part of a new address from a Vietnamese full name, by the convention most government
/// mail systems use: the initials of the family and middle names followed by the whole given name, without
/// diacritics (Lê Đức Thịnh → <c>ldthinh</c>). A taken address gets a number (<c>ldthinh1</c>, <c>ldthinh2</c>…).
/// An administrator may always type another address instead.
/// </summary>
public static class AddressGenerator
{
    public const int MaxLocalPartLength = 64;

    /// <summary>The local part for <paramref name="fullName"/> before any collision is resolved; empty when the name has no letters.</summary>
    public static string Base(string fullName)
    {
        // Key turns every white space (tab, new line, the no-break space of names pasted from Word or Excel) into ' '.
        var words = VietnameseText.Key(fullName)
            .Split([' ', '-', '.', ',', '\'', '(', ')'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(c => c is >= 'a' and <= 'z' or >= '0' and <= '9').ToArray()))
            .Where(w => w.Length > 0 && w.Any(char.IsLetter))
            .ToList();
        if (words.Count == 0) return "";
        var sb = new StringBuilder();
        for (var i = 0; i < words.Count - 1; i++) sb.Append(words[i][0]);
        sb.Append(words[^1]);
        var local = sb.ToString();
        return local.Length > MaxLocalPartLength - 4 ? local[..(MaxLocalPartLength - 4)] : local;
    }

    /// <summary>
    /// The first free local part for <paramref name="fullName"/>: the base, then the base with 1, 2, 3… appended.
    /// <paramref name="isTaken"/> answers for a local part (including quarantined addresses of closed accounts).
    /// </summary>
    public static string Suggest(string fullName, Func<string, bool> isTaken)
    {
        var local = Base(fullName);
        if (local.Length == 0) local = "user";
        if (!isTaken(local)) return local;
        for (var n = 1; ; n++)
        {
            var candidate = local + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!isTaken(candidate)) return candidate;
        }
    }

    /// <summary>Is <paramref name="local"/> an acceptable local part for a government address (ASCII letters, digits, dot, hyphen, underscore)?</summary>
    public static bool IsValidLocalPart(string local) =>
        local.Length is > 0 and <= MaxLocalPartLength
        && local.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-' or '_')
        && local[0] != '.' && local[^1] != '.' && !local.Contains("..", StringComparison.Ordinal);

    /// <summary>Is <paramref name="domain"/> a syntactically valid lower-case DNS name?</summary>
    public static bool IsValidDomain(string domain) =>
        domain.Length is > 2 and <= 253 && domain.Contains('.')
        && domain.Split('.').All(l => l.Length is > 0 and <= 63 && l[0] != '-' && l[^1] != '-'
            && l.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'));

    /// <summary>Splits and lower-cases an address, or returns null when it is not a valid government address.</summary>
    public static (string Local, string Domain)? ParseAddress(string address)
    {
        var a = address.Trim();
        // Checked before lower-casing: the Kelvin sign (U+212A) lower-cases to an ASCII k.
        if (!Ascii.IsValid(a)) return null;
        a = a.ToLowerInvariant();
        var at = a.IndexOf('@');
        if (at <= 0 || at != a.LastIndexOf('@')) return null;
        var (local, domain) = (a[..at], a[(at + 1)..]);
        return IsValidLocalPart(local) && IsValidDomain(domain) ? (local, domain) : null;
    }
}
