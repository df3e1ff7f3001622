using GovMail.Core.Mail;
using GovMail.Imap.Tests.Support;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Tests.Transcripts;

/// <summary>QRESYNC (RFC 7162 section 3.2) as exact exchanges: ENABLE, SELECT (QRESYNC …), VANISHED, UID FETCH … (CHANGEDSINCE n VANISHED).</summary>
public sealed class QResyncTranscriptTests : ServerTests
{
    private readonly List<DeliveredCopy> _copies = [];
    private MailboxInfo _inbox = null!;

    protected override async Task SetUpAsync()
    {
        for (var i = 1; i <= 5; i++) _copies.Add(await Server.DeliverAsync(Fixture.Plain($"Thư {i}", $"{i}")));
        _inbox = (await Server.Queries.FindAsync(await Server.AccountIdAsync(ImapTestServer.An), "INBOX"))!;
    }

    private long Known => _copies[^1].ModSeq;

    /// <summary>Another client flags a message: returns the MODSEQ it took.</summary>
    private async Task<long> FlagElsewhereAsync(uint uid, MessageFlags flags) =>
        (await Server.Store.StoreFlagsAsync(_inbox.Id, [uid], new FlagChange(FlagOperation.Add, flags, []), null)).ModSeq;

    /// <summary>Another client deletes and expunges messages: returns the MODSEQ of the expunge.</summary>
    private async Task<long> ExpungeElsewhereAsync(params uint[] uids)
    {
        await FlagElsewhereAsync(uids[0], MessageFlags.Deleted);
        foreach (var uid in uids[1..]) await FlagElsewhereAsync(uid, MessageFlags.Deleted);
        return (await Server.Store.ExpungeAsync(_inbox.Id, _inbox.AccountId, uids)).ModSeq;
    }

    private async Task<RawImapClient> EnabledAsync()
    {
        var client = await RawImapClient.LoginAsync(Server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword);
        await client.SendAsync("e1 ENABLE QRESYNC\r\n");
        await client.ExpectAsync("* ENABLED QRESYNC", "e1 OK ENABLE completed.");
        return client;
    }

    [Fact]
    public async Task Select_with_qresync_tells_changed_flags_and_vanished_uids_since_the_last_visit()
    {
        var flagged = await FlagElsewhereAsync(2, MessageFlags.Flagged);
        var expunged = await ExpungeElsewhereAsync(3, 4);
        await using var client = await EnabledAsync();
        // As RFC 7162 section 3.2.5.1: the client says what it had (UIDVALIDITY, MODSEQ, the UIDs it knows).
        await client.SendAsync($"a1 SELECT INBOX (QRESYNC ({_inbox.UidValidity} {Known} 1:5))\r\n");
        await client.ExpectAsync(
            "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
            "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.",
            "* 3 EXISTS",
            "* 0 RECENT",
            "* OK [UNSEEN 1] First unseen.",
            $"* OK [UIDVALIDITY {_inbox.UidValidity}] UIDs valid.",
            "* OK [UIDNEXT 6] Predicted next UID.",
            $"* OK [HIGHESTMODSEQ {expunged}] Highest.",
            $"* 2 FETCH (UID 2 MODSEQ ({flagged}) FLAGS (\\Flagged))",
            "* VANISHED (EARLIER) 3:4",
            "a1 OK [READ-WRITE] SELECT completed.");

        // Known UIDs limit what is reported; a different UIDVALIDITY means the client starts over, so nothing is.
        await client.SendAsync($"a2 EXAMINE INBOX (QRESYNC ({_inbox.UidValidity} {flagged} 4:5 (1:3 1:3)))\r\n");
        var lines = await client.ReadUntilTaggedAsync("a2");
        Assert.Equal("* OK [CLOSED] Previous mailbox closed.", lines[0]);
        Assert.Equal(["* VANISHED (EARLIER) 4", "a2 OK [READ-ONLY] EXAMINE completed."], lines[^2..]);
        await client.SendAsync($"a3 SELECT INBOX (QRESYNC ({_inbox.UidValidity + 1} {Known}))\r\n");
        lines = await client.ReadUntilTaggedAsync("a3");
        Assert.Equal($"* OK [HIGHESTMODSEQ {expunged}] Highest.", lines[^2]);
        Assert.DoesNotContain(lines, l => l.Contains("VANISHED") || l.Contains("FETCH"));
    }

