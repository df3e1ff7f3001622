using GovMail.Core.Mail;
using GovMail.Imap.Tests.Support;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Tests.Transcripts;

/// <summary>CONDSTORE (RFC 7162 section 3.1) as exact exchanges: MODSEQ, CHANGEDSINCE, UNCHANGEDSINCE and MODIFIED, SEARCH MODSEQ.</summary>
public sealed class CondStoreTranscriptTests : ServerTests
{
    private readonly List<DeliveredCopy> _copies = [];

    protected override async Task SetUpAsync()
    {
        _copies.Add(await Server.DeliverAsync(Fixture.Plain("Một", "1")));
        _copies.Add(await Server.DeliverAsync(Fixture.Plain("Hai", "2")));
        _copies.Add(await Server.DeliverAsync(Fixture.Plain("Ba", "3")));
    }

    private long InboxId => _copies[0].MailboxId;

    /// <summary>Another session (or the web) changes flags: a new MODSEQ, announced on the bus.</summary>
    private async Task<long> FlagElsewhereAsync(uint uid, MessageFlags flags)
    {
        var update = await Server.Store.StoreFlagsAsync(InboxId, [uid], new FlagChange(FlagOperation.Add, flags, []), null);
        return update.ModSeq;
    }

    private async Task<RawImapClient> SelectAsync(string parameters = " (CONDSTORE)")
    {
        var client = await RawImapClient.LoginAsync(Server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword);
        await client.SendAsync($"s1 SELECT INBOX{parameters}\r\n");
        var lines = await client.ReadUntilTaggedAsync("s1");
        Assert.Contains($"* OK [HIGHESTMODSEQ {_copies[^1].ModSeq}] Highest.", lines);
        Assert.Equal("s1 OK [READ-WRITE] SELECT completed.", lines[^1]);
        return client;
    }

    [Fact]
    public async Task Fetch_modseq_and_changedsince_return_only_what_changed()
    {
        await using var client = await SelectAsync();
        var known = _copies[^1].ModSeq;
        var changed = await FlagElsewhereAsync(2, MessageFlags.Flagged);
        // The change is announced with its MODSEQ: SELECT (CONDSTORE) turned CONDSTORE on.
        await client.SendAsync("a1 NOOP\r\n");
        await client.ExpectAsync($"* 2 FETCH (UID 2 MODSEQ ({changed}) FLAGS (\\Flagged))", "a1 OK NOOP completed.");
        await client.SendAsync("a2 FETCH 1:3 (UID MODSEQ)\r\n");
        await client.ExpectAsync(
            $"* 1 FETCH (UID 1 MODSEQ ({_copies[0].ModSeq}))",
            $"* 2 FETCH (UID 2 MODSEQ ({changed}))",
            $"* 3 FETCH (UID 3 MODSEQ ({_copies[2].ModSeq}))",
            "a2 OK FETCH completed.");
        // RFC 7162 section 3.1.4.2: CHANGEDSINCE implies MODSEQ and keeps only newer messages.
        await client.SendAsync($"a3 FETCH 1:* (FLAGS) (CHANGEDSINCE {known})\r\n");
        await client.ExpectAsync($"* 2 FETCH (MODSEQ ({changed}) FLAGS (\\Flagged))", "a3 OK FETCH completed.");
        await client.SendAsync($"a4 UID FETCH 1:* FLAGS (CHANGEDSINCE {changed})\r\n");
        await client.ExpectAsync("a4 OK FETCH completed.");
        await client.SendAsync("a5 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 0)\r\n");
        Assert.Equal(4, (await client.ReadUntilTaggedAsync("a5")).Count);
    }

