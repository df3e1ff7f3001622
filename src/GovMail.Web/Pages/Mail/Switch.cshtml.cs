using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Storage.Directory;
using GovMail.Web.Localization;
using GovMail.Web.Mail;
using GovMail.Web.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Mail;

/// <summary>
/// A keeper switches the webmail to the unit mailbox they keep (chuyển sang hộp thư đơn vị), or back to their own. Only a
/// mailbox assigned to them (<see cref="MailboxKeepers"/>, the rule the IMAP and SMTP keeper login asks) that may be used
/// opens; the session checks the assignment again on every request.
/// </summary>
public sealed class SwitchModel(AccountDirectory accounts, WebSessions sessions) : MailPageModel
{
    [BindProperty(Name = "hop-thu")]
    public string? Target { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet() => Redirect("/thu");

    public async Task<IActionResult> OnPostAsync()
    {
        var ct = HttpContext.RequestAborted;
        var person = (await accounts.FindAsync(CurrentUser.Address, ct)).Value!.Account;
        if (string.IsNullOrWhiteSpace(Target) || string.Equals(Target.Trim(), CurrentUser.Address, StringComparison.OrdinalIgnoreCase))
        {
            await sessions.SwitchMailboxAsync(HttpContext, person, null);
            return Redirect("/thu");
        }
        var address = Target.Trim().ToLowerInvariant();
        var found = await accounts.FindAsync(address, ct);
        if (!found.IsOk || !KeptMailboxes.Contains(found.Value!.Account.Address))
        {
            Error = Messages.Format("LoginNotKeeper", WebSite.Culture, [CurrentUser.Address, address]);
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        var kept = found.Value.Account;
        if (kept.State is not (AccountState.Active or AccountState.PendingFirstLogin))
        {
            Error = WebText.T("WebKeptUnavailable", kept.Address, AccountLifecycle.Describe(kept.State));
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        await sessions.SwitchMailboxAsync(HttpContext, person, kept);
        return Redirect("/thu");
    }
}
