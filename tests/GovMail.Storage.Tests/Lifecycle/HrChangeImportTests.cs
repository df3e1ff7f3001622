using GovMail.Core.Accounts;
using GovMail.Core.Lifecycle;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Import;
using GovMail.Storage.Lifecycle;
using GovMail.Storage.Tests.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Tests.Lifecycle;

/// <summary>An HR change file applied all or nothing, bad rows named with their row number and a plain reason.</summary>
public abstract class HrChangeImportTests(DatabaseProvider provider) : DirectoryTest(provider)
{
    private const string Culture = "Sở Văn hóa và Thể thao";
    private const string Art = "Sở Văn hóa và Thể thao / Phòng Nghệ thuật";

    private HrChangeImporter HrChanges => new(Database, Test.Clock, Test.Hasher);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddUnitAsync(Culture);
        await AddUnitAsync("Phòng Nghệ thuật", Culture);
        await AddUnitAsync("Sở Du lịch");
        Ok(await Accounts.AddAsync(new NewAccount("Phòng Nghệ thuật", Art) { Address = "pnt", Kind = AccountKind.Collective }, Admin));
        foreach (var (name, address) in new[] { ("Lê Đức Thịnh", "ldthinh"), ("Võ Anh Tuấn", "vatuan"), ("Nguyễn Thị Lan", "ntlan"), ("Trần Văn Bốn", "ttbon") })
            await AddAccountAsync(name, Art, address + "@tphcm.gov.vn");
    }

    private static IReadOnlyList<HrChangeRow> Read(string fixture)
    {
        var read = HrChangeFileReader.Read(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture));
        Assert.True(read.IsOk, read.Problem?.ToString());
        return read.Rows;
    }

    private async Task<int> AuditCountAsync()
    {
        await using var db = Database.Open();
        return await db.Audit.CountAsync();
    }

    [Fact]
    public async Task A_file_with_bad_rows_is_refused_whole_with_each_row_and_reason_and_nothing_changes()
    {
        var auditBefore = await AuditCountAsync();

        var plan = await HrChanges.ApplyAsync(Read("hr-changes-bad.csv"), dryRun: false, Admin, "hr-changes-bad.csv");

        Assert.False(plan.Applied);
        // Row numbers are the file's lines: a title line, the headings on line 2, the first person on line 3.
        Assert.Equal(
            [(4, "UnitNotFound"), (5, "AccountNotFound"), (6, "HrChangeAddressMissing"), (7, "HrChangeDuplicate"),
                (8, "HrChangeActionUnknown"), (9, "HrChangeDuplicate"), (9, "HrChangeEffectiveInvalid")],
            plan.Problems.Select(p => (p.RowNumber, p.Problem.Code)));
        Assert.Equal("Không hiểu thay đổi \"Nghỉ phép\"; chỉ dùng: chuyển công tác, nghỉ hưu, thôi việc, hủy.",
            plan.Problems.Single(p => p.RowNumber == 8).Problem.Message());
        Assert.Equal(auditBefore, await AuditCountAsync());
        Assert.Equal(AccountState.PendingFirstLogin, (await StoredAsync("ldthinh@tphcm.gov.vn")).State);
        await using var db = Database.Open();
        Assert.False(await db.ScheduledActions.AnyAsync());
        Assert.False(await db.DeliveryRules.AnyAsync());
    }

    [Fact]
    public async Task A_dry_run_shows_every_change_and_writes_nothing_then_the_real_run_applies_them_all()
    {
        var rows = Read("hr-changes-good.csv");

        var dry = await HrChanges.ApplyAsync(rows, dryRun: true, Admin, "hr-changes-good.csv");

        Assert.False(dry.Applied);
        Assert.Empty(dry.Problems);
        Assert.Equal([LifecycleKind.Retirement, LifecycleKind.Transfer, LifecycleKind.Resignation, LifecycleKind.Cancellation], dry.Done.Select(d => d.Kind));
        Assert.Equal(AccountState.PendingFirstLogin, (await StoredAsync("ntlan@tphcm.gov.vn")).State);
        Assert.Equal(AccountState.PendingFirstLogin, (await StoredAsync("vatuan@tphcm.gov.vn")).State);
        Assert.Empty(await AuditAsync("account.hr-changes", "hr-changes-good.csv"));

        var plan = await HrChanges.ApplyAsync(rows, dryRun: false, Admin, "hr-changes-good.csv");

        Assert.True(plan.Applied);
        Assert.Equal(AccountState.Disabled, (await StoredAsync("ntlan@tphcm.gov.vn")).State);
        Assert.Equal(AccountState.Closed, (await StoredAsync("ttbon@tphcm.gov.vn")).State);
        Assert.Equal("Sở Du lịch", Ok(await Accounts.FindAsync("vatuan.sdl@tphcm.gov.vn")).AgencyName);
        Assert.Equal("vatuan.sdl@tphcm.gov.vn", Ok(await Accounts.FindAsync("vatuan@tphcm.gov.vn")).Account.Address);
        Assert.Equal([AccountAction.Disable, AccountAction.Close],
            (await new LifecycleWorkflows(Database, Test.Clock, Test.Hasher).PendingAsync((await StoredAsync("ldthinh@tphcm.gov.vn")).Id)).Select(s => s.Action));
        Assert.Equal("retire 1; transfer 1; resign 1; cancel 1", Assert.Single(await AuditAsync("account.hr-changes", "hr-changes-good.csv")).Detail);
    }
}

public sealed class HrChangeImportTestsOnSqlite() : HrChangeImportTests(DatabaseProvider.Sqlite);

public sealed class HrChangeImportTestsOnPostgres() : HrChangeImportTests(DatabaseProvider.Postgres);
