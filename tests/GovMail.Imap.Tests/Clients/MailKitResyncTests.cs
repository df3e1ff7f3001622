using GovMail.Imap.Tests.Support;
using GovMail.Storage.Database;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;

namespace GovMail.Imap.Tests.Clients;

/// <summary>MailKit keeping a mailbox in step the way mobile clients do: CONDSTORE and QRESYNC (RFC 7162).</summary>
public abstract class MailKitResyncTests(DatabaseProvider provider) : IAsyncLifetime
{
    private ImapTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ImapTestServer.StartAsync(provider: provider);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Condstore_fetches_changes_since_and_stores_only_unchanged_messages()
    {
        for (var i = 1; i <= 4; i++) await _server.DeliverAsync(Fixture.Plain($"Công văn {i}", $"Nội dung {i}"));
        using var client = await _server.ConnectAsync();
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.CondStore));
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        var known = inbox.HighestModSeq;
        Assert.True(known > 0);

        using var other = await _server.ConnectAsync();
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
}

public sealed class MailKitResyncTestsOnSqlite() : MailKitResyncTests(DatabaseProvider.Sqlite);

public sealed class MailKitResyncTestsOnPostgres() : MailKitResyncTests(DatabaseProvider.Postgres);