    [Fact]
    public async Task Expunges_are_told_as_vanished_and_uid_fetch_vanished_lists_earlier_ones()
    {
        await using var client = await EnabledAsync();
        await client.SendAsync("a1 SELECT INBOX\r\n");
        await client.ReadUntilTaggedAsync("a1");
        var expunged = await ExpungeElsewhereAsync(1, 3);
        // Once QRESYNC is on, VANISHED replaces EXPUNGE (RFC 7162 section 3.2.10).
        await client.SendAsync("a2 NOOP\r\n");
        await client.ExpectAsync("* VANISHED 1,3", "a2 OK NOOP completed.");
        await client.SendAsync("a3 UID STORE 2 +FLAGS.SILENT (\\Deleted)\r\na4 EXPUNGE\r\n");
        await client.ExpectAsync($"* 1 FETCH (UID 2 MODSEQ ({expunged + 1}))", "a3 OK STORE completed.", "* VANISHED 2", "a4 OK EXPUNGE completed.");
        // As RFC 7162 section 3.2.6: the UIDs of the set expunged since the MODSEQ, then what changed.
        await client.SendAsync($"a5 UID FETCH 1:* (FLAGS) (CHANGEDSINCE {Known} VANISHED)\r\n");
        await client.ExpectAsync("* VANISHED (EARLIER) 1:3", "a5 OK FETCH completed.");
        await client.SendAsync($"a6 UID FETCH 3:5 (FLAGS) (CHANGEDSINCE {expunged} VANISHED)\r\n");
        await client.ExpectAsync("a6 OK FETCH completed.");
        await client.SendAsync("a7 UID MOVE 5 Archive\r\n");
        var archive = await Server.Queries.FindAsync(_inbox.AccountId, "Archive");
        await client.ExpectAsync($"* OK [COPYUID {archive!.UidValidity} 5 1] Moved.", "* VANISHED 5", "a7 OK MOVE completed.");
        await client.SendAsync($"a8 UID FETCH 1:* (FLAGS) (CHANGEDSINCE {Known} VANISHED)\r\n");
        await client.ExpectAsync("* VANISHED (EARLIER) 1:3,5", "a8 OK FETCH completed.");
    }

    [Fact]
    public async Task Qresync_parameters_need_enable_first()
    {
        await using var client = await RawImapClient.LoginAsync(Server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword);
        await client.SendAsync($"a1 SELECT INBOX (QRESYNC ({_inbox.UidValidity} {Known}))\r\na2 SELECT INBOX\r\n");
        await client.ExpectAsync("a1 BAD QRESYNC must be enabled first (ENABLE QRESYNC).");
        await client.ReadUntilTaggedAsync("a2");
        await client.SendAsync(
            $"a3 UID FETCH 1:* FLAGS (CHANGEDSINCE {Known} VANISHED)\r\n" +
            "a4 FETCH 1:* FLAGS (CHANGEDSINCE 1 VANISHED)\r\n" +
            "a5 UID FETCH 1:* FLAGS (VANISHED)\r\n" +
            "a6 SELECT INBOX (QRESYNC (0 1))\r\n" +
            "a7 ENABLE QRESYNC CONDSTORE\r\n");
        await client.ExpectAsync(
            "a3 BAD QRESYNC must be enabled first (ENABLE QRESYNC).",
            "a4 BAD Unknown FETCH modifier.",
            "a5 BAD VANISHED needs CHANGEDSINCE.",
            "a6 BAD Invalid UIDVALIDITY.",
            "* ENABLED QRESYNC CONDSTORE",
            "a7 OK ENABLE completed.");
    }
}
