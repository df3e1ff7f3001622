using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace GovMail.Web.Security;

/// <summary>A password accepted for an administrator with TOTP, waiting for the code (a few minutes at most).</summary>
public sealed record PendingSignIn(string Nonce, Guid AccountId, string Address, string Version, DateTimeOffset Expires, string? ReturnUrl);

/// <summary>
/// The step between the password and the TOTP code (xác thực hai lớp): no session exists yet; a short-lived, encrypted and
/// signed cookie names the account whose password was right. A few wrong codes end the attempt, and the password must be
/// given again (where failures are counted and slowed like every login).
/// </summary>
public sealed class PendingSecondFactor(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string CookieName = "govmail-2fa";
    public const int MaxAttempts = 5;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly IDataProtector _protector = protection.CreateProtector("GovMail.Web.PendingSecondFactor");
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

    public void Start(HttpContext http, Core.Accounts.Account account, string? returnUrl)
    {
        var nonce = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var expires = clock.GetUtcNow() + Lifetime;
        var payload = string.Join('\n', nonce, account.Id.ToString(), account.Address, account.Version.ToString(),
            expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), returnUrl ?? "");
        http.Response.Cookies.Append(CookieName, _protector.Protect(payload), new CookieOptions
        {
            HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Strict, Path = "/", MaxAge = Lifetime, IsEssential = true,
        });
    }

    /// <summary>The pending sign-in of this browser, or null when there is none, it expired or used up its attempts.</summary>
    public PendingSignIn? Read(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var text) || string.IsNullOrEmpty(text)) return null;
        string payload;
        try { payload = _protector.Unprotect(text); }
        catch (System.Security.Cryptography.CryptographicException) { return null; }
        var parts = payload.Split('\n');
        if (parts.Length != 6 || !Guid.TryParse(parts[1], out var id)
            || !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return null;
        var pending = new PendingSignIn(parts[0], id, parts[2], parts[3], DateTimeOffset.FromUnixTimeSeconds(seconds), parts[5].Length == 0 ? null : parts[5]);
        if (pending.Expires <= clock.GetUtcNow() || _failures.GetValueOrDefault(pending.Nonce) >= MaxAttempts) return null;
        return pending;
    }

    /// <summary>Counts a wrong code; true when the attempt is now used up.</summary>
    public bool Fail(PendingSignIn pending)
    {
        // Forget attempts that expired long ago so the table stays small.
        if (_failures.Count > 10_000) _failures.Clear();
        return _failures.AddOrUpdate(pending.Nonce, 1, (_, n) => n + 1) >= MaxAttempts;
    }

    public void End(HttpContext http, PendingSignIn? pending)
    {
        if (pending is not null) _failures.TryRemove(pending.Nonce, out _);
        http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/", Secure = http.Request.IsHttps, SameSite = SameSiteMode.Strict, HttpOnly = true });
    }
}
