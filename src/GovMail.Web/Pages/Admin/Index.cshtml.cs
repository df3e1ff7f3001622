using System.Globalization;
using GovMail.Core.Security;
using GovMail.Core.Usage;
using GovMail.Reports;
using GovMail.Reports.Periods;
using GovMail.Storage.Database;
using GovMail.Web.Admin;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Admin;

/// <summary>
/// The dashboard (tổng quan) of the city or an agency: the share of regular users month by month, the ranking of agencies
/// (or of an agency's departments), and the accounts by class this quarter, each drawn as inline SVG from the period reports
/// (<see cref="UsageReports.PeriodAsync"/>), so they agree with the report page and the CLI.
/// </summary>
public sealed class IndexModel(GovMailDatabase database, TimeProvider clock, ReportScope reportScope) : AdminPageModel
{
    public const int Months = 6;

    protected override Permission Needs => Permission.ReadDirectory;

    [FromQuery(Name = "don-vi")] public string? Unit { get; set; }

    public IReadOnlyList<ReportUnit> Units { get; private set; } = [];
    public UsageReport? Quarter { get; private set; }
    public IReadOnlyList<ChartBar> MonthlyRegular { get; private set; } = [];
    public IReadOnlyList<ChartBar> Ranking { get; private set; } = [];
    public IReadOnlyList<ChartBar> ByClass { get; private set; } = [];
    public bool RanksDepartments { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Can(Permission.ReadReports)) return Page();
        Units = await reportScope.ChoicesAsync(Scope, Localization.WebText.T("WebAdminWholeCity"), Aborted);
        var unit = await reportScope.ResolveAsync(Scope, Unit, Units, Aborted);
        if (!unit.IsOk) return OutOfScope(unit.Problem!);
        Unit = unit.Value;
        var culture = WebSite.Culture;
        var first = new UsageReports(database, clock);
        await first.Folder.FoldAsync(Aborted);
        // Folded once above; each report below reads the daily rows only.
        var reports = new UsageReports(database, clock) { FoldFirst = false };
        var quarter = reportScope.Period(null, quarterOnly: true).Value;
        var built = await reports.PeriodAsync(quarter, Unit, Aborted);
        if (!built.IsOk) return Page();
        Quarter = built.Value!;

        var months = new List<ChartBar>();
        var month = UsagePeriod.MonthOf(Core.Time.VietnamTime.Today(clock.GetUtcNow()));
        for (var i = Months - 1; i >= 0; i--)
        {
            var m = month;
            for (var k = 0; k < i; k++) m = m.Previous;
            var r = await reports.PeriodAsync(m, Unit, Aborted);
            var percent = r.IsOk ? r.Value!.Summary[0].Counts.RegularPercent : 0;
            months.Add(new ChartBar(m.FirstDay.ToString("MM/yyyy", CultureInfo.InvariantCulture), percent, percent.ToString("0.#", culture) + "%"));
        }
        MonthlyRegular = months;

        var agencies = Quarter.Summary.Where(s => s.Level == UsageSummaryLevel.Agency).ToList();
        RanksDepartments = agencies.Count <= 1;
        var ranked = RanksDepartments ? Quarter.Summary.Where(s => s.Level == UsageSummaryLevel.Department).ToList() : agencies;
        Ranking = ranked.Take(12).Select(s => new ChartBar($"{s.Rank}. {s.Name}", s.Counts.RegularPercent, s.Counts.RegularPercent.ToString("0.#", culture) + "%")).ToList();

        var counts = Quarter.Summary[0].Counts;
        ByClass =
        [
            Bar(UsageClass.Regular, counts.Regular), Bar(UsageClass.Low, counts.Low), Bar(UsageClass.NotUsed, counts.NotUsed),
            Bar(UsageClass.NotActivated, counts.NotActivated), Bar(UsageClass.Exempt, counts.Exempt),
        ];
        return Page();

        ChartBar Bar(UsageClass c, int n) => new(UsageNames.Label(c, culture), n, n.ToString(culture));
    }
}
