using GovMail.Core.Accounts;
using GovMail.Core.Directory;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Tests.Directory;

public abstract class UnitDirectoryTests(DatabaseProvider provider) : DirectoryTest(provider)
{
    private const string So = "Sở Văn hóa và Thể thao";
    private const string Huyen = "Ủy ban nhân dân huyện Bình Chánh";

    /// <summary>Two agencies, each with its own "Văn phòng".</summary>
    private async Task AddTwoAgenciesAsync()
    {
        await AddUnitAsync(So);
        await AddUnitAsync("Phòng Nghệ thuật", So);
        await AddUnitAsync("Văn phòng", So);
        await AddUnitAsync(Huyen);
        await AddUnitAsync("Văn phòng", Huyen);
        await AddUnitAsync("Phòng Nội vụ", Huyen);
    }

    [Fact]
    public async Task Units_are_added_under_their_parent_and_resolved_by_name_or_by_path()
    {
        await AddTwoAgenciesAsync();

        var listed = await Units.ListAsync();
        Assert.Equal(
        [
            (OperatorUnit, 0), (So, 0), (So + " / Phòng Nghệ thuật", 1), (So + " / Văn phòng", 1),
            (Huyen, 0), (Huyen + " / Phòng Nội vụ", 1), (Huyen + " / Văn phòng", 1),
        ], listed.Select(u => (u.Path, u.Depth)));
        Assert.Equal(UnitKind.Agency, listed.Single(u => u.Unit.Name == So).Unit.Kind);
        Assert.Equal(UnitKind.Department, listed.Single(u => u.Unit.Name == "Phòng Nghệ thuật").Unit.Kind);

        var art = Ok(await Units.ResolveAsync("Phòng Nghệ thuật"));
        Assert.Equal(art.Id, Ok(await Units.ResolveAsync(So + " / Phòng Nghệ thuật")).Id);
        Assert.Equal(art.Id, Ok(await Units.ResolveAsync("so van hoa va the thao/phong nghe thuat")).Id);
        Assert.Equal(listed.Single(u => u.Unit.Name == So).Unit.Id, art.ParentId);
        Refused(await Units.ResolveAsync(Huyen + " / Phòng Nghệ thuật"), "UnitNotFound");
        Refused(await Units.AddAsync("Phong nghe thuat", So, null, Admin), "UnitExists");

        // Every unit has its automatic group, which reaches the sub-units too.
        await using var db = Database.Open();
        var group = await db.Groups.AsNoTracking().SingleAsync(g => g.UnitId == art.Id);
        Assert.Equal(("Phòng Nghệ thuật", true, null), (group.Name, group.IncludeSubunits, group.Address));
    }

    [Fact]
    public async Task A_name_shared_by_units_of_two_agencies_is_refused_with_both_paths()
    {
        await AddTwoAgenciesAsync();

        var problem = Refused(await Units.ResolveAsync("Văn phòng"), "UnitAmbiguous");
        Assert.Equal($"{So} / Văn phòng; {Huyen} / Văn phòng", problem.Args[1]);
        Refused(await Units.ResolveAsync("van phong"), "UnitAmbiguous");
        Refused(await Accounts.AddAsync(new("Trần Thị Lan", "Văn phòng"), Admin), "UnitAmbiguous");

        var huyenOffice = Ok(await Units.ResolveAsync(Huyen + " / Văn phòng"));
        Assert.Equal(Huyen + " / Văn phòng", (await Units.ListAsync()).Single(u => u.Unit.Id == huyenOffice.Id).Path);
    }

    [Fact]
    public async Task A_unit_moves_with_its_subtree_but_never_under_itself()
    {
        await AddTwoAgenciesAsync();
        await AddUnitAsync("Tổ Biểu diễn", So + " / Phòng Nghệ thuật");

        Refused(await Units.MoveAsync(So, So + " / Phòng Nghệ thuật / Tổ Biểu diễn", Admin), "UnitMoveCycle");
        Refused(await Units.MoveAsync(So, So, Admin), "UnitMoveCycle");
        Refused(await Units.MoveAsync(So + " / Văn phòng", Huyen, Admin), "UnitExists");

        var moved = Ok(await Units.MoveAsync("Phòng Nghệ thuật", Huyen, Admin));

        var paths = (await Units.ListAsync()).Select(u => u.Path).ToList();
        Assert.Contains(Huyen + " / Phòng Nghệ thuật / Tổ Biểu diễn", paths);
        Assert.DoesNotContain(So + " / Phòng Nghệ thuật", paths);
        Assert.Equal(Ok(await Units.ResolveAsync(Huyen)).Id, Ok(await Units.ResolveAsync("Phòng Nghệ thuật")).ParentId);
        Assert.Equal(Huyen, Assert.Single(await AuditAsync("unit.move", moved.Name)).Detail);

        Ok(await Units.MoveAsync("Phòng Nghệ thuật", null, Admin));
        Assert.Null(Ok(await Units.ResolveAsync("Phòng Nghệ thuật")).ParentId);
    }

    [Fact]
    public async Task A_unit_head_must_hold_an_open_account()
    {
        await AddTwoAgenciesAsync();
        var head = await AddAccountAsync("Nguyễn Văn Hùng", "Phòng Nghệ thuật");
        var leaving = await AddAccountAsync("Phạm Thị Xuân", "Phòng Nghệ thuật");
        Ok(await Accounts.ApplyAsync(leaving.Account.Address, AccountAction.Close, Admin, "Nghỉ hưu"));

        Refused(await Units.SetHeadAsync("Phòng Nghệ thuật", leaving.Account.Address, Admin), "AccountClosed");
        Refused(await Units.SetHeadAsync("Phòng Nghệ thuật", "khongco@tphcm.gov.vn", Admin), "AccountNotFound");
        Ok(await Units.SetHeadAsync("Phòng Nghệ thuật", " NVHUNG@tphcm.gov.vn ", Admin));

        var node = (await Units.ListAsync()).Single(u => u.Unit.Name == "Phòng Nghệ thuật");
        Assert.Equal(("nvhung@tphcm.gov.vn", head.Account.Id, 1), (node.HeadAddress, node.Unit.HeadAccountId, node.AccountCount));
        Assert.Equal("nvhung@tphcm.gov.vn", Assert.Single(await AuditAsync("unit.set-head", "Phòng Nghệ thuật")).Detail);
    }
}

public sealed class UnitDirectoryTestsOnSqlite() : UnitDirectoryTests(DatabaseProvider.Sqlite);

public sealed class UnitDirectoryTestsOnPostgres() : UnitDirectoryTests(DatabaseProvider.Postgres);
