using GovMail.Core.Mail;
using GovMail.Imap.Tests.Support;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Tests.Transcripts;

/// <summary>ESEARCH (RFC 4731), SORT and THREAD (RFC 5256) as exact exchanges, with the RFCs' examples where they give them.</summary>
public sealed class SearchExtensionTranscriptTests : ServerTests
{
    private async Task<RawImapClient> SelectAsync()
    {
        var client = await RawImapClient.LoginAsync(Server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword);
        await client.SendAsync("s1 SELECT INBOX\r\n");
        Assert.Equal("s1 OK [READ-WRITE] SELECT completed.", (await client.ReadUntilTaggedAsync("s1"))[^1]);
        return client;
    }

    [Fact]
    public async Task Esearch_returns_min_max_count_and_all_as_rfc_4731_shows()
    {
        DeliveredCopy? copy = null;
        for (var i = 1; i <= 12; i++) copy = await Server.DeliverAsync(Fixture.Plain($"Thư {i}", $"{i}"));
        var flagged = (await Server.Store.StoreFlagsAsync(copy!.MailboxId, [2, 10, 11], new FlagChange(FlagOperation.Add, MessageFlags.Flagged, []), null)).ModSeq;
        await using var client = await SelectAsync();
        await client.SendAsync(
            "A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"\r\n" +
            "A283 SEARCH RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"\r\n" +
            "A284 SEARCH RETURN (MIN) DELETED\r\n" +
            "A285 UID SEARCH RETURN (MIN MAX) 1:5000\r\n" +
            "A286 SEARCH RETURN (COUNT ALL MAX) DELETED\r\n" +
            $"A287 UID SEARCH RETURN (ALL) MODSEQ {flagged}\r\n" +
            "A288 SEARCH RETURN (SAVE) ALL\r\n" +
            "A289 SEARCH RETURN (COUNT) CHARSET UTF-8 SUBJECT \"thu 1\"\r\n");
        await client.ExpectAsync(
            "* ESEARCH (TAG \"A282\") MIN 2 COUNT 3", "A282 OK SEARCH completed.",
            "* ESEARCH (TAG \"A283\") ALL 2,10:11", "A283 OK SEARCH completed.",
            "* ESEARCH (TAG \"A284\")", "A284 OK SEARCH completed.",
            "* ESEARCH (TAG \"A285\") UID MIN 1 MAX 12", "A285 OK SEARCH completed.",
            "* ESEARCH (TAG \"A286\") COUNT 0", "A286 OK SEARCH completed.",
            $"* ESEARCH (TAG \"A287\") UID ALL 2,10:11 MODSEQ {flagged}", "A287 OK SEARCH completed.",
            "A288 OK SEARCH completed.",
            // Thư 1, Thư 10, Thư 11, Thư 12: the subject compares without diacritics.
            "* ESEARCH (TAG \"A289\") COUNT 4", "A289 OK SEARCH completed.");
    }

