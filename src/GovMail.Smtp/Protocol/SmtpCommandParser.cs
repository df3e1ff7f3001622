using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;

namespace GovMail.Smtp.Protocol;

/// <summary>
/// Turns one command line (without its line ending) into an <see cref="SmtpCommand"/>, working on the bytes: strings are
/// made only for the values the session keeps (addresses, names, parameter values).
/// </summary>
public static class SmtpCommandParser
{
    /// <summary>ENVID is at most 100 characters (RFC 3461 section 4.4).</summary>
    private const int MaxEnvelopeIdLength = 100;

    public static SmtpParseResult Parse(ReadOnlySpan<byte> line)
    {
        line = TrimEnd(line);
        var space = line.IndexOf((byte)' ');
        var verb = space < 0 ? line : line[..space];
        var rest = space < 0 ? [] : TrimStart(line[(space + 1)..]);
        if (!TryGetKind(verb, out var kind)) return SmtpParseResult.Fail(SmtpReplies.UnknownCommand, null);

        switch (kind)
        {
            case SmtpCommandKind.Helo:
            case SmtpCommandKind.Ehlo:
                if (rest.IsEmpty) return SmtpParseResult.Fail(SmtpReplies.HeloSyntax, kind);
                var nameEnd = rest.IndexOf((byte)' ');
                return SmtpParseResult.Ok(SmtpCommand.Simple(kind, Encoding.UTF8.GetString(nameEnd < 0 ? rest : rest[..nameEnd])));
            case SmtpCommandKind.Mail:
                return ParseMail(rest);
            case SmtpCommandKind.Rcpt:
                return ParseRcpt(rest);
            case SmtpCommandKind.Bdat:
                return ParseBdat(rest);
            case SmtpCommandKind.Auth:
                return ParseAuth(rest);
            case SmtpCommandKind.Data:
            case SmtpCommandKind.Rset:
            case SmtpCommandKind.Quit:
            case SmtpCommandKind.StartTls:
                return rest.IsEmpty ? SmtpParseResult.Ok(SmtpCommand.Simple(kind)) : SmtpParseResult.Fail(SmtpReplies.NoParametersAllowed, kind);
            default:
                return SmtpParseResult.Ok(SmtpCommand.Simple(kind, rest.IsEmpty ? null : Encoding.UTF8.GetString(rest)));
        }
    }

    private static bool TryGetKind(ReadOnlySpan<byte> verb, out SmtpCommandKind kind)
    {
        kind = default;
        if (verb.Length == 8)
        {
            if (!Ascii.EqualsIgnoreCase(verb, "STARTTLS"u8)) return false;
            kind = SmtpCommandKind.StartTls;
            return true;
        }
        if (verb.Length != 4) return false;
        // Fold the four letters to upper case once, then compare as one integer.
        Span<byte> upper = stackalloc byte[4];
        if (Ascii.ToUpper(verb, upper, out _) != System.Buffers.OperationStatus.Done) return false;
        switch (upper)
        {
            case [(byte)'H', (byte)'E', (byte)'L', (byte)'O']: kind = SmtpCommandKind.Helo; return true;
            case [(byte)'E', (byte)'H', (byte)'L', (byte)'O']: kind = SmtpCommandKind.Ehlo; return true;
            case [(byte)'M', (byte)'A', (byte)'I', (byte)'L']: kind = SmtpCommandKind.Mail; return true;
            case [(byte)'R', (byte)'C', (byte)'P', (byte)'T']: kind = SmtpCommandKind.Rcpt; return true;
            case [(byte)'D', (byte)'A', (byte)'T', (byte)'A']: kind = SmtpCommandKind.Data; return true;
            case [(byte)'B', (byte)'D', (byte)'A', (byte)'T']: kind = SmtpCommandKind.Bdat; return true;
            case [(byte)'R', (byte)'S', (byte)'E', (byte)'T']: kind = SmtpCommandKind.Rset; return true;
            case [(byte)'N', (byte)'O', (byte)'O', (byte)'P']: kind = SmtpCommandKind.Noop; return true;
            case [(byte)'Q', (byte)'U', (byte)'I', (byte)'T']: kind = SmtpCommandKind.Quit; return true;
            case [(byte)'V', (byte)'R', (byte)'F', (byte)'Y']: kind = SmtpCommandKind.Vrfy; return true;
            case [(byte)'E', (byte)'X', (byte)'P', (byte)'N']: kind = SmtpCommandKind.Expn; return true;
            case [(byte)'H', (byte)'E', (byte)'L', (byte)'P']: kind = SmtpCommandKind.Help; return true;
            case [(byte)'A', (byte)'U', (byte)'T', (byte)'H']: kind = SmtpCommandKind.Auth; return true;
            default: return false;
        }
    }

