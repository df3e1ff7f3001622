using GovMail.Storage.Import;
using GovMail.Web.Admin;

namespace GovMail.Web.Pages.Admin;

/// <summary>
/// Import a staff list (nhập danh sách cán bộ) from Excel or CSV: the upload is previewed first (the accounts it would issue,
/// the units it would create, every bad row with its reason), and only a confirmation issues the mailboxes, showing each
/// temporary password once.
/// </summary>
public sealed class ImportModel(AdminImport import) : AdminUploadPageModel<ImportPlan>
{
    protected override Task<ImportPlan> RunAsync(byte[] content, string fileName, bool dryRun) =>
        import.RunAsync(content, fileName, dryRun, Scope, Actor, Aborted);

    protected override bool IsApplied(ImportPlan plan) => plan.Applied;
}
