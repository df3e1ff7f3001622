using GovMail.Imap.Protocol;
using GovMail.Imap.Selection;

namespace GovMail.Imap.Tests.Protocol;

/// <summary>The selected mailbox's UIDs kept as runs: the same answers as a plain list, in a fraction of the memory.</summary>
public sealed class UidMapTests
{
    private static readonly uint[] Sample = [1, 2, 3, 7, 8, 20, 21, 22, 23, 4_000_000_000];

    [Fact]
    public void Indexes_lookups_and_lower_bounds_agree_with_a_plain_list()
    {
        var map = UidMap.Of(Sample);
        Assert.Equal(Sample.Length, map.Count);
        Assert.Equal(4, map.Runs);
        Assert.Equal(Sample, map.ToArray());
        for (var i = 0; i < Sample.Length; i++) Assert.Equal(Sample[i], map[i]);
        foreach (var uid in new uint[] { 0, 1, 3, 4, 6, 7, 9, 19, 23, 24, 3_999_999_999, 4_000_000_000, uint.MaxValue })
        {
            var index = Array.BinarySearch(Sample, uid);
            Assert.Equal(index < 0 ? -1 : index, map.IndexOf(uid));
            Assert.Equal(index < 0 ? ~index : index, map.LowerBound(uid));
        }
        Assert.Equal(4_000_000_000u, map.Largest);
        Assert.Throws<ArgumentOutOfRangeException>(() => map[Sample.Length]);
        Assert.Equal([3, 4, 5], SequenceSet.Parse("3:7,8"u8)!.SequenceNumbersOfUids(map));
    }

    [Fact]
    public void New_uids_extend_the_last_run_and_expunges_split_runs()
    {
        var map = UidMap.Of(Enumerable.Range(1, 10_000).Select(i => (uint)i));
        Assert.Equal(1, map.Runs);
        map.Add(10_001);
        map.Add(10_005);
        Assert.Equal(2, map.Runs);
        Assert.Throws<ArgumentException>(() => map.Add(10_005));
        map.RemoveAll(uid => uid is 500 or 501 or 9_000);
        Assert.Equal(10_002 - 3, map.Count);
        Assert.Equal(4, map.Runs);
        Assert.Equal(-1, map.IndexOf(500));
        Assert.Equal(499, map.IndexOf(502));
        Assert.Equal(10_005u, map[map.Count - 1]);
        map.RemoveAll(_ => true);
        Assert.Empty(map);
        Assert.Equal(0u, map.Largest);
        Assert.Equal(-1, map.IndexOf(1));
    }
}
