using GovMail.Core.Directory;

namespace GovMail.Core.Accounts;

/// <summary>
/// The account state machine. Every change of <see cref="Account.State"/> goes through <see cref="Apply"/>,
/// which refuses illegal moves and returns the history entry to record.
/// </summary>
public static class AccountLifecycle
{
    /// <summary>The state an action leads to from a given state, or null when the move is illegal.</summary>
    public static AccountState? Target(Account account, AccountAction action, LockReason? lockReason = null) =>
        (account.State, action) switch
        {
            (AccountState.PendingFirstLogin, AccountAction.CompleteFirstLogin) => AccountState.Active,

            // A pending account can be locked for the missed deadline or by an administrator; it has never logged in,
            // so it cannot be locked for failed logins of its own or for non-use of a mailbox it never had.
            (AccountState.PendingFirstLogin, AccountAction.Lock) when lockReason is LockReason.FirstLoginDeadlineMissed
                or LockReason.Administrator or LockReason.TooManyFailedLogins => AccountState.Locked,
            (AccountState.Active, AccountAction.Lock) when lockReason is LockReason.Administrator
                or LockReason.TooManyFailedLogins or LockReason.NonUse => AccountState.Locked,

            // Unlocking an account whose holder still has to change the temporary password sends it back to that step;
            // an account issued with a password of its own (--no-must-change) keeps it.
            (AccountState.Locked, AccountAction.Unlock) => account.MustChangePassword
                ? AccountState.PendingFirstLogin
                : AccountState.Active,

            (AccountState.PendingFirstLogin or AccountState.Active or AccountState.Locked, AccountAction.Disable) => AccountState.Disabled,
            (AccountState.Disabled, AccountAction.Reactivate) => account.MustChangePassword
                ? AccountState.PendingFirstLogin
                : AccountState.Active,

            (AccountState.PendingFirstLogin or AccountState.Active or AccountState.Locked or AccountState.Disabled, AccountAction.Close)
                => AccountState.Closed,
            (AccountState.Closed, AccountAction.Purge) => AccountState.Purged,
            _ => null,
        };

    /// <summary>
    /// Applies <paramref name="action"/> to <paramref name="account"/> at <paramref name="now"/>, or says why it may not.
    /// </summary>
    public static Result<AccountTransition> Apply(Account account, AccountAction action, string actor, string? reason,
        DateTimeOffset now, TenantPolicy policy, LockReason? lockReason = null)
    {
        if (action == AccountAction.Lock && lockReason is null)
            return Result<AccountTransition>.Fail(Problem.Of("LockReasonRequired"));

        var target = Target(account, action, lockReason);
        if (target is null)
            return Result<AccountTransition>.Fail(Problem.Of("IllegalTransition",
                Describe(account.State), ActionName(action)));

        if (action == AccountAction.Purge && account.ClosedAt is { } closedAt
            && now < closedAt.AddDays(policy.ClosedRetentionDays))
            return Result<AccountTransition>.Fail(Problem.Of("RetentionNotOver",
                closedAt.AddDays(policy.ClosedRetentionDays)));

        var from = account.State;
        account.State = target.Value;
        account.LockReason = target == AccountState.Locked ? lockReason : null;
        // A temporary lock's end is set by whoever imposes it (the login service); any other move ends it.
        account.LockedUntil = null;
        switch (action)
        {
            case AccountAction.CompleteFirstLogin:
                account.FirstLoginAt ??= now;
                account.MustChangePassword = false;
                account.PasswordChangeDeadline = null;
                break;
            case AccountAction.Close:
                account.ClosedAt = now;
                break;
            case AccountAction.Unlock or AccountAction.Reactivate when target == AccountState.PendingFirstLogin:
                // A fresh temporary password is issued by the caller; it gets a fresh window.
                account.MustChangePassword = true;
                account.PasswordChangeDeadline = policy.FirstLoginDeadline(now);
                break;
        }
        account.Version = Guid.NewGuid();

        var why = lockReason is { } lr && reason is null ? lr.ToString() : reason;
        return Result<AccountTransition>.Ok(new AccountTransition
        {
            AccountId = account.Id,
            Event = ActionName(action),
            FromState = from,
            ToState = target,
            Actor = actor,
            Reason = why,
            At = now,
        });
    }

    /// <summary>The stable, lower-case name of a state as used in the CLI and JSON (<c>pending-first-login</c>).</summary>
    public static string Describe(AccountState state) => state switch
    {
        AccountState.PendingFirstLogin => "pending-first-login",
        AccountState.Active => "active",
        AccountState.Locked => "locked",
        AccountState.Disabled => "disabled",
        AccountState.Closed => "closed",
        AccountState.Purged => "purged",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static AccountState? ParseState(string text) =>
        Enum.GetValues<AccountState>().Cast<AccountState?>().FirstOrDefault(s => Describe(s!.Value) == text.Trim().ToLowerInvariant());

    public static string ActionName(AccountAction action) => action switch
    {
        AccountAction.CompleteFirstLogin => "complete-first-login",
        _ => action.ToString().ToLowerInvariant(),
    };

    public static string Describe(LockReason reason) => reason switch
    {
        LockReason.FirstLoginDeadlineMissed => "first-login-deadline-missed",
        LockReason.TooManyFailedLogins => "too-many-failed-logins",
        LockReason.Administrator => "administrator",
        LockReason.NonUse => "non-use",
        _ => reason.ToString(),
    };

    public static LockReason? ParseLockReason(string text) =>
        Enum.GetValues<LockReason>().Cast<LockReason?>().FirstOrDefault(r => Describe(r!.Value) == text.Trim().ToLowerInvariant());

    /// <summary>May this account log in at all (any protocol)?</summary>
    public static bool CanLogIn(Account account) =>
        account.State is AccountState.Active or AccountState.PendingFirstLogin;
}
