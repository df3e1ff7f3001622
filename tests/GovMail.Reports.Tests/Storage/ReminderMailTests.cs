using GovMail.Core;
using GovMail.Core.Audit;
using GovMail.Core.Accounts;
using GovMail.Core.Usage;
using GovMail.Reports.Exemptions;
using GovMail.Reports.Reminders;
using GovMail.Reports.Tests.Support;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace GovMail.Reports.Tests.Storage;

/// <summary>
/// The automatic reminder mail for July 2024, sent on day 15 of the month (the clock starts on 10/07/2024):
/// <list type="bullet">
/// <item>Phòng Nghệ thuật (head tpnt, regular): low (one active day), never activated, regular, and exempt for July;</item>
/// <item>Phòng Hành chính (no head; the agency's administrator qtv): another low user.</item>
/// </list>
/// By the 16th, 1–15 July has 11 working days, so regular needs 3 active days.
/// </summary>
public abstract class ReminderMailTests(DatabaseProvider provider) : UsageTest(provider)
{
    private const string Culture = "Sở Văn hóa và Thể thao";
    private const string Arts = "Phòng Nghệ thuật";
    private const string Office = "Phòng Hành chính";
    private static readonly UsagePeriod July = UsagePeriod.Month(2024, 7);
    private readonly string _blobs = Path.Combine(Path.GetTempPath(), "govmail-reminder-blobs-" + Guid.NewGuid().ToString("N")[..12]);

    private static string A(string local) => local + "@tphcm.gov.vn";

