using GovMail.Core.Usage;
using GovMail.Imap.Tests.Support;
using GovMail.Storage.Database;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace GovMail.Imap.Tests.Clients;

/// <summary>MailKit's ImapClient, a client no one here wrote, against the real server on loopback.</summary>
public abstract class MailKitClientTests(DatabaseProvider provider) : IAsyncLifetime
{
    private ImapTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ImapTestServer.StartAsync(provider: provider);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Starttls_login_and_the_special_use_folders()
    {
        using var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync(_server.Imap.Address.ToString(), _server.Imap.Port, SecureSocketOptions.StartTls);
        Assert.True(client.IsSecure);
        await client.AuthenticateAsync(ImapTestServer.An, ImapTestServer.AnPassword);
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.SpecialUse));
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Idle));

        Assert.Equal("INBOX", client.Inbox.FullName);
        Assert.Equal("Sent", client.GetFolder(SpecialFolder.Sent)!.FullName);
        Assert.Equal("Drafts", client.GetFolder(SpecialFolder.Drafts)!.FullName);
        Assert.Equal("Trash", client.GetFolder(SpecialFolder.Trash)!.FullName);
        Assert.Equal("Junk", client.GetFolder(SpecialFolder.Junk)!.FullName);
        Assert.Equal("Archive", client.GetFolder(SpecialFolder.Archive)!.FullName);
        var folders = await client.GetFoldersAsync(client.PersonalNamespaces[0]);
        Assert.Equal(["Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash"], folders.Select(f => f.FullName).Order(StringComparer.Ordinal));
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Select_and_fetch_summaries_envelope_structure_and_parts_of_a_vietnamese_letter()
    {
        await _server.DeliverAsync(Fixture.CongVan1434);
        using var client = await _server.ConnectAsync();
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        Assert.Equal(1, inbox.Count);
        Assert.Equal(2u, inbox.UidNext!.Value.Id);
        Assert.True(inbox.UidValidity > 0);

        var summaries = await inbox.FetchAsync(0, -1, MessageSummaryItems.Full | MessageSummaryItems.UniqueId | MessageSummaryItems.BodyStructure);
        var summary = Assert.Single(summaries);
        Assert.Equal(1u, summary.UniqueId.Id);
        Assert.Equal("Công văn số 1434 về rà soát hộp thư", summary.Envelope!.Subject);
        Assert.Equal("Lê Đức Thịnh", summary.Envelope!.From.Mailboxes.Single().Name);
        Assert.Equal("ldthinh@tphcm.gov.vn", summary.Envelope!.From.Mailboxes.Single().Address);
        Assert.Equal("Nguyễn Văn An", summary.Envelope!.To.Mailboxes.Single().Name);
        Assert.Equal("cv1434@tphcm.gov.vn", summary.Envelope!.MessageId);
        Assert.Equal(new DateTimeOffset(2024, 4, 3, 9, 15, 0, TimeSpan.FromHours(7)), summary.Envelope!.Date);
        Assert.Equal(Fixture.CongVan1434.Length, (int)summary.Size!.Value);
        Assert.False(summary.Flags!.Value.HasFlag(MessageFlags.Seen));

        var text = Assert.IsType<BodyPartText>(summary.TextBody);
        Assert.Equal("1.1", text.PartSpecifier);
        Assert.Equal("utf-8", text.ContentType.Charset);
        var attachment = Assert.Single(summary.Attachments);
        Assert.Equal("2", attachment.PartSpecifier);
        Assert.Equal("Công văn 1434.pdf", attachment.FileName);

        // BODY.PEEK of one part leaves the message unread; the decoded text is the Vietnamese original.
        var plain = (TextPart)await inbox.GetBodyPartAsync(summary.UniqueId, text);
        Assert.Equal("Kính gửi các phòng: rà soát tình hình sử dụng hộp thư Quý I.\nTrân trọng.", plain.Text.ReplaceLineEndings("\n").TrimEnd());
        var pdf = (MimePart)await inbox.GetBodyPartAsync(summary.UniqueId, attachment);
        using (var decoded = new MemoryStream())
        {
            await pdf.Content!.DecodeToAsync(decoded);
            Assert.Equal("%PDF-1.4\n", System.Text.Encoding.ASCII.GetString(decoded.ToArray()));
        }
        var headers = await inbox.GetHeadersAsync(summary.UniqueId);
        Assert.Equal("binh@tphcm.gov.vn", headers[HeaderId.Cc]);

        // The whole message comes back byte for byte; MailKit peeks, so it stays unread.
        var message = await inbox.GetMessageAsync(summary.UniqueId);
        Assert.Equal("Công văn số 1434 về rà soát hộp thư", message.Subject);
        using (var raw = new MemoryStream())
        {
            var stream = await inbox.GetStreamAsync(summary.UniqueId, "");
            await stream.CopyToAsync(raw);
            Assert.Equal(Fixture.CongVan1434, raw.ToArray());
        }
        var flags = await inbox.FetchAsync([summary.UniqueId], MessageSummaryItems.Flags);
        Assert.False(flags[0].Flags!.Value.HasFlag(MessageFlags.Seen));
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Search_finds_cong_van_without_diacritics_and_combines_keys()
    {
        await _server.DeliverAsync(Fixture.CongVan1434);
        await _server.DeliverAsync(Fixture.Plain("Lịch họp giao ban", "Họp giao ban sáng thứ Hai."));
        await _server.DeliverAsync(Fixture.Plain("Báo cáo tuần", "Gửi kèm công văn về lịch trực."));
        using var client = await _server.ConnectAsync();
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);

        Assert.Equal([1u, 3u], (await inbox.SearchAsync(SearchQuery.BodyContains("cong van"))).Select(u => u.Id));
        Assert.Equal([1u, 3u], (await inbox.SearchAsync(SearchQuery.MessageContains("CÔNG VĂN"))).Select(u => u.Id));
        Assert.Equal([1u], (await inbox.SearchAsync(SearchQuery.SubjectContains("cong van"))).Select(u => u.Id));
        Assert.Equal([1u], (await inbox.SearchAsync(SearchQuery.FromContains("Thịnh"))).Select(u => u.Id));
        Assert.Equal([2u, 3u], (await inbox.SearchAsync(SearchQuery.FromContains("hanhchinh@tphcm.gov.vn"))).Select(u => u.Id));
        Assert.Equal([1u], (await inbox.SearchAsync(SearchQuery.HeaderContains("Message-ID", "cv1434"))).Select(u => u.Id));
        Assert.Equal([2u], (await inbox.SearchAsync(SearchQuery.Not(SearchQuery.BodyContains("cong van")))).Select(u => u.Id));
        Assert.Equal([1u, 2u], (await inbox.SearchAsync(SearchQuery.SubjectContains("giao ban").Or(SearchQuery.CcContains("binh")))).Select(u => u.Id));
        Assert.Equal([1u], (await inbox.SearchAsync(SearchQuery.LargerThan(1000))).Select(u => u.Id));

        await inbox.AddFlagsAsync(new UniqueId(2), MessageFlags.Flagged, true);
        Assert.Equal([2u], (await inbox.SearchAsync(SearchQuery.Flagged)).Select(u => u.Id));
        Assert.Equal([1u, 3u], (await inbox.SearchAsync(SearchQuery.NotFlagged.And(SearchQuery.NotSeen))).Select(u => u.Id));
        Assert.Equal([2u, 3u], (await inbox.SearchAsync(SearchQuery.Uids([new UniqueId(2), new UniqueId(3)]))).Select(u => u.Id));
        var today = DateTime.UtcNow.Date;
        Assert.Equal(3, (await inbox.SearchAsync(SearchQuery.DeliveredAfter(new DateTime(2020, 1, 1)))).Count);
        Assert.Empty(await inbox.SearchAsync(SearchQuery.DeliveredBefore(new DateTime(2020, 1, 1))));
        Assert.Equal([1u], (await inbox.SearchAsync(SearchQuery.SentOn(new DateTime(2024, 4, 3)))).Select(u => u.Id));
        Assert.True(today.Year >= 2024);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Flags_and_keywords_change_and_reading_counts_as_a_read_usage_event()
    {
        await _server.DeliverAsync(Fixture.Plain("Một", "thư một"));
        await _server.DeliverAsync(Fixture.Plain("Hai", "thư hai"));
        using var client = await _server.ConnectAsync();
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);

        await inbox.AddFlagsAsync([new UniqueId(1), new UniqueId(2)], MessageFlags.Seen | MessageFlags.Flagged, new HashSet<string> { "DaXuLy" }, true);
        await inbox.RemoveFlagsAsync(new UniqueId(2), MessageFlags.Flagged, true);
        var fetched = await inbox.FetchAsync(0, -1, MessageSummaryItems.Flags | MessageSummaryItems.UniqueId);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Flagged, fetched[0].Flags);
        Assert.Equal(MessageFlags.Seen, fetched[1].Flags);
        Assert.Contains("DaXuLy", fetched[0].Keywords);
        await inbox.SetFlagsAsync(new UniqueId(1), MessageFlags.Answered, true);
        fetched = await inbox.FetchAsync([new UniqueId(1)], MessageSummaryItems.Flags);
        Assert.Equal(MessageFlags.Answered, fetched[0].Flags);
        Assert.Empty(fetched[0].Keywords);

        await using var db = _server.Database.Database.Open();
        var reads = db.UsageEvents.Where(e => e.Kind == UsageKind.Read).ToList();
        Assert.Equal(2, reads.Count);
        Assert.All(reads, e => Assert.Equal((ImapTestServer.An, UsageProtocol.Imap), (e.Address, e.Protocol)));
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Copy_move_and_expunge_keep_uids_and_quota_right()
    {
        for (var i = 1; i <= 4; i++) await _server.DeliverAsync(Fixture.Plain($"Thư {i}", $"Nội dung {i}"));
        var account = await _server.AccountIdAsync(ImapTestServer.An);
        var before = await _server.Queries.QuotaAsync(account);
        using var client = await _server.ConnectAsync();
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        var archive = client.GetFolder(SpecialFolder.Archive)!;
        var trash = client.GetFolder(SpecialFolder.Trash)!;

        var copied = await inbox.CopyToAsync([new UniqueId(1), new UniqueId(2)], archive);
        Assert.Equal([1u, 2u], copied.Source.Select(u => u.Id));
        Assert.Equal([1u, 2u], copied.Destination.Select(u => u.Id));
        var afterCopy = await _server.Queries.QuotaAsync(account);
        Assert.Equal(before.MessageCount + 2, afterCopy.MessageCount);

        var moved = await inbox.MoveToAsync(new UniqueId(3), trash);
        Assert.Equal(1u, moved!.Value.Id);
        Assert.Equal(3, inbox.Count);
        Assert.Equal(afterCopy, await _server.Queries.QuotaAsync(account));

        await inbox.AddFlagsAsync(new UniqueId(1), MessageFlags.Deleted, true);
        await inbox.AddFlagsAsync(new UniqueId(4), MessageFlags.Deleted, true);
        await inbox.ExpungeAsync([new UniqueId(4)]);
        Assert.Equal([1u, 2u], (await inbox.SearchAsync(SearchQuery.All)).Select(u => u.Id));
        await inbox.ExpungeAsync();
        Assert.Equal([2u], (await inbox.SearchAsync(SearchQuery.All)).Select(u => u.Id));
        var afterExpunge = await _server.Queries.QuotaAsync(account);
        Assert.Equal(afterCopy.MessageCount - 2, afterExpunge.MessageCount);

        await archive.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal(2, archive.Count);
        // The body of message 1 is still held by Archive, so it stays readable there.
        Assert.Equal("Thư 1", (await archive.GetMessageAsync(0)).Subject);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Append_stores_flags_date_and_answers_appenduid()
    {
        using var client = await _server.ConnectAsync();
        var drafts = client.GetFolder(SpecialFolder.Drafts)!;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Nguyễn Văn An", ImapTestServer.An));
        message.To.Add(new MailboxAddress("Phòng Tổng hợp", "tonghop@tphcm.gov.vn"));
        message.Subject = "Dự thảo công văn";
        message.Body = new TextPart("plain") { Text = "Nội dung dự thảo." };
        var date = new DateTimeOffset(2024, 4, 7, 14, 5, 9, TimeSpan.FromHours(7));

        var uid = await drafts.AppendAsync(message, MessageFlags.Draft | MessageFlags.Seen, date);
        Assert.Equal(1u, uid!.Value.Id);
        await drafts.OpenAsync(FolderAccess.ReadOnly);
        var summary = (await drafts.FetchAsync(0, -1, MessageSummaryItems.Flags | MessageSummaryItems.InternalDate | MessageSummaryItems.Envelope))[0];
        Assert.Equal(MessageFlags.Draft | MessageFlags.Seen, summary.Flags);
        Assert.Equal(date, summary.InternalDate);
        Assert.Equal("Dự thảo công văn", summary.Envelope!.Subject);
        Assert.Single(await drafts.SearchAsync(SearchQuery.BodyContains("du thao")));

        await Assert.ThrowsAsync<FolderNotFoundException>(() => client.GetFolderAsync("Không có"));
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Idle_hears_of_a_delivery_published_on_the_bus()
    {
        using var client = await _server.ConnectAsync();
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        var arrived = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        inbox.CountChanged += (_, _) => arrived.TrySetResult(inbox.Count);
        using var done = new CancellationTokenSource();
        var idle = client.IdleAsync(done.Token);

        await _server.DeliverAsync(Fixture.Plain("Thư mới", "Vừa đến."));

        // A guard against a hang, not a timing assertion.
        Assert.Equal(1, await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await done.CancelAsync();
        await idle;
        var summary = (await inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope))[0];
        Assert.Equal("Thư mới", summary.Envelope!.Subject);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Quota_shows_storage_used_against_the_account_quota()
    {
        await _server.DeliverAsync(Fixture.CongVan1434);
        using var client = await _server.ConnectAsync();
        var quota = await client.Inbox.GetQuotaAsync();
        Assert.Equal("", quota.QuotaRoot!.FullName);
        Assert.Equal(5u * 1024 * 1024, quota.StorageLimit);
        Assert.Equal((uint)((Fixture.CongVan1434.Length + 1023) / 1024), quota.CurrentStorageSize);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Folders_with_vietnamese_names_are_created_renamed_listed_and_deleted()
    {
        using var client = await _server.ConnectAsync();
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var folder = (await root.CreateAsync("Công văn đến", true))!;
        Assert.Equal("Công văn đến", folder.FullName);
        var child = (await folder.CreateAsync("2024", true))!;
        Assert.Equal("Công văn đến/2024", child.FullName);

        var names = (await client.GetFoldersAsync(client.PersonalNamespaces[0])).Select(f => f.FullName).ToList();
        Assert.Contains("Công văn đến", names);
        Assert.Contains("Công văn đến/2024", names);

        await folder.RenameAsync(root, "Văn bản đến");
        names = (await client.GetFoldersAsync(client.PersonalNamespaces[0])).Select(f => f.FullName).ToList();
        Assert.Contains("Văn bản đến/2024", names);
        Assert.DoesNotContain("Công văn đến", names);

        var status = client.GetFolder("Văn bản đến");
        await status.StatusAsync(StatusItems.Count | StatusItems.UidNext | StatusItems.UidValidity | StatusItems.Unread);
        Assert.Equal((0, 1u), (status.Count, status.UidNext!.Value.Id));

        await Assert.ThrowsAsync<ImapCommandException>(() => status.DeleteAsync());
        await client.GetFolder("Văn bản đến/2024").DeleteAsync();
        await status.DeleteAsync();
        await Assert.ThrowsAsync<ImapCommandException>(() => client.GetFolder(SpecialFolder.Sent)!.DeleteAsync());
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Two_sessions_see_each_others_flag_changes_expunges_and_new_mail()
    {
        await _server.DeliverAsync(Fixture.Plain("Một", "1"));
        await _server.DeliverAsync(Fixture.Plain("Hai", "2"));
        using var first = await _server.ConnectAsync();
        using var second = await _server.ConnectAsync();
        await first.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await second.Inbox.OpenAsync(FolderAccess.ReadWrite);
        var flagChanges = new List<int>();
        second.Inbox.MessageFlagsChanged += (_, e) => flagChanges.Add(e.Index);
        var expunged = new List<int>();
        second.Inbox.MessageExpunged += (_, e) => expunged.Add(e.Index);

        await first.Inbox.AddFlagsAsync(new UniqueId(2), MessageFlags.Flagged, true);
        await second.NoOpAsync();
        Assert.Equal([1], flagChanges);

        await first.Inbox.AddFlagsAsync(new UniqueId(1), MessageFlags.Deleted, true);
        await first.Inbox.ExpungeAsync();
        await _server.DeliverAsync(Fixture.Plain("Ba", "3"));
        await second.NoOpAsync();
        Assert.Equal([0], expunged);
        Assert.Equal(2, second.Inbox.Count);
        var subjects = (await second.Inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope)).Select(s => s.Envelope!.Subject);
        Assert.Equal(["Hai", "Ba"], subjects);
    }
}

public sealed class MailKitClientTestsOnSqlite() : MailKitClientTests(DatabaseProvider.Sqlite);

public sealed class MailKitClientTestsOnPostgres() : MailKitClientTests(DatabaseProvider.Postgres);
