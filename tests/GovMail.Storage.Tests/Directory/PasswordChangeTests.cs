using GovMail.Core.Accounts;
using GovMail.Core.Security;
using GovMail.Storage.Database;
using GovMail.Storage.Tests.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Tests.Directory;

/// <summary>An administrator resets a password; the holder changes it, never back to a recent one.</summary>
public abstract class PasswordChangeTests(DatabaseProvider provider) : DirectoryTest(provider)
{
    private const string Thinh = "ldthinh@tphcm.gov.vn";
    private const string First = "Sen-Hồng-Tháp-Mười-2026";
    private const string Second = "Hoa-Mai-Ngày-Tết-2027";
    private const string Third = "Cầu-Rồng-Đà-Nẵng-2028";
    private string _temporary = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddUnitAsync("Sở Nội vụ");
        _temporary = (await AddAccountAsync("Lê Đức Thịnh", "Sở Nội vụ")).TemporaryPassword!;
    }

    [Fact]
    public async Task The_first_change_completes_the_first_login_and_keeps_the_old_hash()
    {
        var temporaryHash = (await StoredAsync(Thinh)).PasswordHash;
        Refused(await Accounts.ChangePasswordAsync(Thinh, "Sai-Mật-Khẩu-1", First), "WrongPassword");
        Refused(await Accounts.ChangePasswordAsync(Thinh, _temporary, "ngan"), "PasswordTooShort");
        Assert.Equal(AccountState.PendingFirstLogin, (await StoredAsync(Thinh)).State);
        Test.Clock.Advance(TimeSpan.FromHours(5));

        var view = Ok(await Accounts.ChangePasswordAsync(Thinh, _temporary, First));

        Assert.Equal(AccountState.Active, view.Account.State);
        var stored = await StoredAsync(Thinh);
        var now = TestDatabase.Start.AddHours(5);
        Assert.Equal((AccountState.Active, false, (DateTimeOffset?)null, (DateTimeOffset?)now, (DateTimeOffset?)now), (stored.State, stored.MustChangePassword,
            stored.PasswordChangeDeadline, stored.FirstLoginAt, stored.PasswordChangedAt));
        Assert.True(PasswordHasher.Verify(First, stored.PasswordHash));
        var history = await HistoryAsync(Thinh);
        Assert.Equal(["issue", "complete-first-login", "change-password"], history.Select(t => t.Event));
        Assert.Equal((AccountState.PendingFirstLogin, AccountState.Active, Thinh), (history[1].FromState, history[1].ToState, history[1].Actor));
        await using var db = Database.Open();
        var kept = await db.PasswordHistory.AsNoTracking().SingleAsync();
        Assert.Equal((temporaryHash, TestDatabase.Start), (kept.Hash, kept.SetAt));
    }

    [Fact]
    public async Task A_recent_password_may_not_be_used_again()
    {
        Ok(await Accounts.ChangePasswordAsync(Thinh, _temporary, First));
        Ok(await Accounts.ChangePasswordAsync(Thinh, First, Second));

        Assert.Equal(5, Refused(await Accounts.ChangePasswordAsync(Thinh, Second, First), "PasswordReused").Args[0]);
        Refused(await Accounts.ChangePasswordAsync(Thinh, Second, Second), "PasswordReused");
        Refused(await Accounts.ChangePasswordAsync(Thinh, Second, _temporary), "PasswordReused");
        Assert.True(PasswordHasher.Verify(Second, (await StoredAsync(Thinh)).PasswordHash));

        Ok(await Accounts.ChangePasswordAsync(Thinh, Second, Third));
        await using var db = Database.Open();
        Assert.Equal(3, await db.PasswordHistory.CountAsync());
    }

    [Fact]
    public async Task A_reset_password_must_be_changed_within_a_new_window()
    {
        Ok(await Accounts.ChangePasswordAsync(Thinh, _temporary, First));
        Test.Clock.SetUtcNow(new DateTimeOffset(2026, 9, 1, 22, 0, 0, TimeSpan.FromHours(7)).ToUniversalTime());

        var reset = Ok(await Accounts.ResetPasswordAsync(Thinh, null, mustChange: true, Admin));

        Assert.NotNull(reset.GeneratedPassword);
        var deadline = new DateTimeOffset(2026, 9, 3, 23, 59, 59, TimeSpan.FromHours(7));
        Assert.Equal(deadline, reset.Deadline);
        var stored = await StoredAsync(Thinh);
        Assert.Equal((true, deadline), (stored.MustChangePassword, stored.PasswordChangeDeadline));
        Assert.True(PasswordHasher.Verify(reset.GeneratedPassword, stored.PasswordHash));
        Assert.False(PasswordHasher.Verify(First, stored.PasswordHash));
        var row = (await HistoryAsync(Thinh))[^1];
        Assert.Equal(("reset-password", "must change", Admin), (row.Event, row.Reason, row.Actor));
        Assert.Single(await AuditAsync("account.reset-password", Thinh));

        Refused(await Accounts.ChangePasswordAsync(Thinh, First, Second), "WrongPassword");
        Ok(await Accounts.ChangePasswordAsync(Thinh, reset.GeneratedPassword, Second));
        stored = await StoredAsync(Thinh);
        Assert.Equal((AccountState.Active, false, null), (stored.State, stored.MustChangePassword, stored.PasswordChangeDeadline));
    }

    [Fact]
    public async Task A_password_set_by_the_administrator_follows_the_policy()
    {
        Refused(await Accounts.ResetPasswordAsync(Thinh, "12345678", mustChange: false, Admin), "PasswordNeedsUpper");

        var reset = Ok(await Accounts.ResetPasswordAsync(Thinh, Third, mustChange: false, Admin));

        Assert.Null(reset.GeneratedPassword);
        Assert.Null(reset.Deadline);
        var stored = await StoredAsync(Thinh);
        Assert.Equal((false, TestDatabase.Start), (stored.MustChangePassword, stored.PasswordChangedAt));
        Assert.True(PasswordHasher.Verify(Third, stored.PasswordHash));
        Refused(await Accounts.ResetPasswordAsync("khongco@tphcm.gov.vn", null, true, Admin), "AccountNotFound");
    }

    [Fact]
    public async Task A_locked_holder_cannot_change_the_password()
    {
        Ok(await Accounts.ApplyAsync(Thinh, AccountAction.Lock, Admin, null, LockReason.Administrator));
        Refused(await Accounts.ChangePasswordAsync(Thinh, _temporary, First), "AccountCannotLogIn");
        Assert.True(PasswordHasher.Verify(_temporary, (await StoredAsync(Thinh)).PasswordHash));
    }
}

public sealed class PasswordChangeTestsOnSqlite() : PasswordChangeTests(DatabaseProvider.Sqlite);

public sealed class PasswordChangeTestsOnPostgres() : PasswordChangeTests(DatabaseProvider.Postgres);
