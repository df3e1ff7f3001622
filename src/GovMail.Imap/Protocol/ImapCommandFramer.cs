using System.Buffers;

namespace GovMail.Imap.Protocol;

/// <summary>What the framer found in the input so far.</summary>
public enum FrameStatus
{
    /// <summary>More input is needed.</summary>
    Incomplete,
    /// <summary>A whole command of <see cref="FrameResult.Length"/> octets is buffered.</summary>
    Complete,
    /// <summary>A synchronizing literal was announced: send <c>+</c> and read on.</summary>
    NeedContinuation,
    /// <summary>The message literal of an APPEND follows the first <see cref="FrameResult.Length"/> octets: stream it.</summary>
    AppendLiteral,
    /// <summary>A literal of <see cref="FrameResult.LiteralSize"/> octets is more than the server takes.</summary>
    LiteralTooLarge,
    /// <summary>The command is longer than the server takes (without its APPEND message).</summary>
    TooLong,
    /// <summary>
    /// A non-synchronizing literal above the LITERAL- limit (RFC 7888 section 4): its <see cref="FrameResult.LiteralSize"/>
    /// octets are on their way and must be read past before the command is refused.
    /// </summary>
    NonSynchronizingTooLarge,
}

/// <summary>The framer's answer; <see cref="Length"/> counts octets from the start of the command.</summary>
public readonly record struct FrameResult(FrameStatus Status, long Length = 0, long LiteralSize = 0, bool NonSynchronizing = false);

/// <summary>
/// Finds where one command ends in the input (RFC 3501 section 4.3): a line, or lines joined by literals
/// (<c>{n}</c> synchronizing, <c>{n+}</c> non-synchronizing, LITERAL+). The command stays in the pipe until it is
/// whole, so limits are checked while it arrives: no command may exceed <c>maxCommandSize</c> octets, no literal
/// <c>maxLiteralSize</c>; APPEND's message literal is handed to the session to stream instead. Under LITERAL- no
/// non-synchronizing literal, APPEND's included, may exceed <c>maxNonSynchronizingLiteral</c>.
/// </summary>
public sealed class ImapCommandFramer(int maxCommandSize, long maxLiteralSize, long maxNonSynchronizingLiteral = long.MaxValue)
{
    /// <summary>The largest non-synchronizing literal a LITERAL- server takes (RFC 7888 section 4, RFC 9051 section 4.3).</summary>
    public const int LiteralMinusLimit = 4096;

    private const int MaxMarkerLength = 32;

    private long _scanFrom;
    private long _literalEnd = -1;

    /// <summary>Whether part of a command has been seen (then a stop waits for it to end).</summary>
    public bool InCommand => _scanFrom > 0 || _literalEnd >= 0;

    public void Reset()
    {
        _scanFrom = 0;
        _literalEnd = -1;
    }

    /// <summary>Looks at the input, which starts where the current command starts; call again with more input after Incomplete or NeedContinuation.</summary>
    public FrameResult Frame(in ReadOnlySequence<byte> buffer)
    {
        while (true)
        {
            if (_literalEnd >= 0)
            {
                if (buffer.Length < _literalEnd) return new FrameResult(FrameStatus.Incomplete);
                _scanFrom = _literalEnd;
                _literalEnd = -1;
            }

            var rest = buffer.Slice(_scanFrom);
            var lf = rest.PositionOf((byte)'\n');
            if (lf is null)
                return buffer.Length > maxCommandSize ? new FrameResult(FrameStatus.TooLong) : new FrameResult(FrameStatus.Incomplete);
            var lineEnd = _scanFrom + rest.Slice(0, lf.Value).Length + 1;
            if (lineEnd > maxCommandSize) return new FrameResult(FrameStatus.TooLong);

            if (!TryReadMarker(buffer.Slice(_scanFrom, lineEnd - _scanFrom), out var markerOffset, out var size, out var nonSync))
                return new FrameResult(FrameStatus.Complete, lineEnd);

            var markerStart = _scanFrom + markerOffset;
            if (nonSync && size > maxNonSynchronizingLiteral)
                return new FrameResult(FrameStatus.NonSynchronizingTooLarge, lineEnd, size, nonSync);
            if (IsAppendMessage(buffer.Slice(0, lineEnd), markerStart))
                return new FrameResult(FrameStatus.AppendLiteral, lineEnd, size, nonSync);
            if (size > maxLiteralSize || lineEnd + size > maxCommandSize)
                return new FrameResult(FrameStatus.LiteralTooLarge, lineEnd, size, nonSync);

            _scanFrom = lineEnd;
            _literalEnd = lineEnd + size;
            if (!nonSync) return new FrameResult(FrameStatus.NeedContinuation, lineEnd, size);
        }
    }

    /// <summary>
    /// Whether a line ends in a literal marker (<c>{12}</c>, <c>{12+}</c>, <c>~{12}</c>) before its CRLF; the marker's
    /// offset in the line. A size too large for a long is taken as <see cref="long.MaxValue"/> (and refused).
    /// </summary>
    private static bool TryReadMarker(ReadOnlySequence<byte> line, out long markerOffset, out long size, out bool nonSync)
    {
        markerOffset = 0;
        size = 0;
        nonSync = false;
        var tailLength = (int)Math.Min(line.Length, MaxMarkerLength);
        Span<byte> tail = stackalloc byte[MaxMarkerLength];
        line.Slice(line.Length - tailLength).CopyTo(tail);
        var t = tail[..tailLength];
        var end = t.Length - 1; // the LF
        if (end > 0 && t[end - 1] == (byte)'\r') end--;
        if (end < 3 || t[end - 1] != (byte)'}') return false;
        var i = end - 2;
        if (t[i] is (byte)'+' or (byte)'-')
        {
            nonSync = true;
            i--;
        }
        var digitsEnd = i + 1;
        while (i >= 0 && char.IsAsciiDigit((char)t[i])) i--;
        if (i < 0 || t[i] != (byte)'{' || i + 1 == digitsEnd) return false;
        foreach (var b in t[(i + 1)..digitsEnd])
        {
            var next = size * 10 + (b - '0');
            size = next < size || size > long.MaxValue / 10 ? long.MaxValue : next;
        }
        if (i > 0 && t[i - 1] == (byte)'~') i--;
        markerOffset = line.Length - tailLength + i;
        return true;
    }

    private static bool IsAppendMessage(ReadOnlySequence<byte> prefix, long markerStart)
    {
        // Cheap test first: every APPEND has "APPEND " within its first line's first few dozen octets.
        Span<byte> head = stackalloc byte[80];
        var n = (int)Math.Min(prefix.Length, head.Length);
        prefix.Slice(0, n).CopyTo(head);
        foreach (ref var b in head[..n])
            if (b is >= (byte)'a' and <= (byte)'z') b -= 0x20;
        if (head[..n].IndexOf("APPEND "u8) < 0) return false;
        if (prefix.IsSingleSegment) return ImapCommandParser.IsAppendMessageLiteral(prefix.FirstSpan, (int)markerStart);
        var copy = prefix.ToArray();
        return ImapCommandParser.IsAppendMessageLiteral(copy, (int)markerStart);
    }
}
