using System.Collections;

namespace GovMail.Imap.Selection;

/// <summary>
/// The UIDs of a selected mailbox in ascending order (sequence number n is <c>this[n - 1]</c>), kept as runs of
/// consecutive UIDs. A mailbox is mostly such runs, broken only where messages were expunged, so a session in IDLE on an
/// INBOX of 10,000 messages holds a few runs (eight octets each) instead of 40 kB of UIDs.
/// </summary>
public sealed class UidMap : IReadOnlyList<uint>
{
    // Run r holds the UIDs _starts[r] … _starts[r] + length - 1 at indexes _firstIndex[r] … ; its length is where the next run begins.
    private readonly List<uint> _starts = [];
    private readonly List<int> _firstIndex = [];

    public int Count { get; private set; }

    /// <summary>The largest UID, or 0 when the mailbox is empty.</summary>
    public uint Largest => Count == 0 ? 0 : _starts[^1] + (uint)(Count - 1 - _firstIndex[^1]);

    /// <summary>The number of runs (for tests and measurements).</summary>
    public int Runs => _starts.Count;

    public static UidMap Of(IEnumerable<uint> ascending)
    {
        var map = new UidMap();
        map.AddRange(ascending);
        return map;
    }

    public uint this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
            var r = LastAtOrBelow(_firstIndex, index);
            return _starts[r] + (uint)(index - _firstIndex[r]);
        }
    }

    /// <summary>Adds a UID above every UID in the map (a new message).</summary>
    public void Add(uint uid)
    {
        if (Count > 0)
        {
            var largest = Largest;
            if (uid <= largest) throw new ArgumentException("UIDs are added in ascending order.", nameof(uid));
            if (uid == largest + 1)
            {
                Count++;
                return;
            }
        }
        _starts.Add(uid);
        _firstIndex.Add(Count);
        Count++;
    }

    public void AddRange(IEnumerable<uint> ascending)
    {
        foreach (var uid in ascending) Add(uid);
    }

    /// <summary>The index of a UID, or -1 when it is not in the map.</summary>
    public int IndexOf(uint uid)
    {
        if (Count == 0) return -1;
        var r = LastAtOrBelow(_starts, uid);
        if (r < 0) return -1;
        var offset = uid - _starts[r];
        return offset < (uint)RunLength(r) ? _firstIndex[r] + (int)offset : -1;
    }

    /// <summary>The index of the first UID at or above <paramref name="uid"/> (<see cref="Count"/> when there is none).</summary>
    public int LowerBound(uint uid)
    {
        if (Count == 0) return 0;
        var r = LastAtOrBelow(_starts, uid);
        if (r < 0) return 0;
        var offset = uid - _starts[r];
        if (offset < (uint)RunLength(r)) return _firstIndex[r] + (int)offset;
        return r + 1 < _starts.Count ? _firstIndex[r + 1] : Count;
    }

    /// <summary>Removes the UIDs <paramref name="gone"/> says are gone (expunged messages).</summary>
    public void RemoveAll(Predicate<uint> gone)
    {
        var kept = new List<uint>();
        var removed = false;
        foreach (var uid in this)
        {
            if (gone(uid)) removed = true;
            else kept.Add(uid);
        }
        if (!removed) return;
        _starts.Clear();
        _firstIndex.Clear();
        Count = 0;
        AddRange(kept);
        _starts.TrimExcess();
        _firstIndex.TrimExcess();
    }

    public IEnumerator<uint> GetEnumerator()
    {
        for (var r = 0; r < _starts.Count; r++)
        {
            var start = _starts[r];
            var length = RunLength(r);
            for (var i = 0; i < length; i++) yield return start + (uint)i;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int RunLength(int r) => (r + 1 < _firstIndex.Count ? _firstIndex[r + 1] : Count) - _firstIndex[r];

    /// <summary>The last position whose value is at most <paramref name="value"/>, or -1.</summary>
    private static int LastAtOrBelow<T>(List<T> sorted, T value) where T : IComparable<T>
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid].CompareTo(value) <= 0) lo = mid + 1;
            else hi = mid;
        }
        return lo - 1;
    }
}
