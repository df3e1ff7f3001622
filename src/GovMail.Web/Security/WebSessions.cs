using System.Security.Claims;
using GovMail.Core.Accounts;
using GovMail.Core.Audit;
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
    /// <summary>The unit mailbox a keeper switched to: its id, address and name (hộp thư đơn vị đang mở).</summary>
    public const string KeptIdClaim = "govmail:kept-id";
    public const string KeptAddressClaim = "govmail:kept-address";
    public const string KeptNameClaim = "govmail:kept-name";

    /// <summary>
    /// Starts a session for <paramref name="account"/>; <paramref name="active"/> false limits it to changing the password.
    /// <paramref name="newSession"/> false renews the cookie of a running session (after the holder changed their own profile).
    /// </summary>
    public async Task SignInAsync(HttpContext http, Account account, bool active, bool newSession = true, bool secondFactor = false)
    {
        // A renewed session keeps the second factor it was opened with, and the unit mailbox it shows.
        secondFactor |= !newSession && http.User.HasClaim(SecondFactorClaim, "1");
        var kept = newSession ? null : WebUser.From(http.User)?.Kept;
        await IssueAsync(http, account, active, secondFactor, kept);
        // A webmail session counts toward usage like a login over IMAP does (the login itself was recorded by the login service).
        if (active && newSession)
            await new UsageRecorder(database, clock).RecordAsync(account.Address, account.Id, UsageKind.Webmail, UsageProtocol.Web,
                http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
    }

    /// <summary>
    /// Shows the unit mailbox <paramref name="kept"/> (null: the person's own again) in this session's mail pages. The caller has
    /// checked that the person keeps it; every later request checks it again.
    /// </summary>
    public async Task SwitchMailboxAsync(HttpContext http, Account person, Account? kept)
    {
        await IssueAsync(http, person, active: true, http.User.HasClaim(SecondFactorClaim, "1"),
            kept is null ? null : new WebUser(kept.Id, kept.Address, kept.DisplayName));
        // Opening the unit mailbox is a webmail session of that mailbox with the keeper named, audited as a keeper's IMAP login is.
        if (kept is null) return;
        var (now, remote) = (clock.GetUtcNow(), http.Connection.RemoteIpAddress?.ToString());
        await using var db = database.Open();
        UsageRecorder.Add(db, kept.Address, kept.Id, UsageKind.Webmail, UsageProtocol.Web, remote, now, person.Id);
        db.Audit.Add(new AuditEntry { At = now, Actor = person.Address, Action = "mailbox.keeper.login", Target = kept.Address, Detail = $"web {remote}".TrimEnd() });
        await db.SaveChangesAsync(http.RequestAborted);
    }

    private static async Task IssueAsync(HttpContext http, Account account, bool active, bool secondFactor, WebUser? kept)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, account.Id.ToString()),
            new(ClaimTypes.Email, account.Address),
            new(ClaimTypes.Name, account.DisplayName),
            new(VersionClaim, account.Version.ToString()),
        };
        if (active) claims.Add(new Claim(ActiveClaim, "1"));
        if (active && secondFactor) claims.Add(new Claim(SecondFactorClaim, "1"));
        if (active && kept is not null)
        {
            claims.Add(new Claim(KeptIdClaim, kept.AccountId.ToString()));
            claims.Add(new Claim(KeptAddressClaim, kept.Address));
            claims.Add(new Claim(KeptNameClaim, kept.DisplayName));
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
        await http.SignInAsync(Scheme, principal, new AuthenticationProperties { IsPersistent = false, AllowRefresh = true });
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
            return;
        }
        // A keeper removed, or a unit mailbox locked or closed meanwhile: the session goes back to the person's own mailbox.
        if (user.Kept is { } kept && !await KeepsAsync(db, kept.AccountId, user.AccountId, context.HttpContext.RequestAborted))
        {
            var identity = new ClaimsIdentity(context.Principal!.Claims.Where(c => c.Type is not (KeptIdClaim or KeptAddressClaim or KeptNameClaim)), Scheme);
            context.ReplacePrincipal(new ClaimsPrincipal(identity));
            context.ShouldRenew = true;
        }
    }

    /// <summary>Whether <paramref name="keeperId"/> may work in the collective mailbox <paramref name="mailboxId"/> now.</summary>
    private static Task<bool> KeepsAsync(GovMailDbContext db, Guid mailboxId, Guid keeperId, CancellationToken ct) =>
        db.MailboxKeepers.AnyAsync(k => k.MailboxAccountId == mailboxId && k.KeeperAccountId == keeperId
            && db.Accounts.Any(a => a.Id == mailboxId && a.Kind == AccountKind.Collective
                && (a.State == AccountState.Active || a.State == AccountState.PendingFirstLogin)), ct);
}

/// <summary>The signed-in account as the cookie names it.</summary>
public sealed record WebUser(Guid AccountId, string Address, string DisplayName)
{
    /// <summary>The unit mailbox this person keeps and switched to in the webmail; null while their own mailbox is shown.</summary>
    public WebUser? Kept { get; init; }

    /// <summary>On a kept mailbox: the person acting for it, named on usage events and in the audit log.</summary>
    public WebUser? Keeper { get; init; }

    /// <summary>The mailbox the mail pages work on: the kept one, or the person's own.</summary>
    public WebUser Mailbox => Kept ?? this;

    public static WebUser? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true) return null;
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id)) return null;
        var address = principal.FindFirstValue(ClaimTypes.Email);
        if (address is null) return null;
        var person = new WebUser(id, address, principal.FindFirstValue(ClaimTypes.Name) ?? address);
        if (!Guid.TryParse(principal.FindFirstValue(WebSessions.KeptIdClaim), out var keptId)
            || principal.FindFirstValue(WebSessions.KeptAddressClaim) is not { } keptAddress) return person;
        return person with
        {
            Kept = new WebUser(keptId, keptAddress, principal.FindFirstValue(WebSessions.KeptNameClaim) ?? keptAddress) { Keeper = person },
        };
    }

    /// <summary>The mailbox the signed-in session works on (see <see cref="Mailbox"/>).</summary>
    public static WebUser? MailboxFrom(ClaimsPrincipal? principal) => From(principal)?.Mailbox;
}
