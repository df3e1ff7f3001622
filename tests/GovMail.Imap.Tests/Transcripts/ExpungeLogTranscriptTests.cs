using GovMail.Core.Mail;
using GovMail.Imap.Tests.Support;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Tests.Transcripts;

/// <summary>
/// The expunge log behind QRESYNC's VANISHED is bounded per mailbox: once old entries are dropped, a client that last
/// synchronised before them is told every UID of its that no longer exists (RFC 7162 section 3.2.5.2), never too few.
/// </summary>
public abstract class ExpungeLogTranscriptTests(DatabaseProvider provider) : ServerTests(provider)
{
    private readonly List<DeliveredCopy> _copies = [];
    private readonly List<long> _expunges = [];
    private MailboxInfo _inbox = null!;

    /// <summary>Eight messages, then another client expunges 1 to 6 one at a time through a store that keeps four log entries.</summary>
    protected override async Task SetUpAsync()
    {
        for (var i = 1; i <= 8; i++) _copies.Add(await Server.DeliverAsync(Fixture.Plain($"Thư {i}", $"{i}")));
        _inbox = (await Server.Queries.FindAsync(await Server.AccountIdAsync(ImapTestServer.An), "INBOX"))!;
        var store = new MailStore(Server.Database.Database, Server.Database.Clock) { Notifications = Server.Notifications, ExpungeLogLimit = 4 };
        for (uint uid = 1; uid <= 6; uid++)
        {
            await store.StoreFlagsAsync(_inbox.Id, [uid], new FlagChange(FlagOperation.Add, MessageFlags.Deleted, []), null);
            _expunges.Add((await store.ExpungeAsync(_inbox.Id, _inbox.AccountId, [uid])).ModSeq);
        }
    }

    private long BeforeExpunges => _copies[^1].ModSeq;

    [Fact]
    public async Task The_log_keeps_its_newest_entries_and_says_when_it_no_longer_reaches_back()
    {
        var early = await Server.Queries.VanishedSinceAsync(_inbox.Id, BeforeExpunges);
        Assert.False(early.Complete);
        // Pruned down to four entries at the fifth and sixth expunge: those of UIDs 3 to 6 are left.
        var kept = await Server.Queries.VanishedSinceAsync(_inbox.Id, _expunges[1]);
        Assert.True(kept.Complete);
        Assert.Equal([3u, 4, 5, 6], kept.Uids);
        Assert.False((await Server.Queries.VanishedSinceAsync(_inbox.Id, _expunges[0])).Complete);
    }

    [Fact]
    public async Task A_client_from_before_the_pruned_entries_is_told_every_uid_it_knew_that_is_gone()
    {
        await using var client = await RawImapClient.LoginAsync(Server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword);
        await client.SendAsync("e1 ENABLE QRESYNC\r\n");
        await client.ReadUntilTaggedAsync("e1");
        await client.SendAsync($"a1 SELECT INBOX (QRESYNC ({_inbox.UidValidity} {BeforeExpunges} 1:8))\r\n");
        var lines = await client.ReadUntilTaggedAsync("a1");
        Assert.Equal(["* VANISHED (EARLIER) 1:6", "a1 OK [READ-WRITE] SELECT completed."], lines[^2..]);

        await client.SendAsync($"a2 SELECT INBOX (QRESYNC ({_inbox.UidValidity} {BeforeExpunges} 2,4,7))\r\n");
        Assert.Equal(["* VANISHED (EARLIER) 2,4", "a2 OK [READ-WRITE] SELECT completed."], (await client.ReadUntilTaggedAsync("a2"))[^2..]);

        await client.SendAsync($"a3 SELECT INBOX (QRESYNC ({_inbox.UidValidity} {BeforeExpunges}))\r\n");
        Assert.Equal(["* VANISHED (EARLIER) 1:6", "a3 OK [READ-WRITE] SELECT completed."], (await client.ReadUntilTaggedAsync("a3"))[^2..]);

        // From a MODSEQ the log still covers, the answer is the exact one.
        await client.SendAsync($"a4 SELECT INBOX (QRESYNC ({_inbox.UidValidity} {_expunges[2]} 1:8))\r\n");
        Assert.Equal(["* VANISHED (EARLIER) 4:6", "a4 OK [READ-WRITE] SELECT completed."], (await client.ReadUntilTaggedAsync("a4"))[^2..]);

        await client.SendAsync($"a5 UID FETCH 1:* (FLAGS) (CHANGEDSINCE {BeforeExpunges} VANISHED)\r\n");
        await client.ExpectAsync("* VANISHED (EARLIER) 1:6", "a5 OK FETCH completed.");
    }
}

public sealed class ExpungeLogTranscriptTestsOnSqlite() : ExpungeLogTranscriptTests(DatabaseProvider.Sqlite);

public sealed class ExpungeLogTranscriptTestsOnPostgres() : ExpungeLogTranscriptTests(DatabaseProvider.Postgres);
