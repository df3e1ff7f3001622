using System.Text;

namespace GovMail.Imap.Fetch;

/// <summary>
/// Unicode header text for a client that did not enable UTF8=ACCEPT: RFC 2047 encoded words (<c>=?utf-8?B?…?=</c>),
/// split on character boundaries so no word exceeds 75 characters.
/// </summary>
public static class EncodedWords
{
    // 45 octets of UTF-8 make 60 base64 characters; with "=?utf-8?B?" and "?=" a word stays within 75.
    private const int MaxOctetsPerWord = 45;

    public static string? ForClient(string? text, bool utf8)
    {
        if (text is null || utf8 || Ascii.IsValid(text)) return text;
        return Encode(text);
    }

    public static string Encode(string text)
    {
        var sb = new StringBuilder(text.Length * 2);
        Span<byte> chunk = stackalloc byte[MaxOctetsPerWord];
        Span<byte> one = stackalloc byte[4];
        var length = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var n = rune.EncodeToUtf8(one);
            if (length + n > MaxOctetsPerWord)
            {
                Append(sb, chunk[..length]);
                length = 0;
            }
            one[..n].CopyTo(chunk[length..]);
            length += n;
        }
        if (length > 0) Append(sb, chunk[..length]);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, ReadOnlySpan<byte> octets)
    {
        if (sb.Length > 0) sb.Append(' ');
        sb.Append("=?utf-8?B?").Append(Convert.ToBase64String(octets)).Append("?=");
    }
}
