using System.Security.Claims;
using GovMail.Core.Accounts;
using GovMail.Core.Usage;
using GovMail.Storage.Database;
using GovMail.Storage.Usage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Web.Security;

/// <summary>
/// Web sessions (phiên đăng nhập web): the cookie names the account and the version of its security state; each request
/// checks that version against the database, so a lock, a disablement or a password change anywhere ends the session.
/// A session of an account that must change its password only reaches the change-password page.
/// </summary>
public sealed class WebSessions(GovMailDatabase database, TimeProvider clock)
{
    public const string Scheme = "govmail";
    public const string SignedInPolicy = "signed-in";
    public const string MailPolicy = "mail";
    /// <summary>Present once the password is no longer temporary or expired: the whole web is open.</summary>
    public const string ActiveClaim = "govmail:active";
    public const string VersionClaim = "govmail:version";
    /// <summary>Present when the sign-in passed an administrator's TOTP code: the admin portal is open to it.</summary>
    public const string SecondFactorClaim = "govmail:second-factor";

    /// <summary>
    /// Starts a session for <paramref name="account"/>; <paramref name="active"/> false limits it to changing the password.
    /// <paramref name="newSession"/> false renews the cookie of a running session (after the holder changed their own profile).
    /// </summary>
    public async Task SignInAsync(HttpContext http, Account account, bool active, bool newSession = true, bool secondFactor = false)
    {
        // A renewed session keeps the second factor it was opened with.
        secondFactor |= !newSession && http.User.HasClaim(SecondFactorClaim, "1");
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, account.Id.ToString()),
            new(ClaimTypes.Email, account.Address),
            new(ClaimTypes.Name, account.DisplayName),
            new(VersionClaim, account.Version.ToString()),
        };
        if (active) claims.Add(new Claim(ActiveClaim, "1"));
        if (active && secondFactor) claims.Add(new Claim(SecondFactorClaim, "1"));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
        await http.SignInAsync(Scheme, principal, new AuthenticationProperties { IsPersistent = false, AllowRefresh = true });
        // A webmail session counts toward usage like a login over IMAP does (the login itself was recorded by the login service).
        if (active && newSession)
            await new UsageRecorder(database, clock).RecordAsync(account.Address, account.Id, UsageKind.Webmail, UsageProtocol.Web,
                http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
    }

    public Task SignOutAsync(HttpContext http) => http.SignOutAsync(Scheme);

    /// <summary>Rejects the cookie when its account changed state or password since the session began, or may no longer log in.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var user = WebUser.From(context.Principal);
        var version = context.Principal?.FindFirstValue(VersionClaim);
        if (user is null || version is null)
        {
            context.RejectPrincipal();
            return;
        }
        // The new-mail stream stays open by itself: it must not keep an unattended session alive.
        if (context.HttpContext.Request.Path.StartsWithSegments(Mail.MailEvents.Path)) context.ShouldRenew = false;
        await using var db = database.Open();
        var row = await db.Accounts.AsNoTracking().Where(a => a.Id == user.AccountId)
            .Select(a => new { a.Version, a.State }).FirstOrDefaultAsync(context.HttpContext.RequestAborted);
        if (row is null || row.Version.ToString() != version || row.State is not (AccountState.Active or AccountState.PendingFirstLogin))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }
}

/// <summary>The signed-in account as the cookie names it.</summary>
public sealed record WebUser(Guid AccountId, string Address, string DisplayName)
{
    public static WebUser? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true) return null;
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id)) return null;
        var address = principal.FindFirstValue(ClaimTypes.Email);
        if (address is null) return null;
        return new WebUser(id, address, principal.FindFirstValue(ClaimTypes.Name) ?? address);
    }
}
