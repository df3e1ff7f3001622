using GovMail.Core.Usage;
using GovMail.Reports.Rollup;
using GovMail.Reports.Tests.Support;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Reports.Tests.Storage;

/// <summary>Events become one row per account per local day, incrementally and idempotently, on both engines.</summary>
public abstract class FoldTests(DatabaseProvider provider) : UsageTest(provider)
{
    private const string Thinh = "ldthinh@tphcm.gov.vn";
    private const string Tuan = "vatuan@tphcm.gov.vn";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await UnitAsync("Sở Văn hóa và Thể thao");
        await PersonAsync(Thinh, "Lê Đức Thịnh", "Sở Văn hóa và Thể thao");
        await PersonAsync(Tuan, "Võ Anh Tuấn", "Sở Văn hóa và Thể thao");
    }

    [Fact]
    public async Task A_day_counts_each_kind_and_keeps_the_first_and_last_activity()
    {
        await EventsAsync(
            (Thinh, Local(2024, 3, 4, 7, 50), UsageKind.LoginFailed),
            (Thinh, Local(2024, 3, 4, 8, 0), UsageKind.Login),
            (Thinh, Local(2024, 3, 4, 8, 1), UsageKind.Received),
            (Thinh, Local(2024, 3, 4, 8, 2), UsageKind.Read),
            (Thinh, Local(2024, 3, 4, 16, 30), UsageKind.Webmail),
            (Thinh, Local(2024, 3, 4, 17, 0), UsageKind.Sent),
            (Thinh, Local(2024, 3, 4, 22, 0), UsageKind.Received));
        var result = await Folder.FoldAsync();
        Assert.Equal(7, result.EventsFolded);

        var day = Assert.Single(await DailyRowsAsync());
        Assert.Equal(new DateOnly(2024, 3, 4), day.Day);
        Assert.Equal((1, 1, 1, 2, 1, 1), (day.Logins, day.FailedLogins, day.Sent, day.Received, day.Read, day.Webmail));
        Assert.Equal(Local(2024, 3, 4, 8, 0), day.FirstAt);
        Assert.Equal(Local(2024, 3, 4, 17, 0), day.LastAt);
        Assert.True(day.Used(UsageProtocol.Imap));
        Assert.True(day.Used(UsageProtocol.Web));
        Assert.False(day.Used(UsageProtocol.ActiveSync));
    }

    [Fact]
    public async Task Mail_received_and_failed_logins_do_not_make_a_day_active()
    {
        await EventsAsync((Tuan, Local(2024, 3, 5), UsageKind.Received), (Tuan, Local(2024, 3, 5, 10), UsageKind.LoginFailed));
        await Folder.FoldAsync();
        var day = Assert.Single(await DailyRowsAsync());
        Assert.False(day.IsActive);
        Assert.Null(day.FirstAt);
        await using var db = Database.Open();
        Assert.Empty(await db.UsageAccountSummaries.ToListAsync());
    }

    [Fact]
    public async Task Folding_twice_gives_the_same_rows()
    {
        await ActiveOnAsync(Thinh, 2024, 3, 4, 5, 6);
        await ActiveOnAsync(Tuan, 2024, 3, 4);
        var first = await Folder.FoldAsync();
        var rows = await DailyRowsAsync();
        var second = await Folder.FoldAsync();
        Assert.Equal(8, first.EventsFolded);
        Assert.Equal(0, second.EventsFolded);
        Assert.Equal(first.LastEventId, second.LastEventId);
        Assert.Equal(Describe(rows), Describe(await DailyRowsAsync()));
    }

    [Fact]
    public async Task Folding_in_small_batches_and_in_steps_adds_up_to_folding_at_once()
    {
        // The same day arrives in three batches of two events and in two separate folds: its counts add up.
        var small = new UsageFolder(Database, Test.Clock) { BatchSize = 2 };
        await EventsAsync((Thinh, Local(2024, 3, 4, 8), UsageKind.Login), (Thinh, Local(2024, 3, 4, 9), UsageKind.Read),
            (Thinh, Local(2024, 3, 4, 10), UsageKind.Read));
        var r1 = await small.FoldAsync();
        Assert.Equal(2, r1.Batches);
        await EventsAsync((Thinh, Local(2024, 3, 4, 7), UsageKind.Sent), (Thinh, Local(2024, 3, 4, 18), UsageKind.Read),
            (Thinh, Local(2024, 3, 5, 8), UsageKind.Login));
        await small.FoldAsync();

        var rows = await DailyRowsAsync();
        Assert.Equal(2, rows.Count);
        var d4 = rows[0];
        Assert.Equal((1, 1, 3), (d4.Logins, d4.Sent, d4.Read));
        Assert.Equal(Local(2024, 3, 4, 7), d4.FirstAt);
        Assert.Equal(Local(2024, 3, 4, 18), d4.LastAt);
        await using var db = Database.Open();
        var summary = await db.UsageAccountSummaries.SingleAsync();
        Assert.Equal((new DateOnly(2024, 3, 4), new DateOnly(2024, 3, 5)), (summary.FirstActiveOn, summary.LastActiveOn));
    }

    [Fact]
    public async Task Days_are_local_days_in_Ho_Chi_Minh_City()
    {
        await EventsAsync((Thinh, Local(2024, 3, 31, 23, 30), UsageKind.Read), (Tuan, Local(2024, 4, 1, 0, 30), UsageKind.Read));
        await Folder.FoldAsync();
        var rows = await DailyRowsAsync();
        await using var db = Database.Open();
        var thinh = await db.Accounts.SingleAsync(a => a.Address == Thinh);
        var tuan = await db.Accounts.SingleAsync(a => a.Address == Tuan);
        Assert.Equal(new DateOnly(2024, 3, 31), rows.Single(r => r.AccountId == thinh.Id).Day);
        Assert.Equal(new DateOnly(2024, 4, 1), rows.Single(r => r.AccountId == tuan.Id).Day);
    }

    [Fact]
    public async Task An_event_at_23_30_on_31_March_counts_in_Q1_and_one_at_00_30_on_1_April_in_Q2()
    {
        // Both have never logged in before: the first event activates them.
        await PersonAsync("late@tphcm.gov.vn", "Trần Văn Muộn", "Sở Văn hóa và Thể thao", activated: false);
        await PersonAsync("early@tphcm.gov.vn", "Nguyễn Thị Sớm", "Sở Văn hóa và Thể thao", activated: false);
        await EventsAsync(("late@tphcm.gov.vn", Local(2024, 3, 31, 23, 30), UsageKind.Read),
            ("early@tphcm.gov.vn", Local(2024, 4, 1, 0, 30), UsageKind.Read));

        var q1 = await ReportAsync(UsagePeriod.Quarter(2024, 1));
        var q2 = await ReportAsync(UsagePeriod.Quarter(2024, 2));
        Assert.Equal(UsageClass.Low, ClassOf(q1, "late@tphcm.gov.vn"));
        Assert.Equal(UsageClass.NotActivated, ClassOf(q1, "early@tphcm.gov.vn"));
        Assert.Equal(UsageClass.NotUsed, ClassOf(q2, "late@tphcm.gov.vn"));
        Assert.Equal(UsageClass.Low, ClassOf(q2, "early@tphcm.gov.vn"));
        var march = await ReportAsync(UsagePeriod.Month(2024, 3));
        Assert.Equal(1, march.Lines.Single(l => l.Account.Address == "late@tphcm.gov.vn").Verdict.Tally.ActiveDays);
    }

    [Fact]
    public async Task Events_of_unknown_addresses_are_skipped_but_passed()
    {
        await EventsAsync(("nobody@tphcm.gov.vn", Local(2024, 3, 4), UsageKind.LoginFailed), (Thinh, Local(2024, 3, 4), UsageKind.Login));
        var result = await Folder.FoldAsync();
        Assert.Equal(2, result.EventsFolded);
        Assert.Single(await DailyRowsAsync());
        Assert.Equal(result.LastEventId, await Folder.WatermarkAsync());
    }

    [Fact]
    public async Task Pruning_removes_only_old_folded_events_and_keeps_the_newest()
    {
        // The clock is at 10/07/2024: with 3 months' retention, events before 10/04/2024 may go once folded.
        await EventsAsync((Thinh, Local(2024, 1, 10), UsageKind.Login), (Thinh, Local(2024, 2, 10), UsageKind.Login));
        await Folder.FoldAsync();
        await EventsAsync((Tuan, Local(2024, 1, 11), UsageKind.Login), (Thinh, Local(2024, 6, 10), UsageKind.Login));
        var pruned = await Folder.PruneAsync(3);
        Assert.Equal(2, pruned);
        Assert.Equal(0, await Folder.PruneAsync(3));
        await using var db = Database.Open();
        Assert.Equal(2, await db.UsageEvents.CountAsync());
        // The purge is in the audit log once: the second prune removed nothing and wrote nothing.
        var audit = await db.Audit.AsNoTracking().Where(a => a.Action == "usage.prune").Select(a => new { a.Actor, a.Detail }).ToListAsync();
        var entry = Assert.Single(audit);
        Assert.Equal("system", entry.Actor);
        Assert.Equal("2 sự kiện sử dụng trước ngày 10/04/2024 / 2 usage events before 10/04/2024", entry.Detail);
        await Folder.FoldAsync();
        Assert.Equal(4, (await DailyRowsAsync()).Count);
    }

    private static List<string> Describe(IEnumerable<UsageDay> rows) => rows
        .Select(r => $"{r.AccountId} {r.Day:yyyy-MM-dd} {r.Logins} {r.FailedLogins} {r.Sent} {r.Received} {r.Read} {r.Webmail} {r.Protocols} {r.FirstAt:O} {r.LastAt:O}")
        .ToList();
}

public sealed class FoldTestsOnSqlite() : FoldTests(DatabaseProvider.Sqlite);

public sealed class FoldTestsOnPostgres() : FoldTests(DatabaseProvider.Postgres);