    private static SmtpParseResult ParseMail(ReadOnlySpan<byte> rest)
    {
        if (rest.Length < 5 || !Ascii.EqualsIgnoreCase(rest[..5], "FROM:"u8)) return SmtpParseResult.Fail(SmtpReplies.MailSyntax, SmtpCommandKind.Mail);
        // "MAIL FROM: <a@b>" is not RFC 5321 but common; tolerate the space.
        rest = TrimStart(rest[5..]);
        if (rest.IsEmpty || rest[0] != (byte)'<') return SmtpParseResult.Fail(SmtpReplies.MailSyntax, SmtpCommandKind.Mail);
        if (!SmtpPathParser.TryParse(rest, allowNull: true, allowPostmaster: false, out var path, out var consumed))
            return SmtpParseResult.Fail(SmtpReplies.BadSenderAddress, SmtpCommandKind.Mail);
        rest = rest[consumed..];
        if (!rest.IsEmpty && rest[0] != (byte)' ') return SmtpParseResult.Fail(SmtpReplies.BadSenderAddress, SmtpCommandKind.Mail);

        var parameters = new MailParameters();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (NextParameter(ref rest, out var keyword, out var value, out var hasValue))
        {
            if (!IsKeyword(keyword)) return SmtpParseResult.Fail(SmtpReplies.MailSyntax, SmtpCommandKind.Mail);
            var name = Encoding.ASCII.GetString(keyword).ToUpperInvariant();
            if (!seen.Add(name)) return SmtpParseResult.Fail(SmtpReplies.DuplicateParameter(name), SmtpCommandKind.Mail);
            var bad = SmtpParseResult.Fail(SmtpReplies.BadParameterValue(name), SmtpCommandKind.Mail);
            if (hasValue && !IsEsmtpValue(value)) return bad;
            switch (name)
            {
                case "SIZE":
                    if (!hasValue || !TryParseNumber(value, out var size)) return bad;
                    parameters = parameters with { Size = size };
                    break;
                case "BODY":
                    if (!hasValue) return bad;
                    if (Ascii.EqualsIgnoreCase(value, "7BIT"u8)) parameters = parameters with { Body = SmtpBodyType.SevenBit };
                    else if (Ascii.EqualsIgnoreCase(value, "8BITMIME"u8)) parameters = parameters with { Body = SmtpBodyType.EightBitMime };
                    else if (Ascii.EqualsIgnoreCase(value, "BINARYMIME"u8)) parameters = parameters with { Body = SmtpBodyType.BinaryMime };
                    else return bad;
                    break;
                case "SMTPUTF8":
                    if (hasValue) return bad;
                    parameters = parameters with { SmtpUtf8 = true };
                    break;
                case "RET":
                    if (!hasValue) return bad;
                    if (Ascii.EqualsIgnoreCase(value, "FULL"u8)) parameters = parameters with { Return = "FULL" };
                    else if (Ascii.EqualsIgnoreCase(value, "HDRS"u8)) parameters = parameters with { Return = "HDRS" };
                    else return bad;
                    break;
                case "ENVID":
                    if (!hasValue || value.Length > MaxEnvelopeIdLength || !IsXText(value)) return bad;
                    parameters = parameters with { EnvelopeId = Encoding.ASCII.GetString(value) };
                    break;
                case "AUTH":
                    if (!hasValue || !(value.SequenceEqual("<>"u8) || IsXText(value))) return bad;
                    parameters = parameters with { Auth = Encoding.ASCII.GetString(value) };
                    break;
                default:
                    return SmtpParseResult.Fail(SmtpReplies.UnsupportedParameter(name), SmtpCommandKind.Mail);
            }
        }
        if (!rest.IsEmpty) return SmtpParseResult.Fail(SmtpReplies.MailSyntax, SmtpCommandKind.Mail);
        return SmtpParseResult.Ok(SmtpCommand.Mail(path, parameters));
    }

