using System.Globalization;
using System.Text;
using GovMail.Core.Mail;

namespace GovMail.Migration;

/// <summary>
/// The mbox conventions GovMail writes and reads (mboxrd): a <c>From sender date</c> line opens each message, with the date in
/// UTC as asctime writes it; a body line starting with any number of <c>&gt;</c> then <c>From </c> gets one more <c>&gt;</c>
/// (taken off on reading, so every message comes back byte for byte); the flags travel in <c>Status</c> (R, O),
/// <c>X-Status</c> (A, F, T, D) and the keywords in <c>X-Keywords</c>, headers that exist only inside the mbox.
/// </summary>
public static class MboxFormat
{
    /// <summary>The headers that carry flags inside an mbox; never part of the message itself.</summary>
    public static readonly string[] FlagHeaders = ["Status", "X-Status", "X-Keywords"];

    /// <summary>The <c>From MAILER-DAEMON Tue Mar  5 08:15:00 2024</c> line that opens a message, with CRLF.</summary>
    public static string FromLine(DateTimeOffset internalDate)
    {
        var d = internalDate.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture,
            $"From MAILER-DAEMON {d:ddd MMM} {d.Day,2} {d:HH:mm:ss yyyy}\r\n");
    }

    /// <summary>The date of an mbox <c>From sender Tue Mar  5 08:15:00 2024</c> line (UTC, by convention), or null.</summary>
    public static DateTimeOffset? MarkerDate(string? marker)
    {
        if (marker is null) return null;
        var parts = marker.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 6) return null;
        var text = string.Join(' ', parts[^5..]).TrimEnd('\r', '\n');
        return DateTime.TryParseExact(text, ["ddd MMM d HH:mm:ss yyyy", "ddd MMM dd HH:mm:ss yyyy"], CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d) ? new DateTimeOffset(d, TimeSpan.Zero) : null;
    }

    /// <summary>The flag headers of a message, CRLF-terminated, to put before its own headers.</summary>
    public static string FlagLines(MessageFlags flags, IEnumerable<string> keywords)
    {
        var text = new StringBuilder();
        text.Append("Status: ").Append((flags & MessageFlags.Seen) != 0 ? "RO" : "O").Append("\r\n");
        var x = new StringBuilder();
        if ((flags & MessageFlags.Answered) != 0) x.Append('A');
        if ((flags & MessageFlags.Flagged) != 0) x.Append('F');
        if ((flags & MessageFlags.Draft) != 0) x.Append('T');
        if ((flags & MessageFlags.Deleted) != 0) x.Append('D');
        if (x.Length > 0) text.Append("X-Status: ").Append(x).Append("\r\n");
        var list = string.Join(' ', keywords);
        if (list.Length > 0) text.Append("X-Keywords: ").Append(list).Append("\r\n");
        return text.ToString();
    }

    /// <summary>The flags of <c>Status</c> and <c>X-Status</c> values (as mutt, Thunderbird and Dovecot write them).</summary>
    public static MessageFlags Flags(string? status, string? xStatus)
    {
        var all = (status ?? "") + (xStatus ?? "");
        var flags = MessageFlags.None;
        if (all.Contains('R')) flags |= MessageFlags.Seen;
        if (all.Contains('A')) flags |= MessageFlags.Answered;
        if (all.Contains('F')) flags |= MessageFlags.Flagged;
        if (all.Contains('D')) flags |= MessageFlags.Deleted;
        if (all.Contains('T')) flags |= MessageFlags.Draft;
        return flags;
    }

    /// <summary>The keywords of an <c>X-Keywords</c> value (spaces or commas between them).</summary>
    public static IReadOnlyList<string> Keywords(string? value) =>
        (value ?? "").Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Copies a message into an mbox, one more <c>&gt;</c> before each line that would read as a <c>From </c> line.</summary>
    public static void Quote(ReadOnlySpan<byte> message, Stream to)
    {
        var start = 0;
        while (start < message.Length)
        {
            var end = message[start..].IndexOf((byte)'\n');
            var line = end < 0 ? message[start..] : message.Slice(start, end + 1);
            if (IsFromLine(line)) to.WriteByte((byte)'>');
            to.Write(line);
            start += line.Length;
        }
    }

    /// <summary>
    /// A message as an mbox holds it (from its headers to its last byte, the separating line end included) back to itself: the
    /// flag headers dropped, one <c>&gt;</c> taken off each quoted <c>From </c> line, the line end that separates it from the next
    /// message taken off.
    /// </summary>
    public static byte[] Unquote(ReadOnlySpan<byte> stored)
    {
        var output = new MemoryStream(stored.Length);
        var start = 0;
        var inHeaders = true;
        var skippingHeader = false;
        while (start < stored.Length)
        {
            var end = stored[start..].IndexOf((byte)'\n');
            var line = end < 0 ? stored[start..] : stored.Slice(start, end + 1);
            start += line.Length;
            if (line.Length > 1 && line[0] == (byte)'>' && IsFromLine(line)) line = line[1..];
            else if (inHeaders)
            {
                if (line.Length > 0 && (line[0] == (byte)' ' || line[0] == (byte)'\t'))
                {
                    if (skippingHeader) continue;
                }
                else if (line.SequenceEqual("\r\n"u8) || line.SequenceEqual("\n"u8)) inHeaders = false;
                else
                {
                    skippingHeader = IsFlagHeader(line);
                    if (skippingHeader) continue;
                }
            }
            output.Write(line);
        }
        var bytes = output.ToArray();
        // The separator: the empty line written after the message, before the next From line (or the end of the file).
        var span = bytes.AsSpan();
        if (span.EndsWith("\n\r\n"u8)) return bytes[..^2];
        return span.EndsWith("\n\n"u8) ? bytes[..^1] : bytes;
    }

    /// <summary><c>From </c> after any number of <c>&gt;</c> at the start of a line.</summary>
    private static bool IsFromLine(ReadOnlySpan<byte> line)
    {
        var i = 0;
        while (i < line.Length && line[i] == (byte)'>') i++;
        return line[i..].StartsWith("From "u8);
    }

    private static bool IsFlagHeader(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0) return false;
        var name = Encoding.ASCII.GetString(line[..colon]).TrimEnd();
        return FlagHeaders.Contains(name, StringComparer.OrdinalIgnoreCase);
    }
}
