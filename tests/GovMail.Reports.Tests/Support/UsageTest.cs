using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Usage;
using GovMail.Reports.Periods;
using GovMail.Reports.Rollup;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Usage;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Reports.Tests.Support;

/// <summary>
/// The base of the usage tests that need a database: each test gets its own freshly migrated database on
/// <paramref name="provider"/> with the city's tenant initialised, and helpers to build a small directory and a
/// hand-written history of events. Each test class has one subclass per engine.
/// </summary>
public abstract class UsageTest(DatabaseProvider provider) : IAsyncLifetime
{
    protected const string Domain = "tphcm.gov.vn";
    protected const string Admin = "admin@tphcm.gov.vn";
    protected const string City = "Ủy ban nhân dân Thành phố Hồ Chí Minh";

    private TestDatabase? _test;

    protected TestDatabase Test => _test ?? throw new InvalidOperationException("the database is created in InitializeAsync");
    protected DatabaseProvider Provider => provider;
    protected GovMailDatabase Database => Test.Database;

    protected UnitDirectory Units => new(Database, Test.Clock);
    protected AccountDirectory Accounts => new(Database, Test.Clock, Test.Hasher);
    protected UsageReports Reports => new(Database, Test.Clock);
    protected UsageFolder Folder => new(Database, Test.Clock);

    public virtual async Task InitializeAsync()
    {
        _test = await TestDatabase.CreateAsync(provider);
        Ok(await new TenantDirectory(Database, Test.Clock, Test.Hasher).InitAsync(Domain, City, null, operatorUnit: "Sở Thông tin và Truyền thông"));
    }

    public virtual async Task DisposeAsync()
    {
        if (_test is not null) await _test.DisposeAsync();
    }

    protected static T Ok<T>(Result<T> result)
    {
        Assert.True(result.IsOk, $"expected success, got {result.Problem?.Code}: {result.Problem?.Message(Messages.English)}");
        return result.Value!;
    }

    protected static Problem Refused<T>(Result<T> result, string code)
    {
        Assert.False(result.IsOk, $"expected the refusal {code}, but the operation succeeded");
        Assert.Equal(code, result.Problem!.Code);
        return result.Problem;
    }

    /// <summary>A moment on a local day in Ho Chi Minh City (+07:00).</summary>
    protected static DateTimeOffset Local(int year, int month, int day, int hour = 9, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(7));

    protected async Task<Core.Directory.OrgUnit> UnitAsync(string name, string? parent = null) =>
        Ok(await Units.AddAsync(name, parent, null, Admin));

    /// <summary>
    /// Issues a mailbox on <paramref name="issued"/> (default 1/1/2023). An activated account has logged in once on its
    /// issue day; a pending one never has.
    /// </summary>
    protected async Task<Account> PersonAsync(string address, string name, string unit, string? title = null, DateOnly? issued = null,
        bool activated = true, AccountKind kind = AccountKind.Individual)
    {
        var issuedOn = issued ?? new DateOnly(2023, 1, 1);
        var account = Ok(await Accounts.AddAsync(new NewAccount(name, unit)
        {
            Address = address, Title = title, IssuedOn = issuedOn, Kind = kind, MustChangePassword = !activated,
        }, Admin)).Account;
        if (activated)
        {
            await using var db = Database.Open();
            var a = await db.Accounts.SingleAsync(x => x.Id == account.Id);
            a.FirstLoginAt = UsagePeriod.StartOfLocalDay(issuedOn).AddHours(8);
            await db.SaveChangesAsync();
        }
        return account;
    }

    /// <summary>Records events as the servers would (the recorder), each at its own moment.</summary>
    protected async Task EventsAsync(params (string Address, DateTimeOffset At, UsageKind Kind)[] events)
    {
        await using var db = Database.Open();
        var ids = await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.Address, a => a.Id);
        foreach (var (address, at, kind) in events)
            UsageRecorder.Add(db, address, ids.TryGetValue(address, out var id) ? id : null, kind,
                kind == UsageKind.Webmail ? UsageProtocol.Web : UsageProtocol.Imap, "192.0.2.10", at);
        await db.SaveChangesAsync();
    }

    /// <summary>A login and a message read on each of the given local days of a month.</summary>
    protected Task ActiveOnAsync(string address, int year, int month, params int[] days) =>
        EventsAsync([.. days.SelectMany(d => new[] { (address, Local(year, month, d, 8), UsageKind.Login), (address, Local(year, month, d, 8, 5), UsageKind.Read) })]);

    /// <summary>Active (login and read) on the first <paramref name="count"/> working days of a period.</summary>
    protected Task ActiveOnWorkingDaysAsync(string address, UsagePeriod period, int count, int skip = 0) =>
        EventsAsync([.. WorkingCalendar.Vietnam.WorkingDays(period.FirstDay, period.LastDay).Skip(skip).Take(count)
            .SelectMany(d => new[]
            {
                (address, Local(d.Year, d.Month, d.Day, 8), UsageKind.Login), (address, Local(d.Year, d.Month, d.Day, 8, 5), UsageKind.Read),
            })]);

    protected async Task<UsageReport> ReportAsync(UsagePeriod period, string? agency = null) => Ok(await Reports.PeriodAsync(period, agency));

    protected static UsageClass ClassOf(UsageReport report, string address) =>
        report.Lines.SingleOrDefault(l => l.Account.Address == address)?.Class
        ?? throw new Xunit.Sdk.XunitException($"{address} is not in the report of {report.Period}");

    protected async Task<List<UsageDay>> DailyRowsAsync()
    {
        await using var db = Database.Open();
        return (await db.UsageDays.AsNoTracking().ToListAsync()).OrderBy(d => d.AccountId).ThenBy(d => d.Day).ToList();
    }
}
