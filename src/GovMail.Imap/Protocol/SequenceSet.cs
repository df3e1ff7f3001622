using System.Buffers;
using System.Buffers.Text;

namespace GovMail.Imap.Protocol;

/// <summary>
/// An IMAP sequence set (<c>1:3,7,9:*</c>), of message sequence numbers or of UIDs. A range may be written either way
/// round (<c>5:2</c> is <c>2:5</c>); <c>*</c> is the largest number in use, whatever the set is compared with.
/// </summary>
public sealed class SequenceSet
{
    /// <summary>Stands for <c>*</c> until the set is resolved against a mailbox.</summary>
    public const uint Star = uint.MaxValue;

    private readonly SequenceRange[] _ranges;

    public SequenceSet(IReadOnlyList<SequenceRange> ranges) => _ranges = [.. ranges];

    public IReadOnlyList<SequenceRange> Ranges => _ranges;

    /// <summary><c>$</c>: the messages the last SEARCH RETURN (SAVE) found (RFC 5182), bound by the session when it is used.</summary>
    public static readonly SequenceSet Saved = new([]) { IsSaved = true };

    /// <summary>Whether this is <c>$</c> rather than numbers.</summary>
    public bool IsSaved { get; private init; }

    /// <summary>The set of some ascending numbers, as ranges where they are consecutive.</summary>
    public static SequenceSet Of(IReadOnlyList<uint> ascending)
    {
        var ranges = new List<SequenceRange>();
        var i = 0;
        while (i < ascending.Count)
        {
            var start = ascending[i];
            var end = start;
            while (i + 1 < ascending.Count && ascending[i + 1] == end + 1) end = ascending[++i];
            ranges.Add(new SequenceRange(start, end));
            i++;
        }
        return new SequenceSet(ranges);
    }

