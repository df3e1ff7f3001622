using GovMail.Imap.Tests.Support;
using GovMail.Storage.Database;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;

namespace GovMail.Imap.Tests.Clients;

/// <summary>MailKit keeping a mailbox in step the way mobile clients do: CONDSTORE and QRESYNC (RFC 7162).</summary>
public abstract class MailKitResyncTests(DatabaseProvider provider) : ServerTests(provider)
{
    [Fact]
    public async Task Condstore_fetches_changes_since_and_stores_only_unchanged_messages()
    {
        for (var i = 1; i <= 4; i++) await Server.DeliverAsync(Fixture.Plain($"Công văn {i}", $"Nội dung {i}"));
        using var client = await Server.ConnectAsync();
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.CondStore));
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        var known = inbox.HighestModSeq;
        Assert.True(known > 0);

        using var other = await Server.ConnectAsync();
        await other.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await other.Inbox.AddFlagsAsync(new UniqueId(2), MessageFlags.Flagged, true);
        await other.Inbox.AddFlagsAsync(new UniqueId(4), MessageFlags.Seen, true);

        var changed = await inbox.FetchAsync(0, -1, new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.ModSeq)
        {
            ChangedSince = known,
        });
        Assert.Equal([2u, 4u], changed.Select(s => s.UniqueId.Id).Order());
        Assert.All(changed, s => Assert.True(s.ModSeq > known));
        Assert.Equal(MessageFlags.Flagged, changed.Single(s => s.UniqueId.Id == 2).Flags);

        var found = await inbox.SearchAsync(SearchQuery.ChangedSince(known));
        Assert.Equal([2u, 4u], found.Select(u => u.Id));

        // Message 2 changed after `known`: a conditional store leaves it alone and says so.
        var notUpdated = await inbox.StoreAsync([new UniqueId(1), new UniqueId(2), new UniqueId(3)],
            new StoreFlagsRequest(StoreAction.Add, MessageFlags.Answered) { UnchangedSince = known, Silent = true });
        Assert.Equal([new UniqueId(2)], notUpdated);
        var flags = await inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags);
        Assert.Equal([MessageFlags.Answered, MessageFlags.Flagged, MessageFlags.Answered, MessageFlags.Seen], flags.Select(s => s.Flags!.Value));
        await inbox.StatusAsync(StatusItems.HighestModSeq);
        Assert.True(inbox.HighestModSeq > known);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Qresync_reconnect_gets_exactly_the_flag_changes_and_expunges_made_elsewhere()
    {
        for (var i = 1; i <= 5; i++) await Server.DeliverAsync(Fixture.Plain($"Tờ trình {i}", $"Nội dung {i}"));
        uint validity;
        ulong known;
        IList<UniqueId> uids;
        using (var client = await Server.ConnectAsync())
        {
            Assert.True(client.Capabilities.HasFlag(ImapCapabilities.QuickResync));
            await client.EnableQuickResyncAsync();
            await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
            validity = client.Inbox.UidValidity;
            known = client.Inbox.HighestModSeq;
            uids = await client.Inbox.SearchAsync(SearchQuery.All);
            await client.DisconnectAsync(true);
        }
        Assert.Equal(5, uids.Count);

        // Meanwhile, on another device: one message flagged, one read, two deleted for good, one new.
        using (var other = await Server.ConnectAsync())
        {
            var inbox = other.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadWrite);
            await inbox.AddFlagsAsync(new UniqueId(2), MessageFlags.Flagged, true);
            await inbox.AddFlagsAsync(new UniqueId(5), MessageFlags.Seen, true);
            await inbox.AddFlagsAsync([new UniqueId(3), new UniqueId(4)], MessageFlags.Deleted, true);
            await inbox.ExpungeAsync();
            await other.DisconnectAsync(true);
        }
        await Server.DeliverAsync(Fixture.Plain("Tờ trình 6", "Nội dung 6"));

        using var again = await Server.ConnectAsync();
        await again.EnableQuickResyncAsync();
        var vanished = new List<uint>();
        var earlier = true;
        again.Inbox.MessagesVanished += (_, e) =>
        {
            vanished.AddRange(e.UniqueIds.Select(u => u.Id));
            earlier &= e.Earlier;
        };
        var flagChanges = new Dictionary<uint, (MessageFlags Flags, ulong ModSeq)>();
        again.Inbox.MessageFlagsChanged += (_, e) => flagChanges[e.UniqueId!.Value.Id] = (e.Flags, e.ModSeq!.Value);
        await again.Inbox.OpenAsync(FolderAccess.ReadWrite, validity, known, uids);
        Assert.Equal([3u, 4u], vanished.Order());
        Assert.True(earlier);
        Assert.Equal([2u, 5u], flagChanges.Keys.Order());
        Assert.Equal(MessageFlags.Flagged, flagChanges[2].Flags);
        Assert.Equal(MessageFlags.Seen, flagChanges[5].Flags);
        Assert.All(flagChanges.Values, c => Assert.True(c.ModSeq > known));
        Assert.Equal(4, again.Inbox.Count);
        Assert.True(again.Inbox.HighestModSeq > known);

        // While open, an expunge from elsewhere arrives as VANISHED.
        vanished.Clear();
        await Server.Store.StoreFlagsAsync((await Server.DeliverAsync(Fixture.Plain("Tờ trình 7", "7"))).MailboxId, [1],
            new GovMail.Storage.Mail.FlagChange(GovMail.Storage.Mail.FlagOperation.Add, GovMail.Core.Mail.MessageFlags.Deleted, []), null);
        using (var other = await Server.ConnectAsync())
        {
            await other.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await other.Inbox.ExpungeAsync();
        }
        await again.NoOpAsync();
        Assert.Equal([1u], vanished);
        Assert.Equal(4, again.Inbox.Count);
        await again.DisconnectAsync(true);
    }
}

public sealed class MailKitResyncTestsOnSqlite() : MailKitResyncTests(DatabaseProvider.Sqlite);

public sealed class MailKitResyncTestsOnPostgres() : MailKitResyncTests(DatabaseProvider.Postgres);
