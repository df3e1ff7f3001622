using GovMail.Core.Security;
using GovMail.Core.Usage;
using GovMail.Storage.Mail;
using GovMail.Web.Admin;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Admin;

/// <summary>
/// Seed 004's two reports for the city, an agency or a department: official addresses used to sign up on social networks,
/// e-commerce and e-banking (mail received from them), and official mail sent giving a public webmail address as contact.
/// They are <see cref="OfficialUseReports"/>, as <c>govmail report registrations|public-webmail</c>, so the rows are the CLI's.
/// </summary>
public sealed class OfficialUseModel(OfficialUseReports reports, ReportScope reportScope) : AdminPageModel
{
    protected override Permission Needs => Permission.ReadReports;

    [FromQuery(Name = "don-vi")] public string? Unit { get; set; }
    [FromQuery(Name = "tu-ngay")] public string? Since { get; set; }

    public IReadOnlyList<ReportUnit> Units { get; private set; } = [];
    public IReadOnlyList<RegistrationMailRow>? Registrations { get; private set; }
    public IReadOnlyList<PublicWebmailRow>? PublicWebmail { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Units = await reportScope.ChoicesAsync(Scope, Localization.WebText.T("WebAdminWholeCity"), Aborted);
        var unit = await reportScope.ResolveAsync(Scope, Unit, Units, Aborted);
        if (!unit.IsOk) return OutOfScope(unit.Problem!);
        Unit = unit.Value;
        DateTimeOffset? from = null;
        if (!string.IsNullOrWhiteSpace(Since))
        {
            if (AdminText.ParseDay(Since) is not { } day) { Error = Localization.WebText.T("WebAdminBadDate", Since); return Page(); }
            from = UsagePeriod.StartOfLocalDay(day);
        }
        var units = await reports.SubtreeAsync(Unit, Aborted);
        if (!units.IsOk) return OutOfScope(units.Problem!);
        Registrations = await reports.RegistrationsAsync(from, units.Value, Aborted);
        PublicWebmail = await reports.PublicWebmailAsync(from, units.Value, Aborted);
        return Page();
    }
}
