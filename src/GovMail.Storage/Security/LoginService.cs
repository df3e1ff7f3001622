using GovMail.Core;
using GovMail.Core.Audit;
using GovMail.Core.Accounts;
using GovMail.Core.Directory;
using GovMail.Core.Security;
using GovMail.Core.Usage;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Security;

/// <summary>
/// The one place a login is checked, whatever the protocol (SMTP AUTH, IMAP LOGIN/AUTHENTICATE, later the web and the API).
/// It verifies the password, applies the account's state (first login, expiry, locks), counts failures per account and
/// per client address in the database (so they add up across protocols and nodes), locks an account that is being
/// guessed at, slows a client address that keeps failing, and records the usage event.
/// </summary>
public sealed class LoginService(GovMailDatabase database, TimeProvider clock)
{
    /// <summary>Failure rows older than this are deleted as new ones come; no window may be longer.</summary>
    private static readonly TimeSpan FailureRetention = TimeSpan.FromDays(1);

    public async Task<LoginResult> LogInAsync(LoginAttempt attempt, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(ct);
        var policy = tenant?.Policy ?? new TenantPolicy();
        // A keeper opening a collective mailbox logs in as themself and names the mailbox (MAILBOX*KEEPER or the SASL authzid).
        var typed = attempt.User.Trim();
        string? kept = attempt.For is { Length: > 0 } f && !string.Equals(f.Trim(), typed, StringComparison.OrdinalIgnoreCase) ? f.Trim() : null;
        if (kept is null && DelegatedLogin.TrySplit(typed, out var mailboxPart, out var keeperPart)) (kept, typed) = (mailboxPart, keeperPart);
        var user = await QualifyAsync(db, typed, ct);
        var account = await AccountDirectory.FindTrackedAsync(db, user, ct);
        var now = clock.GetUtcNow();
        var remote = attempt.RemoteAddress ?? "";

        // A wrong password is answered the same whatever the account's state, so guessing learns nothing about it.
        var passwordOk = account is not null && account.PasswordHash.Length > 0 && PasswordHasher.Verify(attempt.Password, account.PasswordHash);
        var outcome = passwordOk ? Admit(db, account!, policy, now) : LoginOutcome.WrongCredentials;
        if (outcome == LoginOutcome.Ok && kept is not null)
        {
            var delegated = await ActForAsync(db, account!, await QualifyAsync(db, kept, ct), attempt, now, ct);
            LoginMetrics.Record(attempt.Protocol, delegated.Outcome);
            RecordUsage(db, account, user, delegated.Outcome == LoginOutcome.Ok ? LoginOutcome.Ok : LoginOutcome.WrongCredentials, attempt, now);
            await db.SaveChangesAsync(ct);
            if (delegated.Outcome == LoginOutcome.Ok) await ResetAccountCounterAsync(db, account!.Id, ct);
            return delegated;
        }
        RecordUsage(db, account, user, outcome, attempt, now);
        LoginMetrics.Record(attempt.Protocol, outcome);
        if (!passwordOk)
        {
            db.LoginFailures.Add(new LoginFailure
            {
                User = user.Length > 320 ? user[..320] : user, AccountId = account?.Id,
                RemoteAddress = remote, Protocol = attempt.Protocol, At = now,
            });
        }
        await db.SaveChangesAsync(ct);

        if (passwordOk)
        {
            // A success clears the account's count (the rows still count toward their client addresses).
            if (outcome == LoginOutcome.Ok) await ResetAccountCounterAsync(db, account!.Id, ct);
            return new LoginResult(outcome, account);
        }

        var since = policy.Lockout.WindowStart(now);
        if (account is not null && account.State is AccountState.Active or AccountState.PendingFirstLogin)
        {
            var failures = await db.LoginFailures.CountAsync(f => f.AccountId == account.Id && f.At > since, ct);
            if (policy.Lockout.LocksAfter(failures) && AccountLocks.LockForFailures(db, account, policy, now))
            {
                try
                {
                    await db.SaveChangesAsync(ct);
                    // The failures that caused this lock are spent: after it opens, the count starts again.
                    await ResetAccountCounterAsync(db, account.Id, ct);
                }
                catch (DbUpdateConcurrencyException)
                {
                    // Another node locked it (or an administrator changed it) at the same moment: theirs stands.
                }
            }
        }
        await db.LoginFailures.Where(f => f.At < now - FailureRetention).ExecuteDeleteAsync(ct);
        var fromAddress = await db.LoginFailures.CountAsync(f => f.RemoteAddress == remote && f.At > since, ct);
        var delay = policy.Lockout.DelayFor(fromAddress);
        // Only this session waits; the wait is asynchronous, so other sessions and the client's other connections carry on.
        if (delay > TimeSpan.Zero) await Task.Delay(delay, clock, ct);
        return new LoginResult(LoginOutcome.WrongCredentials, account) { Delay = delay };
    }

