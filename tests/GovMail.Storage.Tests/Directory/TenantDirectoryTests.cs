using System.Text;
using GovMail.Core.Accounts;
using GovMail.Core.Directory;
using GovMail.Core.Security;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Tests.Directory;

public abstract class TenantDirectoryTests(DatabaseProvider provider) : DirectoryTest(provider)
{
    protected override bool StartsWithTenant => false;

    [Fact]
    public async Task Init_creates_the_tenant_its_domain_the_operator_unit_and_a_pending_city_operator()
    {
        // 01:30 on 22/05 in Vietnam is still 21/05 in UTC: the window counts Vietnamese days.
        var issued = new DateTimeOffset(2026, 5, 22, 1, 30, 0, TimeSpan.FromHours(7));
        Test.Clock.SetUtcNow(issued.ToUniversalTime());

        var init = Ok(await Tenants.InitAsync(" TPHCM.gov.vn ", City, null, operatorUnit: OperatorUnit));

        Assert.Equal(Admin, init.AdminAddress);
        var tenant = await Tenants.FindAsync();
        Assert.NotNull(tenant);
        Assert.Equal(City, tenant.Name);
        Assert.Equal("Asia/Ho_Chi_Minh", tenant.TimeZoneId);
        var domain = Assert.Single(tenant.Domains);
        Assert.Equal((Domain, true), (domain.Name, domain.IsPrimary));
        Assert.Equal(3, tenant.Policy.FirstLoginWindowDays);
        Assert.Equal(8, tenant.Policy.Password.MinLength);

        var unit = Assert.Single(await Units.ListAsync());
        Assert.Equal((OperatorUnit, UnitKind.Agency, 1), (unit.Unit.Name, unit.Unit.Kind, unit.AccountCount));

        var admin = await StoredAsync(Admin);
        Assert.Equal(AccountState.PendingFirstLogin, admin.State);
        Assert.Equal(AdminRole.CityOperator, admin.Role);
        Assert.Equal(AccountKind.Service, admin.Kind);
        Assert.Equal(unit.Unit.Id, admin.UnitId);
        Assert.True(admin.MustChangePassword);
        Assert.Equal(new DateTimeOffset(2026, 5, 24, 23, 59, 59, TimeSpan.FromHours(7)), admin.PasswordChangeDeadline);
        Assert.Equal(new DateOnly(2026, 5, 22), admin.IssuedOn);
        Assert.Equal(issued, admin.CreatedAt);
        Assert.True(PasswordHasher.Verify(init.AdminPassword, admin.PasswordHash));
        Assert.Empty(tenant.Policy.Password.Check(init.AdminPassword));

        var issue = Assert.Single(await HistoryAsync(Admin));
        Assert.Equal(("issue", AccountState.PendingFirstLogin, "system"), (issue.Event, issue.ToState, issue.Actor));
        Assert.Single(await AuditAsync("tenant.init", Domain));
        await using var db = Database.Open();
        Assert.Equal(unit.Unit.Id, (await db.Groups.AsNoTracking().SingleAsync()).UnitId);
    }

    [Fact]
    public async Task A_second_init_is_refused_and_changes_nothing()
    {
        Ok(await Tenants.InitAsync(Domain, City, null));

        Refused(await Tenants.InitAsync("hanoi.gov.vn", "Ủy ban nhân dân Thành phố Hà Nội", null), "AlreadyInitialised");

        await using var db = Database.Open();
        Assert.Equal(City, (await db.Tenants.AsNoTracking().SingleAsync()).Name);
        Assert.Equal(Domain, (await db.Domains.AsNoTracking().SingleAsync()).Name);
        Assert.Equal(Admin, (await db.Accounts.AsNoTracking().SingleAsync()).Address);
    }

    [Fact]
    public async Task Init_refuses_a_bad_domain_or_an_administrator_on_another_domain()
    {
        Refused(await Tenants.InitAsync("tphcm", City, null), "InvalidDomain");
        Refused(await Tenants.InitAsync(Domain, City, "quantri@gmail.com"), "InvalidAddressForDomain");
        Assert.Null(await Tenants.FindAsync());
    }

    [Fact]
    public async Task Vietnamese_names_round_trip_exactly_in_composed_form()
    {
        // Typed with combining marks (Unikey's "Unicode tổ hợp"), stored and read back precomposed, Đ included.
        var decomposed = "Ủy ban nhân dân tỉnh Bà Rịa – Vũng Tàu".Normalize(NormalizationForm.FormD);
        Ok(await Tenants.InitAsync("baria-vungtau.gov.vn", decomposed, null, operatorUnit: "Sở Thông tin và Truyền thông"));
        var unit = Ok(await Units.AddAsync("Phòng Tổ chức – Pháp chế".Normalize(NormalizationForm.FormD), null, null, "system"));
        var name = "Đặng Thị Ngọc Đào";
        var issued = Ok(await Accounts.AddAsync(new NewAccount(name.Normalize(NormalizationForm.FormD), unit.Name)
        {
            Title = "Phó Trưởng phòng, phụ trách Đảng ủy",
        }, "admin@baria-vungtau.gov.vn"));

        Assert.Equal("dtndao@baria-vungtau.gov.vn", issued.Account.Address);
        var stored = await StoredAsync(issued.Account.Address);
        Assert.Equal(name, stored.DisplayName);
        Assert.True(stored.DisplayName.IsNormalized(NormalizationForm.FormC));
        Assert.Equal("Phó Trưởng phòng, phụ trách Đảng ủy", stored.Title);
        Assert.Equal("Ủy ban nhân dân tỉnh Bà Rịa – Vũng Tàu", (await Tenants.FindAsync())!.Name);
        Assert.Equal("Phòng Tổ chức – Pháp chế", Ok(await Units.ResolveAsync("phong to chuc – phap che")).Name);

        await using var db = Database.Open();
        var byName = await db.Accounts.AsNoTracking().Where(a => a.DisplayName == name).Select(a => a.DisplayName).SingleAsync();
        Assert.Equal(name, byName);
        Assert.Equal(["Đ", "Đ"], byName.Where(c => c == 'Đ').Select(c => c.ToString()));
    }
}

public sealed class TenantDirectoryTestsOnSqlite() : TenantDirectoryTests(DatabaseProvider.Sqlite);

public sealed class TenantDirectoryTestsOnPostgres() : TenantDirectoryTests(DatabaseProvider.Postgres);
