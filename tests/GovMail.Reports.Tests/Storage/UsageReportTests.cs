using GovMail.Core.Accounts;
using GovMail.Core.Usage;
using GovMail.Reports.Exemptions;
using GovMail.Reports.Periods;
using GovMail.Reports.Tests.Support;
using GovMail.Storage.Database;

namespace GovMail.Reports.Tests.Storage;

/// <summary>
/// A small city with known answers for Q1 2024 (59 working days, 12 active ones needed for regular use):
/// <list type="bullet">
/// <item>Sở Văn hóa và Thể thao: Phòng Nghệ thuật (Lê Đức Thịnh, low, as in seed 000; Nguyễn Văn An, regular), Phòng Xây
/// dựng nếp sống văn hóa và gia đình (Võ Anh Tuấn, low, as in seed 000; Phạm Thu Hà, exempt on maternity leave), the
/// agency's own office mailbox (collective, low) and a service mailbox (never judged);</item>
/// <item>UBND huyện Bình Chánh: Phòng Nội vụ (Trần Minh, regular; Lý Thị Mai, issued 25/3 and active once: regular pro rata;
/// Đỗ Văn Bình, not used; Hồ Thị Lan, never activated).</item>
/// </list>
/// </summary>
public abstract class UsageReportTests(DatabaseProvider provider) : UsageTest(provider)
{
    private static readonly UsagePeriod Q1 = UsagePeriod.Quarter(2024, 1);
    private const string Culture = "Sở Văn hóa và Thể thao";
    private const string Arts = "Phòng Nghệ thuật";
    private const string Living = "Phòng Xây dựng nếp sống văn hóa và gia đình";
    private const string District = "UBND huyện Bình Chánh";
    private const string Interior = "Phòng Nội vụ";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await UnitAsync(Culture);
        await UnitAsync(Arts, Culture);
        await UnitAsync(Living, Culture);
        await UnitAsync(District);
        await UnitAsync(Interior, District);

        await PersonAsync("ldthinh@tphcm.gov.vn", "Lê Đức Thịnh", $"{Culture} / {Arts}", "Chuyên viên");
        await PersonAsync("nvan@tphcm.gov.vn", "Nguyễn Văn An", $"{Culture} / {Arts}", "Trưởng phòng");
        await PersonAsync("vatuan@tphcm.gov.vn", "Võ Anh Tuấn", $"{Culture} / {Living}", "Cán sự");
        await PersonAsync("ptha@tphcm.gov.vn", "Phạm Thu Hà", $"{Culture} / {Living}", "Chuyên viên");
        await PersonAsync("vanphong.svhtt@tphcm.gov.vn", "Văn phòng Sở Văn hóa và Thể thao", Culture, kind: AccountKind.Collective);
        await PersonAsync("congvan.svhtt@tphcm.gov.vn", "Hệ thống công văn", Culture, kind: AccountKind.Service);
        await PersonAsync("tminh@tphcm.gov.vn", "Trần Minh", $"{District} / {Interior}", "Trưởng phòng");
        await PersonAsync("ltmai@tphcm.gov.vn", "Lý Thị Mai", $"{District} / {Interior}", "Chuyên viên", issued: new DateOnly(2024, 3, 25));
        await PersonAsync("dvbinh@tphcm.gov.vn", "Đỗ Văn Bình", $"{District} / {Interior}", "Chuyên viên");
        await PersonAsync("htlan@tphcm.gov.vn", "Hồ Thị Lan", $"{District} / {Interior}", "Cán sự", activated: false);
        await PersonAsync("later@tphcm.gov.vn", "Người Đến Sau", $"{District} / {Interior}", issued: new DateOnly(2024, 4, 2));

