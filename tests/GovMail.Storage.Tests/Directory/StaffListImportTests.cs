using GovMail.Core.Accounts;
using GovMail.Core.Directory;
using GovMail.Core.Security;
using GovMail.Storage.Database;
using GovMail.Storage.Import;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Tests.Directory;

/// <summary>Issuing a whole staff list (danh sách cán bộ): all rows or none.</summary>
public abstract class StaffListImportTests(DatabaseProvider provider) : DirectoryTest(provider)
{
    private const string So = "Sở Văn hóa và Thể thao";

    private static StaffListRow Row(int number, string name, string? department, string? address = null, string? phone = null,
        string? kind = null, string agency = So) =>
        new(number, null, name, "Chuyên viên", department, agency, phone, address, null, kind);

    private async Task<(int Accounts, int Units, int Groups)> CountAsync()
    {
        await using var db = Database.Open();
        return (await db.Accounts.CountAsync(), await db.Units.CountAsync(), await db.Groups.CountAsync());
    }

    [Fact]
    public async Task A_good_list_issues_every_account_and_creates_its_units()
    {
        // The fixture's first row is on the agency's own sub-domain.
        await using (var db = Database.Open())
        {
            db.Domains.Add(new MailDomain { Name = "svhtt.tphcm.gov.vn", TenantId = (await db.Tenants.SingleAsync()).Id });
            await db.SaveChangesAsync();
        }
        var read = StaffListReader.Read(Path.Combine(AppContext.BaseDirectory, "Fixtures", "staff-list-good.csv"));
        Assert.True(read.IsOk);

        var plan = await Importer.ImportAsync(read.Rows, new ImportOptions { SourceName = "staff-list-good.csv" }, Admin);

        Assert.True(plan.Applied);
        Assert.Empty(plan.Problems);
        Assert.Equal(
        [
            (5, "ldthinh@svhtt.tphcm.gov.vn"), (6, "vatuan@tphcm.gov.vn"), (7, "nttha@tphcm.gov.vn"), (8, "pnthuat@tphcm.gov.vn"),
        ], plan.Accounts.Select(a => (a.RowNumber, a.Issued.Account.Address)));
        Assert.Equal([So, "Phòng Nghệ thuật", "Phòng Xây dựng nếp sống văn hóa và gia đình", "Văn phòng Sở"],
            plan.NewUnits.Select(u => u.Name));

        foreach (var planned in plan.Accounts)
        {
            var stored = await StoredAsync(planned.Issued.Account.Address);
            Assert.Equal(AccountState.PendingFirstLogin, stored.State);
            Assert.Equal(new DateTimeOffset(2026, 5, 23, 23, 59, 59, TimeSpan.FromHours(7)), stored.PasswordChangeDeadline);
            Assert.NotNull(planned.Issued.TemporaryPassword);
            Assert.True(PasswordHasher.Verify(planned.Issued.TemporaryPassword, stored.PasswordHash),
                $"the temporary password of row {planned.RowNumber} does not match its stored hash");
            Assert.Equal("issue", Assert.Single(await HistoryAsync(stored.Address)).Event);
        }
        var thinh = await StoredAsync("ldthinh@svhtt.tphcm.gov.vn");
        Assert.Equal(("Lê Đức Thịnh", "0918.595.098", "SVHTT-001"), (thinh.DisplayName, thinh.Phone, thinh.StaffNumber));
        Assert.Equal(AccountKind.Collective, (await StoredAsync("pnthuat@tphcm.gov.vn")).Kind);
        var view = Ok(await Accounts.FindAsync("nttha@tphcm.gov.vn"));
        Assert.Equal((So + " / Văn phòng Sở", So), (view.UnitPath, view.AgencyName));
        Assert.Equal(UnitKind.Agency, Ok(await Units.ResolveAsync(So)).Kind);
        Assert.Equal((1 + 4, 1 + 4, 1 + 4), await CountAsync());
        Assert.Equal("4 accounts, 4 units", Assert.Single(await AuditAsync("account.import", "staff-list-good.csv")).Detail);
    }

    [Fact]
    public async Task A_list_with_one_bad_row_issues_nothing_and_names_the_row()
    {
        var before = await CountAsync();
        var rows = new[]
        {
            Row(2, "Lê Đức Thịnh", "Phòng Nghệ thuật"),
            Row(3, "Nguyễn Thị Thu Hà", "Văn phòng Sở", phone: "0918 595"),
            Row(4, "Võ Anh Tuấn", "Phòng Nghệ thuật", address: "vatuan"),
        };

        var plan = await Importer.ImportAsync(rows, new ImportOptions(), Admin);

        Assert.False(plan.Applied);
        var problem = Assert.Single(plan.Problems);
        Assert.Equal((3, "ImportPhoneInvalid"), (problem.RowNumber, problem.Problem.Code));
        Assert.Equal(before, await CountAsync());
        Refused(await Units.ResolveAsync(So), "UnitNotFound");
    }

