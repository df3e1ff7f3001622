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
        await StoreAsync(db, account, secret, actor, confirmedStep: null, ct);
        return Setup(account.Address, secret, issuer);
    }

    /// <summary>
    /// A new key for an administrator that is not stored yet (the web's enrolment page shows it, and keeps it only once the
    /// administrator typed a code from it: <see cref="EnrollConfirmedAsync"/>).
    /// </summary>
    public async Task<Result<TotpSetup>> NewKeyAsync(string address, string issuer, CancellationToken ct = default)
    {
        var scope = await new AdminAccess(database, clock).ScopeForAsync(address, ct);
        if (!scope.IsOk) return scope.Problem!;
        return Setup(scope.Value!.Actor, KeyGeneration.GenerateRandomKey(20), issuer);
    }

    /// <summary>
    /// Stores (or replaces) the key <paramref name="secretBase32"/> of <see cref="NewKeyAsync"/> only when <paramref name="code"/>
    /// is a valid code from it now: the enrolment is confirmed at once and that code cannot be used again to sign in.
    /// </summary>
    public async Task<Result<DateTimeOffset>> EnrollConfirmedAsync(string address, string secretBase32, string code, string actor,
        CancellationToken ct = default)
    {
        var scope = await new AdminAccess(database, clock).ScopeForAsync(address, ct);
        if (!scope.IsOk) return scope.Problem!;
        byte[] secret;
        try { secret = Base32Encoding.ToBytes(secretBase32); }
        catch (ArgumentException) { return Problem.Of("TotpCodeWrong"); }
        if (secret.Length < 16 || ParseCode(code) is not { } digits) return Problem.Of("TotpCodeWrong");
        var now = clock.GetUtcNow();
        if (!new Totp(secret).VerifyTotp(now.UtcDateTime, digits, out var step, Window)) return Problem.Of("TotpCodeWrong");
        await using var db = database.Open();
        var account = (await AccountDirectory.FindTrackedAsync(db, address, ct))!;
        await StoreAsync(db, account, secret, actor, step, ct);
        return now;
    }

    private async Task StoreAsync(GovMailDbContext db, Core.Accounts.Account account, byte[] secret, string actor, long? confirmedStep,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var existing = await db.TotpEnrollments.FirstOrDefaultAsync(t => t.AccountId == account.Id, ct);
        if (existing is not null) db.TotpEnrollments.Remove(existing);
        db.TotpEnrollments.Add(new TotpEnrollment
        {
            AccountId = account.Id, ProtectedSecret = protector.Protect(secret), EnrolledAt = now,
            ConfirmedAt = confirmedStep is null ? null : now, LastUsedStep = confirmedStep ?? 0,
        });
        db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = existing is null ? "admin.totp.enroll" : "admin.totp.re-enroll", Target = account.Address });
        if (confirmedStep is not null)
            db.Audit.Add(new AuditEntry { At = now, Actor = account.Address, Action = "admin.totp.confirm", Target = account.Address });
        await db.SaveChangesAsync(ct);
    }

    private static TotpSetup Setup(string address, byte[] secret, string issuer) => SetupOf(address, Base32Encoding.ToString(secret), issuer);

    /// <summary>The setup of a key given in base32: its otpauth:// URI for an authenticator app.</summary>
    public static TotpSetup SetupOf(string address, string base32, string issuer) =>
        new(address, base32, new OtpUri(OtpType.Totp, base32, address, issuer).ToString());

    private static string? ParseCode(string code)
    {
        var digits = code.Trim().Replace(" ", "", StringComparison.Ordinal);
        return digits.Length == 6 && digits.All(char.IsAsciiDigit) ? digits : null;
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
        if (ParseCode(code) is not { } digits) return Problem.Of("TotpCodeWrong");
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
