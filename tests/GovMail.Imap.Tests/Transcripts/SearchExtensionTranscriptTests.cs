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
            "A288 BAD Unknown search return option.",
            // Thư 1, Thư 10, Thư 11, Thư 12: the subject compares without diacritics.
            "* ESEARCH (TAG \"A289\") COUNT 4", "A289 OK SEARCH completed.");
    }
}
