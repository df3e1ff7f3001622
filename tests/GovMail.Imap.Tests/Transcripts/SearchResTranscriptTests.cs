using GovMail.Core.Mail;
using GovMail.Imap.Tests.Support;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Tests.Transcripts;

/// <summary>SEARCHRES (RFC 5182): SEARCH RETURN (SAVE) keeps a result and <c>$</c> names it in later commands.</summary>
public sealed class SearchResTranscriptTests : ServerTests
{
    [Fact]
    public async Task A_saved_search_result_is_used_by_fetch_store_search_and_copy_and_forgotten_on_unselect()
    {
        DeliveredCopy? copy = null;
        for (var i = 1; i <= 6; i++) copy = await Server.DeliverAsync(Fixture.Plain($"Thư {i}", $"{i}"));
        await Server.Store.StoreFlagsAsync(copy!.MailboxId, [2, 4, 5], new FlagChange(FlagOperation.Add, MessageFlags.Flagged, []), null);
        await using var client = await RawImapClient.LoginAsync(Server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword);
        await client.SendAsync("s1 SELECT INBOX\r\n");
        await client.ReadUntilTaggedAsync("s1");
        await client.SendAsync(
            // RFC 5182 section 2.4: SAVE alone answers only OK; $ then works in FETCH, UID FETCH, STORE and SEARCH.
            "a1 SEARCH RETURN (SAVE) FLAGGED\r\n" +
            "a2 FETCH $ (UID)\r\n" +
            "a3 UID SEARCH UID $ NOT 4\r\n" +
            "a4 STORE $ +FLAGS.SILENT (\\Seen)\r\n" +
            "a5 SEARCH SEEN\r\n" +
            "a6 SEARCH RETURN (SAVE MIN) FLAGGED\r\n" +
            "a7 UID FETCH $ (FLAGS)\r\n" +
            "a8 SEARCH RETURN (SAVE COUNT) UNFLAGGED\r\n" +
            "a9 SEARCH $\r\n" +
            "b1 COPY $ Archive\r\n");
        await client.ExpectAsync(
            "a1 OK SEARCH completed.",
            "* 2 FETCH (UID 2)", "* 4 FETCH (UID 4)", "* 5 FETCH (UID 5)", "a2 OK FETCH completed.",
            "* SEARCH 2 5", "a3 OK SEARCH completed.",
            "a4 OK STORE completed.",
            "* SEARCH 2 4 5", "a5 OK SEARCH completed.",
            "* ESEARCH (TAG \"a6\") MIN 2", "a6 OK SEARCH completed.",
            "* 2 FETCH (UID 2 FLAGS (\\Flagged \\Seen))", "a7 OK FETCH completed.",
            "* ESEARCH (TAG \"a8\") COUNT 3", "a8 OK SEARCH completed.",
            "* SEARCH 1 3 6", "a9 OK SEARCH completed.");
        Assert.StartsWith("b1 OK [COPYUID ", await client.ReadLineAsync());

        // An expunged message leaves the saved result; the sequence numbers shift, $ still names the same messages.
        await client.SendAsync("c1 STORE 1 +FLAGS.SILENT (\\Deleted)\r\nc2 EXPUNGE\r\nc3 FETCH $ (UID)\r\nc4 UNSELECT\r\nc5 SELECT INBOX\r\n");
        await client.ExpectAsync("c1 OK STORE completed.", "* 1 EXPUNGE", "c2 OK EXPUNGE completed.",
            "* 2 FETCH (UID 3)", "* 5 FETCH (UID 6)", "c3 OK FETCH completed.", "c4 OK UNSELECT completed.");
        await client.ReadUntilTaggedAsync("c5");
        // A fresh selection starts with nothing saved.
        await client.SendAsync("d1 FETCH $ (UID)\r\nd2 SEARCH $\r\nd3 SEARCH RETURN (SAVE ALL) $\r\nd4 FETCH 1:$ FLAGS\r\n");
        await client.ExpectAsync("d1 OK FETCH completed.", "* SEARCH", "d2 OK SEARCH completed.", "* ESEARCH (TAG \"d3\")",
            "d3 OK SEARCH completed.", "d4 BAD Invalid sequence set.");
    }
}