    /// <summary>A letter with the headers SORT and THREAD look at.</summary>
    internal static byte[] Letter(string subject, int day, string from, string id, string? references = null, string? cc = null) =>
        System.Text.Encoding.UTF8.GetBytes(
            $"From: {from}\r\nTo: Nguyễn Văn An <an@tphcm.gov.vn>\r\n" + (cc is null ? "" : $"Cc: {cc}\r\n") +
            $"Subject: {subject}\r\nDate: {day:00} Apr 2024 09:00:00 +0700\r\nMessage-ID: <{id}@tphcm.gov.vn>\r\n" +
            (references is null ? "" : $"References: {references}\r\nIn-Reply-To: {references.Split(' ')[^1]}\r\n") +
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nNội dung.\r\n");

    /// <summary>Seven letters: a discussion with replies, a forward, and two replies to a letter the mailbox does not hold.</summary>
    internal static async Task DeliverLettersAsync(ImapTestServer server)
    {
        await server.DeliverAsync(Letter("Kế hoạch năm 2024", 5, "Anh Đức <duc@tphcm.gov.vn>", "a"));
        await server.DeliverAsync(Letter("Re: Kế hoạch năm 2024", 6, "Bình <binh@tphcm.gov.vn>", "b", "<a@tphcm.gov.vn>", cc: "chi@tphcm.gov.vn"));
        await server.DeliverAsync(Letter("Báo cáo quý I", 3, "Chi <chi@tphcm.gov.vn>", "c"));
        await server.DeliverAsync(Letter("[Sở Nội vụ] Re: Kế hoạch năm 2024", 7, "an@tphcm.gov.vn", "d", "<a@tphcm.gov.vn> <b@tphcm.gov.vn>",
            cc: "binh@tphcm.gov.vn"));
        await server.DeliverAsync(Letter("Fwd: Báo cáo quý I (fwd)", 8, "Anh <anh@tphcm.gov.vn>", "e"));
        await server.DeliverAsync(Letter("Lịch họp", 1, "Zung <zung@tphcm.gov.vn>", "f", "<missing@tphcm.gov.vn>"));
        await server.DeliverAsync(Letter("Re: Lịch họp", 2, "Zung <zung@tphcm.gov.vn>", "g", "<missing@tphcm.gov.vn>"));
    }

    [Fact]
    public async Task Sort_orders_by_each_criterion_with_base_subjects_and_ties_in_mailbox_order()
    {
        await DeliverLettersAsync(Server);
        await using var client = await SelectAsync();
        await client.SendAsync(
            "a1 SORT (SUBJECT) UTF-8 ALL\r\n" +
            "a2 SORT (DATE) UTF-8 ALL\r\n" +
            "a3 SORT (REVERSE DATE) UTF-8 ALL\r\n" +
            "a4 SORT (FROM) UTF-8 ALL\r\n" +
            "a5 SORT (DISPLAYFROM) UTF-8 ALL\r\n" +
            "a6 SORT (CC) US-ASCII ALL\r\n" +
            "a7 SORT (SUBJECT REVERSE DATE) UTF-8 ALL\r\n" +
            "a8 UID SORT (DATE) UTF-8 FROM \"an\"\r\n" +
            "a9 SORT (TO ARRIVAL) UTF-8 DELETED\r\n");
        await client.ExpectAsync(
            "* SORT 3 5 1 2 4 6 7", "a1 OK SORT completed.",
            "* SORT 6 7 3 1 2 4 5", "a2 OK SORT completed.",
            "* SORT 5 4 2 1 3 7 6", "a3 OK SORT completed.",
            "* SORT 4 5 2 3 1 6 7", "a4 OK SORT completed.",
            "* SORT 4 5 1 2 3 6 7", "a5 OK SORT completed.",
            "* SORT 1 3 5 6 7 4 2", "a6 OK SORT completed.",
            "* SORT 5 3 4 2 1 7 6", "a7 OK SORT completed.",
            "* SORT 1 4 5", "a8 OK SORT completed.",
            "* SORT", "a9 OK SORT completed.");
        await client.SendAsync(
            "b1 SORT DATE UTF-8 ALL\r\n" +
            "b2 SORT (REVERSE) UTF-8 ALL\r\n" +
            "b3 SORT (DATE) KOI8-R ALL\r\n" +
            "b4 SORT (COLOUR) UTF-8 ALL\r\n" +
            "b5 SORT (DATE) UTF-8\r\n" +
            "b6 THREAD FOO UTF-8 ALL\r\n" +
            "b7 NOOP\r\n");
        await client.ExpectAsync(
            "b1 BAD Expected a list of sort criteria.",
            "b2 BAD Expected a sort criterion.",
            "b3 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset.",
            "b4 BAD Unknown sort criterion.",
            "b5 BAD Missing arguments.",
            "b6 BAD Unknown threading algorithm.",
            "b7 OK NOOP completed.");
    }

    [Fact]
    public async Task Thread_by_ordered_subject_and_by_references_as_rfc_5256_describes()
    {
        await DeliverLettersAsync(Server);
        await using var client = await SelectAsync();
        await client.SendAsync("a1 THREAD ORDEREDSUBJECT UTF-8 ALL\r\na2 THREAD REFERENCES UTF-8 ALL\r\na3 UID THREAD REFERENCES UTF-8 NOT SUBJECT hop\r\n" +
            "a4 THREAD REFERENCES UTF-8 DELETED\r\n");
        await client.ExpectAsync(
            // Subjects grouped, each thread's first message the parent of the rest, threads by the date of their first.
            "* THREAD (6 7)(3 5)(1 (2)(4))", "a1 OK THREAD completed.",
            // 2 answers 1 and 4 answers 2; 5 forwards 3 (same base subject); 6 and 7 answer a letter not in the mailbox.
            "* THREAD ((6)(7))(3 5)(1 2 4)", "a2 OK THREAD completed.",
            "* THREAD (3 5)(1 2 4)", "a3 OK THREAD completed.",
            "* THREAD", "a4 OK THREAD completed.");
    }
}
