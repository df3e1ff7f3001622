using System.ComponentModel.DataAnnotations;
using GovMail.Core.Usage;
using GovMail.Storage.Security;
using GovMail.Web.Localization;
using GovMail.Web.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovMail.Web.Pages.Account;

/// <summary>Sign-in (đăng nhập) through the login service every protocol uses: the same failure counting, locks and slowing.</summary>
public sealed class SignInModel(LoginService logins, WebSessions sessions, AdminTotp totp, PendingSecondFactor secondFactor) : PageModel
{
    [BindProperty, Required, StringLength(320)]
    public string Address { get; set; } = "";

    [BindProperty, Required, StringLength(1024)]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true, Name = "signedOut")]
    public bool SignedOut { get; set; }

    /// <summary>Back from the TOTP step after too many wrong codes: the password must be given again.</summary>
    [BindProperty(SupportsGet = true, Name = "het-luot-ma")]
    public bool CodeAttemptsUsed { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet() =>
        HttpContext.User.Identity?.IsAuthenticated == true ? LocalRedirect(Next()) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            Error = WebText.T("WebSignInMissing");
            return Page();
        }
        var remote = HttpContext.Connection.RemoteIpAddress?.ToString();
        var result = await logins.LogInAsync(new LoginAttempt(Address, Password, UsageProtocol.Web, remote), HttpContext.RequestAborted);
        switch (result.Outcome)
        {
            case LoginOutcome.Ok when await totp.IsEnrolledAsync(result.Account!.Address, HttpContext.RequestAborted):
                // An administrator with TOTP: no session until the code is given too.
                secondFactor.Start(HttpContext, result.Account!, WebLanguage.IsLocal(ReturnUrl) ? ReturnUrl : null);
                return RedirectToPage("/Account/SecondFactor");
            case LoginOutcome.Ok:
                await sessions.SignInAsync(HttpContext, result.Account!, active: true);
                return LocalRedirect(Next());
            case LoginOutcome.MustChangePassword or LoginOutcome.PasswordExpired:
                await sessions.SignInAsync(HttpContext, result.Account!, active: false);
                return RedirectToPage("/Account/ChangePassword");
            case LoginOutcome.WrongCredentials:
                Error = WebText.T("WrongPassword");
                break;
            default:
                Error = result.Refusal("/doi-mat-khau", WebSite.Culture);
                break;
        }
        Password = "";
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }

    private string Next() => WebLanguage.IsLocal(ReturnUrl) ? ReturnUrl! : "/thu";
}
