using GovMail.Core.Accounts;
using GovMail.Core.Usage;
using GovMail.Reports.Exemptions;
using GovMail.Reports.Governance;
using GovMail.Reports.Tests.Support;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace GovMail.Reports.Tests.Storage;

/// <summary>
/// Two consecutive quarters (Q4 2023 and Q1 2024) with known answers:
/// <list type="bullet">
/// <item>Phòng Nghệ thuật (head tpnt): p1 low in both quarters, p2 low in Q1 only, p4 regular but locked for non-use in Q1;</item>
/// <item>Phòng Nội vụ (head tpnv): p3 regular but reminded in Q1;</item>
/// <item>Phòng Tài chính (head tptc): p5 regular over Q1 but silent all February;</item>
/// <item>every head and the director are regular.</item>
/// </list>
/// </summary>
public abstract class GovernanceTests(DatabaseProvider provider) : UsageTest(provider)
{
    private static readonly UsagePeriod Q4 = UsagePeriod.Quarter(2023, 4);
    private static readonly UsagePeriod Q1 = UsagePeriod.Quarter(2024, 1);
    private const string Culture = "Sở Văn hóa và Thể thao";
    private const string Arts = "Phòng Nghệ thuật";
    private const string District = "UBND huyện Bình Chánh";
    private const string Interior = "Phòng Nội vụ";
    private const string Finance = "Phòng Tài chính - Kế hoạch";

    private static string A(string local) => local + "@tphcm.gov.vn";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await UnitAsync(Culture);
        await UnitAsync(Arts, Culture);
        await UnitAsync(District);
        await UnitAsync(Interior, District);
        await UnitAsync(Finance, District);

        foreach (var (local, name, unit) in new[]
        {
            ("giamdoc", "Võ Trọng Nam", Culture), ("tpnt", "Nguyễn Văn Trưởng", $"{Culture} / {Arts}"),
            ("tpnv", "Trần Thị Nội", $"{District} / {Interior}"), ("tptc", "Lê Văn Tài", $"{District} / {Finance}"),
            ("p1", "Phạm Văn Một", $"{Culture} / {Arts}"), ("p2", "Phạm Văn Hai", $"{Culture} / {Arts}"),
            ("p3", "Phạm Văn Ba", $"{District} / {Interior}"), ("p4", "Phạm Văn Bốn", $"{Culture} / {Arts}"),
            ("p5", "Phạm Văn Năm", $"{District} / {Finance}"),
        })
            await PersonAsync(A(local), name, unit, "Chuyên viên");
        Ok(await Units.SetHeadAsync(Culture, A("giamdoc"), Admin));
        Ok(await Units.SetHeadAsync(Arts, A("tpnt"), Admin));
        Ok(await Units.SetHeadAsync(Interior, A("tpnv"), Admin));
        Ok(await Units.SetHeadAsync(Finance, A("tptc"), Admin));

        foreach (var regular in new[] { "giamdoc", "tpnt", "tpnv", "tptc", "p2", "p3", "p4", "p5" })
            await ActiveOnWorkingDaysAsync(A(regular), Q4, 20);
        foreach (var regular in new[] { "giamdoc", "tpnt", "tpnv", "tptc", "p3", "p4" })
            await ActiveOnWorkingDaysAsync(A(regular), Q1, 59);
        await ActiveOnWorkingDaysAsync(A("p1"), Q4, 2);
        await ActiveOnWorkingDaysAsync(A("p1"), Q1, 2);
        await ActiveOnWorkingDaysAsync(A("p2"), Q1, 5);
        await ActiveOnWorkingDaysAsync(A("p5"), UsagePeriod.Month(2024, 1), 10);
        await ActiveOnWorkingDaysAsync(A("p5"), UsagePeriod.Month(2024, 3), 10);

