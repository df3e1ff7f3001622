using System.Buffers;
using System.Text;

namespace GovMail.Imap.Fetch;

/// <summary>
/// BODY[HEADER.FIELDS (…)] and BODY[HEADER.FIELDS.NOT (…)]: the header fields of a header block that are (or are not)
/// named, each with its continuation lines, followed by the empty line that ends a header (RFC 3501 section 6.4.5).
/// </summary>
public static class HeaderFilter
{
    public static byte[] Filter(ReadOnlySpan<byte> header, IReadOnlyList<string> fields, bool exclude)
    {
        var output = new ArrayBufferWriter<byte>(Math.Min(header.Length, 4096) + 2);
        var keep = false;
        while (!header.IsEmpty)
        {
            var lf = header.IndexOf((byte)'\n');
            var line = lf < 0 ? header : header[..(lf + 1)];
            header = lf < 0 ? [] : header[(lf + 1)..];
            var content = line.TrimEnd("\r\n"u8);
            if (content.IsEmpty) break;
            if (line[0] is not ((byte)' ' or (byte)'\t'))
            {
                var colon = content.IndexOf((byte)':');
                keep = colon > 0 && Named(content[..colon].TrimEnd(" \t"u8), fields) != exclude;
            }
            if (keep) output.Write(line);
        }
        output.Write("\r\n"u8);
        return output.WrittenSpan.ToArray();
    }

    private static bool Named(ReadOnlySpan<byte> name, IReadOnlyList<string> fields)
    {
        Span<char> chars = stackalloc char[Math.Min(name.Length, 256)];
        if (name.Length > chars.Length) return false;
        var n = Encoding.Latin1.GetChars(name, chars);
        foreach (var field in fields)
            if (chars[..n].Equals(field, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