    private static SmtpParseResult ParseRcpt(ReadOnlySpan<byte> rest)
    {
        if (rest.Length < 3 || !Ascii.EqualsIgnoreCase(rest[..3], "TO:"u8)) return SmtpParseResult.Fail(SmtpReplies.RcptSyntax, SmtpCommandKind.Rcpt);
        rest = TrimStart(rest[3..]);
        if (rest.IsEmpty || rest[0] != (byte)'<') return SmtpParseResult.Fail(SmtpReplies.RcptSyntax, SmtpCommandKind.Rcpt);
        if (!SmtpPathParser.TryParse(rest, allowNull: false, allowPostmaster: true, out var path, out var consumed))
            return SmtpParseResult.Fail(SmtpReplies.BadRecipientAddress, SmtpCommandKind.Rcpt);
        rest = rest[consumed..];
        if (!rest.IsEmpty && rest[0] != (byte)' ') return SmtpParseResult.Fail(SmtpReplies.BadRecipientAddress, SmtpCommandKind.Rcpt);

        var parameters = new RecipientParameters();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (NextParameter(ref rest, out var keyword, out var value, out var hasValue))
        {
            if (!IsKeyword(keyword)) return SmtpParseResult.Fail(SmtpReplies.RcptSyntax, SmtpCommandKind.Rcpt);
            var name = Encoding.ASCII.GetString(keyword).ToUpperInvariant();
            if (!seen.Add(name)) return SmtpParseResult.Fail(SmtpReplies.DuplicateParameter(name), SmtpCommandKind.Rcpt);
            var bad = SmtpParseResult.Fail(SmtpReplies.BadParameterValue(name), SmtpCommandKind.Rcpt);
            if (hasValue && !IsEsmtpValue(value)) return bad;
            switch (name)
            {
                case "NOTIFY":
                    if (!hasValue || !TryParseNotify(value, out var notify)) return bad;
                    parameters = parameters with { Notify = notify };
                    break;
                case "ORCPT":
                    // addr-type ";" xtext (RFC 3461) or utf-8-addr-xtext / unitext (RFC 6533), which may carry UTF-8.
                    var semicolon = value.IndexOf((byte)';');
                    if (!hasValue || semicolon <= 0 || semicolon == value.Length - 1 || !IsKeyword(value[..semicolon]) || !Utf8.IsValid(value)) return bad;
                    parameters = parameters with { OriginalRecipient = Encoding.UTF8.GetString(value) };
                    break;
                default:
                    return SmtpParseResult.Fail(SmtpReplies.UnsupportedParameter(name), SmtpCommandKind.Rcpt);
            }
        }
        if (!rest.IsEmpty) return SmtpParseResult.Fail(SmtpReplies.RcptSyntax, SmtpCommandKind.Rcpt);
        return SmtpParseResult.Ok(SmtpCommand.Rcpt(path, parameters));
    }

    private static SmtpParseResult ParseBdat(ReadOnlySpan<byte> rest)
    {
        var space = rest.IndexOf((byte)' ');
        var number = space < 0 ? rest : rest[..space];
        var tail = space < 0 ? [] : TrimStart(rest[(space + 1)..]);
        if (!TryParseNumber(number, out var size)) return SmtpParseResult.Fail(SmtpReplies.BdatSyntax, SmtpCommandKind.Bdat);
        if (tail.IsEmpty) return SmtpParseResult.Ok(SmtpCommand.Bdat(size, last: false));
        if (Ascii.EqualsIgnoreCase(tail, "LAST"u8)) return SmtpParseResult.Ok(SmtpCommand.Bdat(size, last: true));
        return SmtpParseResult.Fail(SmtpReplies.BdatSyntax, SmtpCommandKind.Bdat);
    }

