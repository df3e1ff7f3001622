using GovMail.Core.Mail.Threading;

namespace GovMail.Core.Tests.Mail;

/// <summary>THREAD=REFERENCES (RFC 5256 section 2.2) over what delivery cached: the threads IMAP writes and the webmail's conversations.</summary>
public sealed class MessageThreaderTests
{
    private static readonly DateTimeOffset Day = new(2026, 3, 2, 8, 0, 0, TimeSpan.FromHours(7));

    private static ThreadMessage Message(int sequence, string subject, string? id, string? inReplyTo = null, params string[] references) =>
        new(sequence, subject, Day.AddHours(sequence), id, inReplyTo, references.Length == 0 ? null : references);

    private static List<int> Sequences(MessageThreader.Node<ThreadMessage> root) => [.. root.Messages().Select(m => m.Sequence)];

    [Fact]
    public void A_chain_of_replies_is_one_thread_in_order()
    {
        var threads = MessageThreader.References([
            Message(1, "Công văn 12/SNV", "<a@snv>"),
            Message(2, "Re: Công văn 12/SNV", "<b@snv>", "<a@snv>", "<a@snv>"),
            Message(3, "Re: Re: Công văn 12/SNV", "<c@snv>", "<b@snv>", "<a@snv>", "<b@snv>"),
            Message(4, "Lịch họp tuần", "<d@snv>"),
        ]);

        Assert.Equal(2, threads.Count);
        Assert.Equal([1, 2, 3], Sequences(threads[0]));
        Assert.Equal(2, threads[0].Children[0].Message!.Sequence);
        Assert.Equal([4], Sequences(threads[1]));
    }

    [Fact]
    public void Replies_to_a_missing_parent_are_gathered_under_a_dummy()
    {
        var threads = MessageThreader.References([
            Message(1, "Re: Báo cáo quý I", "<b@snv>", "<a@snv>", "<a@snv>"),
            Message(2, "Re: Báo cáo quý I", "<c@snv>", "<a@snv>", "<a@snv>"),
        ]);

        var thread = Assert.Single(threads);
        Assert.Null(thread.Message);
        Assert.Equal([1, 2], Sequences(thread));
    }

    [Fact]
    public void In_reply_to_links_when_there_are_no_references()
    {
        var threads = MessageThreader.References([
            Message(1, "Kế hoạch", "<a@snv>"),
            Message(2, "Trả lời kế hoạch", "<b@snv>", "Anh Bình <a@snv> (sent)"),
        ]);

        var thread = Assert.Single(threads);
        Assert.Equal([1, 2], Sequences(thread));
    }

    [Fact]
    public void Messages_without_headers_are_grouped_by_base_subject()
    {
        var threads = MessageThreader.References([
            Message(1, "Lịch trực Tết", null),
            Message(2, "Thông báo nghỉ lễ", null),
            Message(3, "RE: Lịch trực Tết", null),
            Message(4, "Fwd: [Sở Nội vụ] Lịch trực Tết", null),
        ]);

        Assert.Equal(2, threads.Count);
        Assert.Equal([1, 3, 4], Sequences(threads[0]).Order());
        Assert.Equal([2], Sequences(threads[1]));
    }

    [Fact]
    public void Different_subjects_with_no_links_stay_apart()
    {
        var threads = MessageThreader.References([Message(1, "Một", "<a@x>"), Message(2, "Hai", "<b@x>")]);

        Assert.Equal(2, threads.Count);
    }
}
