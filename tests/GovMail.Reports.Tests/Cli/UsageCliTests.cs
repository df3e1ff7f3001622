using System.Text.Json;
using GovMail.Cli;
using GovMail.Reports.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace GovMail.Reports.Tests.Cli;

/// <summary>
/// <c>govmail usage …</c> and <c>govmail report …</c> as docs/cli.md states them, run in this process against a fresh data
/// folder, with the clock on 10/07/2024 so that the first half of 2024 is history.
/// </summary>
public sealed class UsageCliTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "govmail-usage-cli-" + Guid.NewGuid().ToString("N")[..12]);
    private FakeTimeProvider _clock = new(TestDatabase.Start);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_data)) Directory.Delete(_data, true);
        if (Directory.Exists(_data + "-files")) Directory.Delete(_data + "-files", true);
    }

    private sealed record Run(int ExitCode, string Out, string Err)
    {
        public JsonElement Json => JsonDocument.Parse(Out).RootElement;
        public IReadOnlyList<string> ErrorLines => Err.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
    }

    private async Task<Run> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var code = await CliApp.RunAsync([.. args, "--data", _data], output, error, _clock, timeout.Token);
        return new Run(code, output.ToString(), error.ToString());
    }

    private async Task<Run> OkAsync(params string[] args)
    {
        var r = await RunAsync(args);
        Assert.True(r.ExitCode == 0, $"govmail {string.Join(' ', args)}: exit {r.ExitCode}; stderr: {r.Err}; stdout: {r.Out}");
        return r;
    }

    private async Task<Run> RefusedAsync(params string[] args)
    {
        var r = await RunAsync(args);
        Assert.NotEqual(0, r.ExitCode);
        Assert.True(r.ErrorLines.Count == 1, $"expected one line on stderr, got: {r.Err}");
        Assert.StartsWith("govmail: ", r.ErrorLines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
        return r;
    }

    private string File(string name, string content)
    {
        Directory.CreateDirectory(_data + "-files");
        var path = Path.Combine(_data + "-files", name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A tenant with Sở Văn hóa và Thể thao → Phòng Nghệ thuật and two officials issued in 2023.</summary>
    private async Task SetUpAsync()
    {
        await OkAsync("init", "--domain", "tphcm.gov.vn", "--name", "Ủy ban nhân dân Thành phố Hồ Chí Minh");
        await OkAsync("unit", "add", "Sở Văn hóa và Thể thao");
        await OkAsync("unit", "add", "Phòng Nghệ thuật", "--parent", "Sở Văn hóa và Thể thao");
        await OkAsync("account", "add", "ldthinh@tphcm.gov.vn", "--name", "Lê Đức Thịnh", "--unit", "Phòng Nghệ thuật", "--title", "Chuyên viên",
            "--issued", "2023-01-01", "--no-must-change");
        await OkAsync("account", "add", "nvan@tphcm.gov.vn", "--name", "Nguyễn Văn An", "--unit", "Phòng Nghệ thuật", "--title", "Trưởng phòng",
            "--issued", "2023-01-01", "--no-must-change");
        await OkAsync("unit", "set-head", "Phòng Nghệ thuật", "nvan@tphcm.gov.vn");
    }

    /// <summary>
    /// Two quarters (Q4 2023, Q1 2024) in which An uses the mailbox regularly and Thịnh reads one message each: Thịnh is the one
    /// proposed for cancellation, and HR applies it, which bars him from re-registration.
    /// </summary>
    private async Task BarThinhAsync()
    {
        var lines = new List<string> { "address,time,kind,protocol,ip" };
        foreach (var (from, to) in new[] { (new DateOnly(2023, 10, 1), new DateOnly(2023, 12, 31)), (new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31)) })
        {
            foreach (var d in Core.Usage.WorkingCalendar.Vietnam.WorkingDays(from, to).Take(15))
                lines.Add($"nvan@tphcm.gov.vn,{d:yyyy-MM-dd}T08:00:00+07:00,read,imap,203.0.113.5");
            lines.Add($"ldthinh@tphcm.gov.vn,{from:yyyy-MM-dd}T09:00:00+07:00,read,web,");
        }
        await OkAsync("usage", "import", File("two-quarters.csv", string.Join('\n', lines) + "\n"));
        var g = (await OkAsync("report", "governance", "--quarter", "2024-Q1", "--json")).Json;
        Assert.Equal("ldthinh@tphcm.gov.vn", Assert.Single(g.GetProperty("cancellationProposals").EnumerateArray()).GetProperty("address").GetString());
        await OkAsync("report", "decide", "ldthinh@tphcm.gov.vn", "--quarter", "2024-Q1", "--list", "cancellations", "--apply");
    }

    /// <summary>An's twelve active working days at the start of Q1 2024 and Thịnh's one, as the old system exported them.</summary>
    private static string History()
    {
        var lines = new List<string> { "address,time,kind,protocol,ip" };
        var days = Core.Usage.WorkingCalendar.Vietnam.WorkingDays(new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31)).Take(12).ToList();
        foreach (var d in days)
        {
            lines.Add($"nvan@tphcm.gov.vn,{d:yyyy-MM-dd}T08:00:00+07:00,login,imap,203.0.113.5");
            lines.Add($"nvan@tphcm.gov.vn,{d:yyyy-MM-dd}T08:05:00+07:00,read,imap,203.0.113.5");
        }
        lines.Add("ldthinh@tphcm.gov.vn,2024-03-31T23:30:00+07:00,read,web,");
        return string.Join('\n', lines) + "\n";
    }

    [Fact]
    public async Task A_file_with_a_bad_line_is_refused_with_its_line_numbers_and_nothing_is_imported()
    {
        await SetUpAsync();
        var bad = File("bad.csv", """
            address,time,kind,protocol,ip
            nvan@tphcm.gov.vn,2024-01-02T08:00:00+07:00,login,imap,203.0.113.5
            nvan@tphcm.gov.vn,2024-01-02 08:00,read,imap,203.0.113.5
            nvan@tphcm.gov.vn,2024-01-03T08:00:00+07:00,read,imap,203.0.113.5
            nobody@tphcm.gov.vn,2024-01-03T08:00:00+07:00,read,imap,
            nvan@tphcm.gov.vn,2024-01-04T08:00:00+07:00,download,imap,

            """);
        var refused = await RefusedAsync("usage", "import", bad);
        var line = refused.ErrorLines[0];
        Assert.Contains("3", line, StringComparison.Ordinal);
        Assert.Contains("dòng 3", line, StringComparison.Ordinal);
        Assert.Contains("dòng 5", line, StringComparison.Ordinal);
        Assert.Contains("dòng 6", line, StringComparison.Ordinal);
        Assert.DoesNotContain("dòng 2:", line, StringComparison.Ordinal);

        var fold = await OkAsync("usage", "fold", "--json");
        Assert.Equal(0, fold.Json.GetProperty("folded").GetInt64());
        // With no history at all, the first quarter of 2024 was never observed: nobody is judged in it.
        var report = (await OkAsync("report", "usage", "--period", "2024-Q1", "--format", "json")).Json;
        Assert.Equal(0, report.GetProperty("accounts").GetArrayLength());
    }

    [Fact]
    public async Task Csv_and_json_lines_are_imported_and_a_second_import_of_the_same_file_is_refused()
    {
        await SetUpAsync();
        var csv = File("history.csv", History());
        var imported = await OkAsync("usage", "import", csv, "--json");
        Assert.Equal(25, imported.Json.GetProperty("imported").GetInt32());
        await RefusedAsync("usage", "import", csv);

        var jsonl = File("more.jsonl", """
            {"address":"ldthinh@tphcm.gov.vn","time":"2024-04-01T00:30:00+07:00","kind":"sent","protocol":"activesync","ip":"198.51.100.7"}
            {"address":"ldthinh@tphcm.gov.vn","time":"2024-04-02T01:00:00Z","kind":"login-failed","protocol":"imap"}
            """);
        Assert.Equal(2, (await OkAsync("usage", "import", jsonl, "--json")).Json.GetProperty("imported").GetInt32());
        var bad = File("bad.jsonl", "{\"address\":\"ldthinh@tphcm.gov.vn\",\"time\":\"2024-04-01T00:30:00\",\"kind\":\"sent\",\"protocol\":\"imap\"}\n{oops\n");
        var refused = await RefusedAsync("usage", "import", bad);
        Assert.Contains("dòng 1", refused.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("dòng 2", refused.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_usage_json_has_one_entry_per_account_with_its_class()
    {
        await SetUpAsync();
        await OkAsync("usage", "import", File("history.csv", History()));
        var q1 = (await OkAsync("report", "usage", "--period", "2024-Q1", "--format", "json")).Json;
        Assert.Equal("2024-Q1", q1.GetProperty("period").GetString());
        var accounts = q1.GetProperty("accounts").EnumerateArray().ToDictionary(a => a.GetProperty("address").GetString()!);
        Assert.Equal(["ldthinh@tphcm.gov.vn", "nvan@tphcm.gov.vn"], accounts.Keys.Order());
        Assert.Equal("regular", accounts["nvan@tphcm.gov.vn"].GetProperty("class").GetString());
        Assert.Equal("low", accounts["ldthinh@tphcm.gov.vn"].GetProperty("class").GetString());
        Assert.Equal("Phòng Nghệ thuật", accounts["ldthinh@tphcm.gov.vn"].GetProperty("unit").GetString());
        Assert.Equal("Sở Văn hóa và Thể thao", accounts["ldthinh@tphcm.gov.vn"].GetProperty("agency").GetString());

        // A month, the global --json, and an agency scope give the same shape.
        var march = (await OkAsync("report", "usage", "--period", "2024-03", "--agency", "Sở Văn hóa và Thể thao", "--json")).Json;
        Assert.Equal("2024-03", march.GetProperty("period").GetString());
        Assert.Equal(2, march.GetProperty("accounts").GetArrayLength());
        await RefusedAsync("report", "usage", "--period", "2024-13");
        await RefusedAsync("report", "usage", "--period", "2024-Q1", "--format", "pdf");
        await RefusedAsync("report", "usage", "--period", "2024-Q1", "--format", "xlsx");
    }

    [Fact]
    public async Task Report_files_are_written_in_the_format_their_name_says()
    {
        await SetUpAsync();
        await OkAsync("usage", "import", File("history.csv", History()));
        Directory.CreateDirectory(_data + "-files");
        var xlsx = Path.Combine(_data + "-files", "q1.xlsx");
        await OkAsync("report", "usage", "--period", "2024-Q1", "-o", xlsx);
        var book = new WorkbookReader(await System.IO.File.ReadAllBytesAsync(xlsx));
        Assert.Equal("THỐNG KÊ TÌNH HÌNH SỬ DỤNG THƯ ĐIỆN TỬ THÀNH PHỐ HỒ CHÍ MINH - QUÝ I NĂM 2024", book.Cell("Danh sách ít sử dụng", "A1"));
        Assert.Equal("ldthinh@tphcm.gov.vn", book.Cell("Danh sách ít sử dụng", "C5"));

        var csv = Path.Combine(_data + "-files", "q1.csv");
        await OkAsync("report", "usage", "--period", "2024-Q1", "-o", csv);
        var text = await System.IO.File.ReadAllTextAsync(csv);
        Assert.StartsWith("STT,Tên thể hiện,Địa chỉ hộp thư", text, StringComparison.Ordinal);

        var governance = Path.Combine(_data + "-files", "q1-governance.xlsx");
        await OkAsync("report", "governance", "--quarter", "2024-Q1", "-o", governance);
        Assert.Equal("ldthinh@tphcm.gov.vn", new WorkbookReader(await System.IO.File.ReadAllBytesAsync(governance)).Cell("Hạ bậc cá nhân", "C4"));

        var human = await OkAsync("report", "usage", "--period", "2024-Q1");
        Assert.Contains("Lê Đức Thịnh", human.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_governance_json_has_the_three_lists_with_address_and_rule()
    {
        await SetUpAsync();
        await OkAsync("usage", "import", File("history.csv", History()));
        var g = (await OkAsync("report", "governance", "--quarter", "2024-Q1", "--format", "json")).Json;
        Assert.Equal("2024-Q1", g.GetProperty("quarter").GetString());
        var persons = g.GetProperty("personsGradedDown").EnumerateArray().ToList();
        var person = Assert.Single(persons);
        Assert.Equal("ldthinh@tphcm.gov.vn", person.GetProperty("address").GetString());
        Assert.Equal("person.low", person.GetProperty("rule").GetString());
        var head = Assert.Single(g.GetProperty("headsGradedDown").EnumerateArray());
        Assert.Equal("nvan@tphcm.gov.vn", head.GetProperty("address").GetString());
        Assert.Equal("Phòng Nghệ thuật", head.GetProperty("unit").GetString());
        Assert.Equal("head.quarter", head.GetProperty("rule").GetString());
        Assert.Equal(0, g.GetProperty("cancellationProposals").GetArrayLength());
        await RefusedAsync("report", "governance", "--quarter", "2024-03");
    }

    [Fact]
    public async Task Exempt_remind_and_decide_change_the_lists()
    {
        await SetUpAsync();
        await OkAsync("usage", "import", File("history.csv", History()));
        await RefusedAsync("usage", "exempt", "ldthinh@tphcm.gov.vn", "--from", "2024-03-31", "--to", "2024-01-01", "--reason", "x");
        await RefusedAsync("usage", "exempt", "nobody@tphcm.gov.vn", "--from", "2024-01-01", "--to", "2024-03-31", "--reason", "x");
        await RefusedAsync("usage", "exempt", "ldthinh@tphcm.gov.vn", "--from", "2024-01-01", "--to", "2024-03-31", "--reason", "x", "--kind", "holiday");

        await OkAsync("report", "decide", "ldthinh@tphcm.gov.vn", "--quarter", "2024-Q1", "--list", "persons", "--apply");
        await RefusedAsync("report", "decide", "ldthinh@tphcm.gov.vn", "--quarter", "2024-Q1", "--list", "persons", "--exempt");
        await RefusedAsync("report", "decide", "nvan@tphcm.gov.vn", "--quarter", "2024-Q1", "--list", "persons", "--apply");
        var g = (await OkAsync("report", "governance", "--quarter", "2024-Q1", "--json")).Json;
        Assert.Equal("apply", g.GetProperty("personsGradedDown")[0].GetProperty("decision").GetProperty("decision").GetString());

        await OkAsync("usage", "exempt", "ldthinh@tphcm.gov.vn", "--from", "2024-01-01", "--to", "2024-03-31", "--reason", "Nghỉ thai sản",
            "--kind", "maternity");
        var report = (await OkAsync("report", "usage", "--period", "2024-Q1", "--json")).Json;
        var thinh = report.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("address").GetString() == "ldthinh@tphcm.gov.vn");
        Assert.Equal("exempt", thinh.GetProperty("class").GetString());
        g = (await OkAsync("report", "governance", "--quarter", "2024-Q1", "--json")).Json;
        Assert.Equal(0, g.GetProperty("personsGradedDown").GetArrayLength());
        Assert.Equal(0, g.GetProperty("headsGradedDown").GetArrayLength());
        var exemptions = (await OkAsync("usage", "exemptions", "--json")).Json;
        Assert.Equal("maternity", Assert.Single(exemptions.EnumerateArray()).GetProperty("kind").GetString());

        var now = _clock;
        _clock = new FakeTimeProvider(new DateTimeOffset(2024, 5, 15, 3, 0, 0, TimeSpan.Zero));
        await OkAsync("usage", "remind", "nvan@tphcm.gov.vn", "--note", "Chưa đọc thư tháng 5");
        _clock = now;
        var q2 = (await OkAsync("report", "governance", "--quarter", "2024-Q2", "--json")).Json;
        Assert.Contains(q2.GetProperty("personsGradedDown").EnumerateArray(),
            p => p.GetProperty("address").GetString() == "nvan@tphcm.gov.vn" && p.GetProperty("rules").EnumerateArray()
                .Any(r => r.GetProperty("code").GetString() == "person.reminded"));
    }

    [Fact]
    public async Task The_usage_policy_is_shown_and_changed()
    {
        await SetUpAsync();
        var shown = (await OkAsync("usage", "policy", "show", "--json")).Json;
        Assert.Equal(5, shown.GetProperty("workingDaysPerActiveDay").GetInt32());
        Assert.False(shown.GetProperty("monthlyHeadRule").GetBoolean());
        var set = (await OkAsync("usage", "policy", "set", "--monthly-head-rule", "true", "--day-off", "2024-03-08", "--json")).Json;
        Assert.True(set.GetProperty("monthlyHeadRule").GetBoolean());
        Assert.Equal("2024-03-08", set.GetProperty("extraDaysOff")[0].GetString());
        await RefusedAsync("usage", "policy", "set", "--working-days-per-active-day", "0");
        // The tenant's own calendar days follow the rules of the portal's working calendar: no day off on a weekend, removable.
        var weekend = await RefusedAsync("usage", "policy", "set", "--day-off", "2024-03-09");
        Assert.Contains("09/03/2024", weekend.Err, StringComparison.Ordinal);
        await RefusedAsync("usage", "policy", "set", "--remove-working-day", "2024-03-09");
        var removed = (await OkAsync("usage", "policy", "set", "--remove-day-off", "08/03/2024", "--working-day", "2024-03-09", "--json")).Json;
        Assert.Empty(removed.GetProperty("extraDaysOff").EnumerateArray());
        Assert.Equal("2024-03-09", removed.GetProperty("extraWorkingDays")[0].GetString());
    }

    [Fact]
    public async Task Account_add_for_a_person_barred_after_two_low_quarters_is_refused_unless_overridden()
    {
        await SetUpAsync();
        await BarThinhAsync();
        var bars = (await OkAsync("account", "bars", "--json")).Json;
        Assert.Equal("2024-Q1", Assert.Single(bars.EnumerateArray()).GetProperty("quarter").GetString());

        var refused = await RefusedAsync("account", "add", "--name", "Lê Đức Thịnh", "--unit", "Phòng Nghệ thuật");
        Assert.Contains("ldthinh@tphcm.gov.vn", refused.Err, StringComparison.Ordinal);
        Assert.Contains("02 quý liên tiếp", refused.Err, StringComparison.Ordinal);
        Assert.Contains("--override-reason", refused.Err, StringComparison.Ordinal);
        var issued = (await OkAsync("account", "add", "--name", "Lê Đức Thịnh", "--unit", "Phòng Nghệ thuật",
            "--override-reason", "Tái tuyển dụng theo Quyết định 12/QĐ-SVHTT", "--json")).Json;
        Assert.Equal("2024-Q1", issued.GetProperty("overrodeBar").GetProperty("quarter").GetString());
        Assert.Equal("Tái tuyển dụng theo Quyết định 12/QĐ-SVHTT", issued.GetProperty("overrodeBar").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_staff_list_row_for_a_barred_person_is_refused_unless_that_row_is_overridden_with_a_reason()
    {
        await SetUpAsync();
        await BarThinhAsync();
        var staff = File("staff.csv", """
            STT,Họ và tên,Chức danh,Phòng ban,Cơ quan,Điện thoại
            1,Phạm Thị Hoa,Chuyên viên,Phòng Nghệ thuật,Sở Văn hóa và Thể thao,
            2,Lê Đức Thịnh,Chuyên viên,Phòng Nghệ thuật,Sở Văn hóa và Thể thao,

            """);

        var refused = await RunAsync("account", "import", staff, "--json");
        Assert.NotEqual(0, refused.ExitCode);
        var problem = Assert.Single(refused.Json.GetProperty("problems").EnumerateArray());
        Assert.Equal("ReRegistrationBarred", problem.GetProperty("code").GetString());
        var row = problem.GetProperty("row").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.DoesNotContain((await OkAsync("account", "list", "--json")).Json.EnumerateArray(),
            a => a.GetProperty("displayName").GetString() == "Phạm Thị Hoa");

        await RefusedAsync("account", "import", staff, "--override-rows", row);
        var imported = (await OkAsync("account", "import", staff, "--override-rows", row,
            "--override-reason", "Tái tuyển dụng theo Quyết định 15/QĐ-SVHTT", "--json")).Json;
        Assert.Equal(2, imported.GetProperty("accounts").GetArrayLength());
        var audit = (await OkAsync("audit", "list", "--json")).Json;
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "account.add.override-bar"
            && e.GetProperty("detail").GetString()!.Contains("15/QĐ-SVHTT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reminders_are_configured_sent_once_and_counted()
    {
        await SetUpAsync();
        var set = (await OkAsync("usage", "policy", "set", "--reminder-day", "5", "--json")).Json;
        Assert.Equal(5, set.GetProperty("reminderDay").GetInt32());
        Assert.False(set.GetProperty("reminderPerQuarter").GetBoolean());
        Assert.Contains("ngày 5 của mỗi tháng", (await OkAsync("usage", "policy", "show")).Out, StringComparison.Ordinal);
        await RefusedAsync("usage", "policy", "set", "--reminder-day", "40");

        // Nobody used the mailbox in July so far (clock: 10/07/2024): both are reminded; the head gets the summary for Thịnh.
        var run = (await OkAsync("usage", "send-reminders", "--json")).Json;
        Assert.Equal("2024-07", run.GetProperty("period").GetString());
        Assert.Equal("2024-07-09", run.GetProperty("through").GetString());
        Assert.Equal(["ldthinh@tphcm.gov.vn", "nvan@tphcm.gov.vn"], run.GetProperty("reminded").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(["nvan@tphcm.gov.vn"], run.GetProperty("summaries").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.True((await OkAsync("usage", "send-reminders", "--json")).Json.GetProperty("alreadySent").GetBoolean());
        var q3 = (await OkAsync("report", "governance", "--quarter", "2024-Q3", "--json")).Json;
        Assert.Contains(q3.GetProperty("personsGradedDown").EnumerateArray(), p => p.GetProperty("address").GetString() == "ldthinh@tphcm.gov.vn"
            && p.GetProperty("rules").EnumerateArray().Any(r => r.GetProperty("code").GetString() == "person.reminded"));
        await OkAsync("usage", "policy", "set", "--reminder-day", "0");
        Assert.Contains("thư nhắc nhở tự động: không", (await OkAsync("usage", "policy", "show")).Out, StringComparison.Ordinal);
    }
}
