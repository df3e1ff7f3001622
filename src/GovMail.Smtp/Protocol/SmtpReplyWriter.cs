using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using GovMail.Core.Text;

namespace GovMail.Smtp.Protocol;

/// <summary>
/// Turns an <see cref="SmtpReply"/> into bytes: one line per line of text, <c>250-</c> on all but the last, the enhanced
/// status code on every line (RFC 2034), CRLF endings. Reply text is ASCII unless the client asked for SMTPUTF8
/// (RFC 6531 section 3.7.4); otherwise Vietnamese is folded to plain letters (<c>Không</c> → <c>Khong</c>).
/// Control characters in a text (say, from an address a policy echoes) are replaced, so a reply can never inject a line.
/// </summary>
public static class SmtpReplyWriter
{
    private static readonly ConditionalWeakTable<string, string> AsciiTexts = new();

    public static void Write(IBufferWriter<byte> output, SmtpReply reply, bool utf8)
    {
        var text = utf8 || Ascii.IsValid(reply.Text) ? reply.Text : AsciiTexts.GetValue(reply.Text, ToAscii);
        var remaining = text.AsSpan();
        while (true)
        {
            var newline = remaining.IndexOf('\n');
            var line = newline < 0 ? remaining : remaining[..newline];
            if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
            WriteLine(output, reply.Code, reply.Enhanced, line, last: newline < 0);
            if (newline < 0) return;
            remaining = remaining[(newline + 1)..];
        }
    }

    /// <summary>The bytes of a reply as a string, for logs and tests.</summary>
    public static string Format(SmtpReply reply, bool utf8)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        Write(buffer, reply, utf8);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteLine(IBufferWriter<byte> output, int code, string? enhanced, ReadOnlySpan<char> text, bool last)
    {
        var maxLength = 4 + (enhanced?.Length + 1 ?? 0) + Encoding.UTF8.GetMaxByteCount(text.Length) + 2;
        var span = output.GetSpan(maxLength);
        span[0] = (byte)('0' + code / 100 % 10);
        span[1] = (byte)('0' + code / 10 % 10);
        span[2] = (byte)('0' + code % 10);
        span[3] = last ? (byte)' ' : (byte)'-';
        var written = 4;
        if (enhanced is not null)
        {
            written += Encoding.ASCII.GetBytes(enhanced, span[written..]);
            span[written++] = (byte)' ';
        }
        var textStart = written;
        written += Encoding.UTF8.GetBytes(text, span[written..]);
        foreach (ref var b in span[textStart..written])
        {
            if ((b < 0x20 && b != (byte)'\t') || b == 0x7F) b = (byte)' ';
        }
        span[written++] = (byte)'\r';
        span[written++] = (byte)'\n';
        output.Advance(written);
    }

    private static string ToAscii(string text)
    {
        var folded = VietnameseText.Fold(text);
        return string.Create(folded.Length, folded, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = source[i] < 0x80 ? source[i] : '?';
        });
    }
}
