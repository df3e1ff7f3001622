using System.Diagnostics;
using GovMail.Core.Mail;
using GovMail.Imap.Tests.Support;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GovMail.Imap.Tests.Storage;

/// <summary>The mail-store operations IMAP added: append, flags, copy, move, expunge and mailbox changes, with their MODSEQs and quota.</summary>
public abstract class MailStoreMessageTests(DatabaseProvider provider) : IAsyncLifetime
{
    private ImapTestServer _server = null!;
    private Guid _account;
    private MailboxInfo _inbox = null!;

    public async Task InitializeAsync()
    {
        _server = await ImapTestServer.StartAsync(provider: provider);
        _account = await _server.AccountIdAsync(ImapTestServer.An);
        _inbox = (await _server.Queries.FindAsync(_account, "INBOX"))!;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_store_that_changes_nothing_takes_no_modseq()
    {
        var copy = await _server.DeliverAsync(Fixture.Plain("Một", "1"));
        var change = new FlagChange(FlagOperation.Add, MessageFlags.Seen, ["$Label1"]);
        var first = await _server.Store.StoreFlagsAsync(_inbox.Id, [copy.Uid], change, null);
        Assert.Equal([copy.Uid], first.Changed);
        Assert.Equal(copy.ModSeq + 1, first.ModSeq);
        var again = await _server.Store.StoreFlagsAsync(_inbox.Id, [copy.Uid], change with { Keywords = ["$label1"] }, null);
        Assert.Empty(again.Changed);
        Assert.Equal(0, again.ModSeq);
        Assert.Equal(first.ModSeq, (await _server.Queries.StateAsync(_inbox.Id))!.Value.HighestModSeq);
        Assert.Equal("$Label1", Assert.Single(again.Rows).Keywords);
    }

    [Fact]
    public async Task Store_and_expunge_read_their_messages_once_and_append_checks_the_quota_as_it_counts_it()
    {
        var copy = await _server.DeliverAsync(Fixture.Plain("Một", "1"));
        using var messageReads = await SqlReads.StartAsync(_server.Database.Database, "mailbox_messages");
        using var quotaReads = await SqlReads.StartAsync(_server.Database.Database, "quota_usage");
        var flagged = await _server.Store.StoreFlagsAsync(_inbox.Id, [copy.Uid], new FlagChange(FlagOperation.Add, MessageFlags.Flagged, []), null);
        Assert.Equal([copy.Uid], flagged.Changed);
        Assert.Equal(1, messageReads.Count);
        Assert.Equal(MessageFlags.Flagged, Assert.Single(flagged.Rows).Flags);

        // CONDSTORE: a message changed after UNCHANGEDSINCE is left alone and named, the others change.
        var other = await _server.DeliverAsync(Fixture.Plain("Hai", "2"));
        var conditional = await _server.Store.StoreFlagsAsync(_inbox.Id, [copy.Uid, other.Uid],
            new FlagChange(FlagOperation.Add, MessageFlags.Seen | MessageFlags.Deleted, []) { UnchangedSince = flagged.ModSeq }, null);
        Assert.Equal([other.Uid], conditional.Modified);
        Assert.Equal([copy.Uid], conditional.Changed);
        Assert.Equal(MessageFlags.Flagged | MessageFlags.Seen | MessageFlags.Deleted, Assert.Single(conditional.Rows).Flags);

        messageReads.Reset();
        var expunged = await _server.Store.ExpungeAsync(_inbox.Id, _account, [copy.Uid]);
        Assert.Equal([copy.Uid], expunged.Uids);
        Assert.Equal(1, messageReads.Count);

        quotaReads.Reset();
        var body = await _server.Blobs.PutMessageAsync(Fixture.Plain("Ba", "3"), CancellationToken.None);
        var stored = await _server.Store.AppendAsync(_inbox.Id, _account, new NewMessage(body.Key, body.Size, body.Parsed), MessageFlags.None, null);
        Assert.Equal(MailboxOutcome.Done, stored.Outcome);
        Assert.Equal(0, quotaReads.Count);
        var quota = await _server.Queries.QuotaAsync(_account);
        Assert.Equal(2, quota.MessageCount);
    }

    [Fact]
    public async Task A_refused_or_failed_change_leaves_no_trace_and_the_next_one_goes_through()
    {
        var copy = await _server.DeliverAsync(Fixture.Plain("Một", "1"));
        var state = (await _server.Queries.StateAsync(_inbox.Id))!.Value;
        var quota = await _server.Queries.QuotaAsync(_account);

        var tooMany = Enumerable.Range(1, 120).Select(i => $"$NhanDai{i:D4}").ToList();
        var refused = await _server.Store.StoreFlagsAsync(_inbox.Id, [copy.Uid], new FlagChange(FlagOperation.Add, MessageFlags.Seen, tooMany), null);
        Assert.Equal(MailboxOutcome.Refused, refused.Outcome);

        await _server.SetQuotaAsync(ImapTestServer.An, quota.UsedBytes + 10);
        var body = await _server.Blobs.PutMessageAsync(Fixture.Plain("Hai", "2"), CancellationToken.None);
        var message = new NewMessage(body.Key, body.Size, body.Parsed);
        Assert.Equal(MailboxOutcome.OverQuota, (await _server.Store.AppendAsync(_inbox.Id, _account, message, MessageFlags.None, null)).Outcome);
        await _server.SetQuotaAsync(ImapTestServer.An, 100L * 1024 * 1024);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _server.Store.AppendAsync(_inbox.Id, _account, message, MessageFlags.None, null,
            inSameCommit: (_, _) => throw new InvalidOperationException("the migration's progress could not be saved")));

        Assert.Equal(state, (await _server.Queries.StateAsync(_inbox.Id))!.Value);
        Assert.Equal(quota with { LimitBytes = 100L * 1024 * 1024 }, await _server.Queries.QuotaAsync(_account));
        var flags = await _server.Store.StoreFlagsAsync(_inbox.Id, [copy.Uid], new FlagChange(FlagOperation.Add, MessageFlags.Seen, []), null);
        Assert.Equal(state.HighestModSeq + 1, flags.ModSeq);
        var appended = await _server.Store.AppendAsync(_inbox.Id, _account, message, MessageFlags.None, null);
        Assert.Equal((MailboxOutcome.Done, state.UidNext), (appended.Outcome, appended.Uid));
        Assert.Equal(quota.UsedBytes + body.Size, (await _server.Queries.QuotaAsync(_account)).UsedBytes);
    }

