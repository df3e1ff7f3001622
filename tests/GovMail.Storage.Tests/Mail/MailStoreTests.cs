using System.Text;
using GovMail.Core.Mail;
using GovMail.Core.Usage;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using GovMail.Storage.Tests.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Tests.Mail;

public abstract class MailStoreTests(DatabaseProvider provider) : DirectoryTest(provider)
{
    private const string Message =
        "From: =?UTF-8?Q?L=C3=AA_=C4=90=E1=BB=A9c_Th=E1=BB=8Bnh?= <ldthinh@tphcm.gov.vn>\r\n" +
        "To: Võ Anh Tuấn <vatuan@tphcm.gov.vn>\r\n" +
        "Subject: =?UTF-8?B?Q8O0bmcgdsSDbiBz4buRIDE0MzQ=?=\r\n" +
        "Date: Wed, 03 Apr 2024 09:15:00 +0700\r\n" +
        "Message-ID: <cv1434@tphcm.gov.vn>\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"b1\"\r\n" +
        "\r\n" +
        "--b1\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: 8bit\r\n" +
        "\r\n" +
        "Kính gửi các phòng: rà soát tình hình sử dụng hộp thư Quý I.\r\n" +
        "--b1\r\n" +
        "Content-Type: application/pdf; name=\"cv1434.pdf\"\r\n" +
        "Content-Disposition: attachment; filename=\"cv1434.pdf\"\r\n" +
        "Content-Transfer-Encoding: base64\r\n" +
        "\r\n" +
        "JVBERi0xLjQK\r\n" +
        "--b1--\r\n";