        await ActiveOnWorkingDaysAsync("ldthinh@tphcm.gov.vn", Q1, 11);
        await ActiveOnWorkingDaysAsync("nvan@tphcm.gov.vn", Q1, 12);
        await ActiveOnWorkingDaysAsync("vatuan@tphcm.gov.vn", Q1, 3);
        await ActiveOnWorkingDaysAsync("vanphong.svhtt@tphcm.gov.vn", Q1, 2);
        await ActiveOnWorkingDaysAsync("congvan.svhtt@tphcm.gov.vn", Q1, 1);
        await ActiveOnWorkingDaysAsync("tminh@tphcm.gov.vn", Q1, 40);
        await ActiveOnAsync("ltmai@tphcm.gov.vn", 2024, 3, 27);
        Ok(await new UsageExemptions(Database, Test.Clock).AddAsync("ptha@tphcm.gov.vn", new DateOnly(2023, 12, 1), new DateOnly(2024, 5, 31),
            ExemptionKind.MaternityLeave, "Nghỉ thai sản 6 tháng", Admin));
    }

    [Fact]
    public async Task Every_class_is_found_with_its_rule()
    {
        var r = await ReportAsync(Q1);
        Assert.Equal(UsageClass.Low, ClassOf(r, "ldthinh@tphcm.gov.vn"));      // 11 of the 12 needed
        Assert.Equal(UsageClass.Regular, ClassOf(r, "nvan@tphcm.gov.vn"));     // exactly 12
        Assert.Equal(UsageClass.Low, ClassOf(r, "vatuan@tphcm.gov.vn"));
        Assert.Equal(UsageClass.Exempt, ClassOf(r, "ptha@tphcm.gov.vn"));
        Assert.Equal(UsageClass.Low, ClassOf(r, "vanphong.svhtt@tphcm.gov.vn"));
        Assert.Equal(UsageClass.Regular, ClassOf(r, "tminh@tphcm.gov.vn"));
        Assert.Equal(UsageClass.Regular, ClassOf(r, "ltmai@tphcm.gov.vn"));
        Assert.Equal(UsageClass.NotUsed, ClassOf(r, "dvbinh@tphcm.gov.vn"));
        Assert.Equal(UsageClass.NotActivated, ClassOf(r, "htlan@tphcm.gov.vn"));
        Assert.DoesNotContain(r.Lines, l => l.Account.Address is "congvan.svhtt@tphcm.gov.vn" or "later@tphcm.gov.vn" or "admin@tphcm.gov.vn");

        var thinh = r.Lines.Single(l => l.Account.Address == "ldthinh@tphcm.gov.vn").Verdict;
        Assert.Equal((11, 12, 59), (thinh.Tally.ActiveWorkingDays, thinh.RequiredDays, thinh.WorkingDays));
        var mai = r.Lines.Single(l => l.Account.Address == "ltmai@tphcm.gov.vn").Verdict;
        Assert.True(mai.Span.IsProRata);
        Assert.Equal((5, 1), (mai.WorkingDays, mai.RequiredDays));
    }

    [Fact]
    public async Task The_summary_counts_classes_per_agency_and_department_and_ranks_them()
    {
        var r = await ReportAsync(Q1);
        var tenant = r.Summary[0];
        Assert.Equal(UsageSummaryLevel.Tenant, tenant.Level);
        Assert.Equal(new UsageCounts(9, 3, 3, 1, 1, 1), tenant.Counts);
        Assert.Equal(37.5, tenant.Counts.RegularPercent);

        var agencies = r.Summary.Where(s => s.Level == UsageSummaryLevel.Agency).ToList();
        Assert.Equal([District, Culture], agencies.Select(a => a.Name));
        Assert.Equal([1, 2], agencies.Select(a => a.Rank));
        Assert.Equal(50.0, agencies[0].Counts.RegularPercent); // 2 regular of 4
        Assert.Equal(25.0, agencies[1].Counts.RegularPercent); // 1 regular of 4 judged (one exempt)

        var culture = r.Summary.Where(s => s.Level == UsageSummaryLevel.Department && s.Agency == Culture).ToList();
        Assert.Equal([Arts, Living, "(trực thuộc cơ quan)"], culture.Select(d => d.Name));
        Assert.Equal([1, 2, 2], culture.Select(d => d.Rank));
        Assert.Equal(new UsageCounts(2, 1, 1, 0, 0, 0), culture[0].Counts);
    }

    [Fact]
    public async Task The_official_list_holds_the_listed_accounts_in_order()
    {
        var r = await ReportAsync(Q1);
        Assert.Equal(
            ["vanphong.svhtt@tphcm.gov.vn", "ldthinh@tphcm.gov.vn", "vatuan@tphcm.gov.vn", "dvbinh@tphcm.gov.vn", "htlan@tphcm.gov.vn"],
            r.Listed.Select(l => l.Account.Address));
        var thinh = r.Listed.Single(l => l.Account.Address == "ldthinh@tphcm.gov.vn").Account;
        Assert.Equal(("Lê Đức Thịnh", "Chuyên viên", Arts, Culture), (thinh.DisplayName, thinh.Title, thinh.Department, thinh.Agency));
    }

    [Fact]
    public async Task An_agency_report_holds_only_that_agency()
    {
        var r = await ReportAsync(Q1, Culture);
        Assert.Equal(Culture, r.ScopeName);
        Assert.All(r.Lines, l => Assert.Equal(Culture, l.Account.Agency));
        Assert.Equal(5, r.Lines.Count);
        Refused(await Reports.PeriodAsync(Q1, "Sở Không Có"), "UnitNotFound");
    }

    [Fact]
    public async Task A_month_is_judged_on_its_own_working_days()
    {
        // Thịnh's 11 active days are the first 11 working days of January: regular in January, not used in February.
        var january = await ReportAsync(UsagePeriod.Month(2024, 1));
        var february = await ReportAsync(UsagePeriod.Month(2024, 2));
        Assert.Equal(UsageClass.Regular, ClassOf(january, "ldthinh@tphcm.gov.vn"));
        Assert.Equal(UsageClass.NotUsed, ClassOf(february, "ldthinh@tphcm.gov.vn"));
        Assert.Equal(16, february.Lines.Single(l => l.Account.Address == "ldthinh@tphcm.gov.vn").Verdict.WorkingDays);
        Assert.DoesNotContain(january.Lines, l => l.Account.Address == "ltmai@tphcm.gov.vn");
    }

    [Fact]
    public async Task A_closed_account_is_judged_up_to_its_closing()
    {
        // Closed on 10/07/2024 (the test clock): judged in Q1 as before, absent from Q3 2024 onwards.
        Ok(await Accounts.ApplyAsync("dvbinh@tphcm.gov.vn", AccountAction.Close, Admin, "nghỉ hưu"));
        Assert.Equal(UsageClass.NotUsed, ClassOf(await ReportAsync(Q1), "dvbinh@tphcm.gov.vn"));
        Assert.DoesNotContain((await ReportAsync(UsagePeriod.Month(2024, 8))).Lines, l => l.Account.Address == "dvbinh@tphcm.gov.vn");
    }

    [Fact]
    public async Task Reports_fold_pending_events_first()
    {
        Assert.Equal(UsageClass.NotUsed, ClassOf(await ReportAsync(Q1), "dvbinh@tphcm.gov.vn"));
        await ActiveOnWorkingDaysAsync("dvbinh@tphcm.gov.vn", Q1, 12);
        Assert.Equal(UsageClass.Regular, ClassOf(await ReportAsync(Q1), "dvbinh@tphcm.gov.vn"));
    }

    [Fact]
    public async Task A_tenant_policy_changes_the_answer()
    {
        Ok(await new UsagePolicies(Database, Test.Clock).UpdateAsync(p => p.WorkingDaysPerActiveDay = 20, Admin));
        // ceil(59 / 20) = 3 active working days now suffice.
        Assert.Equal(UsageClass.Regular, ClassOf(await ReportAsync(Q1), "vatuan@tphcm.gov.vn"));
        Ok(await new UsagePolicies(Database, Test.Clock).UpdateAsync(p => p.ExtraDaysOff = [.. WorkingCalendar.Vietnam.WorkingDays(Q1.FirstDay, Q1.LastDay).Skip(3)], Admin));
        // With only three working days left in the quarter, one active day is needed.
        var r = await ReportAsync(Q1);
        Assert.Equal(3, r.Lines.Single(l => l.Account.Address == "dvbinh@tphcm.gov.vn").Verdict.WorkingDays);
        Refused(await new UsagePolicies(Database, Test.Clock).UpdateAsync(p => p.WorkingDaysPerActiveDay = 0, Admin), "PolicyOutOfRange");
    }
}

public sealed class UsageReportTestsOnSqlite() : UsageReportTests(DatabaseProvider.Sqlite);

public sealed class UsageReportTestsOnPostgres() : UsageReportTests(DatabaseProvider.Postgres);
