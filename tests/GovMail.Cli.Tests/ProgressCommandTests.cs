using System.Text.RegularExpressions;
using GovMail.Cli.Tests.Support;

namespace GovMail.Cli.Tests;

/// <summary>
/// Long commands count their work on standard error; when it is not a terminal (as here) as plain lines
/// <c>STAGE: done/total (percent%), còn khoảng hh:mm:ss</c>: a line when a stage starts, at most one a second, one when it ends.
/// </summary>
public sealed partial class ProgressCommandTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    [GeneratedRegex(@"^(?<stage>.+): (?<done>[\d.]+)/(?<total>[\d.]+) \((?<percent>\d+)%\), còn khoảng \d\d:\d\d:\d\d$")]
    private static partial Regex ProgressLine();

    /// <summary>The stages in the order they ran, each with the counts its lines showed.</summary>
    private static List<(string Stage, List<(long Done, long Total)> Counts)> Stages(CliResult run)
    {
        var stages = new List<(string, List<(long, long)>)>();
        foreach (var line in run.ErrorLines)
        {
            var m = ProgressLine().Match(line);
            if (!m.Success) continue;
            var counts = (long.Parse(m.Groups["done"].Value.Replace(".", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture),
                long.Parse(m.Groups["total"].Value.Replace(".", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture));
            if (stages.Count == 0 || stages[^1].Item1 != m.Groups["stage"].Value) stages.Add((m.Groups["stage"].Value, []));
            stages[^1].Item2.Add(counts);
        }
        return stages;
    }

    /// <summary>Asserts the stages ran in this order, each counted from 0 to its total, never backwards.</summary>
    private static void AssertCounted(CliResult run, params (string Stage, long Total)[] expected)
    {
        var stages = Stages(run);
        Assert.Equal(expected.Select(e => e.Stage), stages.Select(s => s.Stage));
        foreach (var ((_, total), (stage, counts)) in expected.Zip(stages))
        {
            Assert.True(counts[0] == (0, total), $"{stage} starts at {counts[0]}");
            Assert.True(counts[^1] == (total, total), $"{stage} ends at {counts[^1]}");
            Assert.Equal(counts.Select(c => c.Done).Order(), counts.Select(c => c.Done));
        }
    }

    [Fact]
    public async Task Account_import_counts_the_rows_checked_the_passwords_made_and_the_mailboxes_issued()
    {
        using var data = new DataFolder();
        await data.InitAsync();

        var run = (await data.RunAsync("account", "import", Fixture("staff-binh-chanh.csv"))).Ok();

        AssertCounted(run, ("Kiểm tra danh sách cán bộ staff-binh-chanh.csv", 4), ("Tạo mật khẩu tạm", 4), ("Cấp hộp thư", 4));
        Assert.Contains("nvan@tphcm.gov.vn", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_import_counts_the_events_and_the_reports_count_the_events_folded_and_the_accounts_judged()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", "ldthinh@tphcm.gov.vn", "--name", "Lê Đức Thịnh", "--unit", "Phòng Nghệ thuật", "--issued", "2025-10-01")).Ok();
        (await data.RunAsync("account", "add", "nvan@tphcm.gov.vn", "--name", "Nguyễn Văn An", "--unit", "Phòng Nghệ thuật", "--issued", "2025-10-01")).Ok();
        var accounts = (await data.RunAsync("account", "list", "--json")).Ok().Json.GetArrayLength();
        var file = data.File("su-dung.csv");
        var lines = new List<string> { "address,time,kind,protocol,ip" };
        for (var day = 1; day <= 20; day++)
        {
            lines.Add($"nvan@tphcm.gov.vn,2026-01-{day:00}T08:00:00+07:00,login,imap,203.0.113.5");
            lines.Add($"nvan@tphcm.gov.vn,2026-01-{day:00}T08:05:00+07:00,read,imap,203.0.113.5");
        }
        lines.Add("ldthinh@tphcm.gov.vn,2026-01-05T09:00:00+07:00,read,web,");
        await File.WriteAllTextAsync(file, string.Join('\n', lines) + "\n");

        var imported = (await data.RunAsync("usage", "import", file)).Ok();
        AssertCounted(imported, ("Nhập sự kiện sử dụng su-dung.csv", 41));

        // The first report folds the 41 new events first, then reads the rows and judges every account.
        var usage = (await data.RunAsync("report", "usage", "--period", "2026-01", "--format", "json")).Ok();
        var fold = Assert.Single(Stages(usage), s => s.Stage == "Tổng hợp sự kiện sử dụng mới");
        Assert.Equal(fold.Counts[^1].Total, fold.Counts[^1].Done);
        Assert.True(fold.Counts[^1].Total >= 41, $"folded {fold.Counts[^1].Total}");
        AssertCounted(usage, ("Tổng hợp sự kiện sử dụng mới", fold.Counts[^1].Total), ("Đọc danh bạ và số liệu sử dụng", 1),
            ("Xếp loại mức sử dụng của tài khoản", accounts));
        Assert.Contains("nvan@tphcm.gov.vn", usage.Out, StringComparison.Ordinal);

        // Nothing new to fold for the governance lists.
        var governance = (await data.RunAsync("report", "governance", "--quarter", "2025-Q4", "--format", "json")).Ok();
        AssertCounted(governance, ("Đọc danh bạ và số liệu sử dụng", 1), ("Xếp loại mức sử dụng của tài khoản", accounts));
        Assert.Equal("2025-Q4", governance.Json.GetProperty("quarter").GetString());
    }

    [Fact]
    public async Task Hr_changes_count_the_rows_applied()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("unit", "add", "Sở Du lịch")).Ok();
        (await data.RunAsync("account", "add", "ldthinh@tphcm.gov.vn", "--name", "Lê Đức Thịnh", "--unit", "Phòng Nghệ thuật")).Ok();
        (await data.RunAsync("account", "add", "vatuan@tphcm.gov.vn", "--name", "Võ Anh Tuấn", "--unit", "Phòng Nghệ thuật")).Ok();
        var file = data.File("bien-dong.csv");
        await File.WriteAllTextAsync(file,
            "STT;Địa chỉ hộp thư;Thay đổi;Ngày hiệu lực;Đơn vị mới\n" +
            "1;ldthinh@tphcm.gov.vn;Hủy;;\n" +
            "2;vatuan@tphcm.gov.vn;Chuyển công tác;;Sở Du lịch\n");

        var run = (await data.RunAsync("account", "hr-changes", file)).Ok();

        AssertCounted(run, ("Áp dụng biến động nhân sự bien-dong.csv", 2));
        Assert.Equal("Sở Du lịch", (await data.RunAsync("account", "show", "vatuan@tphcm.gov.vn", "--json")).Ok().Json.GetProperty("agency").GetString());
    }
}
