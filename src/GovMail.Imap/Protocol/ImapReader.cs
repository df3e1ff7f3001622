using System.Buffers.Text;
using System.Text;

namespace GovMail.Imap.Protocol;

/// <summary>
/// Reads the tokens of one complete command (its line or lines, the literals between them, the final CRLF) from a span:
/// atoms stay spans, only the strings a command keeps become <see cref="string"/>s. Every mistake throws an
/// <see cref="ImapSyntaxException"/> whose message becomes the text of the <c>BAD</c> response.
/// </summary>
internal ref struct ImapReader(ReadOnlySpan<byte> data)
{
    /// <summary>Longest quoted string or literal a command argument may be (APPEND's message is streamed, not read here).</summary>
    public const int MaxStringLength = 64 * 1024;

    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly int Position => _position;

    public readonly byte Peek => _position < _data.Length ? _data[_position] : (byte)0;

    /// <summary>Only the line ending (or nothing) is left.</summary>
    public readonly bool AtEnd
    {
        get
        {
            var rest = _data[_position..];
            return rest.IsEmpty || rest.SequenceEqual("\r\n"u8) || rest.SequenceEqual("\n"u8);
        }
    }

    public void ExpectEnd()
    {
        if (!AtEnd) throw new ImapSyntaxException("Unexpected characters at the end of the command.");
    }

    public void Space()
    {
        if (Peek != (byte)' ') throw new ImapSyntaxException(AtEnd ? "Missing arguments." : "Expected a space.");
        _position++;
    }

    public bool TrySpace() => TryByte((byte)' ');

    public bool TryByte(byte b)
    {
        if (Peek != b || _position >= _data.Length) return false;
        _position++;
        return true;
    }

    public void Expect(byte b, string message)
    {
        if (!TryByte(b)) throw new ImapSyntaxException(message);
    }

    /// <summary>1*ATOM-CHAR.</summary>
    public ReadOnlySpan<byte> Atom()
    {
        var start = _position;
        while (_position < _data.Length && IsAtomChar(_data[_position])) _position++;
        if (_position == start) throw new ImapSyntaxException("Expected an atom.");
        return _data[start.._position];
    }

    /// <summary>The command tag: ASTRING-CHARs except <c>+</c>.</summary>
    public ReadOnlySpan<byte> Tag()
    {
        var start = _position;
        while (_position < _data.Length && IsAStringChar(_data[_position]) && _data[_position] != (byte)'+' && _data[_position] < 0x80) _position++;
        if (_position == start) throw new ImapSyntaxException("Missing or invalid tag.");
        return _data[start.._position];
    }

    /// <summary>Letters, digits, dots and dashes: a FETCH item or section name (<c>BODY.PEEK</c>, <c>HEADER.FIELDS</c>).</summary>
    public ReadOnlySpan<byte> Word()
    {
        var start = _position;
        while (_position < _data.Length && (char.IsAsciiLetterOrDigit((char)_data[_position]) || _data[_position] is (byte)'.' or (byte)'-' or (byte)'='))
            _position++;
        if (_position == start) throw new ImapSyntaxException("Expected a name.");
        return _data[start.._position];
    }

    /// <summary>An astring: an atom (with <c>]</c>), a quoted string or a literal, decoded as UTF-8.</summary>
    public string AString()
    {
        var b = Peek;
        if (b is (byte)'"' or (byte)'{' or (byte)'~') return String();
        var start = _position;
        while (_position < _data.Length && (IsAStringChar(_data[_position]) || _data[_position] >= 0x80)) _position++;
        if (_position == start) throw new ImapSyntaxException("Expected a string.");
        return Decode(_data[start.._position]);
    }

    /// <summary>A list-mailbox: like an astring, with the wildcards <c>%</c> and <c>*</c> allowed in the atom form.</summary>
    public string ListMailbox()
    {
        var b = Peek;
        if (b is (byte)'"' or (byte)'{') return String();
        var start = _position;
        while (_position < _data.Length && (IsAStringChar(_data[_position]) || _data[_position] is (byte)'%' or (byte)'*' || _data[_position] >= 0x80))
            _position++;
        if (_position == start) throw new ImapSyntaxException("Expected a mailbox pattern.");
        return Decode(_data[start.._position]);
    }

    /// <summary>A quoted string or a literal.</summary>
    public string String()
    {
        if (Peek == (byte)'"') return Quoted();
        if (Peek is (byte)'{' or (byte)'~') return Decode(Literal());
        throw new ImapSyntaxException("Expected a quoted string or a literal.");
    }

    /// <summary>A string or NIL.</summary>
    public string? NString()
    {
        if (Peek is (byte)'N' or (byte)'n')
        {
            var atom = Atom();
            if (!Ascii.EqualsIgnoreCase(atom, "NIL"u8)) throw new ImapSyntaxException("Expected a string or NIL.");
            return null;
        }
        return String();
    }

    private string Quoted()
    {
        _position++;
        var start = _position;
        var escaped = false;
        while (true)
        {
            if (_position >= _data.Length) throw new ImapSyntaxException("Unterminated quoted string.");
            var b = _data[_position];
            if (b is (byte)'\r' or (byte)'\n') throw new ImapSyntaxException("Unterminated quoted string.");
            if (b == (byte)'\\')
            {
                escaped = true;
                if (_position + 1 >= _data.Length || _data[_position + 1] is not ((byte)'"' or (byte)'\\'))
                    throw new ImapSyntaxException("Only \\\" and \\\\ may be escaped in a quoted string.");
                _position += 2;
                continue;
            }
            if (b == (byte)'"') break;
            _position++;
        }
        var raw = _data[start.._position];
        _position++;
        if (raw.Length > MaxStringLength) throw new ImapSyntaxException("String too long.");
        if (!escaped) return Decode(raw);
        Span<byte> copy = raw.Length <= 1024 ? stackalloc byte[raw.Length] : new byte[raw.Length];
        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == (byte)'\\') i++;
            copy[n++] = raw[i];
        }
        return Decode(copy[..n]);
    }

    /// <summary>A literal's octets: <c>{n}</c>, <c>{n+}</c> or <c>~{n}</c>, the line break, then n octets.</summary>
    public ReadOnlySpan<byte> Literal()
    {
        TryByte((byte)'~');
        Expect((byte)'{', "Expected a literal.");
        var size = Number64();
        if (!TryByte((byte)'+')) TryByte((byte)'-');
        Expect((byte)'}', "Bad literal marker.");
        TryByte((byte)'\r');
        Expect((byte)'\n', "A literal marker must end the line.");
        if (size > MaxStringLength) throw new ImapSyntaxException("Literal too long.");
        if (_data.Length - _position < size) throw new ImapSyntaxException("Literal shorter than announced.");
        var literal = _data.Slice(_position, (int)size);
        _position += (int)size;
        return literal;
    }

    /// <summary>A number (RFC 3501 <c>number</c>: up to 32 bits).</summary>
    public uint Number()
    {
        var n = Number64();
        if (n > uint.MaxValue) throw new ImapSyntaxException("Number too large.");
        return (uint)n;
    }

    /// <summary>A 63-bit number (<c>number64</c> of RFC 9051: MODSEQ, sizes).</summary>
    public long Number64()
    {
        var start = _position;
        while (_position < _data.Length && char.IsAsciiDigit((char)_data[_position])) _position++;
        var digits = _data[start.._position];
        if (digits.IsEmpty) throw new ImapSyntaxException("Expected a number.");
        if (!Utf8Parser.TryParse(digits, out long value, out var consumed) || consumed != digits.Length || value < 0)
            throw new ImapSyntaxException("Number too large.");
        return value;
    }

    /// <summary>A sequence set such as <c>1:3,7,9:*</c>, or <c>$</c> for the saved search result (RFC 5182).</summary>
    public SequenceSet SequenceSet()
    {
        if (TryByte((byte)'$')) return Protocol.SequenceSet.Saved;
        var start = _position;
        while (_position < _data.Length && (char.IsAsciiDigit((char)_data[_position]) || _data[_position] is (byte)':' or (byte)',' or (byte)'*'))
            _position++;
        return Protocol.SequenceSet.Parse(_data[start.._position]) ?? throw new ImapSyntaxException("Invalid sequence set.");
    }

    public static bool IsAtomChar(byte b) =>
        b is > 0x20 and < 0x7F and not ((byte)'(' or (byte)')' or (byte)'{' or (byte)'%' or (byte)'*' or (byte)'"' or (byte)'\\' or (byte)']');

    public static bool IsAStringChar(byte b) => IsAtomChar(b) || b == (byte)']';

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Ascii.IsValid(bytes)) return Encoding.ASCII.GetString(bytes);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // Old clients send Latin-1; keep the octets rather than refuse.
            return Encoding.Latin1.GetString(bytes);
        }
    }
}

/// <summary>A command that does not follow the grammar; its message is the text of the BAD response.</summary>
internal sealed class ImapSyntaxException(string message) : Exception(message);