    private ReminderMail Mail => new(Database, new FileBlobStore(_blobs), Test.Clock);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await UnitAsync(Culture);
        await UnitAsync(Arts, Culture);
        await UnitAsync(Office, Culture);
        await PersonAsync(A("tpnt"), "Nguyễn Văn Trưởng", $"{Culture} / {Arts}", "Trưởng phòng");
        await PersonAsync(A("low"), "Lê Đức Thịnh", $"{Culture} / {Arts}", "Chuyên viên");
        await PersonAsync(A("moi"), "Võ Anh Tuấn", $"{Culture} / {Arts}", "Cán sự", activated: false);
        await PersonAsync(A("deu"), "Trần Thị Đều", $"{Culture} / {Arts}", "Chuyên viên");
        await PersonAsync(A("sinh"), "Phạm Thị Sinh", $"{Culture} / {Arts}", "Chuyên viên");
        await PersonAsync(A("hc"), "Đỗ Văn Hành", $"{Culture} / {Office}", "Văn thư");
        Ok(await Accounts.AddAsync(new GovMail.Storage.Directory.NewAccount("Quản trị Sở", Culture)
        {
            Address = A("qtv"), Role = AdminRole.AgencyAdministrator, MustChangePassword = false, Password = "Qu@nTri-2024!x",
        }, Admin));
        Ok(await Units.SetHeadAsync(Arts, A("tpnt"), Admin));
        foreach (var regular in new[] { "tpnt", "deu", "qtv" }) await ActiveOnAsync(A(regular), 2024, 7, 1, 2, 3, 4, 5, 8, 9);
        await ActiveOnAsync(A("low"), 2024, 7, 2);
        await ActiveOnAsync(A("hc"), 2024, 7, 3);
        Ok(await new UsageExemptions(Database, Test.Clock).AddAsync(A("sinh"), new DateOnly(2024, 7, 1), new DateOnly(2024, 9, 30),
            ExemptionKind.MaternityLeave, "Nghỉ thai sản", Admin));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_blobs)) Directory.Delete(_blobs, true);
    }

    private Task<Result<UsagePolicy>> PolicyAsync(int? day) => new UsagePolicies(Database, Test.Clock).UpdateAsync(p => p.ReminderDay = day, Admin);

    private void At(int day, int hour = 8) => Test.Clock.SetUtcNow(Local(2024, 7, day, hour));

    /// <summary>Every message in the INBOX of <paramref name="address"/>, parsed from its blob.</summary>
    private async Task<List<MimeMessage>> InboxAsync(string address)
    {
        await using var db = Database.Open();
        var keys = await (from a in db.Accounts
                          join b in db.Mailboxes on a.Id equals b.AccountId
                          join mm in db.MailboxMessages on b.Id equals mm.MailboxId
                          join m in db.Messages on mm.MessageId equals m.Id
                          where a.Address == address && b.Role == Core.Mail.MailboxRole.Inbox
                          orderby mm.Uid
                          select m.BlobKey).ToListAsync();
        var blobs = new FileBlobStore(_blobs);
        var messages = new List<MimeMessage>();
        foreach (var key in keys)
        {
            await using var stream = blobs.OpenRead(key);
            messages.Add(await MimeMessage.LoadAsync(stream));
        }
        return messages;
    }

    [Fact]
    public async Task Off_by_default_and_not_before_the_reminder_day()
    {
        At(14, 23);
        Assert.Null(await Mail.RunDueAsync());
        Ok(await PolicyAsync(15));
        Assert.Null(await Mail.RunDueAsync());
        Ok(await PolicyAsync(null));
        At(20);
        Assert.Null(await Mail.RunDueAsync());
        Assert.Empty(await InboxAsync(A("low")));
        Refused(await PolicyAsync(29), "PolicyOutOfRange");
    }

    [Fact]
    public async Task On_the_reminder_day_people_heading_for_low_use_and_their_head_are_mailed_once_and_the_reminders_count()
    {
        Ok(await PolicyAsync(15));
        Assert.Equal(15, (await new UsagePolicies(Database, Test.Clock).GetAsync()).ReminderDay);
        At(16);
        var run = await Mail.RunDueAsync();
        Assert.NotNull(run);
        Assert.Equal(new DateOnly(2024, 7, 15), run.Through);
        Assert.Equal(new[] { A("hc"), A("low"), A("moi") }, run.Reminded);
        Assert.Equal(new[] { A("qtv"), A("tpnt") }, run.Summaries);

        var mail = Assert.Single(await InboxAsync(A("low")));
        Assert.Equal("Nhắc nhở sử dụng hộp thư điện tử công vụ tháng 07/2024", mail.Subject);
        Assert.Equal(A("low"), ((MailboxAddress)mail.To.Single()).Address);
        Assert.StartsWith("postmaster@", ((MailboxAddress)mail.From.Single()).Address, StringComparison.Ordinal);
        var body = mail.TextBody;
        Assert.Contains("Kính gửi Lê Đức Thịnh", body, StringComparison.Ordinal);
        Assert.Contains("Tính đến hết ngày 15/07/2024, hộp thư low@tphcm.gov.vn có hoạt động trong 1 trên 11 ngày làm việc của tháng 07/2024", body, StringComparison.Ordinal);
        Assert.Contains("ít nhất 3 ngày có hoạt động", body, StringComparison.Ordinal);
        Assert.Contains("ghi nhận ngày 16/07/2024", body, StringComparison.Ordinal);
        Assert.Contains("\"Chưa kích hoạt\"", (await InboxAsync(A("moi"))).Single().TextBody, StringComparison.Ordinal);
        Assert.Empty(await InboxAsync(A("deu")));
        Assert.Empty(await InboxAsync(A("sinh")));

        var summary = Assert.Single(await InboxAsync(A("tpnt")));
        Assert.Equal("Danh sách nhắc nhở sử dụng hộp thư điện tử tháng 07/2024 – Phòng Nghệ thuật", summary.Subject);
        Assert.Contains("2 tài khoản do Phòng Nghệ thuật quản lý", summary.TextBody, StringComparison.Ordinal);
        Assert.Contains("Lê Đức Thịnh <low@tphcm.gov.vn> – Chuyên viên", summary.TextBody, StringComparison.Ordinal);
        Assert.Contains("Võ Anh Tuấn <moi@tphcm.gov.vn> – Cán sự", summary.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("hc@", summary.TextBody, StringComparison.Ordinal);
        var admin = Assert.Single(await InboxAsync(A("qtv")));
        Assert.Contains("Đỗ Văn Hành <hc@tphcm.gov.vn>", admin.TextBody, StringComparison.Ordinal);

        await using (var db = Database.Open())
        {
            var reminders = await db.UsageReminders.AsNoTracking().ToListAsync();
            Assert.Equal(3, reminders.Count);
            Assert.All(reminders, r => Assert.Equal(("2024-07", AuditActor.System), (r.Period, r.SentBy)));
        }

        // Later the same day, the next day, and after a restart of the period's day: nothing is sent again.
        Test.Clock.Advance(TimeSpan.FromHours(3));
        Assert.True((await Mail.RunDueAsync())!.AlreadyDone);
        At(17);
        Assert.True((await Mail.RunDueAsync())!.AlreadyDone);
        Assert.Single(await InboxAsync(A("low")));
        Assert.Single(await InboxAsync(A("tpnt")));

        // The reminders count in the quarter's governance lists (seed 001 mục 7); the regular head is listed for them.
        var g = Ok(await Reports.GovernanceAsync(UsagePeriod.Quarter(2024, 3)));
        var low = g.PersonsGradedDown.Single(l => l.Account.Address == A("low"));
        Assert.Contains(low.Reasons, r => r.Code == "person.reminded");
        Assert.Contains(g.HeadsGradedDown, l => l.Account.Address == A("tpnt"));
    }

    private sealed class Idle : GovMail.Storage.Mail.IMailboxListener
    {
        public List<GovMail.Storage.Mail.MailboxChange> Heard { get; } = [];
        public void OnMailboxChanged(in GovMail.Storage.Mail.MailboxChange change) => Heard.Add(change);
    }

    [Fact]
    public async Task A_filed_reminder_is_announced_to_the_sessions_idling_on_the_inbox()
    {
        Ok(await PolicyAsync(15));
        At(16);
        long inbox;
        await using (var db = Database.Open())
            inbox = await (from a in db.Accounts
                           join b in db.Mailboxes on a.Id equals b.AccountId
                           where a.Address == A("low") && b.Role == Core.Mail.MailboxRole.Inbox
                           select b.Id).SingleAsync();
        var bus = new GovMail.Storage.Mail.MailboxNotifications();
        var idle = new Idle();
        using var subscription = bus.Subscribe(inbox, idle);

        Assert.NotNull(await new ReminderMail(Database, new FileBlobStore(_blobs), Test.Clock, bus).RunDueAsync());

        Assert.Single(await InboxAsync(A("low")));
        Assert.Equal(GovMail.Storage.Mail.MailboxChangeKind.MessagesAdded, Assert.Single(idle.Heard).Kind);
    }

    [Fact]
    public async Task A_repeated_run_after_a_crash_sends_only_what_was_not_sent()
    {
        Ok(await PolicyAsync(15));
        At(16);
        // As if a first run had recorded low's reminder and then died before anything else.
        Ok(await new UsageReminders(Database, Test.Clock).RecordAsync(A("low"), July, AuditActor.System, "low"));
        var run = (await Mail.RunDueAsync())!;
        Assert.Equal(new[] { A("hc"), A("moi") }, run.Reminded);
        Assert.Empty(await InboxAsync(A("low")));
        // The head's summary still lists everyone reminded for the period.
        Assert.Contains("<low@tphcm.gov.vn>", Assert.Single(await InboxAsync(A("tpnt"))).TextBody, StringComparison.Ordinal);
    }
}

public sealed class ReminderMailTestsOnSqlite() : ReminderMailTests(DatabaseProvider.Sqlite);

public sealed class ReminderMailTestsOnPostgres() : ReminderMailTests(DatabaseProvider.Postgres);
