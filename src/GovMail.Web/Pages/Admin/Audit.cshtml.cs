using GovMail.Core.Audit;
using GovMail.Core.Security;
using GovMail.Storage.Audit;
using GovMail.Web.Admin;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Admin;

/// <summary>
/// The audit log (nhật ký quản trị) for auditors and the city operator, newest first, searchable by account and day; a scoped
/// auditor reads the entries by or about their subtree's accounts (as <c>govmail audit list --as</c>). The hash chain is checked
/// on each visit.
/// </summary>
public sealed class AuditModel(AuditLog log) : AdminPageModel
{
    public const int Shown = 500;

    protected override Permission Needs => Permission.ReadAudit;

    [FromQuery(Name = "tai-khoan")] public string? Account { get; set; }
    [FromQuery(Name = "tu-ngay")] public string? Since { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public int Total { get; private set; }
    public AuditVerification? Chain { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync()
    {
        DateTimeOffset? since = null;
        if (!string.IsNullOrWhiteSpace(Since))
        {
            if (AdminText.ParseDay(Since) is { } day) since = Core.Usage.UsagePeriod.StartOfLocalDay(day);
            else Error = Localization.WebText.T("WebAdminBadDate", Since);
        }
        var entries = await log.ListAsync(string.IsNullOrWhiteSpace(Account) ? null : Account, since, await UnitsAsync(Permission.ReadAudit), Aborted);
        Total = entries.Count;
        Entries = entries.Reverse().Take(Shown).ToList();
        Chain = await log.VerifyAsync(Aborted);
    }
}
