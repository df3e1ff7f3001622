using GovMail.Core.Accounts;
using GovMail.Core.Directory;
using static GovMail.Core.Accounts.AccountAction;
using static GovMail.Core.Accounts.AccountState;
using static GovMail.Core.Accounts.LockReason;

namespace GovMail.Core.Tests.Accounts;

public class AccountLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 21, 8, 0, 0, TimeSpan.FromHours(7));
    private static readonly TenantPolicy Policy = new(); // 3 days for the first login, 365 days of retention
    private const string Admin = "admin@tphcm.gov.vn";

    /// <summary>What the holder has done so far; unlock and reactivate depend on it.</summary>
    public enum Holder
    {
        /// <summary>Logged in and set a password of their own.</summary>
        CompletedFirstLogin,
        /// <summary>Never logged in; still on the temporary password.</summary>
        NeverLoggedIn,
        /// <summary>Logged in once, then an administrator reset the password: must change it again.</summary>
        PasswordResetSinceFirstLogin,
        /// <summary>No first login on record (brought from an older system) and no password change asked.</summary>
        NoFirstLoginRecorded,
    }

    /// <summary>One row of the directive. A null target means the move is refused with IllegalTransition.</summary>
    private sealed record Rule(AccountState From, AccountAction Action, LockReason? Reason,
        AccountState? ToOnceFirstLoginCompleted, AccountState? ToWhileFirstLoginNotCompleted);

    private static readonly AccountState? Refused = null;

    private static readonly Rule[] Table =
    [
        // pending-first-login
        new(PendingFirstLogin, CompleteFirstLogin, null, Active, Active),
        new(PendingFirstLogin, AccountAction.Lock, FirstLoginDeadlineMissed, Locked, Locked),
        new(PendingFirstLogin, AccountAction.Lock, Administrator, Locked, Locked),
        new(PendingFirstLogin, AccountAction.Lock, TooManyFailedLogins, Locked, Locked),
        new(PendingFirstLogin, AccountAction.Lock, NonUse, Refused, Refused),
        new(PendingFirstLogin, Unlock, null, Refused, Refused),
        new(PendingFirstLogin, Disable, null, Disabled, Disabled),
        new(PendingFirstLogin, Reactivate, null, Refused, Refused),
        new(PendingFirstLogin, Close, null, Closed, Closed),
        new(PendingFirstLogin, Purge, null, Refused, Refused),

        // active
        new(Active, CompleteFirstLogin, null, Refused, Refused),
        new(Active, AccountAction.Lock, FirstLoginDeadlineMissed, Refused, Refused),
        new(Active, AccountAction.Lock, Administrator, Locked, Locked),
        new(Active, AccountAction.Lock, TooManyFailedLogins, Locked, Locked),
        new(Active, AccountAction.Lock, NonUse, Locked, Locked),
        new(Active, Unlock, null, Refused, Refused),
        new(Active, Disable, null, Disabled, Disabled),
        new(Active, Reactivate, null, Refused, Refused),
        new(Active, Close, null, Closed, Closed),
        new(Active, Purge, null, Refused, Refused),

        // locked
        new(Locked, CompleteFirstLogin, null, Refused, Refused),
        new(Locked, AccountAction.Lock, FirstLoginDeadlineMissed, Refused, Refused),
        new(Locked, AccountAction.Lock, Administrator, Refused, Refused),
        new(Locked, AccountAction.Lock, TooManyFailedLogins, Refused, Refused),
        new(Locked, AccountAction.Lock, NonUse, Refused, Refused),
        new(Locked, Unlock, null, Active, PendingFirstLogin),
        new(Locked, Disable, null, Disabled, Disabled),
        new(Locked, Reactivate, null, Refused, Refused),
        new(Locked, Close, null, Closed, Closed),
        new(Locked, Purge, null, Refused, Refused),

        // disabled
        new(Disabled, CompleteFirstLogin, null, Refused, Refused),
        new(Disabled, AccountAction.Lock, FirstLoginDeadlineMissed, Refused, Refused),
        new(Disabled, AccountAction.Lock, Administrator, Refused, Refused),
        new(Disabled, AccountAction.Lock, TooManyFailedLogins, Refused, Refused),
        new(Disabled, AccountAction.Lock, NonUse, Refused, Refused),
        new(Disabled, Unlock, null, Refused, Refused),
        new(Disabled, Disable, null, Refused, Refused),
        new(Disabled, Reactivate, null, Active, PendingFirstLogin),
        new(Disabled, Close, null, Closed, Closed),
        new(Disabled, Purge, null, Refused, Refused),

        // closed (retention over in these rows; see the purge tests for the period itself)
        new(Closed, CompleteFirstLogin, null, Refused, Refused),
        new(Closed, AccountAction.Lock, FirstLoginDeadlineMissed, Refused, Refused),
        new(Closed, AccountAction.Lock, Administrator, Refused, Refused),
        new(Closed, AccountAction.Lock, TooManyFailedLogins, Refused, Refused),
        new(Closed, AccountAction.Lock, NonUse, Refused, Refused),
        new(Closed, Unlock, null, Refused, Refused),
        new(Closed, Disable, null, Refused, Refused),
        new(Closed, Reactivate, null, Refused, Refused),
        new(Closed, Close, null, Refused, Refused),
        new(Closed, Purge, null, Purged, Purged),

        // purged: terminal
        new(Purged, CompleteFirstLogin, null, Refused, Refused),
        new(Purged, AccountAction.Lock, FirstLoginDeadlineMissed, Refused, Refused),
        new(Purged, AccountAction.Lock, Administrator, Refused, Refused),
        new(Purged, AccountAction.Lock, TooManyFailedLogins, Refused, Refused),
        new(Purged, AccountAction.Lock, NonUse, Refused, Refused),
        new(Purged, Unlock, null, Refused, Refused),
        new(Purged, Disable, null, Refused, Refused),
        new(Purged, Reactivate, null, Refused, Refused),
        new(Purged, Close, null, Refused, Refused),
        new(Purged, Purge, null, Refused, Refused),
    ];

    public static TheoryData<AccountState, AccountAction, LockReason?, Holder, AccountState?> Transitions()
    {
        var data = new TheoryData<AccountState, AccountAction, LockReason?, Holder, AccountState?>();
        foreach (var rule in Table)
        {
            foreach (var holder in Enum.GetValues<Holder>())
            {
                // Only a holder who still has to change the password goes back to first login; an account issued with a
                // password of its own (no change asked) keeps it.
                var to = holder is Holder.CompletedFirstLogin or Holder.NoFirstLoginRecorded ? rule.ToOnceFirstLoginCompleted : rule.ToWhileFirstLoginNotCompleted;
                data.Add(rule.From, rule.Action, rule.Reason, holder, to);
            }
        }
        return data;
    }

    [Fact]
    public void Table_has_exactly_one_row_for_every_state_action_and_lock_reason()
    {
        var every = (
            from state in Enum.GetValues<AccountState>()
            from action in Enum.GetValues<AccountAction>()
            from reason in action == AccountAction.Lock ? Enum.GetValues<LockReason>().Select(r => (LockReason?)r) : [null]
            select (state, action, reason)).ToList();
        var rows = Table.Select(r => (r.From, r.Action, r.Reason)).ToList();

        Assert.Equal(every.Count, rows.Count);
        Assert.Equal(every.ToHashSet(), rows.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Every_state_action_and_lock_reason_leads_where_the_directive_says(
        AccountState from, AccountAction action, LockReason? lockReason, Holder holder, AccountState? expected)
    {
        var account = AccountIn(from, holder);
        var before = Snapshot.Of(account);

        Assert.Equal(expected, AccountLifecycle.Target(account, action, lockReason));
        var result = AccountLifecycle.Apply(account, action, Admin, "kiểm thử", Now, Policy, lockReason);

        if (expected is null)
        {
            Assert.False(result.IsOk);
            Assert.Equal("IllegalTransition", result.Problem!.Code);
            Assert.Equal([AccountLifecycle.Describe(from), AccountLifecycle.ActionName(action)], result.Problem.Args);
            Assert.Null(result.Value);
            Assert.Equal(before, Snapshot.Of(account));
        }
        else
        {
            Assert.True(result.IsOk, result.Problem?.Message(Messages.English));
            Assert.Equal(expected, account.State);
            Assert.Equal(expected == Locked ? lockReason : null, account.LockReason);
            Assert.NotEqual(before.Version, account.Version);
            Assert.Equal(from, result.Value!.FromState);
            Assert.Equal(expected, result.Value.ToState);
        }
    }

    [Fact]
    public void Pending_account_becomes_active_on_completing_first_login()
    {
        var account = AccountIn(PendingFirstLogin, Holder.NeverLoggedIn);

        var result = AccountLifecycle.Apply(account, CompleteFirstLogin, account.Address, null, Now, Policy);

        Assert.True(result.IsOk);
        Assert.Equal(Active, account.State);
        Assert.Equal(Now, account.FirstLoginAt);
        Assert.False(account.MustChangePassword);
        Assert.Null(account.PasswordChangeDeadline);
    }

    [Fact]
    public void Completing_first_login_again_after_a_password_reset_keeps_the_original_first_login_time()
    {
        var account = AccountIn(PendingFirstLogin, Holder.PasswordResetSinceFirstLogin);
        var firstLogin = account.FirstLoginAt;

        AccountLifecycle.Apply(account, CompleteFirstLogin, account.Address, null, Now, Policy);

        Assert.Equal(Active, account.State);
        Assert.Equal(firstLogin, account.FirstLoginAt);
        Assert.False(account.MustChangePassword);
        Assert.Null(account.PasswordChangeDeadline);
    }

    [Theory]
    [InlineData(FirstLoginDeadlineMissed)]
    [InlineData(Administrator)]
    [InlineData(TooManyFailedLogins)]
    public void Pending_account_can_be_locked(LockReason reason)
    {
        var account = AccountIn(PendingFirstLogin, Holder.NeverLoggedIn);

        var result = AccountLifecycle.Apply(account, AccountAction.Lock, "system", null, Now, Policy, reason);

        Assert.True(result.IsOk);
        Assert.Equal(Locked, account.State);
        Assert.Equal(reason, account.LockReason);
    }

    [Fact]
    public void Pending_account_cannot_be_locked_for_non_use()
    {
        var account = AccountIn(PendingFirstLogin, Holder.NeverLoggedIn);
        var before = Snapshot.Of(account);

        var result = AccountLifecycle.Apply(account, AccountAction.Lock, "system", null, Now, Policy, NonUse);

        Assert.Equal("IllegalTransition", result.Problem?.Code);
        Assert.Equal(before, Snapshot.Of(account));
    }

    [Theory]
    [InlineData(Administrator)]
    [InlineData(TooManyFailedLogins)]
    [InlineData(NonUse)]
    public void Active_account_can_be_locked(LockReason reason)
    {
        var account = AccountIn(Active);

        var result = AccountLifecycle.Apply(account, AccountAction.Lock, "system", null, Now, Policy, reason);

        Assert.True(result.IsOk);
        Assert.Equal(Locked, account.State);
        Assert.Equal(reason, account.LockReason);
    }

    [Fact]
    public void Active_account_cannot_be_locked_for_missing_the_first_login_deadline()
    {
        var account = AccountIn(Active);
        var before = Snapshot.Of(account);

        var result = AccountLifecycle.Apply(account, AccountAction.Lock, "system", null, Now, Policy, FirstLoginDeadlineMissed);

        Assert.Equal("IllegalTransition", result.Problem?.Code);
        Assert.Equal(before, Snapshot.Of(account));
    }

    [Fact]
    public void Locked_account_cannot_be_locked_again_for_another_reason()
    {
        var account = AccountIn(Locked);

        var result = AccountLifecycle.Apply(account, AccountAction.Lock, Admin, null, Now, Policy, TooManyFailedLogins);

        Assert.Equal("IllegalTransition", result.Problem?.Code);
        Assert.Equal(Administrator, account.LockReason);
    }

    [Theory]
    [InlineData(PendingFirstLogin)]
    [InlineData(Active)]
    [InlineData(Locked)]
    [InlineData(Disabled)]
    [InlineData(Closed)]
    [InlineData(Purged)]
    public void Lock_without_a_reason_is_refused(AccountState state)
    {
        var account = AccountIn(state);
        var before = Snapshot.Of(account);

        var result = AccountLifecycle.Apply(account, AccountAction.Lock, Admin, "vi phạm quy chế", Now, Policy, lockReason: null);

        Assert.False(result.IsOk);
        Assert.Equal("LockReasonRequired", result.Problem!.Code);
        Assert.Equal(before, Snapshot.Of(account));
    }

    [Theory]
    [InlineData(Holder.CompletedFirstLogin)]
    [InlineData(Holder.NoFirstLoginRecorded)]
    public void Unlocking_an_account_that_completed_first_login_makes_it_active_without_a_password_change(Holder holder)
    {
        var account = AccountIn(Locked, holder);

        var result = AccountLifecycle.Apply(account, Unlock, Admin, null, Now, Policy);

        Assert.True(result.IsOk);
        Assert.Equal(Active, account.State);
        Assert.Null(account.LockReason);
        Assert.False(account.MustChangePassword);
        Assert.Null(account.PasswordChangeDeadline);
    }

    [Theory]
    [InlineData(Holder.NeverLoggedIn)]
    [InlineData(Holder.PasswordResetSinceFirstLogin)]
    public void Unlocking_an_account_whose_holder_never_completed_first_login_sends_it_back_with_a_new_deadline(Holder holder)
    {
        var account = AccountIn(Locked, holder);
        account.LockReason = FirstLoginDeadlineMissed;

        var result = AccountLifecycle.Apply(account, Unlock, Admin, null, Now, Policy);

        Assert.True(result.IsOk);
        Assert.Equal(PendingFirstLogin, account.State);
        Assert.Null(account.LockReason);
        Assert.True(account.MustChangePassword);
        // Seed 001: issued on 21/05 with a three-day window, the password must be changed by the end of 23/05.
        Assert.Equal(new DateTimeOffset(2024, 5, 23, 23, 59, 59, TimeSpan.FromHours(7)), account.PasswordChangeDeadline);
    }

    [Fact]
    public void New_first_login_deadline_follows_the_tenant_policy()
    {
        var account = AccountIn(Locked, Holder.NeverLoggedIn);
        var policy = new TenantPolicy { FirstLoginWindowDays = 7 };

        AccountLifecycle.Apply(account, Unlock, Admin, null, Now, policy);

        Assert.Equal(new DateTimeOffset(2024, 5, 27, 23, 59, 59, TimeSpan.FromHours(7)), account.PasswordChangeDeadline);
    }

    [Fact]
    public void Reactivating_an_account_that_completed_first_login_makes_it_active()
    {
        var account = AccountIn(Disabled, Holder.CompletedFirstLogin);

        var result = AccountLifecycle.Apply(account, Reactivate, Admin, "chuyển công tác trở lại", Now, Policy);

        Assert.True(result.IsOk);
        Assert.Equal(Active, account.State);
        Assert.False(account.MustChangePassword);
        Assert.Null(account.PasswordChangeDeadline);
    }

    [Theory]
    [InlineData(Holder.NeverLoggedIn)]
    [InlineData(Holder.PasswordResetSinceFirstLogin)]
    public void Reactivating_an_account_whose_holder_never_completed_first_login_sends_it_back_with_a_new_deadline(Holder holder)
    {
        var account = AccountIn(Disabled, holder);

        var result = AccountLifecycle.Apply(account, Reactivate, Admin, null, Now, Policy);

        Assert.True(result.IsOk);
        Assert.Equal(PendingFirstLogin, account.State);
        Assert.True(account.MustChangePassword);
        Assert.Equal(new DateTimeOffset(2024, 5, 23, 23, 59, 59, TimeSpan.FromHours(7)), account.PasswordChangeDeadline);
    }

    [Fact]
    public void Disabling_a_locked_account_clears_the_lock_reason()
    {
        var account = AccountIn(Locked);

        AccountLifecycle.Apply(account, Disable, Admin, "nghỉ hưu", Now, Policy);

        Assert.Equal(Disabled, account.State);
        Assert.Null(account.LockReason);
    }

    [Theory]
    [InlineData(PendingFirstLogin)]
    [InlineData(Active)]
    [InlineData(Locked)]
    [InlineData(Disabled)]
    public void Closing_records_when_the_account_was_closed(AccountState state)
    {
        var account = AccountIn(state);

        var result = AccountLifecycle.Apply(account, Close, Admin, "hủy theo đề nghị của đơn vị", Now, Policy);

        Assert.True(result.IsOk);
        Assert.Equal(Closed, account.State);
        Assert.Equal(Now, account.ClosedAt);
        Assert.Null(account.LockReason);
    }

    [Fact]
    public void Closed_account_cannot_be_purged_before_the_retention_period_is_over()
    {
        var account = ClosedAt(Now.AddDays(-365).AddTicks(1));
        var before = Snapshot.Of(account);

        var result = AccountLifecycle.Apply(account, Purge, "system", null, Now, Policy);

        Assert.False(result.IsOk);
        Assert.Equal("RetentionNotOver", result.Problem!.Code);
        Assert.Equal([account.ClosedAt!.Value.AddDays(365)], result.Problem.Args);
        Assert.Equal(before, Snapshot.Of(account));
    }

    [Fact]
    public void Account_closed_today_cannot_be_purged()
    {
        var account = AccountIn(Active);
        AccountLifecycle.Apply(account, Close, Admin, null, Now, Policy);

        var result = AccountLifecycle.Apply(account, Purge, "system", null, Now.AddDays(1), Policy);

        Assert.Equal("RetentionNotOver", result.Problem?.Code);
        Assert.Equal(Closed, account.State);
    }

    [Fact]
    public void Closed_account_can_be_purged_once_the_retention_period_is_over()
    {
        var account = ClosedAt(Now.AddDays(-365));

        var result = AccountLifecycle.Apply(account, Purge, "system", null, Now, Policy);

        Assert.True(result.IsOk);
        Assert.Equal(Purged, account.State);
    }

    [Fact]
    public void Retention_period_follows_the_tenant_policy()
    {
        var policy = new TenantPolicy { ClosedRetentionDays = 30 };

        var early = ClosedAt(Now.AddDays(-29));
        Assert.Equal("RetentionNotOver", AccountLifecycle.Apply(early, Purge, "system", null, Now, policy).Problem?.Code);

        var due = ClosedAt(Now.AddDays(-30));
        Assert.True(AccountLifecycle.Apply(due, Purge, "system", null, Now, policy).IsOk);
        Assert.Equal(Purged, due.State);
    }

    [Fact]
    public void Retention_refusal_tells_the_date_in_Vietnamese_time()
    {
        var account = ClosedAt(new DateTimeOffset(2024, 1, 10, 3, 0, 0, TimeSpan.Zero)); // 10:00 in Việt Nam
        var policy = new TenantPolicy { ClosedRetentionDays = 30 };

        var problem = AccountLifecycle.Apply(account, Purge, "system", null, account.ClosedAt!.Value.AddDays(1), policy).Problem!;

        Assert.Equal("Chưa hết thời hạn lưu trữ: dữ liệu được giữ đến 09/02/2024 10:00.", problem.Message(Messages.Vietnamese));
        Assert.Equal("The retention period is not over: data is kept until 09/02/2024 10:00.", problem.Message(Messages.English));
    }

    [Fact]
    public void Purged_account_is_terminal()
    {
        foreach (var action in Enum.GetValues<AccountAction>())
        {
            foreach (var reason in Enum.GetValues<LockReason>())
            {
                var account = AccountIn(Purged);

                var result = AccountLifecycle.Apply(account, action, Admin, null, Now.AddYears(10), Policy, reason);

                Assert.Equal("IllegalTransition", result.Problem?.Code);
                Assert.Equal(Purged, account.State);
            }
        }
    }

    [Fact]
    public void Transition_records_actor_reason_from_to_and_time()
    {
        var account = AccountIn(Active);

        var transition = AccountLifecycle.Apply(account, Disable, Admin, "chuyển công tác", Now, Policy).Value!;

        Assert.Equal(account.Id, transition.AccountId);
        Assert.Equal("disable", transition.Event);
        Assert.Equal(Active, transition.FromState);
        Assert.Equal(Disabled, transition.ToState);
        Assert.Equal(Admin, transition.Actor);
        Assert.Equal("chuyển công tác", transition.Reason);
        Assert.Equal(Now, transition.At);
    }

    [Fact]
    public void Lock_transition_keeps_the_written_reason()
    {
        var account = AccountIn(Active);

        var transition = AccountLifecycle.Apply(account, AccountAction.Lock, Admin, "nghi lộ mật khẩu", Now, Policy, Administrator).Value!;

        Assert.Equal("lock", transition.Event);
        Assert.Equal(Locked, transition.ToState);
        Assert.Equal("nghi lộ mật khẩu", transition.Reason);
    }

    [Fact]
    public void Lock_transition_without_a_written_reason_records_the_lock_reason()
    {
        var account = AccountIn(Active);

        var transition = AccountLifecycle.Apply(account, AccountAction.Lock, "system", null, Now, Policy, TooManyFailedLogins).Value!;

        Assert.Equal("system", transition.Actor);
        Assert.Equal(TooManyFailedLogins.ToString(), transition.Reason);
    }

    [Fact]
    public void Transition_without_a_reason_records_none()
    {
        var account = AccountIn(PendingFirstLogin, Holder.NeverLoggedIn);

        var transition = AccountLifecycle.Apply(account, CompleteFirstLogin, account.Address, null, Now, Policy).Value!;

        Assert.Equal("complete-first-login", transition.Event);
        Assert.Equal(account.Address, transition.Actor);
        Assert.Null(transition.Reason);
    }

    [Fact]
    public void Illegal_transition_is_explained_in_Vietnamese_and_English()
    {
        var problem = AccountLifecycle.Apply(AccountIn(Active), Purge, Admin, null, Now, Policy).Problem!;

        Assert.Equal("Không thể thực hiện thao tác \"purge\" với tài khoản đang ở trạng thái \"active\".",
            problem.Message(Messages.Vietnamese));
        Assert.Equal("The action \"purge\" is not allowed for an account in state \"active\".", problem.Message(Messages.English));
    }

    [Fact]
    public void Lock_reason_required_is_explained_in_Vietnamese_and_English()
    {
        var problem = AccountLifecycle.Apply(AccountIn(Active), AccountAction.Lock, Admin, null, Now, Policy).Problem!;

        Assert.Equal("Cần nêu lý do khóa tài khoản.", problem.Message(Messages.Vietnamese));
        Assert.Equal("A reason is required to lock an account.", problem.Message(Messages.English));
    }

    [Theory]
    [InlineData(PendingFirstLogin, "pending-first-login")]
    [InlineData(Active, "active")]
    [InlineData(Locked, "locked")]
    [InlineData(Disabled, "disabled")]
    [InlineData(Closed, "closed")]
    [InlineData(Purged, "purged")]
    public void State_has_a_stable_name_that_parses_back(AccountState state, string name)
    {
        Assert.Equal(name, AccountLifecycle.Describe(state));
        Assert.Equal(state, AccountLifecycle.ParseState(name));
    }

    [Fact]
    public void Every_state_round_trips_through_its_name()
    {
        foreach (var state in Enum.GetValues<AccountState>())
            Assert.Equal(state, AccountLifecycle.ParseState(AccountLifecycle.Describe(state)));
    }

    [Theory]
    [InlineData(FirstLoginDeadlineMissed, "first-login-deadline-missed")]
    [InlineData(TooManyFailedLogins, "too-many-failed-logins")]
    [InlineData(Administrator, "administrator")]
    [InlineData(NonUse, "non-use")]
    public void Lock_reason_has_a_stable_name_that_parses_back(LockReason reason, string name)
    {
        Assert.Equal(name, AccountLifecycle.Describe(reason));
        Assert.Equal(reason, AccountLifecycle.ParseLockReason(name));
    }

    [Fact]
    public void Every_lock_reason_round_trips_through_its_name()
    {
        foreach (var reason in Enum.GetValues<LockReason>())
            Assert.Equal(reason, AccountLifecycle.ParseLockReason(AccountLifecycle.Describe(reason)));
    }

    [Theory]
    [InlineData("  Active ")]
    [InlineData("ACTIVE")]
    public void State_name_is_read_ignoring_case_and_surrounding_spaces(string text) =>
        Assert.Equal(Active, AccountLifecycle.ParseState(text));

    [Theory]
    [InlineData(" Non-Use ")]
    [InlineData("NON-USE")]
    public void Lock_reason_name_is_read_ignoring_case_and_surrounding_spaces(string text) =>
        Assert.Equal(NonUse, AccountLifecycle.ParseLockReason(text));

    [Theory]
    [InlineData("")]
    [InlineData("enabled")]
    [InlineData("pending")]
    [InlineData("PendingFirstLogin")]
    [InlineData("1")]
    public void Unknown_state_name_is_not_a_state(string text) =>
        Assert.Null(AccountLifecycle.ParseState(text));

    [Theory]
    [InlineData("")]
    [InlineData("nonuse")]
    [InlineData("NonUse")]
    [InlineData("admin")]
    [InlineData("0")]
    public void Unknown_lock_reason_name_is_not_a_lock_reason(string text) =>
        Assert.Null(AccountLifecycle.ParseLockReason(text));

    [Theory]
    [InlineData(CompleteFirstLogin, "complete-first-login")]
    [InlineData(AccountAction.Lock, "lock")]
    [InlineData(Unlock, "unlock")]
    [InlineData(Disable, "disable")]
    [InlineData(Reactivate, "reactivate")]
    [InlineData(Close, "close")]
    [InlineData(Purge, "purge")]
    public void Action_has_a_stable_name(AccountAction action, string name) =>
        Assert.Equal(name, AccountLifecycle.ActionName(action));

    [Theory]
    [InlineData(PendingFirstLogin, true)]
    [InlineData(Active, true)]
    [InlineData(Locked, false)]
    [InlineData(Disabled, false)]
    [InlineData(Closed, false)]
    [InlineData(Purged, false)]
    public void Only_pending_and_active_accounts_may_log_in(AccountState state, bool canLogIn) =>
        Assert.Equal(canLogIn, AccountLifecycle.CanLogIn(AccountIn(state)));

    private static Account AccountIn(AccountState state, Holder holder = Holder.CompletedFirstLogin)
    {
        var created = Now.AddDays(-500);
        var account = new Account
        {
            Address = "ldthinh@tphcm.gov.vn",
            DisplayName = "Lê Đức Thịnh",
            State = state,
            CreatedAt = created,
            PasswordHash = "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
            LockReason = state == Locked ? Administrator : null,
            ClosedAt = state is Closed or Purged ? Now.AddDays(-400) : null,
        };
        switch (holder)
        {
            case Holder.CompletedFirstLogin:
                account.FirstLoginAt = created.AddDays(1);
                account.LastLoginAt = Now.AddDays(-2);
                break;
            case Holder.NeverLoggedIn:
                account.MustChangePassword = true;
                account.PasswordChangeDeadline = created.AddDays(3);
                break;
            case Holder.PasswordResetSinceFirstLogin:
                account.FirstLoginAt = created.AddDays(1);
                account.LastLoginAt = Now.AddDays(-2);
                account.MustChangePassword = true;
                account.PasswordChangeDeadline = Now.AddDays(-1);
                break;
            case Holder.NoFirstLoginRecorded:
                break;
        }
        return account;
    }

    private static Account ClosedAt(DateTimeOffset closedAt)
    {
        var account = AccountIn(Closed);
        account.ClosedAt = closedAt;
        return account;
    }

    /// <summary>Everything the lifecycle may touch, to show that a refusal touched nothing.</summary>
    private sealed record Snapshot(
        AccountState State, LockReason? LockReason, bool MustChangePassword, DateTimeOffset? PasswordChangeDeadline,
        DateTimeOffset? FirstLoginAt, DateTimeOffset? LastLoginAt, DateTimeOffset? ClosedAt, string PasswordHash, Guid Version)
    {
        public static Snapshot Of(Account a) => new(
            a.State, a.LockReason, a.MustChangePassword, a.PasswordChangeDeadline,
            a.FirstLoginAt, a.LastLoginAt, a.ClosedAt, a.PasswordHash, a.Version);
    }
}
