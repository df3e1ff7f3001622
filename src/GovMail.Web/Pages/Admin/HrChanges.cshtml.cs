using GovMail.Storage.Lifecycle;
using GovMail.Web.Admin;

namespace GovMail.Web.Pages.Admin;

/// <summary>
/// The HR change file (danh sách biến động nhân sự) as <c>govmail account hr-changes</c> reads it: the upload is run as a dry
/// run and previewed (each change, or every bad row with its line and reason, rows outside the administrator's scope among
/// them), and only the confirmation applies it, all rows or none, to the audit log like the CLI.
/// </summary>
public sealed class HrChangesModel(AdminHrChanges changes) : AdminUploadPageModel<HrChangePlan>
{
    protected override Task<HrChangePlan> RunAsync(byte[] content, string fileName, bool dryRun) =>
        changes.RunAsync(content, fileName, dryRun, Scope, Actor, Aborted);

    protected override bool IsApplied(HrChangePlan plan) => plan.Applied;
}
