using System.Globalization;
using GovMail.Core;
using GovMail.Core.Security;
using GovMail.Core.Time;
using GovMail.Core.Usage;
using GovMail.Reports.Exemptions;
using GovMail.Web.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Admin;

/// <summary>
/// The working calendar (lịch làm việc) usage is judged on: a year month by month, each day a working day, a weekend, an
/// official day off (named), the tenant's own day off or a worked weekend day (làm bù), and each month's working-day count.
/// Whoever may change the policies adds and removes the tenant's own days here, through <see cref="PolicyEditor.ChangeCalendarAsync"/>
/// (the rules and the audit entry of <c>govmail usage policy set --day-off/--working-day</c>).
/// </summary>
public sealed class CalendarModel(PolicyEditor editor, TimeProvider clock) : AdminPageModel
{
    public const string Path = "/quan-tri/lich-lam-viec";

    protected override Permission Needs => Permission.ReadDirectory;

    /// <summary>The year shown (<c>?nam=2026</c>); this year in Asia/Ho_Chi_Minh when absent.</summary>
    [BindProperty(SupportsGet = true, Name = "nam")] public string? YearText { get; set; }
    [BindProperty] public string? Day { get; set; }

    public int Year { get; private set; }
    public IReadOnlyList<CalendarMonth> Months { get; private set; } = [];
    public UsagePolicy Policy { get; private set; } = new();
    public string? Done { get; private set; }
    public string? Error { get; private set; }

    /// <summary>The policy page's rule: the calendar is the tenant's, so only a role that changes its policies sees it.</summary>
    protected override IActionResult? Refuse(bool reading) => PolicyEditor.MayChange(Scope) ? null : Denied("WebAdminTenantWideOnly");

    public Task OnGetAsync() => ShowAsync();

    public Task OnPostAddDayOffAsync() => ChangeAsync(day => new UsagePolicyChange { AddDaysOff = [day] }, "WebCalendarDayOffAdded");

    public Task OnPostRemoveDayOffAsync() => ChangeAsync(day => new UsagePolicyChange { RemoveDaysOff = [day] }, "WebCalendarDayOffRemoved");

    public Task OnPostAddWorkingDayAsync() => ChangeAsync(day => new UsagePolicyChange { AddWorkingDays = [day] }, "WebCalendarWorkingDayAdded");

    public Task OnPostRemoveWorkingDayAsync() => ChangeAsync(day => new UsagePolicyChange { RemoveWorkingDays = [day] }, "WebCalendarWorkingDayRemoved");

    private async Task ChangeAsync(Func<DateOnly, UsagePolicyChange> change, string doneKey)
    {
        if (AdminText.ParseDay(Day ?? "") is not { } day)
        {
            Fail(Localization.WebText.T("WebAdminBadDate", Day ?? ""));
            await ShowAsync();
            return;
        }
        var changed = await editor.ChangeCalendarAsync(change(day), Actor, Aborted);
        if (!changed.IsOk) Fail(Say(changed.Problem!));
        else
        {
            Done = Localization.WebText.T(doneKey, day);
            YearText = day.Year.ToString(CultureInfo.InvariantCulture);
            Day = null;
        }
        await ShowAsync();
    }

    private async Task ShowAsync()
    {
        Year = VietnamTime.Today(clock.GetUtcNow()).Year;
        if (!string.IsNullOrWhiteSpace(YearText))
        {
            if (int.TryParse(YearText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var asked)
                && asked is >= WorkingCalendarYear.FirstYear and <= WorkingCalendarYear.LastYear)
                Year = asked;
            else Fail(Localization.WebText.T("WebCalendarBadYear", YearText, WorkingCalendarYear.FirstYear, WorkingCalendarYear.LastYear));
        }
        Policy = await editor.ReadUsageAsync(Aborted);
        Months = WorkingCalendarYear.Of(Policy, Year);
    }

    private void Fail(string message)
    {
        Error ??= message;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
    }
}
