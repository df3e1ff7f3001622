using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using GovMail.EndToEnd.Tests.Support;
using Microsoft.Playwright;
using static GovMail.EndToEnd.Tests.Support.TenantDataFolder;

namespace GovMail.EndToEnd.Tests;

/// <summary>
/// The admin portal in a real browser (Debian's Chromium through Playwright) against <c>govmail serve</c>: an agency
/// administrator made with the CLI (role, TOTP key) signs in with the password and the code from the key, imports a staff
/// list after its preview, reads the quarter's report (the same numbers as <c>govmail report usage</c>) and downloads the Excel
/// file, which opens as a workbook. The main admin pages are saved to docs/screenshots/.
/// </summary>
public sealed class AdminBrowserTests(ServedTenant served, Chromium chromium) : IClassFixture<ServedTenant>, IClassFixture<Chromium>
{
    private const string Admin = "quantri.stttt@tphcm.gov.vn";
    private const string AdminPassword = "Bến-Nghé-Sông-Sài-Gòn#2026";

    private string Site => $"http://127.0.0.1:{served.Server.HttpPort}";

    [Fact]
    public async Task An_agency_administrator_signs_in_with_totp_imports_staff_and_downloads_the_quarters_report()
    {
        var secret = await AdminInBrowser.MakeAgencyAdministratorAsync(served.Data, Admin, "Quản trị Sở Thông tin", Office, AdminPassword);
        await using var context = await chromium.NewContextAsync(1366, 900);
        var page = await context.NewPageAsync();

        await AdminInBrowser.SignInAsync(page, Site, Admin, AdminPassword, secret, "/quan-tri",
            () => page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("11-quan-tri-ma-xac-thuc.png") }));
        Assert.Equal("Tổng quan", (await page.TextContentAsync("h1"))?.Trim());
        Assert.Equal(3, await page.Locator("svg.chart").CountAsync());
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("12-quan-tri-tong-quan.png"), FullPage = true });

        // The staff list: a new department is created; the preview lists what would be issued before anything is.
        await page.ClickAsync("a[href='/quan-tri/nhap-danh-sach']");
        await page.SetInputFilesAsync("#staff-file", new FilePayload
        {
            Name = "danh-sach-can-bo.csv", MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes("DANH SÁCH CÁN BỘ ĐĂNG KÝ HỘP THƯ ĐIỆN TỬ\nSTT,Họ và tên,Chức danh,Phòng ban,Cơ quan,Điện thoại\n"
                + $"1,Hồ Thị Kim Ngân,Chuyên viên,Phòng Công nghệ thông tin,{Organisation},0903 111 222\n"
                + $"2,Đặng Quốc Việt,Trưởng phòng,Phòng Công nghệ thông tin,{Organisation},0903 333 444\n"
                + $"3,Lưu Thị Thanh Tâm,Văn thư,{Office},{Organisation},\n"),
        });
        await page.ClickAsync("#preview");
        await Assertions.Expect(page.Locator("#import-preview")).ToContainTextAsync("3 hộp thư");
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("13-quan-tri-nhap-danh-sach.png"), FullPage = true });
        await page.ClickAsync("#confirm-import");
        await Assertions.Expect(page.Locator("#import-done")).ToContainTextAsync("Đã cấp 3 hộp thư");
        var listed = (await served.Data.RunAsync("account", "list", "--unit", "Phòng Công nghệ thông tin", "--json")).Ok().Out;
        Assert.Contains("Hồ Thị Kim Ngân", listed, StringComparison.Ordinal);

        await page.GotoAsync(Site + "/quan-tri/tai-khoan?trang-thai=pending-first-login");
        foreach (var name in new[] { "Hồ Thị Kim Ngân", "Đặng Quốc Việt", "Lưu Thị Thanh Tâm" })
            Assert.Equal(1, await page.Locator("#accounts tbody tr", new() { HasText = name }).CountAsync());
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("14-quan-tri-tai-khoan.png"), FullPage = true });
        await page.Locator("#accounts tbody tr a", new() { HasText = "Đặng Quốc Việt" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/quan-tri/tai-khoan/"));
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("15-quan-tri-chi-tiet-tai-khoan.png"), FullPage = true });

        // The quarter's report: the same numbers as the command line's for the same period and agency.
        await page.ClickAsync("a[href='/quan-tri/bao-cao']");
        await page.WaitForURLAsync(new Regex("/quan-tri/bao-cao$"));
        var quarter = (await page.InputValueAsync("select[name=ky]"))!;
        var cli = (await served.Data.RunAsync("report", "usage", "--period", quarter, "--agency", Organisation, "--format", "json")).Ok().Json;
        var total = cli.GetProperty("summary")[0];
        foreach (var field in new[] { "accounts", "regular", "low", "notUsed", "notActivated", "exempt" })
            Assert.Equal(total.GetProperty(field).GetInt32().ToString(CultureInfo.InvariantCulture),
                (await page.TextContentAsync($"#report-summary tbody tr:first-child td[data-field={field}]"))?.Trim());
        Assert.Equal(cli.GetProperty("accounts").EnumerateArray().Count(a => a.GetProperty("listed").GetBoolean()),
            await page.Locator("#report-listed tbody tr").CountAsync());
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("16-quan-tri-bao-cao-quy.png"), FullPage = true });

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-xlsx"));
        Assert.Equal($"bao-cao-su-dung-{quarter}.xlsx", download.SuggestedFilename);
        var file = Path.Combine(Path.GetTempPath(), "govmail-e2e-" + Guid.NewGuid().ToString("N")[..8] + ".xlsx");
        try
        {
            await download.SaveAsAsync(file);
            using var workbook = SpreadsheetDocument.Open(file, false);
            var sheets = workbook.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().ToList();
            Assert.NotEmpty(sheets);
            var strings = string.Join(" ", workbook.WorkbookPart.SharedStringTablePart?.SharedStringTable.InnerText ?? "",
                string.Concat(workbook.WorkbookPart.WorksheetParts.Select(w => w.Worksheet.InnerText)));
            Assert.Contains(Organisation, strings, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }

        await page.ClickAsync("a[href='/quan-tri/danh-sach-quy']");
        await page.WaitForURLAsync(new Regex("/quan-tri/danh-sach-quy$"));
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("17-quan-tri-danh-sach-quy.png"), FullPage = true });
    }
}
