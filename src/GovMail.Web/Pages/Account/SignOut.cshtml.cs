using GovMail.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovMail.Web.Pages.Account;

/// <summary>Sign-out (đăng xuất): a POST with the antiforgery token, so another site cannot end a session.</summary>
public sealed class SignOutModel(WebSessions sessions) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Account/SignIn");

    public async Task<IActionResult> OnPostAsync()
    {
        await sessions.SignOutAsync(HttpContext);
        return RedirectToPage("/Account/SignIn", new { signedOut = 1 });
    }
}