    /// <summary>Parses a sequence set exactly (no spaces, no empty items); null when it is not one.</summary>
    public static SequenceSet? Parse(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty) return null;
        var ranges = new List<SequenceRange>();
        while (true)
        {
            var comma = text.IndexOf((byte)',');
            var item = comma < 0 ? text : text[..comma];
            var colon = item.IndexOf((byte)':');
            if (colon < 0)
            {
                if (!TryParseNumber(item, out var n)) return null;
                ranges.Add(new SequenceRange(n, n));
            }
            else
            {
                if (!TryParseNumber(item[..colon], out var a) || !TryParseNumber(item[(colon + 1)..], out var b)) return null;
                ranges.Add(a <= b ? new SequenceRange(a, b) : new SequenceRange(b, a));
            }
            if (comma < 0) break;
            text = text[(comma + 1)..];
        }
        return new SequenceSet(ranges);
    }

    private static bool TryParseNumber(ReadOnlySpan<byte> text, out uint value)
    {
        value = 0;
        if (text.Length == 1 && text[0] == (byte)'*')
        {
            value = Star;
            return true;
        }
        // nz-number: no leading zero, no sign, fits in 32 bits, not zero.
        if (text.IsEmpty || text[0] == (byte)'0' || text.Length > 10) return false;
        foreach (var b in text)
            if (b is < (byte)'0' or > (byte)'9') return false;
        if (!Utf8Parser.TryParse(text, out ulong parsed, out var consumed) || consumed != text.Length || parsed > uint.MaxValue - 1) return false;
        value = (uint)parsed;
        return true;
    }

    /// <summary>Whether <paramref name="value"/> is in the set when <c>*</c> means <paramref name="largest"/>.</summary>
    public bool Contains(uint value, uint largest)
    {
        foreach (var r in _ranges)
        {
            var (start, end) = r.Resolve(largest);
            if (value >= start && value <= end) return true;
        }
        return false;
    }

    /// <summary>The sequence numbers in the set, ascending and once each, among 1..<paramref name="count"/>; numbers beyond are reported.</summary>
    public List<int> ResolveSequence(int count, out bool outOfRange)
    {
        outOfRange = count == 0;
        var spans = new List<(int Start, int End)>(_ranges.Length);
        foreach (var r in _ranges)
        {
            if (count == 0) break;
            var (start, end) = r.Resolve((uint)count);
            if (end > (uint)count)
            {
                outOfRange = true;
                end = (uint)count;
            }
            if (start <= end) spans.Add(((int)start, (int)end));
        }
        return Expand(spans);
    }

    /// <summary>
    /// The sequence numbers of the UIDs in <paramref name="uids"/> (a mailbox's ascending UID map) that are in the set,
    /// ascending. <c>*</c> is the largest UID there. Each range costs two binary searches, not a pass over the mailbox.
    /// </summary>
    public List<int> SequenceNumbersOfUids(IReadOnlyList<uint> uids)
    {
        if (uids.Count == 0) return [];
        var largest = uids[^1];
        var spans = new List<(int Start, int End)>(_ranges.Length);
        foreach (var r in _ranges)
        {
            var (start, end) = r.Resolve(largest);
            var first = LowerBound(uids, start);
            // Parse keeps numbers below uint.MaxValue, so end + 1 cannot overflow.
            var last = LowerBound(uids, end + 1) - 1;
            if (first <= last) spans.Add((first + 1, last + 1));
        }
        return Expand(spans);
    }

    private static int LowerBound(IReadOnlyList<uint> sorted, uint value)
    {
        if (sorted is Selection.UidMap map) return map.LowerBound(value);
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>The numbers of some ranges, ascending, once each.</summary>
    private static List<int> Expand(List<(int Start, int End)> spans)
    {
        spans.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        var result = new List<int>();
        var next = 1;
        foreach (var (start, end) in spans)
        {
            for (var n = Math.Max(start, next); n <= end; n++) result.Add(n);
            next = Math.Max(next, end + 1);
        }
        return result;
    }

    /// <summary>A short text form of ascending numbers: <c>1:3,7,9:10</c>.</summary>
    public static string Format(IReadOnlyList<uint> ascending)
    {
        var buffer = new ArrayBufferWriter<byte>(16);
        Write(buffer, ascending);
        return System.Text.Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes <paramref name="numbers"/> compressed into ranges where they are consecutive (in the order given).</summary>
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<uint> numbers)
    {
        var i = 0;
        while (i < numbers.Count)
        {
            var start = numbers[i];
            var end = start;
            while (i + 1 < numbers.Count && end != uint.MaxValue && numbers[i + 1] == end + 1)
            {
                end++;
                i++;
            }
            var span = output.GetSpan(24);
            var written = 0;
            Utf8Formatter.TryFormat(start, span, out var n);
            written += n;
            if (end != start)
            {
                span[written++] = (byte)':';
                Utf8Formatter.TryFormat(end, span[written..], out n);
                written += n;
            }
            if (i + 1 < numbers.Count) span[written++] = (byte)',';
            output.Advance(written);
            i++;
        }
    }

    public override string ToString()
    {
        if (IsSaved) return "$";
        var parts = new List<string>(_ranges.Length);
        foreach (var r in _ranges) parts.Add(r.ToString());
        return string.Join(',', parts);
    }
}

/// <summary>One range of a <see cref="SequenceSet"/>, <see cref="Start"/> ≤ <see cref="End"/>; <see cref="SequenceSet.Star"/> stands for <c>*</c>.</summary>
public readonly record struct SequenceRange(uint Start, uint End)
{
    /// <summary>The range with <c>*</c> replaced by <paramref name="largest"/>, still in order (<c>7:*</c> with 5 is <c>5:7</c>).</summary>
    public (uint Start, uint End) Resolve(uint largest)
    {
        var a = Start == SequenceSet.Star ? largest : Start;
        var b = End == SequenceSet.Star ? largest : End;
        return a <= b ? (a, b) : (b, a);
    }

    public override string ToString()
    {
        static string Show(uint n) => n == SequenceSet.Star ? "*" : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Start == End ? Show(Start) : $"{Show(Start)}:{Show(End)}";
    }
}
