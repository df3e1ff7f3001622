using System.ComponentModel.DataAnnotations;
using GovMail.Core.Security;
using GovMail.Core.Usage;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Usage;
using GovMail.Web.Localization;
using GovMail.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovMail.Web.Pages.Account;

/// <summary>
/// Changing the password (đổi mật khẩu). Forced after the first sign-in with a temporary password and after expiry; the
/// rules are the tenant's policy, checked by <see cref="AccountDirectory.ChangePasswordAsync"/> exactly as for the command
/// line, and shown on the page as a checklist that ticks itself while typing.
/// </summary>
public sealed class ChangePasswordModel(GovMailDatabase database, TimeProvider clock, PasswordHasher hasher, WebSessions sessions) : PageModel
{
    [BindProperty, Required, StringLength(1024)]
    public string Current { get; set; } = "";

    [BindProperty, Required, StringLength(1024)]
    public string New { get; set; } = "";

    [BindProperty, Required, StringLength(1024)]
    public string Confirm { get; set; } = "";

    public PasswordPolicy Policy { get; private set; } = new();
    public bool Forced { get; private set; }
    public string? Error { get; private set; }
    public WebUser CurrentUser { get; private set; } = null!;

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadAsync();
        if (!ModelState.IsValid)
        {
            Error = WebText.T("WebPasswordFieldsMissing");
            return Page();
        }
        if (New != Confirm)
        {
            Error = WebText.T("WebPasswordsDiffer");
            return Page();
        }
        var accounts = new AccountDirectory(database, clock, hasher);
        var changed = await accounts.ChangePasswordAsync(CurrentUser.Address, Current, New, HttpContext.RequestAborted);
        if (!changed.IsOk)
        {
            Error = changed.Problem!.Message(WebSite.Culture);
            return Page();
        }
        var account = (await accounts.FindAsync(CurrentUser.Address, HttpContext.RequestAborted)).Value!.Account;
        // The change is a completed login on the web (the first one, for a new account).
        await new UsageRecorder(database, clock).RecordAsync(account.Address, account.Id, UsageKind.Login, UsageProtocol.Web,
            HttpContext.Connection.RemoteIpAddress?.ToString(), HttpContext.RequestAborted);
        await sessions.SignInAsync(HttpContext, account, active: true);
        return Redirect("/thu?doi-mat-khau=true");
    }

    private async Task LoadAsync()
    {
        CurrentUser = WebUser.From(User)!;
        Forced = !User.HasClaim(c => c.Type == WebSessions.ActiveClaim);
        var tenant = await new TenantDirectory(database, clock, hasher).FindAsync(HttpContext.RequestAborted);
        Policy = tenant?.Policy.Password ?? new PasswordPolicy();
    }
}