    private static SmtpParseResult ParseAuth(ReadOnlySpan<byte> rest)
    {
        var space = rest.IndexOf((byte)' ');
        var mechanism = space < 0 ? rest : rest[..space];
        var response = space < 0 ? [] : TrimStart(rest[(space + 1)..]);
        if (mechanism.IsEmpty || !IsKeyword(mechanism) || response.IndexOf((byte)' ') >= 0 || !Ascii.IsValid(response))
            return SmtpParseResult.Fail(SmtpReplies.AuthSyntax, SmtpCommandKind.Auth);
        return SmtpParseResult.Ok(SmtpCommand.Auth(
            Encoding.ASCII.GetString(mechanism).ToUpperInvariant(),
            response.IsEmpty ? null : Encoding.ASCII.GetString(response)));
    }

    /// <summary>Takes the next "keyword[=value]" off <paramref name="rest"/>, which starts with spaces or is empty.</summary>
    private static bool NextParameter(ref ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> keyword, out ReadOnlySpan<byte> value, out bool hasValue)
    {
        rest = TrimStart(rest);
        keyword = value = default;
        hasValue = false;
        if (rest.IsEmpty) return false;
        var end = rest.IndexOf((byte)' ');
        var token = end < 0 ? rest : rest[..end];
        rest = end < 0 ? [] : rest[end..];
        var equals = token.IndexOf((byte)'=');
        if (equals < 0)
        {
            keyword = token;
            return true;
        }
        keyword = token[..equals];
        value = token[(equals + 1)..];
        hasValue = true;
        return true;
    }

    // esmtp-value = 1*(%d33-60 / %d62-126), plus UTF-8 under SMTPUTF8 (RFC 6531 section 3.3)
    private static bool IsEsmtpValue(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return false;
        foreach (var b in value)
        {
            if (b < 33 || b == (byte)'=' || b == 127) return false;
        }
        return true;
    }

    // esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
    private static bool IsKeyword(ReadOnlySpan<byte> keyword)
    {
        if (keyword.IsEmpty || !char.IsAsciiLetterOrDigit((char)keyword[0])) return false;
        foreach (var b in keyword)
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b != (byte)'-') return false;
        }
        return true;
    }

    // xtext = *( xchar / hexchar ); xchar = %d33-42 / %d44-60 / %d62-126; hexchar = "+" 2HEXDIG
    private static bool IsXText(ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var b = value[i];
            if (b == (byte)'+')
            {
                if (i + 2 >= value.Length) return false;
                if (!char.IsAsciiHexDigit((char)value[i + 1]) || !char.IsAsciiHexDigit((char)value[i + 2])) return false;
                i += 2;
                continue;
            }
            if (b < 33 || b > 126 || b == (byte)'=') return false;
        }
        return true;
    }

    private static bool TryParseNotify(ReadOnlySpan<byte> value, out string notify)
    {
        notify = "";
        if (Ascii.EqualsIgnoreCase(value, "NEVER"u8))
        {
            notify = "NEVER";
            return true;
        }
        var builder = new StringBuilder(24);
        while (!value.IsEmpty)
        {
            var comma = value.IndexOf((byte)',');
            var item = comma < 0 ? value : value[..comma];
            value = comma < 0 ? [] : value[(comma + 1)..];
            string word;
            if (Ascii.EqualsIgnoreCase(item, "SUCCESS"u8)) word = "SUCCESS";
            else if (Ascii.EqualsIgnoreCase(item, "FAILURE"u8)) word = "FAILURE";
            else if (Ascii.EqualsIgnoreCase(item, "DELAY"u8)) word = "DELAY";
            else return false;
            if (builder.Length > 0) builder.Append(',');
            builder.Append(word);
            if (comma >= 0 && value.IsEmpty) return false;
        }
        notify = builder.ToString();
        return notify.Length > 0;
    }

    private static bool TryParseNumber(ReadOnlySpan<byte> digits, out long number)
    {
        number = 0;
        if (digits.IsEmpty || digits.Length > 18) return false;
        foreach (var b in digits)
        {
            if (!char.IsAsciiDigit((char)b)) return false;
        }
        return Utf8Parser.TryParse(digits, out number, out var consumed) && consumed == digits.Length;
    }

    private static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> span)
    {
        var i = 0;
        while (i < span.Length && (span[i] == (byte)' ' || span[i] == (byte)'\t')) i++;
        return span[i..];
    }

    private static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> span)
    {
        var end = span.Length;
        while (end > 0 && (span[end - 1] == (byte)' ' || span[end - 1] == (byte)'\t')) end--;
        return span[..end];
    }
}
