using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Import;
using GovMail.Storage.Tests.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Tests.Directory;

/// <summary>
/// The base of every directory test: each test gets its own freshly migrated database on <paramref name="provider"/>,
/// with the city's tenant already initialised (unless <see cref="StartsWithTenant"/> says otherwise). Each test class
/// has one subclass per engine, so every test runs on SQLite and on PostgreSQL.
/// </summary>
public abstract class DirectoryTest(DatabaseProvider provider) : IAsyncLifetime
{
    protected const string Domain = "tphcm.gov.vn";
    protected const string Admin = "admin@tphcm.gov.vn";
    protected const string City = "Ủy ban nhân dân Thành phố Hồ Chí Minh";
    protected const string OperatorUnit = "Sở Thông tin và Truyền thông";

    private TestDatabase? _test;

    protected TestDatabase Test => _test ?? throw new InvalidOperationException("the database is created in InitializeAsync");
    protected DatabaseProvider Provider => provider;
    protected GovMailDatabase Database => Test.Database;

    /// <summary>The administrator's one-time password from <c>init</c>.</summary>
    protected string AdminPassword { get; private set; } = "";

    protected virtual bool StartsWithTenant => true;

    protected TenantDirectory Tenants => new(Database, Test.Clock, Test.Hasher);
    protected UnitDirectory Units => new(Database, Test.Clock);
    protected AccountDirectory Accounts => new(Database, Test.Clock, Test.Hasher);
    protected AddressBook AddressBook => new(Database, Test.Clock);
    protected StaffListImporter Importer => new(Database, Test.Clock, Test.Hasher);

    public virtual async Task InitializeAsync()
    {
        _test = await TestDatabase.CreateAsync(provider);
        if (StartsWithTenant)
            AdminPassword = Ok(await Tenants.InitAsync(Domain, City, null, operatorUnit: OperatorUnit)).AdminPassword;
    }

    public async Task DisposeAsync()
    {
        if (_test is not null) await _test.DisposeAsync();
    }

    /// <summary>The value of a result that must have succeeded; the failure message says which refusal came instead.</summary>
    protected static T Ok<T>(Result<T> result)
    {
        Assert.True(result.IsOk, $"expected success, got {result.Problem?.Code}: {result.Problem?.Message(Messages.English)}");
        return result.Value!;
    }

    /// <summary>The problem of a result that must have been refused with <paramref name="code"/>.</summary>
    protected static Problem Refused<T>(Result<T> result, string code)
    {
        Assert.False(result.IsOk, $"expected the refusal {code}, but the operation succeeded");
        Assert.Equal(code, result.Problem!.Code);
        return result.Problem;
    }

    /// <summary>Adds a unit under <paramref name="parent"/> (a name or a path), or at the top.</summary>
    protected async Task<Core.Directory.OrgUnit> AddUnitAsync(string name, string? parent = null) =>
        Ok(await Units.AddAsync(name, parent, null, Admin));

    /// <summary>Issues an account with a generated address and temporary password.</summary>
    protected async Task<IssuedAccount> AddAccountAsync(string name, string unit, string? address = null) =>
        Ok(await Accounts.AddAsync(new NewAccount(name, unit) { Address = address }, Admin));

    /// <summary>The stored row of an account, read back through a new context.</summary>
    protected async Task<Account> StoredAsync(string address)
    {
        await using var db = Database.Open();
        return await db.Accounts.AsNoTracking().SingleAsync(a => a.Address == address);
    }

    /// <summary>The account's history rows, oldest first.</summary>
    protected async Task<IReadOnlyList<AccountTransition>> HistoryAsync(string address) =>
        await Accounts.HistoryAsync((await StoredAsync(address)).Id);

    /// <summary>The audit rows about <paramref name="target"/> with the given action, oldest first.</summary>
    protected async Task<IReadOnlyList<Core.Audit.AuditEntry>> AuditAsync(string action, string target)
    {
        await using var db = Database.Open();
        return await db.Audit.AsNoTracking().Where(a => a.Action == action && a.Target == target).OrderBy(a => a.Id).ToListAsync();
    }
}
