using GovMail.Core.Accounts;
using GovMail.Core.Usage;
using GovMail.Storage.Audit;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Security;
using GovMail.Storage.Tests.Database;
using GovMail.Storage.Tests.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Tests.Security;

/// <summary>
/// The one login service every protocol calls: first login, failure counting per account and per client address in the
/// database, the temporary lock, the slowed client, password expiry; the overdue first-login lock; the audit hash chain.
/// </summary>
public abstract class LoginSecurityTests(DatabaseProvider provider) : DirectoryTest(provider)
{
    private const string Unit = "Sở Nội vụ";
    private const string Binh = "binh@tphcm.gov.vn";
    private const string Own = "Sen-Hồng-Tháp-Mười-2026";
    private const string Wrong = "Sai-Mật-Khẩu#1";
    private const string Attacker = "203.0.113.9";
    private string _temporary = "";

    private LoginService Logins => new(Database, Test.Clock);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddUnitAsync(Unit);
        _temporary = (await AddAccountAsync("Trần Thị Bình", Unit, Binh)).TemporaryPassword!;
        // Slowing is tested on its own below; here a failing client is answered at once.
        Ok(await Tenants.UpdatePolicyAsync(new PolicyChange { FailedLoginDelayCapSeconds = 0 }, Admin));
    }

    private Task<LoginResult> LogInAsync(string password, UsageProtocol protocol = UsageProtocol.Imap, string user = Binh, string ip = Attacker) =>
        Logins.LogInAsync(new LoginAttempt(user, password, protocol, ip));

    [Fact]
    public async Task A_pending_account_is_told_to_change_its_password_and_logs_in_after_changing_it()
    {
        var refused = await LogInAsync(_temporary);
        Assert.Equal(LoginOutcome.MustChangePassword, refused.Outcome);
        Assert.Contains("Đổi mật khẩu tạm thời tại https://mail.example/", refused.Refusal("https://mail.example/"));
        Assert.Contains("Change your temporary password at https://mail.example/", refused.Refusal("https://mail.example/"));

        Ok(await Accounts.ChangePasswordAsync(Binh, _temporary, Own));

        Assert.Equal(LoginOutcome.Ok, (await LogInAsync(Own, UsageProtocol.Smtp, user: "binh")).Outcome);
    }

    [Fact]
    public async Task Failures_from_every_protocol_add_up_and_lock_the_account_even_against_the_right_password()
    {
        Ok(await Accounts.ChangePasswordAsync(Binh, _temporary, Own));
        for (var i = 0; i < 9; i++)
            Assert.Equal(LoginOutcome.WrongCredentials, (await LogInAsync(Wrong, i % 2 == 0 ? UsageProtocol.Imap : UsageProtocol.Smtp)).Outcome);
        Assert.Equal(AccountState.Active, (await StoredAsync(Binh)).State);

        await LogInAsync(Wrong, UsageProtocol.Web);

        var stored = await StoredAsync(Binh);
        Assert.Equal((AccountState.Locked, (LockReason?)LockReason.TooManyFailedLogins), (stored.State, stored.LockReason));
        Assert.Equal(Test.Clock.GetUtcNow().AddMinutes(30), stored.LockedUntil);
        var locked = await LogInAsync(Own, UsageProtocol.Smtp, ip: "198.51.100.7");
        Assert.Equal(LoginOutcome.Locked, locked.Outcome);
        Assert.Contains("đăng nhập sai quá nhiều lần", locked.Refusal("https://mail.example/"));
        Assert.Contains("too many failed logins", locked.Refusal("https://mail.example/"));
        var lockEntry = (await HistoryAsync(Binh)).Last();
        Assert.Equal(("lock", "system", AccountState.Locked), (lockEntry.Event, lockEntry.Actor, lockEntry.ToState!.Value));
        Assert.Single(await AuditAsync("account.lock", Binh));

        // The lock opens by itself when its span is over; the failures that caused it no longer count.
        Test.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(LoginOutcome.WrongCredentials, (await LogInAsync(Wrong)).Outcome);
        Assert.Equal(LoginOutcome.Ok, (await LogInAsync(Own)).Outcome);
        Assert.Equal(AccountState.Active, (await StoredAsync(Binh)).State);
    }

    [Fact]
    public async Task Failures_toward_a_pending_account_count_and_the_lock_keeps_its_first_login_deadline()
    {
        var deadline = (await StoredAsync(Binh)).PasswordChangeDeadline;
        for (var i = 0; i < 10; i++) await LogInAsync(Wrong);
        Assert.Equal(AccountState.Locked, (await StoredAsync(Binh)).State);

        Test.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(LoginOutcome.MustChangePassword, (await LogInAsync(_temporary)).Outcome);
        var stored = await StoredAsync(Binh);
        Assert.Equal((AccountState.PendingFirstLogin, deadline), (stored.State, stored.PasswordChangeDeadline));
    }

    [Fact]
    public async Task A_success_resets_the_account_counter()
    {
        Ok(await Accounts.ChangePasswordAsync(Binh, _temporary, Own));
        for (var i = 0; i < 9; i++) await LogInAsync(Wrong);
        Assert.Equal(LoginOutcome.Ok, (await LogInAsync(Own)).Outcome);
        for (var i = 0; i < 9; i++) await LogInAsync(Wrong);
        Assert.Equal(AccountState.Active, (await StoredAsync(Binh)).State);
    }

    [Fact]
    public async Task A_client_that_keeps_failing_waits_longer_before_each_refusal_and_others_do_not()
    {
        Ok(await Tenants.UpdatePolicyAsync(new PolicyChange { FailedLoginDelayCapSeconds = 4 }, Admin));
        var clock = new TimerWatchingClock(Test.Clock);
        var logins = new LoginService(Database, clock);
        Task<LoginResult> Fail(string user) => logins.LogInAsync(new LoginAttempt(user, Wrong, UsageProtocol.Imap, Attacker));
        for (var i = 0; i < 3; i++) Assert.Equal(TimeSpan.Zero, (await Fail($"noone{i}")).Delay);
        Assert.Equal(0, clock.TimersCreated);

        // The fourth failure from the same address waits one second on the service's clock before it is answered.
        var fourth = Fail("noone3");
        Assert.True(await clock.TimerCreated.WaitAsync(TimeSpan.FromMinutes(2)));
        Test.Clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(fourth.IsCompleted);
        // Meanwhile another client logs in at once.
        Ok(await Accounts.ChangePasswordAsync(Binh, _temporary, Own));
        Assert.Equal(LoginOutcome.Ok, (await logins.LogInAsync(new LoginAttempt(Binh, Own, UsageProtocol.Smtp, "198.51.100.7"))).Outcome);
        Test.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.FromSeconds(1), (await fourth).Delay);

        var fifth = Fail("noone4");
        Assert.True(await clock.TimerCreated.WaitAsync(TimeSpan.FromMinutes(2)));
        Test.Clock.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(fifth.IsCompleted);
        Test.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.FromSeconds(2), (await fifth).Delay);
    }

    /// <summary>The test's fake clock, telling the test when the service has started waiting on it.</summary>
    private sealed class TimerWatchingClock(Microsoft.Extensions.Time.Testing.FakeTimeProvider inner) : TimeProvider
    {
        public SemaphoreSlim TimerCreated { get; } = new(0);
        private int _timers;

        public int TimersCreated => Volatile.Read(ref _timers);

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = inner.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _timers);
            TimerCreated.Release();
            return timer;
        }
    }

    [Fact]
    public async Task An_expired_password_must_be_changed_before_the_next_login()
    {
        Ok(await Accounts.ChangePasswordAsync(Binh, _temporary, Own));
        Ok(await Tenants.UpdatePolicyAsync(new PolicyChange { PasswordExpiryDays = 90 }, Admin));
        Test.Clock.Advance(TimeSpan.FromDays(89));
        Assert.Equal(LoginOutcome.Ok, (await LogInAsync(Own)).Outcome);
        Test.Clock.Advance(TimeSpan.FromDays(2));

        var expired = await LogInAsync(Own);

        Assert.Equal(LoginOutcome.PasswordExpired, expired.Outcome);
        Assert.Contains("Mật khẩu đã hết hạn", expired.Refusal("https://mail.example/"));
        Refused(await Accounts.ChangePasswordAsync(Binh, Own, Own), "PasswordReused");
        Ok(await Accounts.ChangePasswordAsync(Binh, Own, "Hoa-Mai-Ngày-Tết-2027"));
        Assert.Equal(LoginOutcome.Ok, (await LogInAsync("Hoa-Mai-Ngày-Tết-2027")).Outcome);
    }

    [Fact]
    public async Task An_administrator_reset_may_not_reuse_a_recent_password()
    {
        Ok(await Accounts.ChangePasswordAsync(Binh, _temporary, Own));
        Refused(await Accounts.ResetPasswordAsync(Binh, Own, mustChange: false, Admin), "PasswordReused");
        Refused(await Accounts.ResetPasswordAsync(Binh, _temporary, mustChange: false, Admin), "PasswordReused");
        Ok(await Accounts.ResetPasswordAsync(Binh, "Cầu-Rồng-Đà-Nẵng-2028", mustChange: false, Admin));
    }

    [Fact]
    public async Task Accounts_past_their_first_login_deadline_are_locked_and_unlocking_issues_a_new_temporary_password()
    {
        var early = Ok(await Accounts.AddAsync(new NewAccount("Lê Văn Cường", Unit)
        {
            Address = "cuong@tphcm.gov.vn", PasswordChangeDeadline = TestDatabase.Start.AddDays(10),
        }, Admin));
        var deadline = (await StoredAsync(Binh)).PasswordChangeDeadline!.Value;
        Test.Clock.SetUtcNow(deadline.AddMinutes(-1));
        Assert.Empty(await new FirstLoginDeadlines(Database, Test.Clock).LockOverdueAsync(CancellationToken.None));
        Test.Clock.SetUtcNow(deadline.AddMinutes(1));

        var locked = await new FirstLoginDeadlines(Database, Test.Clock).LockOverdueAsync(CancellationToken.None);

        // Bình and the first administrator (issued by init on the same day) missed it; Cường's batch has a later deadline.
        Assert.Equal([Admin, Binh], locked);
        var stored = await StoredAsync(Binh);
        Assert.Equal((AccountState.Locked, (LockReason?)LockReason.FirstLoginDeadlineMissed), (stored.State, stored.LockReason));
        Assert.Contains("quá hạn đổi mật khẩu lần đầu", (await HistoryAsync(Binh)).Last().Reason);
        Assert.Equal(AccountState.PendingFirstLogin, (await StoredAsync(early.Account.Address)).State);
        var refused = await LogInAsync(_temporary);
        Assert.Equal(LoginOutcome.Locked, refused.Outcome);
        Assert.Contains("quá hạn đổi mật khẩu lần đầu", refused.Refusal("https://mail.example/"));

        var unlocked = Ok(await Accounts.ApplyAsync(Binh, AccountAction.Unlock, Admin, null));
        Assert.NotNull(unlocked.TemporaryPassword);
        Assert.True(unlocked.Account.Account.PasswordChangeDeadline > Test.Clock.GetUtcNow());
        Assert.Equal(LoginOutcome.MustChangePassword, (await LogInAsync(unlocked.TemporaryPassword!)).Outcome);
    }

    [Fact]
    public async Task A_login_after_the_deadline_locks_the_account_at_once()
    {
        Test.Clock.SetUtcNow((await StoredAsync(Binh)).PasswordChangeDeadline!.Value.AddSeconds(1));
        Assert.Equal(LoginOutcome.Locked, (await LogInAsync(_temporary)).Outcome);
        Assert.Equal(LockReason.FirstLoginDeadlineMissed, (await StoredAsync(Binh)).LockReason);
    }

    [Fact]
    public async Task The_audit_chain_verifies_and_a_row_changed_in_the_database_is_named()
    {
        Ok(await Accounts.ApplyAsync(Binh, AccountAction.Lock, Admin, "kiểm tra", LockReason.Administrator));
        Ok(await Accounts.ApplyAsync(Binh, AccountAction.Unlock, Admin, null));
        var log = new AuditLog(Database);
        var intact = await log.VerifyAsync();
        Assert.True(intact.Intact);
        Assert.True(intact.Entries >= 5);
        var target = (await AuditAsync("account.lock", Binh)).Single();

        await using (var db = Database.Open())
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE audit SET \"Detail\" = {"không có gì"} WHERE \"Id\" = {target.Id}");

        var tampered = await log.VerifyAsync();
        Assert.False(tampered.Intact);
        Assert.Equal(target.Id, tampered.FirstBroken!.Id);
    }

    [Fact]
    public async Task Deleting_an_audit_row_breaks_the_link_of_the_next_one()
    {
        Ok(await Accounts.ApplyAsync(Binh, AccountAction.Lock, Admin, "kiểm tra", LockReason.Administrator));
        Ok(await Accounts.ApplyAsync(Binh, AccountAction.Unlock, Admin, null));
        var lockEntry = (await AuditAsync("account.lock", Binh)).Single();
        var unlockEntry = (await AuditAsync("account.unlock", Binh)).Single();

        await using (var db = Database.Open())
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM audit WHERE \"Id\" = {lockEntry.Id}");

        Assert.Equal(unlockEntry.Id, (await new AuditLog(Database).VerifyAsync()).FirstBroken!.Id);
    }
}

public sealed class LoginSecurityTestsOnSqlite() : LoginSecurityTests(DatabaseProvider.Sqlite);

public sealed class LoginSecurityTestsOnPostgres() : LoginSecurityTests(DatabaseProvider.Postgres);
