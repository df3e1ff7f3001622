using GovMail.Imap.Tests.Support;
using GovMail.Storage.Database;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;

namespace GovMail.Imap.Tests.Clients;

/// <summary>MailKit using the search and fetch extensions: ESEARCH (RFC 4731), SORT and THREAD (RFC 5256), BINARY (RFC 3516).</summary>
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

    [Fact]
    public async Task Sort_and_thread_give_mailkit_ordered_uids_and_conversation_trees()
    {
        await Transcripts.SearchExtensionTranscriptTests.DeliverLettersAsync(Server);
        using var client = await Server.ConnectAsync();
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Sort));
        Assert.Contains(ThreadingAlgorithm.References, client.ThreadingAlgorithms);
        Assert.Contains(ThreadingAlgorithm.OrderedSubject, client.ThreadingAlgorithms);
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadOnly);

        var byDate = await inbox.SortAsync(SearchQuery.All, [OrderBy.ReverseDate]);
        Assert.Equal([5u, 4u, 2u, 1u, 3u, 7u, 6u], byDate.Select(u => u.Id));
        var bySubject = await inbox.SortAsync(SearchQuery.SubjectContains("ke hoach"), [OrderBy.Subject, OrderBy.ReverseDate]);
        Assert.Equal([4u, 2u, 1u], bySubject.Select(u => u.Id));
        var byName = await inbox.SortAsync(SearchQuery.All, [OrderBy.DisplayFrom]);
        Assert.Equal([4u, 5u, 1u, 2u, 3u, 6u, 7u], byName.Select(u => u.Id));
        var bySize = await inbox.SortAsync(SearchQuery.All, [OrderBy.ReverseSize]);
        var sizes = await inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Size);
        Assert.Equal(sizes.OrderByDescending(s => s.Size).ThenBy(s => s.Index).Select(s => s.UniqueId), bySize);

        var threads = await inbox.ThreadAsync(ThreadingAlgorithm.References, SearchQuery.All);
        Assert.Equal(3, threads.Count);
        Assert.Null(threads[0].UniqueId);
        Assert.Equal([6u, 7u], threads[0].Children.Select(t => t.UniqueId!.Value.Id));
        Assert.Equal(3u, threads[1].UniqueId!.Value.Id);
        Assert.Equal(5u, threads[1].Children.Single().UniqueId!.Value.Id);
        var discussion = threads[2];
        Assert.Equal(1u, discussion.UniqueId!.Value.Id);
        Assert.Equal(2u, discussion.Children.Single().UniqueId!.Value.Id);
        Assert.Equal(4u, discussion.Children.Single().Children.Single().UniqueId!.Value.Id);

        var bySubjectThreads = await inbox.ThreadAsync(ThreadingAlgorithm.OrderedSubject, SearchQuery.All);
        Assert.Equal([6u, 3u, 1u], bySubjectThreads.Select(t => t.UniqueId!.Value.Id));
        Assert.Equal([2u, 4u], bySubjectThreads[2].Children.Select(t => t.UniqueId!.Value.Id));
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task With_binary_advertised_mailkit_appends_binary_content_as_literal8_and_reads_it_back()
    {
        using var client = await Server.ConnectAsync();
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Binary));
        var octets = new byte[] { 0, 1, 2, 0xFF, 0, (byte)'\r', (byte)'A' };
        var message = new MimeKit.MimeMessage();
        message.From.Add(new MimeKit.MailboxAddress("Phòng Hành chính", "hanhchinh@tphcm.gov.vn"));
        message.To.Add(new MimeKit.MailboxAddress("Nguyễn Văn An", ImapTestServer.An));
        message.Subject = "Tệp nhị phân";
        message.Body = new MimeKit.MimePart("application", "octet-stream")
        {
            Content = new MimeKit.MimeContent(new MemoryStream(octets)),
            ContentTransferEncoding = MimeKit.ContentEncoding.Binary,
        };
        var uid = await client.Inbox.AppendAsync(message, MessageFlags.Seen);
        Assert.NotNull(uid);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var back = await client.Inbox.GetMessageAsync(uid!.Value);
        using var content = new MemoryStream();
        await Assert.IsType<MimeKit.MimePart>(back.Body).Content!.DecodeToAsync(content);
        Assert.Equal(octets, content.ToArray());
        Assert.Equal("Tệp nhị phân", back.Subject);
        await client.DisconnectAsync(true);
    }
}

public sealed class MailKitSearchExtensionTestsOnSqlite() : MailKitSearchExtensionTests(DatabaseProvider.Sqlite);

public sealed class MailKitSearchExtensionTestsOnPostgres() : MailKitSearchExtensionTests(DatabaseProvider.Postgres);