    [Fact]
    public async Task Store_unchangedsince_leaves_newer_messages_alone_and_reports_them_modified()
    {
        await using var client = await SelectAsync();
        var known = _copies[^1].ModSeq;
        var changed = await FlagElsewhereAsync(2, MessageFlags.Answered);
        // As RFC 7162 section 3.1.3 example 4: message 2 changed after the client looked, so it is left alone.
        await client.SendAsync($"a1 STORE 1:3 (UNCHANGEDSINCE {known}) +FLAGS.SILENT (\\Deleted)\r\n");
        await client.ExpectAsync(
            $"* 1 FETCH (MODSEQ ({changed + 1}))",
            $"* 3 FETCH (MODSEQ ({changed + 1}))",
            $"* 2 FETCH (UID 2 MODSEQ ({changed}) FLAGS (\\Answered))",
            "a1 OK [MODIFIED 2] Conditional STORE failed for some messages.");
        await client.SendAsync($"a2 UID STORE 2,3 (UNCHANGEDSINCE {changed}) FLAGS (\\Seen)\r\n");
        await client.ExpectAsync(
            $"* 2 FETCH (UID 2 MODSEQ ({changed + 2}) FLAGS (\\Seen))",
            "a2 OK [MODIFIED 3] Conditional STORE failed for some messages.");
        // UNCHANGEDSINCE 0 always fails (RFC 7162 section 3.1.3); nothing changes, no MODSEQ is taken.
        await client.SendAsync("a3 STORE 1 (UNCHANGEDSINCE 0) -FLAGS (\\Deleted)\r\na4 FETCH 1 (FLAGS MODSEQ)\r\n");
        await client.ExpectAsync("a3 OK [MODIFIED 1] Conditional STORE failed for some messages.",
            $"* 1 FETCH (MODSEQ ({changed + 1}) FLAGS (\\Deleted))", "a4 OK FETCH completed.");
        // A plain STORE in a CONDSTORE session reports the new MODSEQ with the flags.
        await client.SendAsync("a5 STORE 1 -FLAGS (\\Deleted)\r\n");
        await client.ExpectAsync($"* 1 FETCH (MODSEQ ({changed + 3}) FLAGS ())", "a5 OK STORE completed.");
    }

    [Fact]
    public async Task Search_modseq_and_status_highestmodseq()
    {
        await using var client = await RawImapClient.LoginAsync(Server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword);
        await client.SendAsync("a1 STATUS INBOX (MESSAGES HIGHESTMODSEQ)\r\n");
        await client.ExpectAsync($"* STATUS \"INBOX\" (MESSAGES 3 HIGHESTMODSEQ {_copies[2].ModSeq})", "a1 OK STATUS completed.");
        await client.SendAsync("a2 SELECT INBOX\r\n");
        await client.ReadUntilTaggedAsync("a2");
        var changed = await FlagElsewhereAsync(1, MessageFlags.Flagged);
        await client.SendAsync($"a3 SEARCH MODSEQ {_copies[1].ModSeq}\r\n");
        // RFC 7162 section 3.1.5: the response ends with the highest MODSEQ of the messages found.
        await client.ExpectAsync(
            $"* SEARCH 1 2 3 (MODSEQ {changed})",
            $"* 1 FETCH (UID 1 MODSEQ ({changed}) FLAGS (\\Flagged))",
            "a3 OK SEARCH completed.");
        await client.SendAsync($"a4 UID SEARCH MODSEQ \"/flags/\\\\flagged\" all {changed} FLAGGED\r\na5 SEARCH MODSEQ {changed + 1}\r\n");
        await client.ExpectAsync($"* SEARCH 1 (MODSEQ {changed})", "a4 OK SEARCH completed.", "* SEARCH", "a5 OK SEARCH completed.");
    }

    [Fact]
    public async Task Malformed_condstore_modifiers_are_refused_and_the_session_goes_on()
    {
        await using var client = await SelectAsync("");
        await client.SendAsync(
            "b1 FETCH 1 FLAGS (CHANGEDSINCE)\r\n" +
            "b2 FETCH 1 FLAGS (CHANGEDSINCE -1)\r\n" +
            "b3 FETCH 1 FLAGS (VANISHED)\r\n" +
            "b4 STORE 1 (UNCHANGEDSINCE x) +FLAGS (\\Seen)\r\n" +
            "b5 STORE 1 (FROBNICATE 1) +FLAGS (\\Seen)\r\n" +
            "b6 SELECT INBOX (CONDSTORE\r\n" +
            "b7 SEARCH MODSEQ\r\n" +
            "b8 NOOP\r\n");
        var lines = new List<string>();
        for (var i = 0; i < 8; i++) lines.Add((await client.ReadLineAsync())!);
        Assert.Equal([
            "b1 BAD Expected a space.",
            "b2 BAD Expected a number.",
            "b3 BAD Unknown FETCH modifier.",
            "b4 BAD Expected a number.",
            "b5 BAD Unknown STORE modifier.",
            "b6 BAD Missing arguments.",
            "b7 BAD Missing arguments.",
            "b8 OK NOOP completed."], lines);
    }
}
