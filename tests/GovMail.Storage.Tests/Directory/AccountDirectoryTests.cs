using GovMail.Core.Accounts;
using GovMail.Core.Security;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Tests.Directory;

public abstract class AccountDirectoryTests(DatabaseProvider provider) : DirectoryTest(provider)
{
    private const string So = "Sở Văn hóa và Thể thao";
    private const string Art = So + " / Phòng Nghệ thuật";
    private const string Office = So + " / Văn phòng Sở";
    private const string Interior = "Sở Nội vụ";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddUnitAsync(So);
        await AddUnitAsync("Phòng Nghệ thuật", So);
        await AddUnitAsync("Văn phòng Sở", So);
        await AddUnitAsync(Interior);
    }

    [Fact]
    public async Task A_generated_address_takes_the_initials_and_a_number_when_the_name_is_taken()
    {
        var first = await AddAccountAsync("Lê Đức Thịnh", Art);
        var second = await AddAccountAsync("Lê  Đức   Thịnh", Interior);
        var third = await AddAccountAsync("Lý Đức Thịnh", Office);

        Assert.Equal(["ldthinh@tphcm.gov.vn", "ldthinh1@tphcm.gov.vn", "ldthinh2@tphcm.gov.vn"],
            new[] { first, second, third }.Select(i => i.Account.Address));
        var stored = await StoredAsync("ldthinh1@tphcm.gov.vn");
        Assert.Equal("Lê Đức Thịnh", stored.DisplayName);
        Assert.Equal(AccountState.PendingFirstLogin, stored.State);
        Assert.Equal(new DateTimeOffset(2026, 5, 23, 23, 59, 59, TimeSpan.FromHours(7)), stored.PasswordChangeDeadline);
        Assert.Equal(5L * 1024 * 1024 * 1024, stored.QuotaBytes);
        Assert.NotNull(second.TemporaryPassword);
        Assert.True(PasswordHasher.Verify(second.TemporaryPassword, stored.PasswordHash));

        var issue = Assert.Single(await HistoryAsync("ldthinh1@tphcm.gov.vn"));
        Assert.Equal(("issue", AccountState.PendingFirstLogin, Admin), (issue.Event, issue.ToState, issue.Actor));
        Assert.Equal("Lê Đức Thịnh", Assert.Single(await AuditAsync("account.add", "ldthinh1@tphcm.gov.vn")).Detail);
    }

    [Fact]
    public async Task An_explicit_address_is_kept_if_it_is_on_the_tenants_domain_and_free()
    {
        var typed = await AddAccountAsync("Lê Đức Thịnh", Art, " Thinh.Le ");
        Assert.Equal("thinh.le@tphcm.gov.vn", typed.Account.Address);

        Assert.Equal("gmail.com", Refused(await Accounts.AddAsync(new("Lê Đức Thịnh", Art) { Address = "ldthinh@gmail.com" }, Admin),
            "ForeignDomain").Args[0]);
        Refused(await Accounts.AddAsync(new("Lê Văn Thịnh", Art) { Address = "THINH.LE@tphcm.gov.vn" }, Admin), "AddressTaken");
        Refused(await Accounts.AddAsync(new("Lê Văn Thịnh", Art) { Address = "lê.thịnh" }, Admin), "InvalidAddress");
        Refused(await Accounts.AddAsync(new("Lê Văn Thịnh", "Phòng Không Có") { Address = "lvthinh" }, Admin), "UnitNotFound");

        await using var db = Database.Open();
        Assert.Equal(2, await db.Accounts.CountAsync()); // the administrator and thinh.le
    }

    [Fact]
    public async Task A_weak_password_given_by_the_administrator_is_refused_with_its_reason()
    {
        var tooShort = Refused(await Accounts.AddAsync(new("Lê Đức Thịnh", Art) { Password = "Ab!1" }, Admin), "PasswordTooShort");
        Assert.Equal(8, tooShort.Args[0]);
        Refused(await Accounts.AddAsync(new("Lê Đức Thịnh", Art) { Password = "thinh@2026" }, Admin), "PasswordNeedsUpper");
        Refused(await Accounts.AddAsync(new("Lê Đức Thịnh", Art) { Password = "Ldthinh@2026" }, Admin), "PasswordContainsName");
        Assert.Empty(Ok(await Accounts.ListAsync(new AccountFilter { UnitReference = So })));

        var given = Ok(await Accounts.AddAsync(new("Lê Đức Thịnh", Art) { Password = "Hoa-Sen-Vàng-2026", MustChangePassword = false }, Admin));
        Assert.Null(given.TemporaryPassword);
        var stored = await StoredAsync(given.Account.Address);
        Assert.Equal((AccountState.Active, false, null), (stored.State, stored.MustChangePassword, stored.PasswordChangeDeadline));
        Assert.True(PasswordHasher.Verify("Hoa-Sen-Vàng-2026", stored.PasswordHash));
    }

    [Fact]
    public async Task Accounts_are_listed_by_unit_subtree_state_kind_and_a_search_without_diacritics()
    {
        await AddAccountAsync("Lê Đức Thịnh", Art);
        await AddAccountAsync("Lý Đức Thịnh", Office);
        await AddAccountAsync("Nguyễn Thị Thu Hà", So);
        Ok(await Accounts.AddAsync(new("Phòng Nghệ thuật", Art) { Kind = AccountKind.Collective }, Admin));
        await AddAccountAsync("Trần Văn Đông", Interior);
        var closed = await AddAccountAsync("Võ Anh Tuấn", Art);
        var locked = await AddAccountAsync("Đỗ Thị Ngọc Ánh", Office);
        Ok(await Accounts.ApplyAsync(closed.Account.Address, AccountAction.Close, Admin, "Chuyển công tác ra ngoài thành phố"));
        Ok(await Accounts.ApplyAsync(locked.Account.Address, AccountAction.Lock, Admin, null, LockReason.Administrator));

        async Task<IEnumerable<string>> Listed(AccountFilter filter) =>
            Ok(await Accounts.ListAsync(filter)).Select(v => v.Account.Address);

        Assert.Equal(["nttha@tphcm.gov.vn", "ldthinh@tphcm.gov.vn", "pnthuat@tphcm.gov.vn", "dtnanh@tphcm.gov.vn", "ldthinh1@tphcm.gov.vn"],
            await Listed(new AccountFilter { UnitReference = So }));
        Assert.Equal(["nttha@tphcm.gov.vn"], await Listed(new AccountFilter { UnitReference = So, IncludeSubunits = false }));
        Assert.Contains("vatuan@tphcm.gov.vn", await Listed(new AccountFilter { UnitReference = So, IncludeClosed = true }));
        Assert.Equal(["dtnanh@tphcm.gov.vn"], await Listed(new AccountFilter { State = AccountState.Locked }));
        Assert.Equal(["vatuan@tphcm.gov.vn"], await Listed(new AccountFilter { State = AccountState.Closed }));
        Assert.Equal(["pnthuat@tphcm.gov.vn"], await Listed(new AccountFilter { Kind = AccountKind.Collective }));
        Assert.Equal(["ldthinh@tphcm.gov.vn"], await Listed(new AccountFilter { Search = "le duc thinh" }));
        Assert.Equal(["ldthinh@tphcm.gov.vn", "ldthinh1@tphcm.gov.vn"], (await Listed(new AccountFilter { Search = "ĐỨC THỊNH" })).Order());
        Assert.Equal(["tvdong@tphcm.gov.vn"], await Listed(new AccountFilter { Search = "dong" }));
        Assert.Equal(["ldthinh1@tphcm.gov.vn"], await Listed(new AccountFilter { Search = "ldthinh1" }));

        var view = Ok(await Accounts.ListAsync(new AccountFilter { Search = "Thu Hà" })).Single();
        Assert.Equal((So, So, So), (view.UnitName, view.UnitPath, view.AgencyName));
        Refused(await Accounts.ListAsync(new AccountFilter { UnitReference = "Phòng Không Có" }), "UnitNotFound");
    }

    [Fact]
    public async Task A_profile_update_is_recorded_in_the_history_and_the_audit()
    {
        var issued = await AddAccountAsync("Lê Đức Thịnh", Art);
        var address = issued.Account.Address;
        var before = await StoredAsync(address);

        var view = Ok(await Accounts.UpdateAsync(address, new AccountUpdate
        {
            DisplayName = "Lê Đức  Thịnh ", // only spacing: not a change
            Title = "Phó Trưởng phòng",
            Phone = "0918.595.098",
            QuotaBytes = 10L * 1024 * 1024 * 1024,
        }, Admin));

        Assert.Equal("Phó Trưởng phòng", view.Account.Title);
        var stored = await StoredAsync(address);
        Assert.Equal(("Lê Đức Thịnh", "Phó Trưởng phòng", "0918.595.098", 10L * 1024 * 1024 * 1024),
            (stored.DisplayName, stored.Title, stored.Phone, stored.QuotaBytes));
        Assert.NotEqual(before.Version, stored.Version);
        var update = (await HistoryAsync(address))[^1];
        Assert.Equal("update", update.Event);
        Assert.Equal("title:  → Phó Trưởng phòng; phone:  → 0918.595.098; quota: 5368709120 → 10737418240", update.Reason);
        Assert.Equal(update.Reason, Assert.Single(await AuditAsync("account.update", address)).Detail);

        Refused(await Accounts.UpdateAsync(address, new AccountUpdate { Phone = "12345" }, Admin), "InvalidPhone");
        Ok(await Accounts.UpdateAsync(address, new AccountUpdate { Title = "Phó Trưởng phòng" }, Admin));
        Assert.Equal(2, (await HistoryAsync(address)).Count); // issue, update: nothing changed the second time
    }

    [Fact]
    public async Task A_transfer_moves_the_account_records_from_and_to_and_ends_its_headship()
    {
        var issued = await AddAccountAsync("Lê Đức Thịnh", Art);
        var address = issued.Account.Address;
        Ok(await Units.SetHeadAsync(Art, address, Admin));

        var view = Ok(await Accounts.TransferAsync(address, Interior, Admin, "Quyết định điều động số 12/QĐ-SNV"));

        Assert.Equal(Interior, view.UnitPath);
        Assert.Equal(Ok(await Units.ResolveAsync(Interior)).Id, (await StoredAsync(address)).UnitId);
        Assert.Null(Ok(await Units.ResolveAsync(Art)).HeadAccountId);
        var transfer = (await HistoryAsync(address))[^1];
        Assert.Equal("transfer", transfer.Event);
        Assert.Equal($"{Art} → {Interior} (Quyết định điều động số 12/QĐ-SNV)", transfer.Reason);
        Assert.Equal(transfer.Reason, Assert.Single(await AuditAsync("account.transfer", address)).Detail);

        Refused(await Accounts.TransferAsync(address, Interior, Admin, null), "AlreadyInUnit");
        Refused(await Accounts.TransferAsync("khongco@tphcm.gov.vn", Interior, Admin, null), "AccountNotFound");
    }
}

public sealed class AccountDirectoryTestsOnSqlite() : AccountDirectoryTests(DatabaseProvider.Sqlite);

public sealed class AccountDirectoryTestsOnPostgres() : AccountDirectoryTests(DatabaseProvider.Postgres);
