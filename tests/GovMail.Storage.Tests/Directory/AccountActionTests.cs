using GovMail.Core.Accounts;
using GovMail.Core.Security;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Tests.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Tests.Directory;

/// <summary>Every lifecycle action through <see cref="AccountDirectory.ApplyAsync"/>: the state, the history row and the audit row are stored.</summary>
public abstract class AccountActionTests(DatabaseProvider provider) : DirectoryTest(provider)
{
    private const string Art = "Sở Văn hóa và Thể thao / Phòng Nghệ thuật";
    private const string Thinh = "ldthinh@tphcm.gov.vn";
    private string _password = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddUnitAsync("Sở Văn hóa và Thể thao");
        await AddUnitAsync("Phòng Nghệ thuật", "Sở Văn hóa và Thể thao");
        _password = (await AddAccountAsync("Lê Đức Thịnh", Art)).TemporaryPassword!;
    }

    private static DateTimeOffset Vietnam(int month, int day, int hour = 8) => new(2026, month, day, hour, 0, 0, TimeSpan.FromHours(7));

    private void MoveClockTo(DateTimeOffset local) => Test.Clock.SetUtcNow(local.ToUniversalTime());

    private async Task<AccountChange> ApplyAsync(AccountAction action, string? reason = null, LockReason? lockReason = null) =>
        Ok(await Accounts.ApplyAsync(Thinh, action, Admin, reason, lockReason));

    /// <summary>The holder logs in for the first time and sets a password of their own.</summary>
    private async Task CompleteFirstLoginAsync() => Ok(await Accounts.ChangePasswordAsync(Thinh, _password, "Sen-Hồng-Tháp-Mười-2026"));

    [Fact]
    public async Task Lock_with_a_reason_stores_the_state_the_history_and_the_audit()
    {
        Refused(await Accounts.ApplyAsync(Thinh, AccountAction.Lock, Admin, "Vi phạm quy chế"), "LockReasonRequired");
        Refused(await Accounts.ApplyAsync(Thinh, AccountAction.Lock, Admin, null, LockReason.NonUse), "IllegalTransition");

        var change = await ApplyAsync(AccountAction.Lock, "Vi phạm quy chế sử dụng thư điện tử", LockReason.Administrator);

        Assert.Equal(AccountState.Locked, change.Account.Account.State);
        Assert.Null(change.TemporaryPassword);
        var stored = await StoredAsync(Thinh);
        Assert.Equal((AccountState.Locked, LockReason.Administrator), (stored.State, stored.LockReason));
        var row = (await HistoryAsync(Thinh))[^1];
        Assert.Equal(("lock", AccountState.PendingFirstLogin, AccountState.Locked, Admin, "Vi phạm quy chế sử dụng thư điện tử"),
            (row.Event, row.FromState, row.ToState, row.Actor, row.Reason));
        Assert.Equal(TestDatabase.Start, row.At);
        var audit = Assert.Single(await AuditAsync("account.lock", Thinh));
        Assert.Equal(("Vi phạm quy chế sử dụng thư điện tử", Admin), (audit.Detail, audit.Actor));
    }

    [Fact]
    public async Task Unlocking_an_account_that_never_logged_in_issues_a_new_temporary_password_and_a_new_window()
    {
        MoveClockTo(Vietnam(5, 24, 0));
        Assert.Equal("FirstLoginDeadlineMissed", (await ApplyAsync(AccountAction.Lock, null, LockReason.FirstLoginDeadlineMissed)).Transition.Reason);
        MoveClockTo(Vietnam(5, 25, 9));

        var change = await ApplyAsync(AccountAction.Unlock, "Cán bộ đề nghị cấp lại");

        Assert.NotNull(change.TemporaryPassword);
        Assert.NotEqual(_password, change.TemporaryPassword);
        var stored = await StoredAsync(Thinh);
        Assert.Equal((AccountState.PendingFirstLogin, null, true), (stored.State, stored.LockReason, stored.MustChangePassword));
        Assert.Equal(new DateTimeOffset(2026, 5, 27, 23, 59, 59, TimeSpan.FromHours(7)), stored.PasswordChangeDeadline);
        Assert.True(PasswordHasher.Verify(change.TemporaryPassword, stored.PasswordHash));
        Assert.False(PasswordHasher.Verify(_password, stored.PasswordHash));
        var row = (await HistoryAsync(Thinh))[^1];
        Assert.Equal(("unlock", AccountState.Locked, AccountState.PendingFirstLogin), (row.Event, row.FromState, row.ToState));
        Assert.Single(await AuditAsync("account.unlock", Thinh));
    }

    [Fact]
    public async Task Unlocking_an_account_in_use_makes_it_active_again_with_its_own_password()
    {
        await CompleteFirstLoginAsync();
        await ApplyAsync(AccountAction.Lock, null, LockReason.TooManyFailedLogins);

        var change = await ApplyAsync(AccountAction.Unlock);

        Assert.Null(change.TemporaryPassword);
        var stored = await StoredAsync(Thinh);
        Assert.Equal((AccountState.Active, false), (stored.State, stored.MustChangePassword));
        Assert.True(PasswordHasher.Verify("Sen-Hồng-Tháp-Mười-2026", stored.PasswordHash));
    }

    [Fact]
    public async Task A_disabled_account_is_reactivated_to_the_step_its_holder_had_reached()
    {
        await ApplyAsync(AccountAction.Disable, "Nghỉ thai sản");
        Assert.Equal(AccountState.Disabled, (await StoredAsync(Thinh)).State);
        Refused(await Accounts.ChangePasswordAsync(Thinh, _password, "Sen-Hồng-Tháp-Mười-2026"), "AccountCannotLogIn");

        var change = await ApplyAsync(AccountAction.Reactivate);

        Assert.Equal(AccountState.PendingFirstLogin, (await StoredAsync(Thinh)).State);
        Assert.NotNull(change.TemporaryPassword);
        Assert.Equal(["issue", "disable", "reactivate"], (await HistoryAsync(Thinh)).Select(t => t.Event));
        Assert.Single(await AuditAsync("account.disable", Thinh));
        Assert.Single(await AuditAsync("account.reactivate", Thinh));
    }

    [Fact]
    public async Task Close_sets_the_closing_time_and_ends_the_unit_headship()
    {
        Ok(await Units.SetHeadAsync(Art, Thinh, Admin));
        MoveClockTo(Vietnam(6, 30, 17));

        var change = await ApplyAsync(AccountAction.Close, "Nghỉ hưu theo Quyết định 45/QĐ-SVHTT");

        var stored = await StoredAsync(Thinh);
        Assert.Equal((AccountState.Closed, Vietnam(6, 30, 17)), (stored.State, stored.ClosedAt));
        Assert.Null(Ok(await Units.ResolveAsync(Art)).HeadAccountId);
        Assert.Equal((AccountState.Closed, "close"), (change.Transition.ToState, change.Transition.Event));
        Assert.Single(await AuditAsync("account.close", Thinh));
        Assert.Empty(await AddressBook.ResolveRecipientsAsync(Thinh));
        Refused(await Accounts.TransferAsync(Thinh, "Sở Văn hóa và Thể thao", Admin, null), "AccountClosed");
        Refused(await Accounts.ResetPasswordAsync(Thinh, null, true, Admin), "AccountClosed");
        Refused(await Accounts.ApplyAsync(Thinh, AccountAction.Unlock, Admin, null), "IllegalTransition");
    }

    [Fact]
    public async Task Purge_is_refused_before_the_retention_period_and_then_erases_what_identifies_the_person()
    {
        Refused(await Accounts.ApplyAsync(Thinh, AccountAction.Purge, Admin, null), "IllegalTransition");
        Ok(await Accounts.UpdateAsync(Thinh, new AccountUpdate { Phone = "0918 595 098", StaffNumber = "SVHTT-001" }, Admin));
        Ok(await AddressBook.AddAliasAsync("thinh.le@tphcm.gov.vn", Thinh, Admin));
        Ok(await AddressBook.AddGroupAsync("lanhdao@tphcm.gov.vn", "Lãnh đạo Sở", null, Admin));
        Ok(await AddressBook.AddMemberAsync("lanhdao@tphcm.gov.vn", Thinh, Admin));
        await ApplyAsync(AccountAction.Close);
        var closedAt = (await StoredAsync(Thinh)).ClosedAt!.Value;

        Test.Clock.Advance(TimeSpan.FromDays(364));
        var early = Refused(await Accounts.ApplyAsync(Thinh, AccountAction.Purge, Admin, null), "RetentionNotOver");
        Assert.Equal(closedAt.AddDays(365), early.Args[0]);
        Assert.Equal(AccountState.Closed, (await StoredAsync(Thinh)).State);

        Test.Clock.Advance(TimeSpan.FromDays(1));
        await ApplyAsync(AccountAction.Purge, "Hết thời hạn lưu trữ");

        var stored = await StoredAsync(Thinh);
        Assert.Equal((AccountState.Purged, null, null, ""), (stored.State, stored.Phone, stored.StaffNumber, stored.PasswordHash));
        Assert.Equal("Lê Đức Thịnh", stored.DisplayName); // the record stays for the audit and the quarantine
        await using var db = Database.Open();
        Assert.False(await db.Aliases.AnyAsync());
        Assert.False(await db.GroupMembers.AnyAsync());
        Assert.Equal(["issue", "update", "close", "purge"], (await HistoryAsync(Thinh)).Select(t => t.Event));
        Assert.Equal("Hết thời hạn lưu trữ", Assert.Single(await AuditAsync("account.purge", Thinh)).Detail);
    }

    [Fact]
    public async Task A_closed_address_is_quarantined_and_released_once_the_quarantine_is_over()
    {
        var closed = await StoredAsync(Thinh);
        await ApplyAsync(AccountAction.Close);
        var until = TestDatabase.Start.AddDays(730);

        var quarantined = Refused(await Accounts.AddAsync(new NewAccount("Lê Đức Thịnh", Art) { Address = "ldthinh" }, Admin),
            "AddressQuarantined");
        Assert.Equal(until, quarantined.Args[1]);
        Refused(await AddressBook.AddAliasAsync(Thinh, Admin, Admin), "AddressQuarantined");
        // A generated address never takes a quarantined one.
        Assert.Equal("ldthinh1@tphcm.gov.vn", (await AddAccountAsync("Lê Đức Thịnh", Art)).Account.Address);

        Test.Clock.Advance(TimeSpan.FromDays(729));
        Refused(await Accounts.AddAsync(new NewAccount("Lê Đức Thịnh", Art) { Address = "ldthinh" }, Admin), "AddressQuarantined");
        Test.Clock.Advance(TimeSpan.FromDays(1));
        var reissued = await AddAccountAsync("Lê Đức Thịnh", Art, "ldthinh");

        Assert.Equal(Thinh, reissued.Account.Address);
        Assert.NotEqual(closed.Id, reissued.Account.Id);
        await using var db = Database.Open();
        var old = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == closed.Id);
        Assert.Equal($"ldthinh.closed-{closed.Id.ToString("N")[..8]}@tphcm.gov.vn", old.Address);
        Assert.Equal(AccountState.Closed, old.State);
        Assert.Equal(reissued.Account.Id, Assert.Single(await AddressBook.ResolveRecipientsAsync(Thinh)).Id);
        Assert.Equal(["issue"], (await HistoryAsync(Thinh)).Select(t => t.Event));
    }

    [Fact]
    public async Task A_quarantined_address_is_issued_early_only_with_a_justification_kept_in_the_audit_log()
    {
        var closed = await StoredAsync(Thinh);
        await ApplyAsync(AccountAction.Close);

        var issued = Ok(await Accounts.AddAsync(new NewAccount("Lê Đức Thịnh", Art) { Address = Thinh, OverrideReason = "tuyển dụng lại" }, Admin));

        Assert.Equal(TestDatabase.Start.AddDays(730), issued.OverriddenQuarantineUntil);
        Assert.NotEqual(closed.Id, issued.Account.Id);
        var entry = Assert.Single(await AuditAsync("account.add.override-quarantine", Thinh));
        Assert.EndsWith(": tuyển dụng lại", entry.Detail, StringComparison.Ordinal);
        // Without a quarantine to override, the reason records nothing.
        var plain = Ok(await Accounts.AddAsync(new NewAccount("Trần Văn Bình", Art) { Address = "tvbinh", OverrideReason = "không cần" }, Admin));
        Assert.Equal((null, null), (plain.OverriddenQuarantineUntil, plain.OverrideReason));
        // An address in use is never taken, justification or not.
        Refused(await Accounts.AddAsync(new NewAccount("Lê Đức Thịnh", Art) { Address = Thinh, OverrideReason = "x" }, Admin), "AddressTaken");
    }
}

public sealed class AccountActionTestsOnSqlite() : AccountActionTests(DatabaseProvider.Sqlite);

public sealed class AccountActionTestsOnPostgres() : AccountActionTests(DatabaseProvider.Postgres);
