using GovMail.Core.Security;
using GovMail.Core.Usage;
using GovMail.Reports;
using GovMail.Reports.Periods;
using GovMail.Web.Admin;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Admin;

/// <summary>
/// The period report (báo cáo thống kê) of a month or quarter for the city, an agency or a department: the summary with the
/// agencies' and departments' ranks, the official low-use list, and the Excel and CSV downloads. It is
/// <see cref="UsageReports.PeriodAsync"/>, as <c>govmail report usage</c>, so the numbers are the CLI's.
/// </summary>
public sealed class ReportModel(UsageReports reports, ReportScope reportScope) : AdminPageModel
{
    protected override Permission Needs => Permission.ReadReports;

    [FromQuery(Name = "ky")] public string? PeriodText { get; set; }
    [FromQuery(Name = "don-vi")] public string? Unit { get; set; }
    [FromQuery(Name = "tai")] public string? Download { get; set; }

    public UsageReport? Report { get; private set; }
    public IReadOnlyList<ReportUnit> Units { get; private set; } = [];
    public IReadOnlyList<UsagePeriod> Periods { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Units = await reportScope.ChoicesAsync(Scope, Localization.WebText.T("WebAdminWholeCity"), Aborted);
        Periods = [.. reportScope.RecentPeriods(quarters: true), .. reportScope.RecentPeriods(quarters: false)];
        var unit = await reportScope.ResolveAsync(Scope, Unit, Units, Aborted);
        if (!unit.IsOk) return OutOfScope(unit.Problem!);
        Unit = unit.Value;
        var period = reportScope.Period(PeriodText, quarterOnly: false);
        if (!period.IsOk) { Error = Say(period.Problem!); return Page(); }
        PeriodText = period.Value.ToString();
        var built = await reports.PeriodAsync(period.Value, Unit, Aborted);
        if (!built.IsOk) { Error = Say(built.Problem!); return Page(); }
        Report = built.Value;
        if (Download is { } format) return ReportFiles.Usage(Report!, format) ?? (IActionResult)NotFound();
        return Page();
    }

    public string FileUrl(string format) =>
        $"/quan-tri/bao-cao?ky={PeriodText}&tai={format}" + (Unit is null ? "" : "&don-vi=" + Uri.EscapeDataString(Unit));
}
