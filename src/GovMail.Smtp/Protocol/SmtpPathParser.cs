using System.Text;
using System.Text.Unicode;

namespace GovMail.Smtp.Protocol;

/// <summary>
/// Parses the <c>&lt;...&gt;</c> path of MAIL FROM and RCPT TO (RFC 5321 section 4.1.2) with the UTF-8 additions of
/// RFC 6531: dot-string or quoted local parts, domains or address literals, an optional source route (ignored), the null
/// path <c>&lt;&gt;</c> for MAIL and a bare <c>&lt;Postmaster&gt;</c> for RCPT.
/// </summary>
public static class SmtpPathParser
{
    /// <summary>RFC 5321 section 4.5.3.1.3, angle brackets included.</summary>
    public const int MaxPathLength = 256;

    private static readonly bool[] AText = BuildAText();

    /// <summary>Parses a path at the start of <paramref name="input"/>; <paramref name="consumed"/> is the length up to and including '&gt;'.</summary>
    public static bool TryParse(ReadOnlySpan<byte> input, bool allowNull, bool allowPostmaster, out SmtpPath path, out int consumed)
    {
        path = SmtpPath.Null;
        consumed = 0;
        if (input.Length < 2 || input[0] != (byte)'<') return false;
        var i = 1;
        if (input[i] == (byte)'>')
        {
            if (!allowNull) return false;
            consumed = 2;
            return true;
        }
        if (input[i] == (byte)'@' && !TrySkipSourceRoute(input, ref i)) return false;

        var start = i;
        if (!TrySkipLocalPart(input, ref i)) return false;
        if (i < input.Length && input[i] == (byte)'>' && allowPostmaster && Ascii.EqualsIgnoreCase(input[start..i], "postmaster"u8))
            return Finish(input, start, i, out path, out consumed);
        if (i >= input.Length || input[i] != (byte)'@') return false;
        i++;
        if (i < input.Length && input[i] == (byte)'[')
        {
            if (!TrySkipAddressLiteral(input, ref i)) return false;
        }
        else if (!TrySkipDomain(input, ref i)) return false;
        if (i >= input.Length || input[i] != (byte)'>') return false;
        return Finish(input, start, i, out path, out consumed);
    }

    private static bool Finish(ReadOnlySpan<byte> input, int start, int end, out SmtpPath path, out int consumed)
    {
        path = SmtpPath.Null;
        consumed = end + 1;
        if (consumed > MaxPathLength) return false;
        var address = input[start..end];
        var nonAscii = !Ascii.IsValid(address);
        if (nonAscii && !Utf8.IsValid(address)) return false;
        path = new SmtpPath(Encoding.UTF8.GetString(address), IsNull: false, IsNonAscii: nonAscii);
        return true;
    }

    // A-d-l ":" where A-d-l = At-domain *( "," At-domain ); RFC 5321 says to accept and ignore it.
    private static bool TrySkipSourceRoute(ReadOnlySpan<byte> input, ref int i)
    {
        while (true)
        {
            if (i >= input.Length || input[i] != (byte)'@') return false;
            i++;
            if (!TrySkipDomain(input, ref i)) return false;
            if (i >= input.Length) return false;
            if (input[i] == (byte)':')
            {
                i++;
                return true;
            }
            if (input[i] != (byte)',') return false;
            i++;
        }
    }

    private static bool TrySkipLocalPart(ReadOnlySpan<byte> input, ref int i)
    {
        if (i >= input.Length) return false;
        if (input[i] == (byte)'"')
        {
            i++;
            while (i < input.Length)
            {
                var b = input[i];
                if (b == (byte)'"')
                {
                    i++;
                    return true;
                }
                if (b == (byte)'\\')
                {
                    // quoted-pairSMTP = %d92 %d32-126
                    if (i + 1 >= input.Length || input[i + 1] < 32 || input[i + 1] > 126) return false;
                    i += 2;
                    continue;
                }
                // qtextSMTP = %d32-33 / %d35-91 / %d93-126, plus UTF-8 (RFC 6531)
                if (b < 32 || b == 127) return false;
                i++;
            }
            return false;
        }
        // Dot-string = Atom *("." Atom)
        while (true)
        {
            var atomStart = i;
            while (i < input.Length && AText[input[i]]) i++;
            if (i == atomStart) return false;
            if (i < input.Length && input[i] == (byte)'.')
            {
                i++;
                continue;
            }
            return true;
        }
    }

    // Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str], or a U-label (UTF-8) under SMTPUTF8.
    private static bool TrySkipDomain(ReadOnlySpan<byte> input, ref int i)
    {
        while (true)
        {
            if (i >= input.Length || !IsLetDig(input[i])) return false;
            var last = input[i];
            i++;
            while (i < input.Length && (IsLetDig(input[i]) || input[i] == (byte)'-'))
            {
                last = input[i];
                i++;
            }
            if (last == (byte)'-') return false;
            if (i < input.Length && input[i] == (byte)'.')
            {
                i++;
                continue;
            }
            return true;
        }
    }

    // address-literal = "[" ( IPv4 / IPv6 / General-address-literal ) "]"; only its characters are checked here.
    private static bool TrySkipAddressLiteral(ReadOnlySpan<byte> input, ref int i)
    {
        i++;
        var start = i;
        while (i < input.Length && input[i] != (byte)']')
        {
            var b = input[i];
            if (b < 33 || b > 126 || b == (byte)'[' || b == (byte)'\\') return false;
            i++;
        }
        if (i >= input.Length || i == start) return false;
        i++;
        return true;
    }

    private static bool IsLetDig(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or >= 0x80;

    private static bool[] BuildAText()
    {
        var table = new bool[256];
        for (var b = 'a'; b <= 'z'; b++) table[b] = true;
        for (var b = 'A'; b <= 'Z'; b++) table[b] = true;
        for (var b = '0'; b <= '9'; b++) table[b] = true;
        foreach (var b in "!#$%&'*+-/=?^_`{|}~") table[b] = true;
        for (var b = 0x80; b <= 0xFF; b++) table[b] = true;
        return table;
    }
}