    [Fact]
    public async Task Concurrent_stores_on_one_message_each_keep_their_keyword()
    {
        var copy = await _server.DeliverAsync(Fixture.Plain("Một", "1"));
        var keywords = Enumerable.Range(1, 24).Select(i => $"$Nhan{i}").ToList();
        // Their first looks overlap the others' writes: whoever finds the mailbox moved since reads its row again.
        var updates = await Task.WhenAll(keywords.Select(k =>
            _server.Store.StoreFlagsAsync(_inbox.Id, [copy.Uid], new FlagChange(FlagOperation.Add, MessageFlags.None, [k]), null)));
        Assert.All(updates, u => Assert.Equal([copy.Uid], u.Changed));
        Assert.Equal(keywords.Count, updates.Select(u => u.ModSeq).Distinct().Count());
        var last = updates.MaxBy(u => u.ModSeq)!;
        Assert.Equal(keywords.Order(), Assert.Single(last.Rows).Keywords!.Split(' ').Order());
    }

    [Fact]
    public async Task Expunge_bumps_the_modseq_gives_quota_back_and_deletes_unshared_bodies()
    {
        var one = await _server.DeliverAsync(Fixture.Plain("Một", "1"));
        var two = await _server.DeliverAsync(Fixture.Plain("Hai", "2"));
        var archive = (await _server.Queries.FindAsync(_account, "Archive"))!;
        var store = _server.Store;
        await store.CopyAsync(_inbox.Id, [one.Uid], archive.Id, _account, move: false);
        await store.StoreFlagsAsync(_inbox.Id, [one.Uid, two.Uid], new FlagChange(FlagOperation.Add, MessageFlags.Deleted, []), null);
        var before = await _server.Queries.QuotaAsync(_account);
        var blobs = Directory.GetFiles(_server.Blobs.Root, "*", SearchOption.AllDirectories).Length;

        var result = await store.ExpungeAsync(_inbox.Id, _account, null);

        Assert.Equal([one.Uid, two.Uid], result.Uids);
        Assert.Equal(result.ModSeq, (await _server.Queries.StateAsync(_inbox.Id))!.Value.HighestModSeq);
        var after = await _server.Queries.QuotaAsync(_account);
        Assert.Equal(before.MessageCount - 2, after.MessageCount);
        // Message one lives on in Archive; message two's body is gone.
        Assert.Equal(blobs - 1, Directory.GetFiles(_server.Blobs.Root, "*", SearchOption.AllDirectories).Length);
        Assert.Equal(1, (await _server.Queries.StatusAsync(archive)).Messages);
    }

