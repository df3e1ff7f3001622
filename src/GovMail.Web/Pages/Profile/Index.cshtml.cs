using GovMail.Core.Security;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Web.Localization;
using GovMail.Web.Mail;
using GovMail.Web.Security;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Profile;

/// <summary>
/// The holder's own profile (hồ sơ cá nhân): display name, title and phone, changed through the directory's
/// <see cref="AccountDirectory.UpdateAsync"/> with the holder as actor, so the change is in the account's history and the audit log.
/// </summary>
public sealed class IndexModel(GovMailDatabase database, TimeProvider clock, PasswordHasher hasher, WebSessions sessions) : MailPageModel
{
    [BindProperty] public string DisplayName { get; set; } = "";
    [BindProperty] public string? JobTitle { get; set; }
    [BindProperty] public string? Phone { get; set; }

    public string Unit { get; private set; } = "";
    public string? Error { get; private set; }

    [FromQuery(Name = "da-luu")]
    public bool Saved { get; set; }

    private AccountDirectory Accounts => new(database, clock, hasher);

    public async Task<IActionResult> OnGetAsync()
    {
        var view = (await Accounts.FindAsync(CurrentUser.Address, HttpContext.RequestAborted)).Value!;
        (DisplayName, JobTitle, Phone, Unit) = (view.Account.DisplayName, view.Account.Title, view.Account.Phone, view.UnitPath);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var updated = await Accounts.UpdateAsync(CurrentUser.Address,
            new AccountUpdate { DisplayName = DisplayName, Title = JobTitle ?? "", Phone = Phone ?? "" }, CurrentUser.Address, HttpContext.RequestAborted);
        if (!updated.IsOk)
        {
            Error = updated.Problem!.Message(WebSite.Culture);
            Unit = (await Accounts.FindAsync(CurrentUser.Address, HttpContext.RequestAborted)).Value!.UnitPath;
            return Page();
        }
        // The profile is part of the account's version: the session is renewed with it (and the new name).
        await sessions.SignInAsync(HttpContext, updated.Value!.Account, active: true, newSession: false);
        return Redirect("/ho-so?da-luu=true");
    }
}