    [Fact]
    public async Task A_dry_run_plans_everything_and_writes_nothing()
    {
        var before = await CountAsync();

        var plan = await Importer.ImportAsync(
            [Row(2, "Lê Đức Thịnh", "Phòng Nghệ thuật"), Row(3, "Lê Đức Thịnh", null), Row(4, "Trần Văn Đông", "Thanh tra Sở")],
            new ImportOptions { DryRun = true }, Admin);

        Assert.False(plan.Applied);
        Assert.Empty(plan.Problems);
        Assert.Equal(["ldthinh@tphcm.gov.vn", "ldthinh1@tphcm.gov.vn", "tvdong@tphcm.gov.vn"],
            plan.Accounts.Select(a => a.Issued.Account.Address));
        Assert.Equal(3, plan.NewUnits.Count);
        Assert.Equal(before, await CountAsync());
        await using var db = Database.Open();
        Assert.False(await db.Audit.AnyAsync(a => a.Action == "account.import"));
    }

    [Fact]
    public async Task An_address_already_taken_in_the_directory_is_reported_with_its_row_number()
    {
        await AddUnitAsync("Sở Nội vụ");
        await AddAccountAsync("Lê Đức Thịnh", "Sở Nội vụ");
        var before = await CountAsync();

        var plan = await Importer.ImportAsync(
            [Row(7, "Lý Đức Thịnh", "Phòng Nghệ thuật"), Row(8, "Lê Đức Thịnh", "Phòng Nghệ thuật", address: "LDThinh@tphcm.gov.vn")],
            new ImportOptions(), Admin);

        Assert.False(plan.Applied);
        var problem = Assert.Single(plan.Problems);
        Assert.Equal((8, "AddressTaken", "ldthinh@tphcm.gov.vn"), (problem.RowNumber, problem.Problem.Code, problem.Problem.Args[0]));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task A_batch_deadline_given_in_Vietnam_time_is_stored_as_that_instant()
    {
        var deadline = new DateTimeOffset(2026, 5, 23, 23, 59, 59, TimeSpan.FromHours(7));

        var plan = await Importer.ImportAsync([Row(2, "Lê Đức Thịnh", "Phòng Nghệ thuật")],
            new ImportOptions { Deadline = deadline, IssuedOn = new DateOnly(2026, 5, 20) }, Admin);

        Assert.True(plan.Applied, string.Join("; ", plan.Problems.Select(p => p.Problem.Code)));
        var stored = await StoredAsync("ldthinh@tphcm.gov.vn");
        Assert.Equal((deadline, new DateOnly(2026, 5, 20)), (stored.PasswordChangeDeadline, stored.IssuedOn));
    }

    [Fact]
    public async Task The_issued_column_dates_each_account_and_a_bad_date_refuses_the_list()
    {
        const string header = "STT,Họ và tên,Chức danh,Phòng ban,Cơ quan,Ngày cấp\n";
        var folder = Path.Combine(Path.GetTempPath(), "govmail-issued-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(folder);
        try
        {
            var bad = Path.Combine(folder, "bad.csv");
            await File.WriteAllTextAsync(bad, header + "1,Lê Đức Thịnh,Chuyên viên,,Sở Văn hóa và Thể thao,31/02/2023\n");
            var refused = await Importer.ImportAsync(StaffListReader.Read(bad).Rows, new ImportOptions { SourceName = "bad.csv" }, Admin);
            Assert.False(refused.Applied);
            var problem = Assert.Single(refused.Problems);
            Assert.Equal((2, "ImportIssuedInvalid"), (problem.RowNumber, problem.Problem.Code));

            var good = Path.Combine(folder, "good.csv");
            await File.WriteAllTextAsync(good, header
                + "1,Lê Đức Thịnh,Chuyên viên,,Sở Văn hóa và Thể thao,15/03/2023\n"
                + "2,Võ Anh Tuấn,Cán sự,,Sở Văn hóa và Thể thao,2022-11-01\n"
                + "3,Trần Thị Lan,Cán sự,,Sở Văn hóa và Thể thao,\n");
            var plan = await Importer.ImportAsync(StaffListReader.Read(good).Rows, new ImportOptions { SourceName = "good.csv" }, Admin);
            Assert.True(plan.Applied);
            Assert.Equal(
                [new DateOnly(2023, 3, 15), new DateOnly(2022, 11, 1), Core.Time.VietnamTime.Today(Test.Clock.GetUtcNow())],
                plan.Accounts.Select(a => a.Issued.Account.IssuedOn));
            Assert.Equal(new DateOnly(2023, 3, 15), (await StoredAsync(plan.Accounts[0].Issued.Account.Address)).IssuedOn);
        }
        finally
        {
            System.IO.Directory.Delete(folder, true);
        }
    }
}

public sealed class StaffListImportTestsOnSqlite() : StaffListImportTests(DatabaseProvider.Sqlite);

public sealed class StaffListImportTestsOnPostgres() : StaffListImportTests(DatabaseProvider.Postgres);
