using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using GovMail.Storage.Audit;
using GovMail.Web.Tests.Support;
using static GovMail.Web.Tests.Admin.AdminWorld;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Admin;

/// <summary>
/// The HR change file on the portal (/quan-tri/bien-dong-nhan-su), run by the service <c>govmail account hr-changes</c> uses:
/// previewed as a dry run, bad rows named by line, applied all or nothing on confirmation, scoped by role, audited.
/// </summary>
public sealed class AdminHrChangesTests
{
    private const string Page = "/quan-tri/bien-dong-nhan-su";

    /// <summary>A CSV file as HR writes it: headings on line 1, so the first row is line 2.</summary>
    private static byte[] HrFile(params string[] rows) => new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(
        "STT;Địa chỉ hộp thư;Thay đổi;Ngày hiệu lực;Đơn vị mới;Lý do\n" + string.Join("\n", rows) + "\n")).ToArray();

    private static Task<HttpResponseMessage> PreviewAsync(BrowserClient browser, byte[] file) =>
        browser.SubmitFilesAsync(Page + "?handler=Preview", [], [("Upload", "bien-dong.csv", "text/csv", file)]);

    /// <summary>The file as the preview's hidden field carries it (HTML entities decoded, as a browser does).</summary>
    private static string Carried(string html) => WebUtility.HtmlDecode(Regex.Match(html, "name=\"FileContent\" value=\"([^\"]+)\"").Groups[1].Value);

    private static async Task<string> UnitPathAsync(WebTestSite site, string address) => Ok(await site.Accounts.FindAsync(address)).UnitPath;

    [Fact]
    public async Task A_file_is_tried_first_and_applied_with_an_audit_entry_only_when_confirmed()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(NoiVuAdmin);

        var preview = await (await PreviewAsync(browser, HrFile($"1;{An};Chuyển công tác;01/07/2026;{Department};Quyết định 12/QĐ"))).Content.ReadAsStringAsync();

        Assert.Contains("id=\"hr-preview\"", preview);
        Assert.Contains("id=\"apply-hr-changes\"", preview);
        Assert.Contains(An, preview);
        Assert.Equal(NoiVu, await UnitPathAsync(site, An));

        var applied = await browser.Http.PostAsync(Page + "?handler=Confirm", new FormUrlEncodedContent(
            [new("FileName", "bien-dong.csv"), new("FileContent", Carried(preview)), new("__xsrf", BrowserClient.Token(preview)!)]));
        var done = await applied.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        Assert.Contains("id=\"hr-done\"", done);
        Assert.Equal(NoiVu + " / " + Department, await UnitPathAsync(site, An));
        var entry = Assert.Single(await new AuditLog(site.Database.Database).ListAsync(null, null), e => e.Action == "account.hr-changes");
        Assert.Equal((NoiVuAdmin, "bien-dong.csv", "transfer 1"), (entry.Actor, entry.Target, entry.Detail));
    }

    [Fact]
    public async Task Bad_rows_and_rows_outside_the_administrators_agency_are_named_by_line_and_nothing_changes()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(NoiVuAdmin);

        var response = await PreviewAsync(browser, HrFile(
            $"1;{An};Chuyển công tác;01/07/2026;{Department};",
            $"2;{Binh};Chuyển công tác;;;",
            $"3;{Chi};Nghỉ phép;hôm qua;;",
            $"4;{Hoa};Nghỉ hưu;01/07/2026;;"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("id=\"hr-problems\"", html);
        Assert.Contains("Dòng 3: Chuyển công tác cần ghi đơn vị mới.", html);
        Assert.Contains("Dòng 4: Không hiểu thay đổi", html);
        Assert.Contains($"data-row=\"5\">Dòng 5: Không tìm thấy tài khoản {Hoa} trong phạm vi quản lý", html);
        Assert.DoesNotContain("id=\"apply-hr-changes\"", html);
        Assert.Equal(NoiVu, await UnitPathAsync(site, An));
        Assert.DoesNotContain(await new AuditLog(site.Database.Database).ListAsync(null, null), e => e.Action == "account.hr-changes");
    }

    [Fact]
    public async Task Applying_again_a_file_that_has_become_bad_is_refused_and_changes_nothing()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(NoiVuAdmin);
        var (_, form, _) = await browser.GetAsync(Page);
        // A hand-made confirmation carrying a file with a row outside the agency: the apply checks it again.
        var file = Convert.ToBase64String(HrFile($"1;{An};Chuyển công tác;;{Department};", $"2;{Hoa};Nghỉ hưu;01/07/2026;;"));

        var applied = await browser.Http.PostAsync(Page + "?handler=Confirm", new FormUrlEncodedContent(
            [new("FileName", "bien-dong.csv"), new("FileContent", file), new("__xsrf", BrowserClient.Token(form)!)]));
        var html = await applied.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, applied.StatusCode);
        Assert.Contains("Dòng 3: ", html);
        Assert.Equal(NoiVu, await UnitPathAsync(site, An));
    }

    [Fact]
    public async Task Only_account_managers_open_the_page_and_a_post_without_the_antiforgery_token_is_refused()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var auditor = await world.SignInAsync(Auditor);
        using var admin = await world.SignInAsync(NoiVuAdmin);
        var file = Convert.ToBase64String(HrFile($"1;{An};Chuyển công tác;;{Department};"));

        var (auditorStatus, _, _) = await auditor.GetAsync(Page);
        var (adminStatus, _, _) = await admin.GetAsync(Page);
        var forged = await admin.Http.PostAsync(Page + "?handler=Confirm", new FormUrlEncodedContent(
            [new("FileName", "bien-dong.csv"), new("FileContent", file)]));

        Assert.Equal(HttpStatusCode.Forbidden, auditorStatus);
        Assert.Equal(HttpStatusCode.OK, adminStatus);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(NoiVu, await UnitPathAsync(site, An));
    }
}
