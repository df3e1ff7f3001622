using GovMail.Imap.Tests.Support;
using GovMail.Storage.Database;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;

namespace GovMail.Imap.Tests.Clients;

/// <summary>MailKit using the search extensions: ESEARCH (RFC 4731), SORT and THREAD (RFC 5256).</summary>
public abstract class MailKitSearchExtensionTests(DatabaseProvider provider) : ServerTests(provider)
{
    [Fact]
    public async Task Esearch_counts_and_bounds_without_listing_every_uid()
    {
        for (var i = 1; i <= 6; i++) await Server.DeliverAsync(Fixture.Plain(i % 2 == 0 ? $"Công văn số {i}" : $"Thông báo {i}", $"{i}"));
        using var client = await Server.ConnectAsync();
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.ESearch));
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        var results = await inbox.SearchAsync(SearchOptions.Count | SearchOptions.Min | SearchOptions.Max | SearchOptions.All,
            SearchQuery.SubjectContains("cong van"));
        Assert.Equal(3, results.Count);
        Assert.Equal(new UniqueId(2), results.Min);
        Assert.Equal(new UniqueId(6), results.Max);
        Assert.Equal([2u, 4u, 6u], results.UniqueIds.Select(u => u.Id));
        var none = await inbox.SearchAsync(SearchOptions.Count | SearchOptions.Min, SearchQuery.Deleted);
        Assert.Equal(0, none.Count);
        Assert.Null(none.Min);
        await client.DisconnectAsync(true);
    }
}

public sealed class MailKitSearchExtensionTestsOnSqlite() : MailKitSearchExtensionTests(DatabaseProvider.Sqlite);

public sealed class MailKitSearchExtensionTestsOnPostgres() : MailKitSearchExtensionTests(DatabaseProvider.Postgres);
