using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Tests.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Tests.Directory;

/// <summary>Two administrators (or two nodes) changing the same thing at once: one wins, nothing is half-written.</summary>
public abstract class ConcurrencyTests(DatabaseProvider provider) : DirectoryTest(provider)
{
    private const string Thinh = "ldthinh@tphcm.gov.vn";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddUnitAsync("Sở Nội vụ");
        await AddAccountAsync("Lê Đức Thịnh", "Sở Nội vụ");
    }

    [Fact]
    public async Task The_second_of_two_updates_from_the_same_version_fails_with_a_concurrency_error()
    {
        await using var first = Database.Open();
        await using var second = Database.Open();
        var a = await first.Accounts.SingleAsync(x => x.Address == Thinh);
        var b = await second.Accounts.SingleAsync(x => x.Address == Thinh);

        a.Title = "Trưởng phòng";
        a.Version = Guid.NewGuid();
        await first.SaveChangesAsync();
        b.Title = "Phó Trưởng phòng";
        b.Version = Guid.NewGuid();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        var stored = await StoredAsync(Thinh);
        Assert.Equal(("Trưởng phòng", a.Version), (stored.Title, stored.Version));
    }

    [Fact]
    public async Task A_directory_change_made_meanwhile_makes_a_stale_edit_fail()
    {
        await using var stale = Database.Open();
        var account = await stale.Accounts.SingleAsync(x => x.Address == Thinh);
        Ok(await Accounts.ApplyAsync(Thinh, AccountAction.Lock, Admin, null, LockReason.Administrator));

        account.DisplayName = "Lê Đức Thịnh (cũ)";
        account.Version = Guid.NewGuid();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => stale.SaveChangesAsync());
        var stored = await StoredAsync(Thinh);
        Assert.Equal((AccountState.Locked, "Lê Đức Thịnh"), (stored.State, stored.DisplayName));
    }

    [Fact]
    public async Task The_unique_index_refuses_a_second_row_with_the_same_address()
    {
        var unit = Ok(await Units.ResolveAsync("Sở Nội vụ"));
        var tenant = (await Tenants.FindAsync())!;
        await using var db = Database.Open();
        db.Accounts.Add(new Account
        {
            TenantId = tenant.Id, UnitId = unit.Id, Address = Thinh, DisplayName = "Lý Đức Thịnh", CreatedAt = TestDatabase.Start,
        });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.Equal("Lê Đức Thịnh", (await StoredAsync(Thinh)).DisplayName);
    }

    /// <summary>
    /// Two administrators issue the same address at the same moment, a few times over so that both often pass the
    /// "is it free?" check: one account is issued, the other add is refused or fails on the unique index, and the
    /// winner keeps its address (the loser must not rename it as if it were a closed account's).
    /// </summary>
    [Theory]
    [InlineData("vanthu")]
    [InlineData("tochuc")]
    [InlineData("thanhtra")]
    [InlineData("ketoan")]
    public async Task Two_concurrent_adds_of_the_same_address_issue_exactly_one_account(string local)
    {
        var address = local + "@tphcm.gov.vn";
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<object> AddAsync(string name)
        {
            await start.Task;
            try { return await Accounts.AddAsync(new NewAccount(name, "Sở Nội vụ") { Address = local }, Admin); }
            catch (DbUpdateException ex) { return ex; } // both passed the check; the unique index stopped the second
        }
        var adds = new[] { Task.Run(() => AddAsync("Nguyễn Thị Thu Hà")), Task.Run(() => AddAsync("Trần Thị Lan")) };
        start.SetResult();
        var outcomes = await Task.WhenAll(adds);

        var winner = Assert.Single(outcomes.OfType<Result<IssuedAccount>>(), r => r.IsOk).Value!.Account;
        var loser = Assert.Single(outcomes, o => o is not Result<IssuedAccount> { IsOk: true });
        if (loser is Result<IssuedAccount> refused) Assert.Equal("AddressTaken", refused.Problem!.Code);
        else Assert.IsType<DbUpdateException>(loser, exactMatch: false);

        await using var db = Database.Open();
        var stored = await db.Accounts.AsNoTracking().SingleAsync(a => a.Address == address);
        Assert.Equal((winner.Id, winner.DisplayName), (stored.Id, stored.DisplayName));
        Assert.Equal(3, await db.Accounts.CountAsync()); // the administrator, ldthinh and the winner
        Assert.Equal(3, await db.AccountHistory.CountAsync(t => t.Event == "issue"));
        Assert.Single(await AuditAsync("account.add", address));
    }
}

public sealed class ConcurrencyTestsOnSqlite() : ConcurrencyTests(DatabaseProvider.Sqlite);

public sealed class ConcurrencyTestsOnPostgres() : ConcurrencyTests(DatabaseProvider.Postgres);
