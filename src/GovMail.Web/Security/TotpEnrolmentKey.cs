using System.Globalization;
using Microsoft.AspNetCore.DataProtection;

namespace GovMail.Web.Security;

/// <summary>
/// The key of a TOTP enrolment in progress on the web (đăng ký mã xác thực): not in the database until the administrator
/// types a valid code, it travels in the form encrypted and signed for this account, for a few minutes.
/// </summary>
public sealed class TotpEnrolmentKey(IDataProtectionProvider protection, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly IDataProtector _protector = protection.CreateProtector("GovMail.Web.TotpEnrolmentKey");

    public string Protect(Guid accountId, string secret) =>
        _protector.Protect(string.Join('\n', accountId.ToString(), secret,
            (clock.GetUtcNow() + Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));

    /// <summary>The secret, when <paramref name="text"/> was made for <paramref name="accountId"/> and has not expired.</summary>
    public string? Unprotect(Guid accountId, string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        string payload;
        try { payload = _protector.Unprotect(text); }
        catch (System.Security.Cryptography.CryptographicException) { return null; }
        var parts = payload.Split('\n');
        if (parts.Length != 3 || parts[0] != accountId.ToString()
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || DateTimeOffset.FromUnixTimeSeconds(expires) <= clock.GetUtcNow()) return null;
        return parts[1];
    }
}