    /// <summary>A bare name is an address on the primary domain.</summary>
    private static async Task<string> QualifyAsync(GovMailDbContext db, string name, CancellationToken ct)
    {
        var user = name.Trim().ToLowerInvariant();
        if (user.Contains('@')) return user;
        var domain = await db.Domains.AsNoTracking().Where(d => d.IsPrimary).Select(d => d.Name).FirstOrDefaultAsync(ct);
        return domain is null ? user : user + "@" + domain;
    }

    /// <summary>
    /// A keeper, already admitted, opens the collective mailbox they were assigned: the session then works as that mailbox,
    /// its login is recorded for the mailbox with the keeper named, and the audit log says who opened what from where.
    /// The mailbox's own first-login state does not matter (nobody logs in with its password); its locks do.
    /// </summary>
    private static async Task<LoginResult> ActForAsync(GovMailDbContext db, Account keeper, string mailboxAddress, LoginAttempt attempt,
        DateTimeOffset now, CancellationToken ct)
    {
        var mailbox = await AccountDirectory.FindTrackedAsync(db, mailboxAddress, ct);
        if (mailbox is null || mailbox.Kind != AccountKind.Collective || !await MailboxKeepers.KeepsAsync(db, mailbox.Id, keeper.Id, ct))
            return new LoginResult(LoginOutcome.NotKeeper, keeper) { ForMailbox = mailbox?.Address ?? mailboxAddress };
        var outcome = mailbox.State switch
        {
            AccountState.Locked => LoginOutcome.Locked,
            AccountState.Disabled or AccountState.Closed or AccountState.Purged => LoginOutcome.Disabled,
            _ => LoginOutcome.Ok,
        };
        if (outcome != LoginOutcome.Ok) return new LoginResult(outcome, mailbox) { ForMailbox = mailbox.Address };
        mailbox.LastLoginAt = now;
        Usage.UsageRecorder.Add(db, mailbox.Address, mailbox.Id, UsageKind.Login, attempt.Protocol, attempt.RemoteAddress, now, keeper.Id);
        db.Audit.Add(new Core.Audit.AuditEntry
        {
            At = now, Actor = keeper.Address, Action = "mailbox.keeper.login", Target = mailbox.Address,
            Detail = $"{attempt.Protocol.ToString().ToLowerInvariant()} {attempt.RemoteAddress}".TrimEnd(),
        });
        return new LoginResult(LoginOutcome.Ok, mailbox) { Keeper = keeper, ForMailbox = mailbox.Address };
    }

    /// <summary>The outcome for the right password: the account's state decides, after the rules that change it on the way in.</summary>
    private static LoginOutcome Admit(GovMailDbContext db, Account account, TenantPolicy policy, DateTimeOffset now)
    {
        AccountLocks.UnlockIfExpired(db, account, policy, now);
        AccountLocks.LockIfOverdue(db, account, policy, now);
        if (account.State == AccountState.Active && !account.MustChangePassword && policy.Password.IsExpired(account.PasswordChangedAt, now))
        {
            account.MustChangePassword = true;
            account.Version = Guid.NewGuid();
            db.AccountHistory.Add(new AccountTransition
            {
                AccountId = account.Id, Event = "password-expired", Actor = AuditActor.System,
                Reason = $"{policy.Password.ExpiryDays} days", At = now,
            });
        }
        switch (account.State)
        {
            case AccountState.Locked:
                return LoginOutcome.Locked;
            case AccountState.Disabled or AccountState.Closed or AccountState.Purged:
                return LoginOutcome.Disabled;
            case AccountState.PendingFirstLogin:
                return LoginOutcome.MustChangePassword;
        }
        if (account.MustChangePassword)
            return account.PasswordChangeDeadline is null && account.FirstLoginAt is not null ? LoginOutcome.PasswordExpired : LoginOutcome.MustChangePassword;
        account.LastLoginAt = now;
        account.FirstLoginAt ??= now;
        return LoginOutcome.Ok;
    }

