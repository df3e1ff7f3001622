using GovMail.Cli.Tests.Support;

namespace GovMail.Cli.Tests;

/// <summary>A data folder the bad-input cases share; none of them may change it.</summary>
public sealed class PreparedFolder : IAsyncLifetime, IDisposable
{
    internal DataFolder Data { get; } = new();

    public async Task InitializeAsync()
    {
        await Data.InitWithUnitsAsync();
        // Two departments of the same name in different agencies.
        (await Data.RunAsync("unit", "add", "Phòng Tổng hợp", "--parent", "Sở Văn hóa và Thể thao")).Ok();
        (await Data.RunAsync("unit", "add", "Phòng Tổng hợp", "--parent", DataFolder.Organisation)).Ok();
        (await Data.RunAsync("account", "add", "ldthinh", "--name", "Lê Đức Thịnh", "--unit", "Phòng Nghệ thuật")).Ok();
        (await Data.RunAsync("account", "add", "dathuy", "--name", "Đỗ Anh Thư", "--unit", "Phòng Nghệ thuật")).Ok();
        (await Data.RunAsync("account", "close", "dathuy@tphcm.gov.vn")).Ok();
        await File.WriteAllBytesAsync(Data.File("garbage.xlsx"), [.. Enumerable.Range(0, 512).Select(i => (byte)(i * 37 % 251))]);
        await File.WriteAllTextAsync(Data.File("danh-sach.pdf"), "%PDF-1.4 danh sách cán bộ");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Data.Dispose();
}

public sealed class BadInputTests(PreparedFolder prepared) : IClassFixture<PreparedFolder>
{
    /// <summary>Each case: the command line (<c>{files}</c> stands for a folder of test files), the exit code, a word the line must hold.</summary>
    public static TheoryData<string[], int, string> Cases => new()
    {
        { ["frobnicate"], 2, "'frobnicate'" },
        { ["account", "frobnicate"], 2, "'frobnicate'" },
        { ["account", "list", "--colour"], 2, "--colour" },
        { ["unit", "add"], 2, "add" },
        { ["init", "--domain", "tphcm.gov.vn"], 2, "--name" },
        { ["account", "add", "--name", "Lê Văn Tám"], 2, "--unit" },
        { ["account", "transfer", "ldthinh@tphcm.gov.vn"], 2, "--unit" },
        { ["account", "add", "lê văn tám@tphcm", "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật"], 1, "lê văn tám@tphcm" },
        { ["account", "add", "ltam@hanoi.gov.vn", "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật"], 1, "hanoi.gov.vn" },
        { ["account", "add", "ldthinh", "--name", "Lê Đức Thịnh", "--unit", "Phòng Nghệ thuật"], 1, "ldthinh@tphcm.gov.vn" },
        { ["account", "add", "--name", "Lê Văn Tám", "--unit", "Phòng Không Tồn Tại"], 1, "Phòng Không Tồn Tại" },
        { ["account", "add", "--name", "Lê Văn Tám", "--unit", "Phòng Tổng hợp"], 1, "Phòng Tổng hợp" },
        { ["account", "list", "--unit", "Phòng Tổng hợp"], 1, "Phòng Tổng hợp" },
        { ["unit", "add", "Phòng Kế hoạch", "--parent", "Sở Không Có"], 1, "Sở Không Có" },
        { ["account", "add", "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật", "--issued", "2024-02-30"], 2, "2024-02-30" },
        { ["account", "add", "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật", "--issued", "hôm qua"], 2, "hôm qua" },
        { ["account", "add", "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật", "--quota", "nhiều"], 2, "nhiều" },
        { ["account", "update", "ldthinh@tphcm.gov.vn", "--quota", "-5GB"], 2, "-5GB" },
        { ["account", "add", "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật", "--kind", "robot"], 2, "robot" },
        { ["account", "list", "--state", "sleeping"], 2, "sleeping" },
        { ["account", "lock", "ldthinh@tphcm.gov.vn", "--cause", "boredom"], 2, "boredom" },
        { ["account", "add", "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật", "--password", "weak"], 1, "8" },
        { ["account", "add", "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật", "--password", "Password1!"], 1, "phổ biến" },
        { ["account", "add", "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật", "--phone", "gọi tôi"], 1, "gọi tôi" },
        { ["account", "show", "nobody@tphcm.gov.vn"], 1, "nobody@tphcm.gov.vn" },
        { ["account", "lock", "nobody@tphcm.gov.vn"], 1, "nobody@tphcm.gov.vn" },
        { ["account", "unlock", "dathuy@tphcm.gov.vn"], 1, "closed" },
        { ["account", "reset-password", "dathuy@tphcm.gov.vn"], 1, "dathuy@tphcm.gov.vn" },
        { ["account", "unlock", "ldthinh@tphcm.gov.vn"], 1, "pending-first-login" },
        { ["account", "import", "{files}/khong-co.csv"], 1, "Không tìm thấy tệp" },
        { ["account", "import", "{files}/garbage.xlsx"], 1, "không phải bảng tính Excel .xlsx hợp lệ" },
        { ["account", "import", "{files}/garbage.xlsx", "--dry-run"], 1, "garbage.xlsx" },
        { ["account", "import", "{files}/danh-sach.pdf"], 1, "không phải bảng tính .xlsx hay tệp .csv" },
        { ["account", "export", "--format", "pdf", "-o", "{files}/x.pdf"], 2, "pdf" },
        { ["account", "export", "--format", "xlsx"], 2, "xlsx" },
        { ["alias", "add", "thinh@tphcm.gov.vn", "nobody@tphcm.gov.vn"], 1, "nobody@tphcm.gov.vn" },
        { ["group", "add-member", "nogroup@tphcm.gov.vn", "ldthinh@tphcm.gov.vn"], 1, "nogroup@tphcm.gov.vn" },
        { ["serve", "--http", "70000"], 2, "70000" },
        { ["serve", "--https", "-1"], 2, "-1" },
        { ["serve", "--http", "eighty"], 2, "Cổng không hợp lệ cho --http: eighty" },
        { ["serve", "--smtp", "25.5"], 2, "25.5" },
        { ["serve", "--bind", "not-an-ip", "--http", "0", "--https", "0"], 2, "not-an-ip" },
        { ["account", "list", "--db", "mysql"], 2, "mysql" },
        { ["account", "list", "--db", "postgres"], 2, "--connection" },
        { ["init", "--domain", "tphcm.gov.vn", "--name", "X", "--db", "postgres"], 2, "--connection" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gives_one_plain_line_and_a_nonzero_exit_code(string[] args, int exitCode, string named)
    {
        var files = Path.GetDirectoryName(prepared.Data.File("garbage.xlsx"))!;

        var result = await prepared.Data.RunAsync([.. args.Select(a => a.Replace("{files}", files, StringComparison.Ordinal))]);

        result.Refused(exitCode);
        Assert.Contains(named, result.ErrorLines[0], StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Theory]
    [InlineData("account", "list")]
    [InlineData("account", "add", "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật")]
    [InlineData("unit", "list")]
    [InlineData("unit", "add", "Sở Văn hóa và Thể thao")]
    [InlineData("account", "import", "staff.csv")]
    [InlineData("alias", "list")]
    public async Task Commands_before_init_say_the_folder_has_no_mail_system_and_create_nothing(params string[] args)
    {
        var empty = Path.Combine(Path.GetDirectoryName(prepared.Data.File("x"))!, "not-initialised-" + Guid.NewGuid().ToString("N")[..6]);

        var result = await DataFolder.RunInAsync(empty, prepared.Data.Clock, args);

        result.Refused(1);
        Assert.Contains("chưa được khởi tạo", result.Err, StringComparison.Ordinal);
        Assert.Contains("govmail init", result.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(empty, "govmail.db")));
    }

    [Fact]
    public async Task Closing_then_unlocking_is_refused_by_the_state_machine_and_leaves_the_account_closed()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", "ldthinh", "--name", "Lê Đức Thịnh", "--unit", "Phòng Nghệ thuật")).Ok();
        (await data.RunAsync("account", "close", "ldthinh@tphcm.gov.vn")).Ok();

        var refused = (await data.RunAsync("account", "unlock", "ldthinh@tphcm.gov.vn")).Refused(1);

        Assert.Equal("govmail: Không thể thực hiện thao tác \"unlock\" với tài khoản đang ở trạng thái \"closed\".", refused.ErrorLines[0]);
        Assert.Equal("closed", (await data.RunAsync("account", "show", "ldthinh@tphcm.gov.vn", "--json")).Ok().Json.GetProperty("state").GetString());
    }
}