        // A reminder in February and a non-use lock in March, each on a clock of its own (the test clock is at 10/07/2024).
        Ok(await new UsageReminders(Database, new FakeTimeProvider(Local(2024, 2, 15, 10)))
            .RecordAsync(A("p3"), UsagePeriod.Month(2024, 1), Admin, "Nhắc nhở sử dụng hộp thư"));
        Ok(await new AccountDirectory(Database, new FakeTimeProvider(Local(2024, 3, 20, 10)), Test.Hasher)
            .ApplyAsync(A("p4"), AccountAction.Lock, "system", null, LockReason.NonUse));
    }

    private async Task<GovernanceReport> GovernanceAsync(UsagePeriod? quarter = null) => Ok(await Reports.GovernanceAsync(quarter ?? Q1));

    [Fact]
    public async Task Listed_reminded_and_locked_people_are_graded_down_each_with_the_rule()
    {
        var g = await GovernanceAsync();
        var rules = g.PersonsGradedDown.ToDictionary(l => l.Account.Address, l => l.Rule.Code);
        Assert.Equal(new Dictionary<string, string>
        {
            [A("p1")] = "person.low", [A("p2")] = "person.low", [A("p3")] = "person.reminded", [A("p4")] = "person.locked-non-use",
        }, rules);
        Assert.Contains("15/02/2024", g.PersonsGradedDown.Single(l => l.Account.Address == A("p3")).Rule.Text(Core.Messages.Vietnamese), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_heads_of_the_units_with_listed_people_are_graded_down()
    {
        var g = await GovernanceAsync();
        Assert.Equal([(A("tpnv"), Interior), (A("tpnt"), Arts)],
            g.HeadsGradedDown.Select(l => (l.Account.Address, l.HeadOfUnit!)).OrderByDescending(x => x.Item2, StringComparer.Ordinal));
        var arts = g.HeadsGradedDown.Single(l => l.HeadOfUnit == Arts);
        Assert.Equal([A("p1"), A("p2"), A("p4")], arts.Because);
        Assert.All(g.HeadsGradedDown, l => Assert.Equal("head.quarter", l.Rule.Code));
    }

    [Fact]
    public async Task With_the_monthly_rule_a_silent_february_grades_the_head_down_too()
    {
        Ok(await new UsagePolicies(Database, Test.Clock).UpdateAsync(p => p.MonthlyHeadRule = true, Admin));
        var g = await GovernanceAsync();
        var finance = Assert.Single(g.HeadsGradedDown, l => l.HeadOfUnit == Finance);
        Assert.Equal(A("tptc"), finance.Account.Address);
        Assert.Equal("head.month", finance.Rule.Code);
        Assert.Equal([A("p5")], finance.Because);
        Assert.DoesNotContain(g.PersonsGradedDown, l => l.Account.Address == A("p5"));
        // p1 was also silent in February: the Arts head now carries both reasons.
        Assert.Equal(["head.quarter", "head.month"], g.HeadsGradedDown.Single(l => l.HeadOfUnit == Arts).Reasons.Select(r => r.Code));
    }

    [Fact]
    public async Task Listed_in_two_consecutive_quarters_is_proposed_for_cancellation()
    {
        var g = await GovernanceAsync();
        var c = Assert.Single(g.CancellationProposals);
        Assert.Equal(A("p1"), c.Account.Address);
        Assert.Equal("cancel.two-quarters", c.Rule.Code);
        // Q4 2023 alone proposes nobody: Q3 2023 had no history, and p1 was not yet listed twice.
        Assert.Empty((await GovernanceAsync(Q4)).CancellationProposals);
    }

    [Fact]
    public async Task An_exemption_takes_a_person_off_every_list()
    {
        Ok(await new UsageExemptions(Database, Test.Clock).AddAsync(A("p2"), new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31),
            ExemptionKind.Secondment, "Biệt phái sang Sở Du lịch", Admin));
        var g = await GovernanceAsync();
        Assert.DoesNotContain(g.PersonsGradedDown, l => l.Account.Address == A("p2"));
        Assert.Equal([A("p1"), A("p4")], g.HeadsGradedDown.Single(l => l.HeadOfUnit == Arts).Because);
    }

    [Fact]
    public async Task Decisions_are_recorded_per_line_and_shown_with_the_lists()
    {
        Refused(await Reports.DecideAsync(Q1, GovernanceList.PersonsGradedDown, A("p2"), GovernanceDecisionKind.Exempt, " ", Admin), "DecisionReasonRequired");
        Refused(await Reports.DecideAsync(Q1, GovernanceList.PersonsGradedDown, A("tpnt"), GovernanceDecisionKind.Apply, null, Admin), "NotOnGovernanceList");
        Refused(await Reports.DecideAsync(Q1, GovernanceList.CancellationProposals, A("p2"), GovernanceDecisionKind.Apply, null, Admin), "NotOnGovernanceList");

        Ok(await Reports.DecideAsync(Q1, GovernanceList.PersonsGradedDown, A("p1"), GovernanceDecisionKind.Apply, null, "hr@tphcm.gov.vn"));
        Ok(await Reports.DecideAsync(Q1, GovernanceList.PersonsGradedDown, A("p2"), GovernanceDecisionKind.Apply, null, "hr@tphcm.gov.vn"));
        Ok(await Reports.DecideAsync(Q1, GovernanceList.PersonsGradedDown, A("p2"), GovernanceDecisionKind.Exempt, "Nghỉ ốm có giấy xác nhận", "hr@tphcm.gov.vn"));
        Ok(await Reports.DecideAsync(Q1, GovernanceList.HeadsGradedDown, A("tpnt"), GovernanceDecisionKind.Apply, null, "hr@tphcm.gov.vn"));

        var g = await GovernanceAsync();
        var p1 = g.PersonsGradedDown.Single(l => l.Account.Address == A("p1")).Decision!;
        Assert.Equal((GovernanceDecisionKind.Apply, "hr@tphcm.gov.vn"), (p1.Decision, p1.DecidedBy));
        var p2 = g.PersonsGradedDown.Single(l => l.Account.Address == A("p2")).Decision!;
        Assert.Equal((GovernanceDecisionKind.Exempt, "Nghỉ ốm có giấy xác nhận"), (p2.Decision, p2.Reason));
        Assert.Null(g.PersonsGradedDown.Single(l => l.Account.Address == A("p3")).Decision);
        Assert.NotNull(g.HeadsGradedDown.Single(l => l.Account.Address == A("tpnt")).Decision);
        // The decision belongs to its quarter's list only.
        Assert.All((await GovernanceAsync(Q4)).PersonsGradedDown, l => Assert.Null(l.Decision));
    }

    [Fact]
    public async Task Applying_the_cancellation_bars_the_person_from_re_registration_unless_overridden_with_a_recorded_reason()
    {
        Ok(await Accounts.UpdateAsync(A("p1"), new AccountUpdate { StaffNumber = "CB-0001" }, Admin));
        var arts = $"{Culture} / {Arts}";
        // Before the reviewer applies the proposal nobody is barred.
        var namesake = Ok(await Accounts.AddAsync(new NewAccount("Phạm Văn Một", $"{District} / {Interior}"), Admin));
        Assert.Null(namesake.OverriddenBar);

        Ok(await Reports.DecideAsync(Q1, GovernanceList.CancellationProposals, A("p1"), GovernanceDecisionKind.Apply, null, "tcpc@tphcm.gov.vn"));
        var bar = Assert.Single(await ReRegistration.ListAsync(Database, false, default));
        Assert.Equal((A("p1"), "2024-Q1", "CB-0001", "tcpc@tphcm.gov.vn"), (bar.Address, bar.Quarter, bar.StaffNumber, bar.RecordedBy));

        // Same normalised name in the same unit (no staff number given), with or without diacritics: refused, with the reason.
        var refused = Refused(await Accounts.AddAsync(new NewAccount("Phạm Văn Một", arts), Admin), "ReRegistrationBarred");
        Assert.Contains("02 quý liên tiếp (Quý IV/2023 – Quý I/2024)", refused.Message(Core.Messages.Vietnamese));
        Assert.Contains(A("p1"), refused.Message(Core.Messages.Vietnamese));
        Assert.Contains("two consecutive quarters", refused.Message(Core.Messages.English));
        Refused(await Accounts.AddAsync(new NewAccount("  pham  van MOT ", arts), Admin), "ReRegistrationBarred");
        // The staff number decides when both have one: the same person elsewhere is refused, a namesake with another number is not.
        Refused(await Accounts.AddAsync(new NewAccount("Phạm Một", $"{District} / {Finance}") { StaffNumber = "CB-0001" }, Admin), "ReRegistrationBarred");
        Ok(await Accounts.AddAsync(new NewAccount("Phạm Văn Một", arts) { StaffNumber = "CB-0777" }, Admin));
        // Another unit, no staff number: another person.
        Ok(await Accounts.AddAsync(new NewAccount("Phạm Văn Một", $"{District} / {Finance}"), Admin));

        // An administrator overrides with a justification: issued, and who, when and why are in the audit log.
        Test.Clock.Advance(TimeSpan.FromHours(1));
        var issued = Ok(await Accounts.AddAsync(new NewAccount("Phạm Văn Một", arts)
        {
            StaffNumber = "CB-0001", OverrideReason = "Tái tuyển dụng theo Quyết định 12/QĐ-SVHTT",
        }, Admin));
        Assert.Equal(bar.Id, issued.OverriddenBar!.Id);
        await using (var db = Database.Open())
        {
            var audit = await db.Audit.AsNoTracking().Where(a => a.Action == "account.add.override-bar").ToListAsync();
            var entry = Assert.Single(audit);
            Assert.Equal((Admin, issued.Account.Address), (entry.Actor, entry.Target));
            Assert.Equal(Test.Clock.GetUtcNow(), entry.At);
            Assert.Contains("Tái tuyển dụng theo Quyết định 12/QĐ-SVHTT", entry.Detail);
            Assert.Contains("2024-Q1", entry.Detail);
        }

        // Exempting the line afterwards lifts the bar.
        Ok(await Reports.DecideAsync(Q1, GovernanceList.CancellationProposals, A("p1"), GovernanceDecisionKind.Exempt,
            "Thống kê sai: nghỉ phép chưa được ghi", "tcpc@tphcm.gov.vn"));
        Assert.Empty(await ReRegistration.ListAsync(Database, false, default));
        Assert.Equal("Thống kê sai: nghỉ phép chưa được ghi", Assert.Single(await ReRegistration.ListAsync(Database, true, default)).LiftReason);
        Ok(await Accounts.AddAsync(new NewAccount("Phạm Văn Một", arts), Admin));
    }

    [Fact]
    public async Task An_agency_sees_only_its_own_lines()
    {
        var g = Ok(await Reports.GovernanceAsync(Q1, District));
        Assert.Equal([A("p3")], g.PersonsGradedDown.Select(l => l.Account.Address));
        Assert.Equal([A("tpnv")], g.HeadsGradedDown.Select(l => l.Account.Address));
        Assert.Empty(g.CancellationProposals);
    }
}

public sealed class GovernanceTestsOnSqlite() : GovernanceTests(DatabaseProvider.Sqlite);

public sealed class GovernanceTestsOnPostgres() : GovernanceTests(DatabaseProvider.Postgres);
