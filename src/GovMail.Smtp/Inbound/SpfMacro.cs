using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GovMail.Smtp.Inbound;

/// <summary>What the SPF macros (RFC 7208 §7) expand to for one check.</summary>
public sealed record SpfMacroContext(IPAddress Ip, string Sender, string Domain, string HeloName);

/// <summary>
/// SPF macro-strings (RFC 7208 §7): <c>%{s}</c> <c>%{l}</c> <c>%{o}</c> <c>%{d}</c> <c>%{i}</c> <c>%{p}</c> <c>%{v}</c>
/// <c>%{h}</c> with the digit and <c>r</c> transformers and delimiters, <c>%%</c>, <c>%_</c>, <c>%-</c>; upper-case letters
/// are URL-escaped. <c>c</c>, <c>r</c>, <c>t</c> exist only in <c>exp</c>. <c>%{p}</c> expands to <c>unknown</c>
/// (allowed by §7.3), which saves the reverse lookups the RFC itself discourages.
/// </summary>
public static class SpfMacro
{
    private const string Delimiters = ".-+,/_=";

    /// <summary>Whether <paramref name="text"/> is a well-formed macro-string.</summary>
    public static bool IsValid(string text, bool explanation) => Expand(text, null, explanation) is not null;

    /// <summary>The expanded string, or null when the macro-string is malformed.</summary>
    public static string? Expand(string text, SpfMacroContext? context, bool explanation = false)
    {
        var sb = new StringBuilder(text.Length + 32);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '%')
            {
                if (c is < '!' or > '~') return null;
                sb.Append(c);
                continue;
            }
            if (++i >= text.Length) return null;
            switch (text[i])
            {
                case '%': sb.Append('%'); continue;
                case '_': sb.Append(' '); continue;
                case '-': sb.Append("%20"); continue;
                case '{': break;
                default: return null;
            }
            var end = text.IndexOf('}', i);
            if (end < 0 || end == i + 1) return null;
            var expansion = ExpandOne(text.AsSpan(i + 1, end - i - 1), context, explanation);
            if (expansion is null) return null;
            sb.Append(expansion);
            i = end;
        }
        return sb.ToString();
    }

    private static string? ExpandOne(ReadOnlySpan<char> macro, SpfMacroContext? context, bool explanation)
    {
        var letter = macro[0];
        var lower = char.ToLowerInvariant(letter);
        if ("slodipvh".IndexOf(lower) < 0 && !(explanation && "crt".IndexOf(lower) >= 0)) return null;
        var k = 1;
        while (k < macro.Length && char.IsAsciiDigit(macro[k])) k++;
        var keep = k > 1 ? int.Parse(macro[1..k], CultureInfo.InvariantCulture) : int.MaxValue;
        if (keep == 0) return null;
        var reverse = k < macro.Length && (macro[k] is 'r' or 'R');
        if (reverse) k++;
        var delimiters = macro[k..];
        foreach (var d in delimiters)
            if (Delimiters.IndexOf(d) < 0) return null;
        if (context is null) return "x";

        var value = Value(lower, context);
        var parts = value.Split(delimiters.Length == 0 ? ['.'] : delimiters.ToArray());
        if (reverse) Array.Reverse(parts);
        if (keep < parts.Length) parts = parts[^keep..];
        var joined = string.Join('.', parts);
        return char.IsAsciiLetterUpper(letter) ? Uri.EscapeDataString(joined) : joined;
    }

    private static string Value(char letter, SpfMacroContext c) => letter switch
    {
        's' => c.Sender,
        'l' => c.Sender[..c.Sender.LastIndexOf('@')],
        'o' => c.Sender[(c.Sender.LastIndexOf('@') + 1)..],
        'd' => c.Domain,
        'i' or 'c' => c.Ip.AddressFamily == AddressFamily.InterNetworkV6 && letter == 'i' ? Nibbles(c.Ip) : c.Ip.ToString(),
        'p' => "unknown",
        'v' => c.Ip.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6" : "in-addr",
        'h' => c.HeloName,
        'r' => "unknown",
        't' => "0",
        _ => "",
    };

    /// <summary>An IPv6 address as dot-separated nibbles, most significant first (§7.3).</summary>
    private static string Nibbles(IPAddress ip)
    {
        var bytes = ip.GetAddressBytes();
        var sb = new StringBuilder(63);
        foreach (var b in bytes)
        {
            if (sb.Length > 0) sb.Append('.');
            sb.Append("0123456789abcdef"[b >> 4]).Append('.').Append("0123456789abcdef"[b & 0xF]);
        }
        return sb.ToString();
    }
}
