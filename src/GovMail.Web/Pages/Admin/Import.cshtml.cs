using GovMail.Core.Security;
using GovMail.Storage.Import;
using GovMail.Web.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Admin;

/// <summary>
/// Import a staff list (nhập danh sách cán bộ) from Excel or CSV: the upload is previewed first (the accounts it would issue,
/// the units it would create, every bad row with its reason), and only a confirmation issues the mailboxes, showing each
/// temporary password once.
/// </summary>
public sealed class ImportModel(AdminImport import) : AdminPageModel
{
    protected override Permission Needs => Permission.ManageAccounts;

    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public string? FileName { get; set; }
    [BindProperty] public string? FileContent { get; set; }

    public ImportPlan? Plan { get; private set; }
    public bool Confirmed { get; private set; }
    public string? Error { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostPreviewAsync()
    {
        if (Upload is null || Upload.Length == 0)
        {
            Error = Localization.WebText.T("WebAdminImportChooseFile");
            return Page();
        }
        if (Upload.Length > AdminImport.MaxBytes)
        {
            Error = Localization.WebText.T("WebAdminImportTooLarge", AdminImport.MaxBytes / (1024 * 1024));
            return Page();
        }
        using var copy = new MemoryStream();
        await Upload.CopyToAsync(copy, Aborted);
        FileName = Path.GetFileName(Upload.FileName);
        FileContent = Convert.ToBase64String(copy.ToArray());
        Plan = await import.RunAsync(copy.ToArray(), FileName, dryRun: true, Scope, Actor, Aborted);
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync()
    {
        byte[] bytes;
        try { bytes = Convert.FromBase64String(FileContent ?? ""); }
        catch (FormatException) { bytes = []; }
        if (bytes.Length == 0 || string.IsNullOrWhiteSpace(FileName))
        {
            Error = Localization.WebText.T("WebAdminImportChooseFile");
            return Page();
        }
        Plan = await import.RunAsync(bytes, FileName, dryRun: false, Scope, Actor, Aborted);
        Confirmed = Plan.Applied;
        if (!Confirmed) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
