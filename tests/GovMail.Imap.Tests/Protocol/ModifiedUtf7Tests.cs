using GovMail.Imap.Protocol;

namespace GovMail.Imap.Tests.Protocol;

public sealed class ModifiedUtf7Tests
{
    [Theory]
    [InlineData("INBOX", "INBOX")]
    [InlineData("Công văn đến", "C&APQ-ng v&AQM-n &AREevw-n")]
    [InlineData("Tom & Jerry", "Tom &- Jerry")]
    [InlineData("~peter/mail/日本語/台北", "~peter/mail/&ZeVnLIqe-/&U,BTFw-")]
    [InlineData("Thư đã gửi/Lưu trữ", "Th&AbA- &AREA4w- g&Hu0-i/L&AbA-u tr&Hu8-")]
    public void Names_are_encoded_as_RFC_3501_says_and_decode_back(string name, string wire)
    {
        Assert.Equal(wire, ModifiedUtf7.Encode(name));
        Assert.True(ModifiedUtf7.TryDecode(wire, out var decoded));
        Assert.Equal(name, decoded);
    }

    [Theory]
    [InlineData("&")]
    [InlineData("a&b")]
    [InlineData("&AGE-")]
    [InlineData("&Jjo!-")]
    [InlineData("&2D3-")]
    public void Broken_or_needlessly_encoded_names_are_refused(string wire)
    {
        Assert.False(ModifiedUtf7.TryDecode(wire, out _));
    }

    [Fact]
    public void Inbox_in_any_case_is_inbox_also_as_a_parent()
    {
        Assert.Equal("INBOX", MailboxName.FromWire("inbox", utf8: false));
        Assert.Equal("INBOX/Công việc", MailboxName.FromWire("Inbox/C&APQ-ng vi&Hsc-c", utf8: false));
        Assert.Equal("Inboxes", MailboxName.FromWire("Inboxes", utf8: false));
        Assert.Null(MailboxName.FromWire("&Jjo!-", utf8: false));
        Assert.Equal("Tom & Jerry", MailboxName.FromWire("Tom & Jerry", utf8: true));
    }

    [Theory]
    [InlineData("Công văn đến", true, "Công văn đến")]
    [InlineData("a/b/", true, "a/b")]
    [InlineData("", false, "")]
    [InlineData("/a", false, "/a")]
    [InlineData("a//b", false, "a//b")]
    [InlineData("a*b", false, "a*b")]
    [InlineData("a%b", false, "a%b")]
    public void New_names_must_have_no_empty_level_and_no_wildcard(string name, bool valid, string stored)
    {
        Assert.Equal(valid, MailboxName.IsValidNew(ref name));
        Assert.Equal(stored, name);
    }

    [Theory]
    [InlineData("*", "Công văn/2024", true)]
    [InlineData("%", "Công văn/2024", false)]
    [InlineData("%", "Công văn", true)]
    [InlineData("Công văn/%", "Công văn/2024", true)]
    [InlineData("inbox", "INBOX", true)]
    [InlineData("INBOX*", "INBOX/Việc", true)]
    [InlineData("S*t", "Sent", true)]
    [InlineData("S%t", "Sent", true)]
    [InlineData("S%t", "S/t", false)]
    [InlineData("%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%x", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaay", false)]
    public void List_patterns_match_with_star_and_percent(string pattern, string name, bool matches)
    {
        Assert.Equal(matches, MailboxPattern.Matches(pattern, name));
    }
}
