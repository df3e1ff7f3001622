using GovMail.Storage.Directory;
using GovMail.Storage.Security;
using GovMail.Web.Localization;
using GovMail.Web.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovMail.Web.Pages.Account;

/// <summary>
/// The administrator's second step (mã xác thực): the 6-digit TOTP code after the password, checked by
/// <see cref="AdminTotp.VerifyAsync"/> (the current step or the one before or after, each code once). Only then a session begins,
/// marked as having passed the second factor, which the admin portal requires.
/// </summary>
public sealed class SecondFactorModel(PendingSecondFactor pending, AdminTotp totp, AccountDirectory accounts, WebSessions sessions) : PageModel
{
    [BindProperty]
    public string Code { get; set; } = "";

    public string? Error { get; private set; }
    public string Address { get; private set; } = "";

    public IActionResult OnGet()
    {
        if (pending.Read(HttpContext) is not { } p) return Redirect("/dang-nhap");
        Address = p.Address;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var ct = HttpContext.RequestAborted;
        if (pending.Read(HttpContext) is not { } p)
        {
            pending.End(HttpContext, null);
            return Redirect("/dang-nhap");
        }
        Address = p.Address;
        var verified = await totp.VerifyAsync(p.Address, Code ?? "", ct);
        if (!verified.IsOk)
        {
            Code = "";
            if (pending.Fail(p))
            {
                pending.End(HttpContext, p);
                return Redirect("/dang-nhap?het-luot-ma=true");
            }
            Error = verified.Problem!.Message(WebSite.Culture);
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        pending.End(HttpContext, p);
        // The account must still be the one whose password was accepted (not locked or changed meanwhile).
        var found = await accounts.FindAsync(p.Address, ct);
        if (!found.IsOk || found.Value!.Account.Id != p.AccountId || found.Value.Account.Version.ToString() != p.Version)
            return Redirect("/dang-nhap");
        await sessions.SignInAsync(HttpContext, found.Value.Account, active: true, secondFactor: true);
        return LocalRedirect(WebLanguage.IsLocal(p.ReturnUrl) ? p.ReturnUrl! : "/quan-tri");
    }
}
