using GovMail.Core.Accounts;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Tests.Directory;

public abstract class AddressBookTests(DatabaseProvider provider) : DirectoryTest(provider)
{
    private const string So = "Sở Văn hóa và Thể thao";
    private const string Art = So + " / Phòng Nghệ thuật";
    private const string Troupe = Art + " / Đoàn Ca múa nhạc";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddUnitAsync(So);
        await AddUnitAsync("Phòng Nghệ thuật", So);
        await AddUnitAsync("Đoàn Ca múa nhạc", Art);
        await AddUnitAsync("Sở Nội vụ");
    }

    private async Task<IEnumerable<string>> RecipientsAsync(string address) =>
        (await AddressBook.ResolveRecipientsAsync(address)).Select(a => a.Address);

    [Fact]
    public async Task An_alias_finds_and_reaches_its_account_until_it_is_removed()
    {
        var thinh = (await AddAccountAsync("Lê Đức Thịnh", Art)).Account;

        var alias = Ok(await AddressBook.AddAliasAsync("VanThu.NgheThuat@tphcm.gov.vn", "LDTHINH@tphcm.gov.vn", Admin));

        Assert.Equal(("vanthu.nghethuat@tphcm.gov.vn", thinh.Id), (alias.Address, alias.AccountId));
        Assert.Equal(thinh.Id, Ok(await Accounts.FindAsync("vanthu.nghethuat@tphcm.gov.vn")).Account.Id);
        Assert.Equal(["ldthinh@tphcm.gov.vn"], await RecipientsAsync("vanthu.nghethuat@tphcm.gov.vn"));
        Assert.Equal([("vanthu.nghethuat@tphcm.gov.vn", "ldthinh@tphcm.gov.vn")], await AddressBook.ListAliasesAsync());
        Assert.Single(await AuditAsync("alias.add", "vanthu.nghethuat@tphcm.gov.vn"));

        // Accounts, aliases and groups share one name space.
        Refused(await AddressBook.AddAliasAsync("vanthu.nghethuat@tphcm.gov.vn", Admin, Admin), "AddressTaken");
        Refused(await AddressBook.AddAliasAsync(Admin, "ldthinh@tphcm.gov.vn", Admin), "AddressTaken");
        Refused(await AddressBook.AddAliasAsync("thinh@gmail.com", "ldthinh@tphcm.gov.vn", Admin), "ForeignDomain");
        Refused(await AddressBook.AddAliasAsync("thinh@tphcm.gov.vn", "khongco@tphcm.gov.vn", Admin), "AccountNotFound");
        Refused(await Accounts.AddAsync(new("Võ Anh Tuấn", Art) { Address = "vanthu.nghethuat" }, Admin), "AddressTaken");

        Assert.Equal("vanthu.nghethuat@tphcm.gov.vn", Ok(await AddressBook.RemoveAliasAsync(" VanThu.NgheThuat@tphcm.gov.vn", Admin)));

        Refused(await Accounts.FindAsync("vanthu.nghethuat@tphcm.gov.vn"), "AccountNotFound");
        Assert.Empty(await RecipientsAsync("vanthu.nghethuat@tphcm.gov.vn"));
        Refused(await AddressBook.RemoveAliasAsync("vanthu.nghethuat@tphcm.gov.vn", Admin), "AliasNotFound");
        Assert.Single(await AuditAsync("alias.remove", "vanthu.nghethuat@tphcm.gov.vn"));
    }

    [Fact]
    public async Task An_explicit_group_reaches_its_members_that_are_still_in_service()
    {
        var members = new[] { "Lê Đức Thịnh", "Nguyễn Thị Thu Hà", "Trần Văn Đông", "Võ Anh Tuấn" };
        foreach (var name in members) await AddAccountAsync(name, Art);
        await AddAccountAsync("Phạm Minh Khoa", Art); // not a member

        var group = Ok(await AddressBook.AddGroupAsync("LanhDao@tphcm.gov.vn", "  Lãnh đạo   Sở ", null, Admin));
        Assert.Equal(("lanhdao@tphcm.gov.vn", "Lãnh đạo Sở", false), (group.Address, group.Name, group.IsAutomatic));
        foreach (var address in new[] { "ldthinh", "nttha", "tvdong", "vatuan" })
            Ok(await AddressBook.AddMemberAsync("lanhdao@tphcm.gov.vn", address + "@tphcm.gov.vn", Admin));
        Ok(await AddressBook.AddMemberAsync("lanhdao@tphcm.gov.vn", "ldthinh@tphcm.gov.vn", Admin)); // twice: once a member
        Ok(await Accounts.ApplyAsync("tvdong@tphcm.gov.vn", AccountAction.Disable, Admin, "Nghỉ việc"));
        Ok(await Accounts.ApplyAsync("vatuan@tphcm.gov.vn", AccountAction.Close, Admin, null));

        Assert.Equal(["ldthinh@tphcm.gov.vn", "nttha@tphcm.gov.vn"], await RecipientsAsync("lanhdao@tphcm.gov.vn"));
        await using var db = Database.Open();
        Assert.Equal(4, await db.GroupMembers.CountAsync(m => m.GroupId == group.Id));
        Refused(await AddressBook.AddMemberAsync("khongco@tphcm.gov.vn", "ldthinh@tphcm.gov.vn", Admin), "GroupNotFound");
        Refused(await AddressBook.AddMemberAsync("lanhdao@tphcm.gov.vn", "khongco@tphcm.gov.vn", Admin), "AccountNotFound");
        Refused(await AddressBook.AddGroupAsync("lanhdao@tphcm.gov.vn", "Lãnh đạo", null, Admin), "AddressTaken");
        Refused(await AddressBook.AddGroupAsync("ldthinh@tphcm.gov.vn", "Lãnh đạo", null, Admin), "AddressTaken");
    }

    [Fact]
    public async Task A_units_automatic_group_reaches_the_open_accounts_of_the_unit_and_its_sub_units()
    {
        await AddAccountAsync("Lê Đức Thịnh", So);
        await AddAccountAsync("Nguyễn Thị Thu Hà", Art);
        await AddAccountAsync("Đinh Văn Đạt", Troupe);
        await AddAccountAsync("Trần Văn Đông", Troupe);
        await AddAccountAsync("Võ Anh Tuấn", Art);
        await AddAccountAsync("Bùi Thị Hạnh", Art);
        await AddAccountAsync("Hồ Thị Mai", "Sở Nội vụ");
        Ok(await Accounts.ApplyAsync("tvdong@tphcm.gov.vn", AccountAction.Disable, Admin, null));
        Ok(await Accounts.ApplyAsync("vatuan@tphcm.gov.vn", AccountAction.Close, Admin, null));
        Ok(await Accounts.ApplyAsync("bthanh@tphcm.gov.vn", AccountAction.Lock, Admin, null, LockReason.Administrator));

        var group = Ok(await AddressBook.AddGroupAsync("svhtt@tphcm.gov.vn", "", So, Admin));

        Assert.True(group.IsAutomatic);
        Assert.Equal(["bthanh@tphcm.gov.vn", "dvdat@tphcm.gov.vn", "ldthinh@tphcm.gov.vn", "nttha@tphcm.gov.vn"],
            await RecipientsAsync("svhtt@tphcm.gov.vn"));
        Ok(await AddressBook.AddGroupAsync("phongnghethuat@tphcm.gov.vn", "", Art, Admin));
        Assert.Equal(["bthanh@tphcm.gov.vn", "dvdat@tphcm.gov.vn", "nttha@tphcm.gov.vn"], await RecipientsAsync("phongnghethuat@tphcm.gov.vn"));

        // Membership follows the unit at delivery time: a transfer in is reached at once.
        Ok(await Accounts.TransferAsync("htmai@tphcm.gov.vn", Troupe, Admin, null));
        Assert.Contains("htmai@tphcm.gov.vn", await RecipientsAsync("svhtt@tphcm.gov.vn"));

        Refused(await AddressBook.AddGroupAsync("vanhoa@tphcm.gov.vn", "", So, Admin), "UnitGroupHasAddress");
        Refused(await AddressBook.AddMemberAsync("svhtt@tphcm.gov.vn", "htmai@tphcm.gov.vn", Admin), "GroupIsAutomatic");
        Refused(await AddressBook.AddGroupAsync("svhtt2@tphcm.gov.vn", "", "Phòng Không Có", Admin), "UnitNotFound");
    }
}

public sealed class AddressBookTestsOnSqlite() : AddressBookTests(DatabaseProvider.Sqlite);

public sealed class AddressBookTestsOnPostgres() : AddressBookTests(DatabaseProvider.Postgres);
