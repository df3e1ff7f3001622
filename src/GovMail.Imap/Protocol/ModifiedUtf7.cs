using System.Text;

namespace GovMail.Imap.Protocol;

/// <summary>
/// The modified UTF-7 of IMAP mailbox names (RFC 3501 section 5.1.3): printable ASCII stands for itself, <c>&amp;</c> is
/// <c>&amp;-</c>, anything else is UTF-16 in base64 with <c>,</c> for <c>/</c> between <c>&amp;</c> and <c>-</c>.
/// <c>Công văn đến</c> is <c>C&amp;APQ-ng v&amp;AQM-n &amp;AREevw-n</c>.
/// </summary>
public static class ModifiedUtf7
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    public static string Encode(string name)
    {
        var ascii = true;
        foreach (var c in name)
        {
            if (c is < ' ' or > '~' or '&')
            {
                ascii = false;
                break;
            }
        }
        if (ascii) return name;

        var sb = new StringBuilder(name.Length * 2);
        var i = 0;
        while (i < name.Length)
        {
            var c = name[i];
            if (c == '&')
            {
                sb.Append("&-");
                i++;
            }
            else if (c is >= ' ' and <= '~')
            {
                sb.Append(c);
                i++;
            }
            else
            {
                var start = i;
                while (i < name.Length && name[i] is < ' ' or > '~') i++;
                sb.Append('&');
                AppendBase64(sb, name.AsSpan(start, i - start));
                sb.Append('-');
            }
        }
        return sb.ToString();
    }

    /// <summary>Decodes a name; false when it is not valid modified UTF-7 (a stray <c>&amp;</c>, bad base64, ASCII encoded needlessly).</summary>
    public static bool TryDecode(string encoded, out string name)
    {
        name = encoded;
        var amp = encoded.IndexOf('&');
        if (amp < 0) return true;

        var sb = new StringBuilder(encoded.Length);
        sb.Append(encoded, 0, amp);
        var i = amp;
        while (i < encoded.Length)
        {
            var c = encoded[i];
            if (c != '&')
            {
                sb.Append(c);
                i++;
                continue;
            }
            var end = encoded.IndexOf('-', i + 1);
            if (end < 0) return false;
            if (end == i + 1)
            {
                sb.Append('&');
                i = end + 1;
                continue;
            }
            if (!TryAppendDecoded(sb, encoded.AsSpan(i + 1, end - i - 1))) return false;
            i = end + 1;
        }
        name = sb.ToString();
        return true;
    }

    private static void AppendBase64(StringBuilder sb, ReadOnlySpan<char> chars)
    {
        // UTF-16 big-endian, six bits at a time, no padding.
        int bits = 0, buffer = 0;
        foreach (var c in chars)
        {
            buffer = (buffer << 16) | c;
            bits += 16;
            while (bits >= 6)
            {
                bits -= 6;
                sb.Append(Alphabet[(buffer >> bits) & 0x3F]);
            }
            buffer &= (1 << bits) - 1;
        }
        if (bits > 0) sb.Append(Alphabet[(buffer << (6 - bits)) & 0x3F]);
    }

    private static bool TryAppendDecoded(StringBuilder sb, ReadOnlySpan<char> base64)
    {
        int bits = 0, buffer = 0;
        var start = sb.Length;
        foreach (var c in base64)
        {
            var value = Alphabet.IndexOf(c);
            if (value < 0) return false;
            buffer = (buffer << 6) | value;
            bits += 6;
            if (bits >= 16)
            {
                bits -= 16;
                var ch = (char)((buffer >> bits) & 0xFFFF);
                // Printable ASCII must stand for itself (RFC 3501): an encoded one means a broken or hostile name.
                if (ch is >= ' ' and <= '~') return false;
                sb.Append(ch);
                buffer &= (1 << bits) - 1;
            }
        }
        // Leftover bits are padding and must be zero; fewer than 6 of them, or the encoder wrote a useless character.
        if (bits >= 6 || buffer != 0) return false;
        var decoded = sb.ToString(start, sb.Length - start);
        // Surrogates must pair up.
        for (var i = 0; i < decoded.Length; i++)
        {
            if (char.IsHighSurrogate(decoded[i]))
            {
                if (i + 1 >= decoded.Length || !char.IsLowSurrogate(decoded[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(decoded[i])) return false;
        }
        return sb.Length > start;
    }
}
