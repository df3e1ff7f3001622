using System.Text.Json;
using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Usage;
using GovMail.Reports.Export;
using GovMail.Reports.Tests.Support;
using GovMail.Storage.Database;

namespace GovMail.Reports.Tests.Export;

/// <summary>
/// The exports opened back and checked cell by cell against the official layout of seed 000's attachment: the title block
/// "THỐNG KÊ TÌNH HÌNH SỬ DỤNG THƯ ĐIỆN TỬ … - QUÝ I NĂM 2024", the agency, "CÁ NHÂN ÍT SỬ DỤNG", then STT, Tên thể hiện,
/// Địa chỉ hộp thư, Tiêu đề, Bộ phận/Phòng ban and the agency.
/// </summary>
public sealed class ExportTests() : UsageTest(DatabaseProvider.Sqlite)
{
    private static readonly UsagePeriod Q1 = UsagePeriod.Quarter(2024, 1);
    private const string Culture = "Sở Văn hóa và Thể thao";
    private const string Arts = "Phòng Nghệ thuật";
    private const string Living = "Phòng Xây dựng nếp sống văn hóa và gia đình";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await UnitAsync(Culture);
        await UnitAsync(Arts, Culture);
        await UnitAsync(Living, Culture);
        await PersonAsync("vatuan@tphcm.gov.vn", "Võ Anh Tuấn", $"{Culture} / {Living}", "Cán sự");
        await PersonAsync("ldthinh@tphcm.gov.vn", "Lê Đức Thịnh", $"{Culture} / {Arts}", "Chuyên viên");
        await PersonAsync("nvan@tphcm.gov.vn", "Nguyễn Văn An", $"{Culture} / {Arts}", "Trưởng phòng");
        await ActiveOnWorkingDaysAsync("ldthinh@tphcm.gov.vn", Q1, 4);
        await ActiveOnWorkingDaysAsync("vatuan@tphcm.gov.vn", Q1, 1);
        await ActiveOnWorkingDaysAsync("nvan@tphcm.gov.vn", Q1, 20);
    }

    private static void Cells(IEnumerable<string?> expected, IEnumerable<string?> actual) => Assert.Equal(expected, actual);

    private async Task<WorkbookReader> XlsxAsync(UsagePeriod period, string? agency = null)
    {
        var report = await ReportAsync(period, agency);
        using var stream = new MemoryStream();
        UsageReportExport.WriteXlsx(stream, report, Messages.Vietnamese);
        return new WorkbookReader(stream.ToArray());
    }

    [Fact]
    public async Task The_xlsx_list_follows_the_official_layout_cell_by_cell()
    {
        var x = await XlsxAsync(Q1, Culture);
        const string sheet = "Danh sách ít sử dụng";
        Assert.Equal([sheet, "Tổng hợp", "Chi tiết"], x.Sheets);
        Assert.Equal("THỐNG KÊ TÌNH HÌNH SỬ DỤNG THƯ ĐIỆN TỬ THÀNH PHỐ HỒ CHÍ MINH - QUÝ I NĂM 2024", x.Cell(sheet, "A1"));
        Assert.Equal("SỞ VĂN HÓA VÀ THỂ THAO", x.Cell(sheet, "A2"));
        Assert.Equal("CÁ NHÂN ÍT SỬ DỤNG", x.Cell(sheet, "A3"));
        Cells(["STT", "Tên thể hiện", "Địa chỉ hộp thư", "Tiêu đề", "Bộ phận/Phòng ban", "Cơ quan"], x.Row(sheet, 4));
        Cells(["1", "Lê Đức Thịnh", "ldthinh@tphcm.gov.vn", "Chuyên viên", Arts, Culture], x.Row(sheet, 5));
        Cells(["2", "Võ Anh Tuấn", "vatuan@tphcm.gov.vn", "Cán sự", Living, Culture], x.Row(sheet, 6));
        Assert.Equal(6, x.LastRow(sheet));
        Assert.Equal(["A1:F1", "A2:F2", "A3:F3"], x.Merged(sheet));
        for (var r = 1; r <= 6; r++) Assert.Null(x.Cell(sheet, $"G{r}"));
    }

    [Fact]
    public async Task The_summary_and_detail_sheets_carry_the_counts_and_every_account()
    {
        var x = await XlsxAsync(Q1);
        Cells(["Cấp", "Đơn vị", "Cơ quan", "Số tài khoản", "Sử dụng thường xuyên", "Ít sử dụng", "Không sử dụng", "Chưa kích hoạt",
            "Miễn đánh giá", "Tỷ lệ sử dụng thường xuyên (%)", "Xếp hạng"], x.Row("Tổng hợp", 2, 'K'));
        Cells(["Toàn hệ thống", City, null, "3", "1", "2", "0", "0", "0", "33.3", null], x.Row("Tổng hợp", 3, 'K'));
        Cells(["Cơ quan", Culture, Culture, "3", "1", "2", "0", "0", "0", "33.3", "1"], x.Row("Tổng hợp", 4, 'K'));
        Cells(["Phòng ban", Arts, Culture, "2", "1", "1", "0", "0", "0", "50", "1"], x.Row("Tổng hợp", 5, 'K'));

        Assert.Equal("Phân loại", x.Cell("Chi tiết", "G2"));
        Cells(["1", "Lê Đức Thịnh", "ldthinh@tphcm.gov.vn", "Chuyên viên", Arts, Culture, "Ít sử dụng", "4", "12", "59"],
            x.Row("Chi tiết", 3, 'J'));
        Assert.StartsWith("Ít sử dụng: hoạt động 4 ngày làm việc", x.Cell("Chi tiết", "K3"), StringComparison.Ordinal);
        Assert.Equal("Sử dụng thường xuyên", x.Cell("Chi tiết", "G4"));
    }

    [Fact]
    public async Task Collective_mailboxes_get_their_own_section()
    {
        await PersonAsync("vanphong.svhtt@tphcm.gov.vn", "Văn phòng Sở", Culture, kind: AccountKind.Collective);
        var x = await XlsxAsync(Q1, Culture);
        const string sheet = "Danh sách ít sử dụng";
        Assert.Equal("TẬP THỂ ÍT SỬ DỤNG", x.Cell(sheet, "A7"));
        Assert.Equal("STT", x.Cell(sheet, "A8"));
        Cells(["1", "Văn phòng Sở", "vanphong.svhtt@tphcm.gov.vn", null, null, Culture], x.Row(sheet, 9));
    }

    [Fact]
    public async Task A_period_without_anyone_listed_says_so()
    {
        var x = await XlsxAsync(UsagePeriod.Month(2024, 1), Culture);
        // January: Thịnh's 4 days and Tuấn's 1 are within January's first working days, An is regular. Thịnh needs 5 of 22.
        Assert.Equal("THỐNG KÊ TÌNH HÌNH SỬ DỤNG THƯ ĐIỆN TỬ THÀNH PHỐ HỒ CHÍ MINH - THÁNG 1 NĂM 2024", x.Cell("Danh sách ít sử dụng", "A1"));
        await ActiveOnWorkingDaysAsync("ldthinh@tphcm.gov.vn", UsagePeriod.Month(2024, 1), 5);
        await ActiveOnWorkingDaysAsync("vatuan@tphcm.gov.vn", UsagePeriod.Month(2024, 1), 5);
        x = await XlsxAsync(UsagePeriod.Month(2024, 1), Culture);
        Assert.Equal("CÁ NHÂN ÍT SỬ DỤNG", x.Cell("Danh sách ít sử dụng", "A3"));
        Assert.Equal("Không có tài khoản ít sử dụng.", x.Cell("Danh sách ít sử dụng", "A5"));
    }

    [Fact]
    public async Task The_csv_has_the_official_columns_then_the_class_and_the_rule()
    {
        var report = await ReportAsync(Q1);
        using var w = new StringWriter();
        UsageReportExport.WriteCsv(w, report, c: Messages.Vietnamese);
        var lines = w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("STT,Tên thể hiện,Địa chỉ hộp thư,Tiêu đề,Bộ phận/Phòng ban,Cơ quan,Phân loại,Số ngày hoạt động,Số ngày tối thiểu,Số ngày làm việc,Căn cứ", lines[0]);
        Assert.Equal(3, lines.Count);
        Assert.StartsWith("1,Lê Đức Thịnh,ldthinh@tphcm.gov.vn,Chuyên viên,Phòng Nghệ thuật,Sở Văn hóa và Thể thao,Ít sử dụng,4,12,59,", lines[1], StringComparison.Ordinal);
        using var all = new StringWriter();
        UsageReportExport.WriteCsv(all, report, all: true, c: Messages.Vietnamese);
        Assert.Equal(4, all.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task The_json_has_one_entry_per_account_with_address_unit_agency_and_class()
    {
        var json = JsonSerializer.SerializeToElement(UsageReportExport.Json(await ReportAsync(Q1)));
        Assert.Equal("2024-Q1", json.GetProperty("period").GetString());
        var accounts = json.GetProperty("accounts").EnumerateArray().ToList();
        Assert.Equal(3, accounts.Count);
        var thinh = accounts.Single(a => a.GetProperty("address").GetString() == "ldthinh@tphcm.gov.vn");
        Assert.Equal(Arts, thinh.GetProperty("unit").GetString());
        Assert.Equal(Culture, thinh.GetProperty("agency").GetString());
        Assert.Equal("low", thinh.GetProperty("class").GetString());
        Assert.Equal("usage.low", thinh.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task The_governance_workbook_has_one_sheet_per_list_with_rules_and_decisions()
    {
        Ok(await Units.SetHeadAsync(Arts, "nvan@tphcm.gov.vn", Admin));
        Ok(await Reports.DecideAsync(Q1, GovernanceList.PersonsGradedDown, "ldthinh@tphcm.gov.vn", GovernanceDecisionKind.Exempt,
            "Đi học tập trung", "hr@tphcm.gov.vn"));
        var g = Ok(await Reports.GovernanceAsync(Q1));
        using var stream = new MemoryStream();
        GovernanceExport.WriteXlsx(stream, g, Messages.Vietnamese);
        var x = new WorkbookReader(stream.ToArray());
        Assert.Equal(["Hạ bậc cá nhân", "Hạ bậc người đứng đầu", "Đề nghị hủy tài khoản"], x.Sheets);
        Assert.Equal("DANH SÁCH XỬ LÝ SAU THỐNG KÊ SỬ DỤNG THƯ ĐIỆN TỬ THÀNH PHỐ HỒ CHÍ MINH - QUÝ I NĂM 2024", x.Cell("Hạ bậc cá nhân", "A1"));
        Assert.Equal("CÁ NHÂN HẠ 01 BẬC ĐÁNH GIÁ, PHÂN LOẠI", x.Cell("Hạ bậc cá nhân", "A2"));
        Cells(["STT", "Tên thể hiện", "Địa chỉ hộp thư", "Tiêu đề", "Bộ phận/Phòng ban", "Cơ quan", "Căn cứ", "Quyết định", "Lý do",
            "Người quyết định", "Thời điểm quyết định"], x.Row("Hạ bậc cá nhân", 3, 'K'));
        var thinh = x.Row("Hạ bậc cá nhân", 4, 'K');
        Cells(["1", "Lê Đức Thịnh", "ldthinh@tphcm.gov.vn", "Chuyên viên", Arts, Culture], thinh[..6]);
        Assert.StartsWith("Có tên trong danh sách ít sử dụng Quý I/2024: hạ 01 bậc đánh giá, phân loại Quý II/2024", thinh[6], StringComparison.Ordinal);
        Cells(["Miễn", "Đi học tập trung", "hr@tphcm.gov.vn"], thinh[7..10]);
        Cells(["Chưa quyết định", null], x.Row("Hạ bậc cá nhân", 5, 'K')[7..9]);

        var head = x.Row("Hạ bậc người đứng đầu", 4, 'H');
        Cells(["1", "Nguyễn Văn An", "nvan@tphcm.gov.vn", "Trưởng phòng", Arts, Culture, Arts, "ldthinh@tphcm.gov.vn"], head);
        Assert.Null(x.Cell("Đề nghị hủy tài khoản", "A4"));

        using var csv = new StringWriter();
        GovernanceExport.WriteCsv(csv, g, Messages.Vietnamese);
        var lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Danh sách,STT,Tên thể hiện,", lines[0], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("heads,1,Nguyễn Văn An,nvan@tphcm.gov.vn,Trưởng phòng,Phòng Nghệ thuật,Sở Văn hóa và Thể thao,Phòng Nghệ thuật,ldthinh@tphcm.gov.vn,", lines[3], StringComparison.Ordinal);
    }
}
