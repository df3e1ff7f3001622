using GovMail.Cli.Tests.Support;

namespace GovMail.Cli.Tests;

/// <summary><c>govmail account transfer|retire|resign|cancel|run-scheduled</c> (seed 003).</summary>
public sealed class LifecycleCommandTests
{
    private const string Unit = "Phòng Nghệ thuật";
    private const string Tam = "lvtam@tphcm.gov.vn";
    private const string UnitMailbox = "pnt@tphcm.gov.vn";

    private static async Task<DataFolder> PreparedAsync(TimeProvider? clock = null)
    {
        var data = new DataFolder(clock);
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", Tam, "--name", "Lê Văn Tám", "--unit", Unit)).Ok();
        (await data.RunAsync("account", "add", UnitMailbox, "--name", "Phòng Nghệ thuật", "--unit", Unit, "--kind", "collective")).Ok();
        return data;
    }

    [Fact]
    public async Task Retire_on_a_later_day_schedules_the_disable_and_the_close_and_run_scheduled_carries_them_out()
    {
        var path = "";
        using (var data = await PreparedAsync())
        {
            path = data.Path;
            var retired = (await data.RunAsync("account", "retire", Tam, "--on", "01/04/2026", "--forward-days", "30", "--reason", "QĐ 45", "--json")).Ok().Json;

            Assert.Equal("pending-first-login", retired.GetProperty("state").GetString());
            Assert.Equal(UnitMailbox, retired.GetProperty("forwardTo").GetString());
            Assert.Equal(["disable", "close"], retired.GetProperty("scheduled").EnumerateArray().Select(s => s.GetProperty("action").GetString()));
            var shown = (await data.RunAsync("account", "show", Tam)).Ok().Out;
            Assert.Contains("Chuyển tiếp đến pnt@tphcm.gov.vn", shown, StringComparison.Ordinal);

            // 1 April 2026, 00:00 in Vietnam: the login stops.
            var april = new FixedClock(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.FromHours(7)));
            var run = (await DataFolder.RunInAsync(path, april, "account", "run-scheduled", "--json")).Ok().Json;
            Assert.Equal("disable", Assert.Single(run.GetProperty("done").EnumerateArray()).GetProperty("action").GetString());
            Assert.Equal("disabled", (await DataFolder.RunInAsync(path, april, "account", "show", Tam, "--json")).Ok().Json.GetProperty("state").GetString());

            var may = new FixedClock(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.FromHours(7)));
            (await DataFolder.RunInAsync(path, may, "account", "run-scheduled")).Ok();
            var closed = (await DataFolder.RunInAsync(path, may, "account", "show", Tam, "--json")).Ok().Json;
            Assert.Equal("closed", closed.GetProperty("state").GetString());
            var audit = (await data.RunAsync("audit", "list", "--account", Tam, "--json")).Ok().Json.EnumerateArray()
                .Select(a => a.GetProperty("action").GetString()).ToList();
            Assert.Equal(["account.add", "account.retire", "account.disable", "account.close"], audit);
        }
    }

    [Fact]
    public async Task Resign_on_a_later_day_forwards_for_the_days_given_then_run_scheduled_disables_on_the_day_and_closes_at_the_end()
    {
        using var data = await PreparedAsync();
        var resigned = (await data.RunAsync("account", "resign", Tam, "--on", "15/04/2026", "--forward-days", "10", "--reason", "QĐ 46/QĐ-SVHTT",
            "--json")).Ok().Json;

        Assert.Equal("resign", resigned.GetProperty("workflow").GetString());
        Assert.Equal(UnitMailbox, resigned.GetProperty("forwardTo").GetString());
        var due = resigned.GetProperty("scheduled").EnumerateArray().Select(s => (s.GetProperty("action").GetString(), s.GetProperty("dueAt").GetDateTimeOffset())).ToList();
        var vietnam = TimeSpan.FromHours(7);
        Assert.Equal([("disable", new DateTimeOffset(2026, 4, 15, 0, 0, 0, vietnam)), ("close", new DateTimeOffset(2026, 4, 25, 0, 0, 0, vietnam))], due);
        Assert.Equal("pending-first-login", resigned.GetProperty("state").GetString());

        // The evening before, nothing is due; at 00:00 on 15/04 the login stops; ten days later the account closes.
        var eve = new FixedClock(new DateTimeOffset(2026, 4, 14, 23, 59, 0, vietnam));
        Assert.Empty((await DataFolder.RunInAsync(data.Path, eve, "account", "run-scheduled", "--json")).Ok().Json.GetProperty("done").EnumerateArray());
        var day = new FixedClock(new DateTimeOffset(2026, 4, 15, 0, 0, 0, vietnam));
        (await DataFolder.RunInAsync(data.Path, day, "account", "run-scheduled")).Ok();
        Assert.Equal("disabled", (await DataFolder.RunInAsync(data.Path, day, "account", "show", Tam, "--json")).Ok().Json.GetProperty("state").GetString());
        Assert.Contains("Chuyển tiếp đến pnt@tphcm.gov.vn", (await DataFolder.RunInAsync(data.Path, day, "account", "show", Tam)).Ok().Out, StringComparison.Ordinal);
        var end = new FixedClock(new DateTimeOffset(2026, 4, 25, 0, 0, 0, vietnam));
        (await DataFolder.RunInAsync(data.Path, end, "account", "run-scheduled")).Ok();
        Assert.Equal("closed", (await DataFolder.RunInAsync(data.Path, end, "account", "show", Tam, "--json")).Ok().Json.GetProperty("state").GetString());
        var audit = (await data.RunAsync("audit", "list", "--account", Tam, "--json")).Ok().Json.EnumerateArray()
            .Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Equal(["account.add", "account.resign", "account.disable", "account.close"], audit);
    }

    [Fact]
    public async Task Transfer_with_a_new_address_keeps_the_old_one_as_an_alias()
    {
        using var data = await PreparedAsync();
        (await data.RunAsync("unit", "add", "Sở Du lịch")).Ok();

        var moved = (await data.RunAsync("account", "transfer", Tam, "--unit", "Sở Du lịch", "--new-address", "lvtam.sdl",
            "--keep-old-until", "30/06/2026", "--json")).Ok().Json;

        Assert.Equal("lvtam.sdl@tphcm.gov.vn", moved.GetProperty("address").GetString());
        Assert.Equal("Sở Du lịch", moved.GetProperty("agency").GetString());
        Assert.Equal(Tam, moved.GetProperty("oldAddress").GetString());
        Assert.Contains(Tam, (await data.RunAsync("alias", "list")).Ok().Out, StringComparison.Ordinal);
        Assert.Equal("lvtam.sdl@tphcm.gov.vn", (await data.RunAsync("account", "show", Tam, "--json")).Ok().Json.GetProperty("address").GetString());
    }

    [Fact]
    public async Task Cancel_closes_and_the_address_cannot_be_issued_again()
    {
        using var data = await PreparedAsync();

        var cancelled = (await data.RunAsync("account", "cancel", Tam, "--reason", "ít sử dụng 2 quý", "--json")).Ok().Json;

        Assert.Equal("closed", cancelled.GetProperty("state").GetString());
        var again = (await data.RunAsync("account", "add", Tam, "--name", "Lê Văn Tám", "--unit", Unit)).Refused(1);
        Assert.Contains("chưa được cấp lại", again.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_address_is_issued_before_its_quarantine_ends_only_with_a_recorded_justification()
    {
        using var data = await PreparedAsync();
        var cancelled = (await data.RunAsync("account", "cancel", Tam, "--json")).Ok().Json;
        var until = Core.Time.VietnamTime.ToLocal(cancelled.GetProperty("quarantinedUntil").GetDateTimeOffset())
            .ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);

        var refused = (await data.RunAsync("account", "add", Tam, "--name", "Lê Văn Tám", "--unit", Unit)).Refused(1);
        Assert.Contains($"chưa được cấp lại cho đến {until}", refused.Err, StringComparison.Ordinal);
        Assert.Contains("--override-reason", refused.Err, StringComparison.Ordinal);

        var issued = (await data.RunAsync("account", "add", Tam, "--name", "Lê Văn Tám", "--unit", Unit,
            "--override-reason", "Ông Tám được tuyển dụng lại theo Quyết định 12/QĐ-SVHTT")).Ok();
        Assert.Contains($"Đã cấp lại địa chỉ {Tam} trước khi hết thời gian không cấp lại", issued.Out, StringComparison.Ordinal);
        var audit = (await data.RunAsync("audit", "list", "--account", Tam, "--json")).Ok().Json.EnumerateArray()
            .Single(e => e.GetProperty("action").GetString() == "account.add.override-quarantine");
        Assert.Equal($"quarantined until {until}: Ông Tám được tuyển dụng lại theo Quyết định 12/QĐ-SVHTT", audit.GetProperty("detail").GetString());
        Assert.Equal("pending-first-login", (await data.RunAsync("account", "show", Tam, "--json")).Ok().Json.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Resign_without_a_unit_mailbox_is_refused_with_what_to_do()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", Tam, "--name", "Lê Văn Tám", "--unit", Unit)).Ok();

        var refused = (await data.RunAsync("account", "resign", Tam)).Refused(1);

        Assert.Contains("--forward-to", refused.Err, StringComparison.Ordinal);
    }
}

/// <summary><c>govmail account hr-changes FILE [--dry-run]</c>: an HR change file in .xlsx or .csv.</summary>
public sealed class HrChangeCommandTests
{
    private const string Unit = "Phòng Nghệ thuật";

    private static async Task<DataFolder> PreparedAsync()
    {
        var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("unit", "add", "Sở Du lịch")).Ok();
        (await data.RunAsync("account", "add", "pnt@tphcm.gov.vn", "--name", "Phòng Nghệ thuật", "--unit", Unit, "--kind", "collective")).Ok();
        (await data.RunAsync("account", "add", "ldthinh@tphcm.gov.vn", "--name", "Lê Đức Thịnh", "--unit", Unit)).Ok();
        (await data.RunAsync("account", "add", "vatuan@tphcm.gov.vn", "--name", "Võ Anh Tuấn", "--unit", Unit)).Ok();
        return data;
    }

    [Fact]
    public async Task An_xlsx_file_is_checked_by_a_dry_run_then_applied()
    {
        using var data = await PreparedAsync();
        var file = data.File("bien-dong.xlsx");
        StaffWorkbook.Write(file, "DANH SÁCH BIẾN ĐỘNG NHÂN SỰ",
        [
            ["STT", "Địa chỉ hộp thư", "Họ và tên", "Thay đổi", "Ngày hiệu lực", "Đơn vị mới", "Lý do"],
            [1, "ldthinh@tphcm.gov.vn", "Lê Đức Thịnh", "Nghỉ hưu", "", "", "QĐ 45"],
            [2, "vatuan@tphcm.gov.vn", "Võ Anh Tuấn", "Chuyển công tác", "", "Sở Du lịch", "QĐ 46"],
        ]);

        var dry = (await data.RunAsync("account", "hr-changes", file, "--dry-run")).Ok();
        Assert.Contains("Chạy thử: 2 thay đổi hợp lệ", dry.Out, StringComparison.Ordinal);
        Assert.Equal("pending-first-login", (await data.RunAsync("account", "show", "ldthinh@tphcm.gov.vn", "--json")).Ok().Json.GetProperty("state").GetString());

        var applied = (await data.RunAsync("account", "hr-changes", file, "--json")).Ok().Json;

        Assert.True(applied.GetProperty("applied").GetBoolean());
        Assert.Equal("disabled", (await data.RunAsync("account", "show", "ldthinh@tphcm.gov.vn", "--json")).Ok().Json.GetProperty("state").GetString());
        Assert.Equal("Sở Du lịch", (await data.RunAsync("account", "show", "vatuan@tphcm.gov.vn", "--json")).Ok().Json.GetProperty("agency").GetString());
    }

    [Fact]
    public async Task A_csv_file_with_bad_rows_names_each_row_and_changes_nothing()
    {
        using var data = await PreparedAsync();
        var file = data.File("bien-dong.csv");
        await File.WriteAllTextAsync(file,
            "STT;Địa chỉ hộp thư;Thay đổi;Ngày hiệu lực;Đơn vị mới\n" +
            "1;ldthinh@tphcm.gov.vn;Nghỉ hưu;01/07/2026;\n" +
            "2;vatuan@tphcm.gov.vn;Chuyển công tác;;\n" +
            "3;vatuan@tphcm.gov.vn;Nghỉ phép;hôm qua;\n");

        var refused = await data.RunAsync("account", "hr-changes", file);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Dòng 3: Chuyển công tác cần ghi đơn vị mới.", refused.Err, StringComparison.Ordinal);
        Assert.Contains("Dòng 4: Không hiểu thay đổi \"Nghỉ phép\"", refused.Err, StringComparison.Ordinal);
        Assert.Contains("Dòng 4: Ngày hiệu lực \"hôm qua\"", refused.Err, StringComparison.Ordinal);
        Assert.Contains("chưa thay đổi gì", refused.Out, StringComparison.Ordinal);
        var show = (await data.RunAsync("account", "show", "ldthinh@tphcm.gov.vn", "--json")).Ok().Json;
        Assert.Empty(show.GetProperty("scheduled").EnumerateArray());
    }
}