    private string _blobRoot = "";
    private FileBlobStore Blobs => new(_blobRoot);
    private MailStore Store => new(Database, Test.Clock);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _blobRoot = Path.Combine(Path.GetTempPath(), "govmail-blobs", Guid.NewGuid().ToString("N"));
        await AddUnitAsync("Sở Văn hóa và Thể thao");
    }

    [Fact]
    public async Task A_new_account_has_the_standard_mailboxes_and_an_empty_quota()
    {
        var issued = await AddAccountAsync("Lê Đức Thịnh", "Sở Văn hóa và Thể thao");
        await using var db = Database.Open();
        var boxes = await db.Mailboxes.AsNoTracking().Where(m => m.AccountId == issued.Account.Id).ToListAsync();
        Assert.Equal(["Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash"], boxes.Select(b => b.Name).Order(StringComparer.Ordinal));
        Assert.Equal(MailboxRole.Inbox, boxes.Single(b => b.Name == "INBOX").Role);
        Assert.All(boxes, b => Assert.Equal(1u, b.UidNext));
        Assert.Equal(0, await Store.UsedBytesAsync(issued.Account.Id));
    }

    [Fact]
    public void Scripts_styles_and_comments_of_an_html_mail_stay_out_of_the_preview_and_the_search_text()
    {
        const string html = "From: a@b.vn\r\nTo: c@d.vn\r\nSubject: Thông báo\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: text/html; charset=utf-8\r\n\r\n" +
            "<html><head><style>p { color: red }</style><SCRIPT type=\"text/javascript\">stealCookies();</SCRIPT></head>" +
            "<body><!-- ghi chú nội bộ --><p>Kính gửi đồng chí,</p><script>alert(1)</script><p>Lịch họp giao ban &amp; báo cáo.</p>" +
            "<script>never closed";
        var result = MessageSummaryBuilder.Build(new MemoryStream(Encoding.UTF8.GetBytes(html)));

        Assert.Equal("Kính gửi đồng chí, Lịch họp giao ban & báo cáo.", result.Preview);
        Assert.DoesNotContain("steal", result.SearchText);
        Assert.DoesNotContain("alert", result.SearchText);
        Assert.DoesNotContain("color", result.SearchText);
        Assert.DoesNotContain("ghi chu", result.SearchText);
        Assert.DoesNotContain("never", result.SearchText);
        Assert.Contains("lich hop giao ban", result.SearchText);
    }

    [Fact]
    public async Task The_summary_caches_envelope_structure_offsets_and_folded_text()
    {
        var bytes = Encoding.UTF8.GetBytes(Message);
        var result = MessageSummaryBuilder.Build(new MemoryStream(bytes));

        Assert.Equal("Công văn số 1434", result.Subject);
        Assert.Equal("ldthinh@tphcm.gov.vn", result.FromAddress);
        Assert.Equal("Lê Đức Thịnh", result.FromName);
        Assert.Equal("<cv1434@tphcm.gov.vn>", result.Summary.Envelope.MessageId);
        Assert.True(result.HasAttachments);
        Assert.Contains("cong van so 1434", result.SearchText);
        Assert.Contains("ra soat tinh hinh su dung hop thu", result.SearchText);
        Assert.StartsWith("Kính gửi các phòng", result.Preview);

        // The header block ends at the empty line, and every part's offsets cut exactly its content out of the blob.
        var headerEnd = Message.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        Assert.Equal(Encoding.UTF8.GetByteCount(Message[..headerEnd]), result.HeaderLength);
        var body = result.Summary.Body;
        Assert.Equal(("multipart", "mixed"), (body.Type, body.Subtype));
        Assert.Equal(2, body.Parts!.Count);
        var text = body.Parts[0];
        Assert.Equal(("text", "plain", "utf-8"), (text.Type, text.Subtype, text.Parameters!["charset"]));
        // As in IMAP, the line break before a boundary belongs to the boundary, not to the part.
        Assert.Equal("Kính gửi các phòng: rà soát tình hình sử dụng hộp thư Quý I.",
            Encoding.UTF8.GetString(bytes, (int)text.ContentBegin, (int)(text.End - text.ContentBegin)));
        var pdf = body.Parts[1];
        Assert.Equal(("application", "pdf", "attachment", "base64"), (pdf.Type, pdf.Subtype, pdf.Disposition, pdf.TransferEncoding));
        Assert.Equal("JVBERi0xLjQK", Encoding.ASCII.GetString(bytes, (int)pdf.ContentBegin, (int)(pdf.End - pdf.ContentBegin)));

        // The cache survives its JSON form.
        Assert.Equal(pdf.End, MessageSummary.FromJson(result.Summary.ToJson()).Body.Parts![1].End);
    }

    [Fact]
    public async Task Garbage_is_summarised_as_plain_text_instead_of_failing()
    {
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        var result = MessageSummaryBuilder.Build(new MemoryStream(garbage));
        Assert.Equal("text", result.Summary.Body.Type);
        await Task.CompletedTask;
    }

    [Fact]
    public void Nesting_past_the_limit_is_one_opaque_part_and_past_the_part_limit_parts_are_left_out_and_the_summary_survives_json()
    {
        var nested = new StringBuilder("From: a@example.org\r\nMIME-Version: 1.0\r\n");
        for (var i = 0; i < 150; i++) nested.Append($"Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n");
        nested.Append("Content-Type: text/plain\r\n\r\ndeep\r\n");
        for (var i = 149; i >= 0; i--) nested.Append($"--b{i}--\r\n");
        var deep = MessageSummary.FromJson(MessageSummaryBuilder.Build(new MemoryStream(Encoding.ASCII.GetBytes(nested.ToString()))).Summary.ToJson());
        var part = deep.Body;
        var depth = 0;
        while (part.Parts is [var only]) { part = only; depth++; }
        Assert.Equal(MessageSummaryBuilder.MaxNesting, depth);
        Assert.Equal(("application", "octet-stream"), (part.Type, part.Subtype));
        Assert.True(part.End > part.ContentBegin);

        var wide = new StringBuilder("From: a@example.org\r\nContent-Type: multipart/mixed; boundary=w\r\n\r\n");
        for (var i = 0; i < MessageSummaryBuilder.MaxParts + 50; i++) wide.Append($"--w\r\nContent-Type: text/plain\r\n\r\n{i}\r\n");
        wide.Append("--w--\r\n");
        var many = MessageSummaryBuilder.Build(new MemoryStream(Encoding.ASCII.GetBytes(wide.ToString()))).Summary;
        Assert.Equal(MessageSummaryBuilder.MaxParts - 1, many.Body.Parts!.Count);
    }

    [Fact]
    public async Task Used_bytes_are_served_from_memory_moved_by_each_commit_and_read_again_after_a_directory_change()
    {
        var thinh = await AddAccountAsync("Lê Đức Thịnh", "Sở Văn hóa và Thể thao");
        var target = new[] { new DeliveryTarget(thinh.Account.Id, thinh.Account.Address) };
        var first = await PutAsync(Message);
        await Store.DeliverAsync(first, target);
        Assert.Equal(first.Size, await Store.UsedBytesAsync(thinh.Account.Id));

        // Another node's change, behind this process's back: not seen while the counter is fresh (no query is made) …
        await using (var db = Database.Open())
            await db.QuotaUsage.Where(q => q.AccountId == thinh.Account.Id).ExecuteUpdateAsync(s => s.SetProperty(q => q.UsedBytes, q => q.UsedBytes + 1_000_000));
        Assert.Equal(first.Size, await Store.UsedBytesAsync(thinh.Account.Id));

        // … while this process's own commits move it, with no read either.
        await Store.DeliverAsync(await PutAsync(Message), target);
        Assert.Equal(2 * first.Size, await Store.UsedBytesAsync(thinh.Account.Id));
        var uid = (await Store.DeliverAsync(await PutAsync(Message), target))[0];
        await Store.StoreFlagsAsync(uid.MailboxId, [uid.Uid], new FlagChange(FlagOperation.Add, Core.Mail.MessageFlags.Deleted, []), null);
        await Store.ExpungeAsync(uid.MailboxId, thinh.Account.Id, null);
        Assert.Equal(2 * first.Size, await Store.UsedBytesAsync(thinh.Account.Id));

        // A directory change (here the quota itself) makes it read the row again, as the recipient cache does.
        Ok(await Accounts.UpdateAsync(thinh.Account.Address, new GovMail.Storage.Directory.AccountUpdate { QuotaBytes = 10_000_000 }, Admin));
        Assert.Equal(2 * first.Size + 1_000_000, await Store.UsedBytesAsync(thinh.Account.Id));
    }

    [Fact]
    public async Task Delivery_files_one_body_into_each_inbox_with_uids_quota_and_usage_events()
    {
        var thinh = await AddAccountAsync("Lê Đức Thịnh", "Sở Văn hóa và Thể thao");
        var tuan = await AddAccountAsync("Võ Anh Tuấn", "Sở Văn hóa và Thể thao");
        var message = await PutAsync(Message);
        var targets = new[] { thinh, tuan }.Select(a => new DeliveryTarget(a.Account.Id, a.Account.Address)).ToList();

        var first = await Store.DeliverAsync(message, targets);
        var second = await Store.DeliverAsync(await PutAsync(Message), targets);

        Assert.Equal([1u, 1u], first.Select(c => c.Uid));
        Assert.Equal([2u, 2u], second.Select(c => c.Uid));
        Assert.True(second[0].ModSeq > first[0].ModSeq);
        await using var db = Database.Open();
        Assert.Equal(2, await db.Messages.CountAsync());
        var entries = await db.MailboxMessages.AsNoTracking().Where(m => first.Select(c => c.MailboxId).Contains(m.MailboxId)).ToListAsync();
        Assert.Equal(4, entries.Count);
        Assert.Equal(2 * message.Size, await Store.UsedBytesAsync(thinh.Account.Id));
        var inbox = await db.Mailboxes.AsNoTracking().SingleAsync(m => m.AccountId == tuan.Account.Id && m.Name == "INBOX");
        Assert.Equal(3u, inbox.UidNext);
        Assert.Equal(4, await db.UsageEvents.CountAsync(e => e.Kind == UsageKind.Received && e.Protocol == UsageProtocol.Smtp));
    }

    [Fact]
    public async Task Concurrent_deliveries_to_one_mailbox_get_distinct_consecutive_uids()
    {
        var (_, target, messages) = await OneRecipientAndMessagesAsync(20);

        var copies = await Task.WhenAll(messages.Select(m => Task.Run(() => Store.DeliverAsync(m, target))));

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (uint)i), copies.Select(c => c.Single().Uid).Order());
        Assert.Equal(20, copies.Select(c => c.Single().ModSeq).Distinct().Count());
    }

    [Fact]
    public async Task Concurrent_deliveries_are_each_acknowledged_only_once_committed_and_all_are_kept()
    {
        var people = new[]
        {
            await AddAccountAsync("Lê Đức Thịnh", "Sở Văn hóa và Thể thao"),
            await AddAccountAsync("Võ Anh Tuấn", "Sở Văn hóa và Thể thao"),
            await AddAccountAsync("Trần Thị Mai", "Sở Văn hóa và Thể thao"),
        };
        var deliveries = new List<(NewMessage Message, DeliveryTarget[] Targets)>();
        for (var i = 0; i < 60; i++)
        {
            // Every fifth message goes to two people at once.
            var to = i % 5 == 0 ? new[] { people[i % 3], people[(i + 1) % 3] } : [people[i % 3]];
            deliveries.Add((await PutAsync(Message), to.Select(a => new DeliveryTarget(a.Account.Id, a.Account.Address)).ToArray()));
        }

        var outcomes = await Task.WhenAll(deliveries.Select(d => Task.Run(async () =>
        {
            var copies = await Store.DeliverAsync(d.Message, d.Targets);
            // The moment the delivery is acknowledged, another connection finds each copy, holding this message's body.
            await using var db = Database.Open();
            var keys = new List<string>();
            foreach (var c in copies)
                keys.Add(await db.MailboxMessages.AsNoTracking().Where(m => m.MailboxId == c.MailboxId && m.Uid == c.Uid)
                    .Join(db.Messages, m => m.MessageId, s => s.Id, (m, s) => s.BlobKey).SingleAsync());
            return (d, copies, keys);
        })));

        foreach (var (d, copies, keys) in outcomes)
        {
            Assert.Equal(d.Targets.Select(t => t.AccountId), copies.Select(c => c.AccountId));
            Assert.All(keys, k => Assert.Equal(d.Message.BlobKey, k));
        }
        var all = outcomes.SelectMany(o => o.copies).ToList();
        Assert.Equal(72, all.Count);
        foreach (var mailbox in all.GroupBy(c => c.MailboxId))
        {
            Assert.Equal(Enumerable.Range(1, mailbox.Count()).Select(i => (uint)i), mailbox.Select(c => c.Uid).Order());
            Assert.Equal(mailbox.Count(), mailbox.Select(c => c.ModSeq).Distinct().Count());
        }
        await using var check = Database.Open();
        Assert.Equal(60, await check.Messages.CountAsync());
        Assert.Equal(72, await check.MailboxMessages.CountAsync());
        Assert.Equal(72, await check.UsageEvents.CountAsync(e => e.Kind == UsageKind.Received));
        foreach (var person in people)
            Assert.Equal(all.Count(c => c.AccountId == person.Account.Id) * deliveries[0].Message.Size, await Store.UsedBytesAsync(person.Account.Id));
    }

    [Fact]
    public async Task A_failing_commit_fails_every_waiting_delivery_and_keeps_nothing_of_them()
    {
        var (thinh, target, messages) = await OneRecipientAndMessagesAsync(12);
        await RefuseMessageRowsAsync(always: true);

        var outcomes = await Task.WhenAll(messages.Select(m => Task.Run(() => FailureOfAsync(Store.DeliverAsync(m, target)))));

        Assert.All(outcomes, e => Assert.NotNull(e));
        await using var db = Database.Open();
        Assert.Equal(0, await db.Messages.CountAsync());
        Assert.Equal(0, await db.MailboxMessages.CountAsync());
        Assert.Equal(0, await db.UsageEvents.CountAsync(e => e.Kind == UsageKind.Received));
        Assert.Equal(0, await Store.UsedBytesAsync(thinh));
        var inbox = await db.Mailboxes.AsNoTracking().SingleAsync(m => m.AccountId == thinh && m.Name == "INBOX");
        Assert.Equal(1u, inbox.UidNext);
    }

    [Fact]
    public async Task A_delivery_that_cannot_be_filed_fails_alone_and_the_others_are_kept()
    {
        var (thinh, target, messages) = await OneRecipientAndMessagesAsync(20);
        var refused = await PutAsync(Message.Replace("Subject: =?UTF-8?B?Q8O0bmcgdsSDbiBz4buRIDE0MzQ=?=", "Subject: " + RefusedSubject));
        messages.Insert(10, refused);
        await RefuseMessageRowsAsync(always: false);

        var outcomes = await Task.WhenAll(messages.Select(m => Task.Run(() => FailureOfAsync(Store.DeliverAsync(m, target)))));

        Assert.NotNull(outcomes[10]);
        Assert.Equal(20, outcomes.Count(e => e is null));
        await using var db = Database.Open();
        Assert.Equal(20, await db.Messages.CountAsync());
        Assert.False(await db.Messages.AnyAsync(m => m.BlobKey == refused.BlobKey));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (uint)i),
            (await db.MailboxMessages.AsNoTracking().Select(m => m.Uid).ToListAsync()).Order());
        Assert.Equal(20 * messages[0].Size, await Store.UsedBytesAsync(thinh));
    }

    /// <summary>An account, a delivery target for its INBOX, and <paramref name="count"/> stored messages.</summary>
    private async Task<(Guid AccountId, DeliveryTarget[] Target, List<NewMessage> Messages)> OneRecipientAndMessagesAsync(int count)
    {
        var thinh = await AddAccountAsync("Lê Đức Thịnh", "Sở Văn hóa và Thể thao");
        var messages = new List<NewMessage>();
        for (var i = 0; i < count; i++) messages.Add(await PutAsync(Message));
        return (thinh.Account.Id, [new DeliveryTarget(thinh.Account.Id, thinh.Account.Address)], messages);
    }

    private const string RefusedSubject = "Refused by the database";

    /// <summary>A trigger that makes the database itself refuse new message rows: all of them, or those with <see cref="RefusedSubject"/>.</summary>
    private async Task RefuseMessageRowsAsync(bool always)
    {
        var condition = always ? "1 = 1" : $"NEW.\"Subject\" = '{RefusedSubject}'";
        var sql = Provider == DatabaseProvider.Sqlite
            ? $"CREATE TRIGGER refuse_messages BEFORE INSERT ON messages WHEN {condition} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"
            : "CREATE FUNCTION refuse_messages() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF " + condition +
              " THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$; " +
              "CREATE TRIGGER refuse_messages BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse_messages();";
        await using var db = Database.Open();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    private static async Task<Exception?> FailureOfAsync(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    [Fact]
    public async Task The_expunge_log_is_counted_every_tenth_of_its_limit_and_pruned_back_to_the_limit()
    {
        var thinh = await AddAccountAsync("Lê Đức Thịnh", "Sở Văn hóa và Thể thao");
        var target = new[] { new DeliveryTarget(thinh.Account.Id, thinh.Account.Address) };
        var store = new MailStore(Database, Test.Clock) { ExpungeLogLimit = 20 };
        var copies = new List<DeliveredCopy>();
        for (var i = 0; i < 30; i++) copies.Add((await store.DeliverAsync(await PutAsync(Message), target))[0]);
        var mailboxId = copies[0].MailboxId;
        var sizes = new List<int>();
        foreach (var copy in copies)
        {
            await store.StoreFlagsAsync(mailboxId, [copy.Uid], new FlagChange(FlagOperation.Add, Core.Mail.MessageFlags.Deleted, []), null);
            Assert.Equal([copy.Uid], (await store.ExpungeAsync(mailboxId, thinh.Account.Id, [copy.Uid])).Uids);
            await using var db = Database.Open();
            sizes.Add(await db.ExpungedMessages.CountAsync(m => m.MailboxId == mailboxId));
        }
        // Counted at every second expunge (a tenth of 20), pruned back to the newest 20 when it holds more than 22: the 23rd
        // entry waits for the next count, at the 24th.
        Assert.Equal([.. Enumerable.Range(1, 23), 20, 21, 22, 23, 20, 21, 22], sizes);
        await using (var db = Database.Open())
        {
            var kept = await db.ExpungedMessages.Where(m => m.MailboxId == mailboxId).OrderBy(m => m.Uid).Select(m => m.Uid).ToListAsync();
            Assert.Equal(copies[^kept.Count..].Select(c => c.Uid), kept);
            Assert.True(await db.Mailboxes.Where(m => m.Id == mailboxId).Select(m => m.ExpungeLogPrunedModSeq).SingleAsync() > 0);
        }
    }

    [Fact]
    public async Task Blobs_are_whole_after_put_and_leave_no_temporary_files()
    {
        var store = Blobs;
        var (key, size) = await store.PutAsync((s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes(Message), ct).AsTask(), CancellationToken.None);
        Assert.True(store.Exists(key));
        Assert.Equal(Encoding.UTF8.GetByteCount(Message), size);
        using (var reader = new StreamReader(store.OpenRead(key))) Assert.Equal(Message, await reader.ReadToEndAsync());
        Assert.Equal(0, store.RemoveAbandonedTemporaryFiles());
        Assert.False(store.Exists("../../etc/passwd"));
        await store.DeleteAsync(key, CancellationToken.None);
        Assert.False(store.Exists(key));
    }

    private async Task<NewMessage> PutAsync(string text)
    {
        var (key, size) = await Blobs.PutAsync((s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes(text), ct).AsTask(), CancellationToken.None);
        await using var read = Blobs.OpenRead(key);
        return new NewMessage(key, size, MessageSummaryBuilder.Build(read));
    }
}

public sealed class MailStoreTestsOnSqlite() : MailStoreTests(DatabaseProvider.Sqlite);

public sealed class MailStoreTestsOnPostgres() : MailStoreTests(DatabaseProvider.Postgres);
