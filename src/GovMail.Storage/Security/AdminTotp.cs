using GovMail.Core;
using GovMail.Core.Audit;
using GovMail.Core.Security;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;
using OtpNet;

namespace GovMail.Storage.Security;

/// <summary>
/// TOTP two-factor login for administrators (issue 6, item 4) with Otp.NET: enrolment gives the secret as an
/// <c>otpauth://</c> URI for an authenticator app; <see cref="VerifyAsync"/> is what the web sign-in calls after the password.
/// Codes of the previous, current and next 30-second step are accepted (clock drift), each at most once.
/// </summary>
public sealed class AdminTotp(GovMailDatabase database, TimeProvider clock, SecretProtector protector)
{
    private static readonly VerificationWindow Window = new(previous: 1, future: 1);

    /// <summary>Creates (or replaces) the administrator's secret; the URI is shown once, to be scanned.</summary>
    public async Task<Result<TotpSetup>> EnrollAsync(string address, string issuer, string actor, CancellationToken ct = default)
    {
        var scope = await new AdminAccess(database, clock).ScopeForAsync(address, ct);
        if (!scope.IsOk) return scope.Problem!;
        await using var db = database.Open();
        var account = (await AccountDirectory.FindTrackedAsync(db, address, ct))!;
        var secret = KeyGeneration.GenerateRandomKey(20);
        var now = clock.GetUtcNow();
        var existing = await db.TotpEnrollments.FirstOrDefaultAsync(t => t.AccountId == account.Id, ct);
        if (existing is not null) db.TotpEnrollments.Remove(existing);
        db.TotpEnrollments.Add(new TotpEnrollment { AccountId = account.Id, ProtectedSecret = protector.Protect(secret), EnrolledAt = now });
        db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = existing is null ? "admin.totp.enroll" : "admin.totp.re-enroll", Target = account.Address });
        await db.SaveChangesAsync(ct);
        var base32 = Base32Encoding.ToString(secret);
        return new TotpSetup(account.Address, base32, new OtpUri(OtpType.Totp, base32, account.Address, issuer).ToString());
    }

    /// <summary>
    /// Checks a 6-digit code at the clock's time: accepted once per step. Refused with a plain reason when the administrator
    /// has not enrolled, the code is wrong or late, or it was already used.
    /// </summary>
    public async Task<Result<DateTimeOffset>> VerifyAsync(string address, string code, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var account = await AccountDirectory.FindTrackedAsync(db, address, ct);
        if (account is null) return Problem.Of("TotpNotEnrolled", address);
        var enrollment = await db.TotpEnrollments.FirstOrDefaultAsync(t => t.AccountId == account.Id, ct);
        if (enrollment is null) return Problem.Of("TotpNotEnrolled", account.Address);
        var digits = code.Trim().Replace(" ", "", StringComparison.Ordinal);
        if (digits.Length != 6 || !digits.All(char.IsAsciiDigit)) return Problem.Of("TotpCodeWrong");
        var secret = protector.Unprotect(enrollment.ProtectedSecret);
        if (secret is null) return Problem.Of("TotpSecretUnreadable");
        var now = clock.GetUtcNow();
        if (!new Totp(secret).VerifyTotp(now.UtcDateTime, digits, out var step, Window)) return Problem.Of("TotpCodeWrong");
        if (step <= enrollment.LastUsedStep) return Problem.Of("TotpCodeReused");
        enrollment.LastUsedStep = step;
        if (enrollment.ConfirmedAt is null)
        {
            enrollment.ConfirmedAt = now;
            db.Audit.Add(new AuditEntry { At = now, Actor = account.Address, Action = "admin.totp.confirm", Target = account.Address });
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problem.Of("TotpCodeReused");
        }
        return now;
    }

    /// <summary>Whether the administrator has a second factor (the web then asks for a code after the password).</summary>
    public async Task<bool> IsEnrolledAsync(string address, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var account = await AccountDirectory.FindTrackedAsync(db, address, ct);
        return account is not null && await db.TotpEnrollments.AnyAsync(t => t.AccountId == account.Id, ct);
    }
}

/// <summary>A new enrolment: the secret in base32 (to type in) and the otpauth:// URI (to scan).</summary>
public sealed record TotpSetup(string Address, string Secret, string Uri);
