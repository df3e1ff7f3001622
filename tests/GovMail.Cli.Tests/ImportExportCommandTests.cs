using System.Text.Json;
using GovMail.Cli.Tests.Support;
using GovMail.Storage.Import;

namespace GovMail.Cli.Tests;

public sealed class ImportExportCommandTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    [Fact]
    public async Task Import_dry_run_shows_the_plan_and_writes_nothing_then_the_real_import_issues_the_mailboxes()
    {
        using var data = new DataFolder();
        await data.InitAsync();
        var before = (await data.RunAsync("account", "list", "--json")).Ok().Out;

        var dryRun = (await data.RunAsync("account", "import", Fixture("staff-binh-chanh.csv"), "--dry-run")).Ok();

        Assert.Contains("Chạy thử: sẽ cấp 4 hộp thư", dryRun.Out, StringComparison.Ordinal);
        Assert.Contains("nvan@tphcm.gov.vn", dryRun.Out, StringComparison.Ordinal);
        Assert.Equal(before, (await data.RunAsync("account", "list", "--json")).Ok().Out);
        Assert.DoesNotContain("Bình Chánh", (await data.RunAsync("unit", "list")).Ok().Out, StringComparison.Ordinal);

        var imported = (await data.RunAsync("account", "import", Fixture("staff-binh-chanh.csv"), "--json")).Ok().Json;

        Assert.True(imported.GetProperty("applied").GetBoolean());
        var accounts = imported.GetProperty("accounts").EnumerateArray().ToList();
        Assert.Equal([2, 3, 4, 5], accounts.Select(a => a.GetProperty("row").GetInt32()));
        Assert.All(accounts, a => Assert.False(string.IsNullOrEmpty(a.GetProperty("temporaryPassword").GetString())));
        Assert.Contains("UBND xã Vĩnh Lộc A", imported.GetProperty("newUnits").EnumerateArray().Select(u => u.GetString()));
        var culture = (await data.RunAsync("account", "list", "--unit", "Phòng Văn hóa và Thông tin", "--json")).Ok().Json.EnumerateArray()
            .ToDictionary(a => a.GetProperty("displayName").GetString()!, a => a.GetProperty("address").GetString());
        Assert.Equal("nvan@tphcm.gov.vn", culture["Nguyễn Văn An"]);
        Assert.Equal("ttbngoc@tphcm.gov.vn", culture["Trần Thị Bích Ngọc"]);
        var commune = Assert.Single((await data.RunAsync("account", "list", "--unit", "UBND xã Vĩnh Lộc A", "--json")).Ok().Json.EnumerateArray());
        Assert.Equal("Chủ tịch", commune.GetProperty("title").GetString());
        Assert.Equal("UBND huyện Bình Chánh", commune.GetProperty("agency").GetString());
    }

    [Fact]
    public async Task Import_of_a_file_with_bad_rows_names_every_bad_row_and_imports_nothing()
    {
        using var data = new DataFolder();
        await data.InitAsync();
        var before = (await data.RunAsync("account", "list", "--json")).Ok().Out;

        var refused = await data.RunAsync("account", "import", Fixture("staff-bad-rows.csv"));

        Assert.Equal(1, refused.ExitCode);
        Assert.DoesNotContain("   at ", refused.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", refused.Err, StringComparison.Ordinal);
        // Progress (plain lines when not on a terminal): the rows are checked, none is issued; the row problems follow.
        Assert.Equal("Kiểm tra danh sách cán bộ staff-bad-rows.csv: 0/5 (0%), còn khoảng 00:00:00", refused.ErrorLines[0]);
        Assert.Equal("Kiểm tra danh sách cán bộ staff-bad-rows.csv: 5/5 (100%), còn khoảng 00:00:00",
            refused.ErrorLines.Last(l => l.StartsWith("Kiểm tra", StringComparison.Ordinal)));
        var lines = refused.ErrorLines.SkipWhile(l => l.StartsWith("Kiểm tra", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, lines.Count);
        Assert.StartsWith("Dòng 3: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("Trần Thị 2 Bình", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Dòng 4: ", lines[1], StringComparison.Ordinal);
        Assert.Contains("cơ quan", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("Dòng 5: ", lines[2], StringComparison.Ordinal);
        Assert.Contains("12ab", lines[2], StringComparison.Ordinal);
        Assert.Contains("Không nhập gì", refused.Out, StringComparison.Ordinal);
        Assert.Equal(before, (await data.RunAsync("account", "list", "--json")).Ok().Out);
        Assert.DoesNotContain("Bình Chánh", (await data.RunAsync("unit", "list")).Ok().Out, StringComparison.Ordinal);

        var json = (await data.RunAsync("account", "import", Fixture("staff-bad-rows.csv"), "--dry-run", "--json")).Json;
        Assert.Equal([3, 4, 5], json.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("row").GetInt32()));
        Assert.False(json.GetProperty("applied").GetBoolean());
    }

    [Fact]
    public async Task Import_of_an_excel_staff_list_with_a_title_row_issues_its_mailboxes()
    {
        using var data = new DataFolder();
        await data.InitAsync();
        var workbook = data.File("danh-sach-can-bo.xlsx");
        StaffWorkbook.Write(workbook, "DANH SÁCH CÁN BỘ ĐỀ NGHỊ CẤP HỘP THƯ CÔNG VỤ",
        [
            ["STT", "Họ và tên", "Chức danh", "Phòng ban", "Cơ quan", "Điện thoại"],
            [1, "Nguyễn Bảo Quyên", "Giám đốc", null, "Trung tâm Thông tin Triển lãm", "0901 976 040"],
            [2, "Hoàng Trọng Luân", "Trưởng phòng", "Phòng Hành chính – Tổng hợp", "Trung tâm Thông tin Triển lãm", null],
            [3, "Lê Như Hậu", "Viên chức", "Phòng Hành chính – Tổng hợp", "Trung tâm Thông tin Triển lãm", "0862.866.806"],
        ]);

        var imported = (await data.RunAsync("account", "import", workbook, "--json")).Ok().Json;

        Assert.True(imported.GetProperty("applied").GetBoolean());
        // Rows as Excel numbers them: the title, a blank row and the headings come first.
        Assert.Equal([4, 5, 6], imported.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("row").GetInt32()));
        var listed = (await data.RunAsync("account", "list", "--unit", "Trung tâm Thông tin Triển lãm", "--json")).Ok().Json.EnumerateArray()
            .ToDictionary(a => a.GetProperty("address").GetString()!, a => a.GetProperty("displayName").GetString());
        Assert.Equal("Nguyễn Bảo Quyên", listed["nbquyen@tphcm.gov.vn"]);
        Assert.Equal("Hoàng Trọng Luân", listed["htluan@tphcm.gov.vn"]);
        Assert.Equal("Lê Như Hậu", listed["lnhau@tphcm.gov.vn"]);
    }

    [Fact]
    public async Task Export_to_csv_then_import_into_a_new_data_folder_keeps_names_units_and_addresses()
    {
        using var source = new DataFolder();
        await source.InitAsync();
        (await source.RunAsync("account", "import", Fixture("staff-binh-chanh.csv"))).Ok();
        (await source.RunAsync("unit", "add", "Sở Văn hóa và Thể thao")).Ok();
        (await source.RunAsync("unit", "add", "Phòng Nghệ thuật", "--parent", "Sở Văn hóa và Thể thao")).Ok();
        (await source.RunAsync("account", "add", "--name", "Lê Đức Thịnh", "--unit", "Phòng Nghệ thuật", "--title", "Chuyên viên")).Ok();
        (await source.RunAsync("account", "add", "nghethuat", "--name", "Phòng Nghệ thuật", "--unit", "Phòng Nghệ thuật", "--kind", "collective")).Ok();
        var file = source.File("tai-khoan.csv");

        var export = (await source.RunAsync("account", "export", "-o", file)).Ok();
        Assert.Contains(file, export.Err, StringComparison.Ordinal);

        using var target = new DataFolder();
        // The new folder has its own administrator, so the exported one comes in under another address.
        (await target.RunAsync("init", "--domain", DataFolder.Domain, "--name", DataFolder.Organisation, "--admin", "quantri")).Ok();
        (await target.RunAsync("account", "import", file)).Ok();

        var before = await DirectoryOf(source);
        var after = await DirectoryOf(target);
        Assert.Equal(before, after.Where(a => a.Address != "quantri@tphcm.gov.vn").ToList());
        Assert.Contains(after, a => a is { Address: "nghethuat@tphcm.gov.vn", Kind: "collective" });
        Assert.Contains(after, a => a is { DisplayName: "Lê Đức Thịnh", UnitPath: "Sở Văn hóa và Thể thao / Phòng Nghệ thuật", Title: "Chuyên viên" });
    }

    [Fact]
    public async Task Export_to_xlsx_writes_a_workbook_the_importer_reads_back()
    {
        using var data = new DataFolder();
        await data.InitAsync();
        (await data.RunAsync("account", "import", Fixture("staff-binh-chanh.csv"))).Ok();
        var file = data.File("tai-khoan.xlsx");

        (await data.RunAsync("account", "export", "-o", file)).Ok();

        var read = StaffListReader.Read(file);
        Assert.True(read.IsOk, read.Problem?.Message());
        Assert.Equal(5, read.Rows.Count);
        Assert.Contains(read.Rows, r => r.FullName == "Phạm Thị Ánh Tuyết" && r.Department == "UBND xã Vĩnh Lộc A" && r.Agency == "UBND huyện Bình Chánh");
        Assert.Contains(read.Rows, r => r.FullName == "Trần Thị Bích Ngọc" && r.Address == "ttbngoc@tphcm.gov.vn");
    }

    private sealed record Entry(string Address, string DisplayName, string? Title, string UnitPath, string Kind);

    private static async Task<List<Entry>> DirectoryOf(DataFolder data) =>
        (await data.RunAsync("account", "list", "--json")).Ok().Json.EnumerateArray()
            .Select(a => new Entry(a.GetProperty("address").GetString()!, a.GetProperty("displayName").GetString()!,
                a.GetProperty("title").ValueKind == JsonValueKind.Null ? null : a.GetProperty("title").GetString(),
                a.GetProperty("unitPath").GetString()!, a.GetProperty("kind").GetString()!))
            .OrderBy(e => e.Address, StringComparer.Ordinal).ToList();
}
