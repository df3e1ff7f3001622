using GovMail.Core.Accounts;
using GovMail.Core.Security;
using GovMail.Storage.Database;
using GovMail.Storage.Security;
using GovMail.Storage.Tests.Directory;

namespace GovMail.Storage.Tests.Security;

/// <summary>Role grants stored and turned into a scope that answers for accounts and units by name.</summary>
public abstract class AdminAccessTests(DatabaseProvider provider) : DirectoryTest(provider)
{
    private const string Culture = "Sở Văn hóa và Thể thao";
    private const string Tourism = "Sở Du lịch";
    private const string CultureAdmin = "vp.svhtt@tphcm.gov.vn";
    private const string Thinh = "ldthinh@tphcm.gov.vn";
    private const string Hai = "nvhai@tphcm.gov.vn";

    private AdminAccess Access => new(Database, Test.Clock);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddUnitAsync(Culture);
        await AddUnitAsync("Phòng Nghệ thuật", Culture);
        await AddUnitAsync(Tourism);
        await AddAccountAsync("Văn phòng Sở Văn hóa", Culture, CultureAdmin);
        await AddAccountAsync("Lê Đức Thịnh", "Phòng Nghệ thuật", Thinh);
        await AddAccountAsync("Nguyễn Văn Hải", Tourism, Hai);
    }

    [Fact]
    public async Task An_agency_administrator_granted_without_a_unit_covers_their_own_agency()
    {
        var grant = Ok(await Access.GrantAsync(CultureAdmin, AdminRole.AgencyAdministrator, null, Admin));

        Assert.Equal(("agency-administrator", Culture), (grant.Role, grant.Scope));
        var scope = Ok(await Access.ScopeForAsync(CultureAdmin));
        Assert.Null(await Access.CheckAccountAsync(scope, Permission.ManageAccounts, Thinh));
        Assert.Equal("AccountOutOfScope", (await Access.CheckAccountAsync(scope, Permission.ManageAccounts, Hai))!.Code);
        Assert.Equal("AccountOutOfScope", (await Access.CheckAccountAsync(scope, Permission.ReadDirectory, "khongco@tphcm.gov.vn"))!.Code);
        Assert.Null(await Access.CheckUnitAsync(scope, Permission.ManageUnits, "Phòng Nghệ thuật"));
        Assert.Equal("UnitOutOfScope", (await Access.CheckUnitAsync(scope, Permission.ManageUnits, Tourism))!.Code);
        Assert.Equal("TenantWideOutOfScope", (await Access.CheckUnitAsync(scope, Permission.ManagePolicy, null))!.Code);
        Assert.Single(await AuditAsync("admin.grant", CultureAdmin));
    }

    [Fact]
    public async Task Revoking_takes_the_scope_away_and_a_non_administrator_has_none()
    {
        Ok(await Access.GrantAsync(CultureAdmin, AdminRole.HrReviewer, Culture, Admin));
        Assert.Equal(1, Ok(await Access.RevokeAsync(CultureAdmin, AdminRole.HrReviewer, null, Admin)));

        Refused(await Access.ScopeForAsync(CultureAdmin), "NotAnAdministrator");
        Refused(await Access.RevokeAsync(CultureAdmin, AdminRole.HrReviewer, null, Admin), "RoleNotGranted");
        Refused(await Access.GrantAsync(CultureAdmin, AdminRole.CityOperator, Culture, Admin), "CityOperatorIsTenantWide");
    }

    [Fact]
    public async Task The_first_administrator_from_init_is_a_city_operator_and_a_locked_administrator_has_no_scope()
    {
        Assert.True(Ok(await Access.ScopeForAsync(Admin)).AllowsEverywhere(Permission.ManageRoles));
        Ok(await Access.GrantAsync(CultureAdmin, AdminRole.Auditor, null, Admin));
        Ok(await Accounts.ApplyAsync(CultureAdmin, AccountAction.Lock, Admin, null, LockReason.Administrator));

        Refused(await Access.ScopeForAsync(CultureAdmin), "AccountCannotLogIn");
        Assert.Contains(await Access.ListAsync(), g => g.Address == Admin && g.Role == "city-operator" && g.Scope is null);
    }
}

public sealed class AdminAccessTestsOnSqlite() : AdminAccessTests(DatabaseProvider.Sqlite);

public sealed class AdminAccessTestsOnPostgres() : AdminAccessTests(DatabaseProvider.Postgres);
