using System.Text;
using GovMail.Core.Accounts;
using GovMail.Core.Mail;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Lifecycle;
using GovMail.Storage.Mail;
using GovMail.Storage.Tests.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Tests.Mail;

/// <summary>
/// The retention purge: Trash and Junk lose what has been in them longer than the configured days (counted from when the message
/// was put there, not from its date), INBOX is never touched, a closed account's mail and bodies go once the account is purged
/// after its retention period, and each purge is in the audit log.
/// </summary>
public abstract class MailRetentionTests(DatabaseProvider provider) : DirectoryTest(provider), IAsyncLifetime
{
    private string _folder = "";
    private FileBlobStore Blobs => new(_folder);
    private MailStore Store => new(Database, Test.Clock) { Blobs = Blobs };
    private MailRetention Retention => new(Database, Blobs, Test.Clock);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _folder = Path.Combine(Path.GetTempPath(), "govmail-retention", Guid.NewGuid().ToString("N"));
        await AddUnitAsync("Văn phòng");
    }

    private async Task<string> DeliverAsync(Account to, string subject)
    {
        var letter = $"From: <vp@tphcm.gov.vn>\r\nSubject: {subject}\r\n\r\nNội dung.\r\n";
        var (key, size) = await Blobs.PutAsync((s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes(letter), ct).AsTask(), default);
        await using (var read = Blobs.OpenRead(key))
            await Store.DeliverAsync(new NewMessage(key, size, MessageSummaryBuilder.Build(read)), [new DeliveryTarget(to.Id, to.Address)]);
        return key;
    }

    private async Task<long> MailboxAsync(Account owner, MailboxRole role)
    {
        await using var db = Database.Open();
        return await db.Mailboxes.Where(m => m.AccountId == owner.Id && m.Role == role).Select(m => m.Id).SingleAsync();
    }

    private async Task<List<string?>> SubjectsAsync(long mailboxId)
    {
        await using var db = Database.Open();
        return await (from mm in db.MailboxMessages join m in db.Messages on mm.MessageId equals m.Id
                      where mm.MailboxId == mailboxId orderby mm.Uid select m.Subject).ToListAsync();
    }

    private async Task MoveAsync(Account owner, long source, string subject, long to)
    {
        uint uid;
        await using (var db = Database.Open())
            uid = await (from mm in db.MailboxMessages join m in db.Messages on mm.MessageId equals m.Id
                         where mm.MailboxId == source && m.Subject == subject select mm.Uid).SingleAsync();
        Assert.Equal(MailboxOutcome.Done, (await Store.CopyAsync(source, [uid], to, owner.Id, move: true)).Outcome);
    }

    [Fact]
    public async Task Trash_and_junk_lose_what_was_put_there_over_thirty_days_ago_and_inbox_keeps_everything()
    {
        var an = (await AddAccountAsync("Nguyễn Văn An", "Văn phòng")).Account;
        var old = await DeliverAsync(an, "Xóa từ lâu");
        var recent = await DeliverAsync(an, "Xóa gần đây");
        var spam = await DeliverAsync(an, "Quảng cáo");
        var kept = await DeliverAsync(an, "Công văn cũ");
        long inbox = await MailboxAsync(an, MailboxRole.Inbox), trash = await MailboxAsync(an, MailboxRole.Trash), junk = await MailboxAsync(an, MailboxRole.Junk);
        await MoveAsync(an, inbox, "Xóa từ lâu", trash);
        await MoveAsync(an, inbox, "Quảng cáo", junk);
        Test.Clock.Advance(TimeSpan.FromDays(20));
        // Received 20 days ago but deleted today: its 30 days start now.
        await MoveAsync(an, inbox, "Xóa gần đây", trash);

        Test.Clock.Advance(TimeSpan.FromDays(11));
        Assert.Equal(new RetentionResult(1, 1, 0), await Retention.RunAsync(trashDays: 30, junkDays: 30));

        Assert.Equal(["Xóa gần đây"], await SubjectsAsync(trash));
        Assert.Empty(await SubjectsAsync(junk));
        Assert.Equal(["Công văn cũ"], await SubjectsAsync(inbox));
        Assert.False(Blobs.Exists(old));
        Assert.False(Blobs.Exists(spam));
        Assert.True(Blobs.Exists(recent));
        Assert.True(Blobs.Exists(kept));
        Assert.Contains("1 thư lưu quá 30 ngày", Assert.Single(await AuditAsync("mail.retention.trash", an.Address)).Detail);
        Assert.Single(await AuditAsync("mail.retention.junk", an.Address));
        await using (var db = Database.Open())
        {
            var usage = await db.QuotaUsage.AsNoTracking().SingleAsync(q => q.AccountId == an.Id);
            Assert.Equal(2, usage.MessageCount);
        }

        // 0 days keeps Trash for ever; a second run finds nothing more.
        Test.Clock.Advance(TimeSpan.FromDays(60));
        Assert.Equal(new RetentionResult(0, 0, 0), await Retention.RunAsync(trashDays: 0, junkDays: 30));
        Assert.Equal(["Xóa gần đây"], await SubjectsAsync(trash));
    }

    [Fact]
    public async Task A_closed_account_purged_after_its_retention_period_loses_its_mail_and_bodies_with_an_audit_entry()
    {
        var an = (await AddAccountAsync("Nguyễn Văn An", "Văn phòng")).Account;
        var binh = (await AddAccountAsync("Trần Thị Bình", "Văn phòng")).Account;
        var hers = await DeliverAsync(binh, "Hồ sơ cá nhân");
        var his = await DeliverAsync(an, "Kế hoạch năm");
        Ok(await Accounts.ApplyAsync(binh.Address, AccountAction.Close, Admin, "nghỉ việc"));

        // Within the retention period nothing of hers goes.
        Test.Clock.Advance(TimeSpan.FromDays(100));
        Assert.Equal(new RetentionResult(0, 0, 0), await Retention.RunAsync(30, 30));
        Assert.True(Blobs.Exists(hers));

        Test.Clock.Advance(TimeSpan.FromDays(266));
        Assert.Contains(new ScheduledOutcome(binh.Address, "purge"), await new LifecycleWorkflows(Database, Test.Clock, Test.Hasher).RunDueAsync());
        Assert.Equal(new RetentionResult(0, 0, 1), await Retention.RunAsync(30, 30));

        Assert.False(Blobs.Exists(hers));
        Assert.True(Blobs.Exists(his));
        await using var db = Database.Open();
        Assert.Equal(["Kế hoạch năm"], await db.Messages.Select(m => m.Subject).ToListAsync());
        Assert.Contains("1 thư", Assert.Single(await db.Audit.Where(a => a.Action == "mail.retention.purged-accounts").ToListAsync()).Detail);
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try { System.IO.Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }
}

public sealed class MailRetentionTestsOnSqlite() : MailRetentionTests(DatabaseProvider.Sqlite);

public sealed class MailRetentionTestsOnPostgres() : MailRetentionTests(DatabaseProvider.Postgres);
