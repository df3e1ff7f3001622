using GovMail.Core.Security;
using GovMail.Web.Localization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovMail.Web.Admin;

/// <summary>
/// A page that takes a file from an administrator (staff list, HR changes): the upload, at most <see cref="AdminImport.MaxBytes"/>,
/// is run as a dry run and previewed; it is carried in a hidden field to the confirmation, which runs it again for real.
/// </summary>
public abstract class AdminUploadPageModel<TPlan> : AdminPageModel where TPlan : class
{
    protected override Permission Needs => Permission.ManageAccounts;

    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public string? FileName { get; set; }
    [BindProperty] public string? FileContent { get; set; }

    public TPlan? Plan { get; private set; }
    public bool Confirmed { get; private set; }
    public string? Error { get; private set; }

    /// <summary>Runs the file through its service, within <see cref="AdminPageModel.Scope"/>, as <see cref="AdminPageModel.Actor"/>.</summary>
    protected abstract Task<TPlan> RunAsync(byte[] content, string fileName, bool dryRun);

    protected abstract bool IsApplied(TPlan plan);

    public void OnGet() { }

    public async Task<IActionResult> OnPostPreviewAsync()
    {
        if (Upload is null || Upload.Length == 0) return Refuse(WebText.T("WebAdminImportChooseFile"));
        if (Upload.Length > AdminImport.MaxBytes) return Refuse(WebText.T("WebAdminImportTooLarge", AdminImport.MaxBytes / (1024 * 1024)));
        using var copy = new MemoryStream();
        await Upload.CopyToAsync(copy, Aborted);
        FileName = Path.GetFileName(Upload.FileName);
        FileContent = Convert.ToBase64String(copy.ToArray());
        Plan = await RunAsync(copy.ToArray(), FileName, dryRun: true);
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync()
    {
        byte[] bytes;
        try { bytes = Convert.FromBase64String(FileContent ?? ""); }
        catch (FormatException) { bytes = []; }
        if (bytes.Length == 0 || string.IsNullOrWhiteSpace(FileName)) return Refuse(WebText.T("WebAdminImportChooseFile"));
        Plan = await RunAsync(bytes, FileName, dryRun: false);
        Confirmed = IsApplied(Plan);
        if (!Confirmed) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private PageResult Refuse(string error)
    {
        Error = error;
        return Page();
    }
}
