using GovMail.Core.Security;
using GovMail.Core.Usage;
using GovMail.Reports;
using GovMail.Reports.Governance;
using GovMail.Web.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Admin;

/// <summary>
/// The quarter's governance lists (danh sách xử lý sau thống kê quý): persons and heads graded down, cancellations proposed,
/// each line with the rule that put it there and the HR decision, which an HR reviewer (or the city operator) records here
/// through <see cref="UsageReports.DecideAsync"/>, as <c>govmail report decide</c>.
/// </summary>
public sealed class GovernanceModel(UsageReports reports, ReportScope reportScope) : AdminPageModel
{
    protected override Permission Needs => Permission.ReadReports;

    [FromQuery(Name = "quy")] public string? QuarterText { get; set; }
    [FromQuery(Name = "don-vi")] public string? Unit { get; set; }
    [FromQuery(Name = "tai")] public string? Download { get; set; }

    [BindProperty] public string? Address { get; set; }
    [BindProperty] public string? List { get; set; }
    [BindProperty] public string? Decision { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public GovernanceReport? Report { get; private set; }
    public IReadOnlyList<ReportUnit> Units { get; private set; } = [];
    public IReadOnlyList<UsagePeriod> Quarters { get; private set; } = [];
    public string? Error { get; private set; }
    public string? Done { get; private set; }

    public bool CanDecide(GovernanceLine line) => Scope.Allows(Permission.DecideGovernance, line.Account.UnitId);

    public Task<IActionResult> OnGetAsync() => ShowAsync();

    public async Task<IActionResult> OnPostDecideAsync()
    {
        if (string.IsNullOrWhiteSpace(Address)) return await ShowAsync();
        if (await Access.CheckAccountAsync(Scope, Permission.DecideGovernance, Address, Aborted) is { } outside) return OutOfScope(outside);
        var quarter = reportScope.Period(QuarterText, quarterOnly: true, previousByDefault: true);
        var list = List is null ? null : GovernanceReport.ParseList(List);
        GovernanceDecisionKind? kind = Decision switch { "apply" => GovernanceDecisionKind.Apply, "exempt" => GovernanceDecisionKind.Exempt, _ => null };
        if (!quarter.IsOk) Error = Say(quarter.Problem!);
        else if (list is null || kind is null) Error = Say(Core.Problem.Of("DecisionChoiceRequired"));
        else
        {
            var decided = await reports.DecideAsync(quarter.Value, list.Value, Address, kind.Value, Reason, Actor, Aborted);
            if (decided.IsOk) Done = Localization.WebText.T("DecisionRecorded",
                Localization.WebText.T("Decision" + kind), Address, Localization.WebText.T("GovernanceList" + list), quarter.Value.Name(WebSite.Culture));
            else Error = Say(decided.Problem!);
        }
        if (Error is not null) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return await ShowAsync();
    }

    private async Task<IActionResult> ShowAsync()
    {
        Units = await reportScope.ChoicesAsync(Scope, Localization.WebText.T("WebAdminWholeCity"), Aborted);
        Quarters = reportScope.RecentPeriods(quarters: true);
        var unit = await reportScope.ResolveAsync(Scope, Unit, Units, Aborted);
        if (!unit.IsOk) return OutOfScope(unit.Problem!);
        Unit = unit.Value;
        var quarter = reportScope.Period(QuarterText, quarterOnly: true, previousByDefault: true);
        if (!quarter.IsOk) { Error = Say(quarter.Problem!); return Page(); }
        QuarterText = quarter.Value.ToString();
        var built = await reports.GovernanceAsync(quarter.Value, Unit, Aborted);
        if (!built.IsOk) { Error = Say(built.Problem!); return Page(); }
        Report = built.Value;
        if (Download is { } format) return ReportFiles.Governance(Report!, format) ?? (IActionResult)NotFound();
        return Page();
    }

    public string Query => $"quy={QuarterText}" + (Unit is null ? "" : "&don-vi=" + Uri.EscapeDataString(Unit));
}
