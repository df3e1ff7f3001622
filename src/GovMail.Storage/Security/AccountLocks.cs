using GovMail.Core.Accounts;
using GovMail.Core.Audit;
using GovMail.Core.Directory;
using GovMail.Storage.Database;

namespace GovMail.Storage.Security;

/// <summary>The locks the system itself imposes and lifts (missed first-login deadline, too many failed logins), recorded like an administrator's.</summary>
internal static class AccountLocks
{
    /// <summary>The reason written in the history for a missed first-login deadline (quá hạn đổi mật khẩu lần đầu).</summary>
    public const string DeadlineMissedReason = "first-login deadline missed / quá hạn đổi mật khẩu lần đầu";

    public const string TooManyFailuresReason = "too many failed logins / đăng nhập sai quá nhiều lần";

    /// <summary>Locks a pending account whose first-login deadline passed; false when it has not or cannot be locked.</summary>
    public static bool LockIfOverdue(GovMailDbContext db, Account account, TenantPolicy policy, DateTimeOffset now) =>
        account.State == AccountState.PendingFirstLogin && account.PasswordChangeDeadline is { } deadline && deadline < now
        && Apply(db, account, AccountAction.Lock, DeadlineMissedReason, policy, now, LockReason.FirstLoginDeadlineMissed);

    /// <summary>Locks an account for <see cref="LockReason.TooManyFailedLogins"/> until the policy's lockout span ends.</summary>
    public static bool LockForFailures(GovMailDbContext db, Account account, TenantPolicy policy, DateTimeOffset now)
    {
        if (!Apply(db, account, AccountAction.Lock, TooManyFailuresReason, policy, now, LockReason.TooManyFailedLogins)) return false;
        account.LockedUntil = policy.Lockout.LockedUntil(now);
        return true;
    }

    /// <summary>
    /// Lifts a temporary lock whose span is over. The holder keeps their password and, if still on the temporary one,
    /// their original first-login deadline: the lock was not their doing and must not lengthen the window.
    /// </summary>
    public static bool UnlockIfExpired(GovMailDbContext db, Account account, TenantPolicy policy, DateTimeOffset now)
    {
        if (account is not { State: AccountState.Locked, LockReason: LockReason.TooManyFailedLogins, LockedUntil: { } until } || until > now)
            return false;
        var deadline = account.PasswordChangeDeadline;
        if (!Apply(db, account, AccountAction.Unlock, "lockout over / hết thời gian tạm khóa", policy, now)) return false;
        if (account.State == AccountState.PendingFirstLogin) account.PasswordChangeDeadline = deadline;
        return true;
    }

    private static bool Apply(GovMailDbContext db, Account account, AccountAction action, string reason, TenantPolicy policy,
        DateTimeOffset now, LockReason? lockReason = null)
    {
        var step = AccountLifecycle.Apply(account, action, AuditActor.System, reason, now, policy, lockReason);
        if (!step.IsOk) return false;
        db.AccountHistory.Add(step.Value!);
        db.Audit.Add(new AuditEntry
        {
            At = now, Actor = AuditActor.System, Action = "account." + AccountLifecycle.ActionName(action), Target = account.Address, Detail = reason,
        });
        return true;
    }
}
