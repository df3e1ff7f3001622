using GovMail.Imap.Protocol;

namespace GovMail.Imap.Tests.Protocol;

public sealed class SequenceSetTests
{
    [Theory]
    [InlineData("1", "1")]
    [InlineData("1:3,7,9:*", "1:3,7,9:*")]
    [InlineData("5:2", "2:5")]
    [InlineData("*:4", "4:*")]
    [InlineData("4294967294", "4294967294")]
    public void Sets_parse_with_ranges_in_any_order(string text, string normalised)
    {
        Assert.Equal(normalised, SequenceSet.Parse(System.Text.Encoding.ASCII.GetBytes(text))!.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("1,")]
    [InlineData(",1")]
    [InlineData("1::2")]
    [InlineData("01")]
    [InlineData("a")]
    [InlineData("4294967296")]
    [InlineData("1 2")]
    public void Malformed_sets_are_refused(string text)
    {
        Assert.Null(SequenceSet.Parse(System.Text.Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Star_is_the_largest_number_in_use_even_in_a_reversed_range()
    {
        var set = SequenceSet.Parse("7:*"u8)!;
        Assert.Equal([7, 8, 9, 10], set.ResolveSequence(10, out var outOfRange));
        Assert.False(outOfRange);
        // 7:* in a mailbox of 5 messages is 5:7, so 6 and 7 do not exist.
        Assert.Equal([5], set.ResolveSequence(5, out outOfRange));
        Assert.True(outOfRange);
    }

    [Fact]
    public void Uid_sets_pick_the_messages_whose_uids_are_named()
    {
        List<uint> uids = [3, 8, 9, 20];
        Assert.Equal([2, 3], SequenceSet.Parse("4:9"u8)!.SequenceNumbersOfUids(uids));
        Assert.Equal([4], SequenceSet.Parse("*"u8)!.SequenceNumbersOfUids(uids));
        // 100:* with largest UID 20 means 20:100.
        Assert.Equal([4], SequenceSet.Parse("100:*"u8)!.SequenceNumbersOfUids(uids));
        Assert.Empty(SequenceSet.Parse("1:2"u8)!.SequenceNumbersOfUids(uids));
    }

    [Fact]
    public void Numbers_are_written_compressed_into_ranges()
    {
        Assert.Equal("1:3,7,9:10", SequenceSet.Format([1, 2, 3, 7, 9, 10]));
        Assert.Equal("5", SequenceSet.Format([5]));
        Assert.Equal("", SequenceSet.Format([]));
    }

    [Fact]
    public void Overlapping_ranges_give_each_message_once()
    {
        Assert.Equal([1, 2, 3, 4, 5, 9], SequenceSet.Parse("4:2,1,3:5,9,2"u8)!.ResolveSequence(10, out var outOfRange));
        Assert.False(outOfRange);
        List<uint> uids = [10, 20, 30, 40];
        Assert.Equal([1, 2, 3], SequenceSet.Parse("25:5,15:30"u8)!.SequenceNumbersOfUids(uids));
    }
}