    [Fact]
    public async Task Copy_refuses_what_the_quota_cannot_hold()
    {
        var copy = await _server.DeliverAsync(Fixture.CongVan1434);
        await using (var db = _server.Database.Database.Open())
        {
            var account = db.Accounts.Single(a => a.Id == _account);
            account.QuotaBytes = Fixture.CongVan1434.Length + 10;
            await db.SaveChangesAsync();
        }
        var archive = (await _server.Queries.FindAsync(_account, "Archive"))!;
        var result = await _server.Store.CopyAsync(_inbox.Id, [copy.Uid], archive.Id, _account, move: false);
        Assert.Equal(MailboxOutcome.OverQuota, result.Outcome);
        var moved = await _server.Store.CopyAsync(_inbox.Id, [copy.Uid], archive.Id, _account, move: true);
        Assert.Equal(MailboxOutcome.Done, moved.Outcome);
        Assert.Equal([1u], moved.TargetUids);
    }

    [Fact]
    public async Task Mailboxes_are_created_with_parents_renamed_with_children_and_kept_when_special()
    {
        var store = _server.Store;
        Assert.Equal(MailboxOutcome.Done, await store.CreateMailboxAsync(_account, "Công văn/Đến/2024"));
        Assert.Equal(MailboxOutcome.AlreadyExists, await store.CreateMailboxAsync(_account, "Công văn/Đến"));
        Assert.Equal(MailboxOutcome.Done, await store.RenameMailboxAsync(_account, "Công văn", "Văn bản"));
        var names = (await _server.Queries.ListAsync(_account)).Select(m => m.Name).ToList();
        Assert.Contains("Văn bản/Đến/2024", names);
        Assert.DoesNotContain("Công văn", names);
        Assert.Equal(MailboxOutcome.Refused, await store.RenameMailboxAsync(_account, "Văn bản", "Văn bản/Con"));
        Assert.Equal(MailboxOutcome.HasChildren, await store.DeleteMailboxAsync(_account, "Văn bản"));
        Assert.Equal(MailboxOutcome.SpecialUse, await store.DeleteMailboxAsync(_account, "Sent"));
        Assert.Equal(MailboxOutcome.NotFound, await store.DeleteMailboxAsync(_account, "Không có"));
        var deleted = (await _server.Queries.FindAsync(_account, "Văn bản/Đến/2024"))!;
        Assert.Equal(MailboxOutcome.Done, await store.DeleteMailboxAsync(_account, "Văn bản/Đến/2024"));
        Assert.Equal(MailboxOutcome.Done, await store.CreateMailboxAsync(_account, "Văn bản/Đến/2024"));
        var again = (await _server.Queries.FindAsync(_account, "Văn bản/Đến/2024"))!;
        Assert.NotEqual(deleted.UidValidity, again.UidValidity);
    }

    [Fact]
    public async Task Renaming_inbox_moves_its_messages_and_leaves_it_empty()
    {
        await _server.DeliverAsync(Fixture.Plain("Một", "1"));
        Assert.Equal(MailboxOutcome.Done, await _server.Store.RenameMailboxAsync(_account, "INBOX", "Cũ"));
        var old = (await _server.Queries.FindAsync(_account, "Cũ"))!;
        Assert.Equal(1, (await _server.Queries.StatusAsync(old)).Messages);
        Assert.Equal(0, (await _server.Queries.StatusAsync(_inbox)).Messages);
        Assert.Equal(2u, old.UidNext);
    }
}

public sealed class MailStoreMessageTestsOnSqlite() : MailStoreMessageTests(DatabaseProvider.Sqlite);

public sealed class MailStoreMessageTestsOnPostgres() : MailStoreMessageTests(DatabaseProvider.Postgres);