    private static void RecordUsage(GovMailDbContext db, Account? account, string user, LoginOutcome outcome, LoginAttempt attempt,
        DateTimeOffset now) =>
        Usage.UsageRecorder.Add(db, account?.Address ?? user, account?.Id,
            outcome == LoginOutcome.Ok ? UsageKind.Login : UsageKind.LoginFailed, attempt.Protocol, attempt.RemoteAddress, now);

    private static Task<int> ResetAccountCounterAsync(GovMailDbContext db, Guid accountId, CancellationToken ct) =>
        db.LoginFailures.Where(f => f.AccountId == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.AccountId, (Guid?)null), ct);
}

/// <summary>A login as a protocol receives it: the user name as typed (an address, an alias or a bare name on the primary domain).</summary>
public sealed record LoginAttempt(string User, string Password, UsageProtocol Protocol, string? RemoteAddress)
{
    /// <summary>The SASL authorization identity: a collective mailbox the user keeps and opens with their own password.</summary>
    public string? For { get; init; }
}

/// <summary>Why a login succeeded or not; <see cref="Account"/> is set when the user name names an account.</summary>
public sealed record LoginResult(LoginOutcome Outcome, Account? Account)
{
    /// <summary>How long the service waited before answering a failure from a client address that keeps failing.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>For a keeper's login to a collective mailbox: the keeper, who acts while <see cref="Account"/> is the mailbox.</summary>
    public Account? Keeper { get; init; }

    /// <summary>The collective mailbox a keeper asked to open.</summary>
    public string? ForMailbox { get; init; }

    /// <summary>
    /// The sentence a mail program shows for a refused login of a known account, in Vietnamese then English (clients show
    /// the server's text as it is); null for success and for a wrong user name or password, which each protocol words itself.
    /// </summary>
    public string? Refusal(string passwordChangeUrl)
    {
        var vi = Refusal(passwordChangeUrl, Messages.Vietnamese);
        return vi is null ? null : $"{vi} / {Refusal(passwordChangeUrl, Messages.English)}";
    }

    /// <summary>The same sentence in one language, for a page that speaks the user's language (the web's sign-in).</summary>
    public string? Refusal(string passwordChangeUrl, System.Globalization.CultureInfo culture) => Outcome switch
    {
        LoginOutcome.MustChangePassword => Messages.Format("LoginMustChangePassword", culture, [passwordChangeUrl]),
        LoginOutcome.PasswordExpired => Messages.Format("LoginPasswordExpired", culture, [passwordChangeUrl]),
        LoginOutcome.Locked => Account?.LockReason switch
        {
            LockReason.TooManyFailedLogins when Account.LockedUntil is { } until => Messages.Format("LoginLockedTooManyFailures", culture, [until]),
            LockReason.FirstLoginDeadlineMissed => Messages.Get("LoginLockedFirstLoginDeadline", culture),
            _ => Messages.Get("LoginLocked", culture),
        },
        LoginOutcome.Disabled => Messages.Get("LoginDisabled", culture),
        LoginOutcome.NotKeeper => Messages.Format("LoginNotKeeper", culture, [Account?.Address, ForMailbox]),
        _ => null,
    };
}

public enum LoginOutcome
{
    Ok,
    WrongCredentials,
    /// <summary>First login not completed or password reset: change it on the web first.</summary>
    MustChangePassword,
    /// <summary>The password is older than the policy's expiry: change it on the web first.</summary>
    PasswordExpired,
    Locked,
    Disabled,
    /// <summary>The user is not a keeper of the collective mailbox they asked to open.</summary>
    NotKeeper,
}
