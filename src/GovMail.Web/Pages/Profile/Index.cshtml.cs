using GovMail.Core.Accounts;
using GovMail.Core.Security;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Security;
using GovMail.Web.Localization;
using GovMail.Web.Mail;
using GovMail.Web.Security;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Profile;

/// <summary>
/// The holder's own profile (hồ sơ cá nhân): display name, title and phone, changed through <see cref="ProfileChanges"/> with the
/// holder as actor, so the change is in the account's history and the audit log; when the tenant asks for approval the change
/// waits for an administrator of the holder's unit, and the page shows it as pending.
/// </summary>
public sealed class IndexModel(GovMailDatabase database, TimeProvider clock, PasswordHasher hasher, WebSessions sessions, AdminAccess access)
    : MailPageModel
{
    [BindProperty] public string DisplayName { get; set; } = "";
    [BindProperty] public string? JobTitle { get; set; }
    [BindProperty] public string? Phone { get; set; }

    public string Unit { get; private set; } = "";
    public string? Error { get; private set; }
    public bool IsAdministrator { get; private set; }
    /// <summary>The holder's latest request awaiting (or refused) approval, shown above the form.</summary>
    public ProfileChangeRequest? Change { get; private set; }

    [FromQuery(Name = "da-luu")]
    public bool Saved { get; set; }

    [FromQuery(Name = "cho-duyet")]
    public bool SentForApproval { get; set; }

    private AccountDirectory Accounts => new(database, clock, hasher);
    private ProfileChanges Changes => new(database, clock, hasher);

    public async Task<IActionResult> OnGetAsync()
    {
        var view = (await Accounts.FindAsync(CurrentUser.Address, HttpContext.RequestAborted)).Value!;
        (DisplayName, JobTitle, Phone) = (view.Account.DisplayName, view.Account.Title, view.Account.Phone);
        await LoadAsync(view);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var ct = HttpContext.RequestAborted;
        var asked = await Changes.RequestAsync(CurrentUser.Address,
            new AccountUpdate { DisplayName = DisplayName, Title = JobTitle ?? "", Phone = Phone ?? "" }, ct);
        if (!asked.IsOk)
        {
            Error = asked.Problem!.Message(WebSite.Culture);
            await LoadAsync((await Accounts.FindAsync(CurrentUser.Address, ct)).Value!);
            return Page();
        }
        if (asked.Value == ProfileChangeOutcome.Pending) return Redirect("/ho-so?cho-duyet=true");
        // The profile is part of the account's version: the session is renewed with it (and the new name).
        await sessions.SignInAsync(HttpContext, (await Accounts.FindAsync(CurrentUser.Address, ct)).Value!.Account, active: true, newSession: false);
        return Redirect("/ho-so?da-luu=true");
    }

    private async Task LoadAsync(AccountView view)
    {
        var ct = HttpContext.RequestAborted;
        Unit = view.UnitPath;
        IsAdministrator = (await access.ScopeForAsync(CurrentUser.Address, ct)) is { IsOk: true, Value.IsAdministrator: true };
        Change = await Changes.LatestAsync(CurrentUser.AccountId, ct) is { Status: ProfileChangeStatus.Pending or ProfileChangeStatus.Rejected } r ? r : null;
    }
}
