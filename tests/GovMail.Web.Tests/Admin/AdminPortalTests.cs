using System.Net;
using System.Text;
using GovMail.Core.Accounts;
using GovMail.Core.Usage;
using GovMail.Reports;
using GovMail.Storage.Audit;
using GovMail.Web.Tests.Support;
using static GovMail.Web.Tests.Admin.AdminWorld;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Admin;

/// <summary>The admin portal's pages over the directory, lifecycle, import, report and audit services, scoped by role.</summary>
public sealed class AdminPortalTests
{
    private static string Page(string address) => "/quan-tri/tai-khoan/" + Uri.EscapeDataString(address);

    /// <summary>The page's alerts, for a failure message.</summary>
    private static string Alert(string html) =>
        string.Join(" | ", System.Text.RegularExpressions.Regex.Matches(html, "class=\"alert[^\"]*\"[^>]*>(.*?)</div>", System.Text.RegularExpressions.RegexOptions.Singleline).Select(m => m.Groups[1].Value));

    private static Encoding Utf8Bom => new UTF8Encoding(true);

    [Theory]
    [InlineData(Storage.Database.DatabaseProvider.Sqlite)]
    [InlineData(Storage.Database.DatabaseProvider.Postgres)]
    public async Task An_agency_administrator_sees_and_changes_only_their_agency(Storage.Database.DatabaseProvider provider)
    {
        await using var site = await StartAsync(provider);
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(NoiVuAdmin);

        var (_, list, _) = await browser.GetAsync("/quan-tri/tai-khoan");
        Assert.Contains(An, list);
        Assert.DoesNotContain(Hoa, list);
        var (_, tree, _) = await browser.GetAsync("/quan-tri/don-vi");
        Assert.Contains(Department, tree);
        Assert.DoesNotContain(TaiChinh, tree);

        var (other, html, _) = await browser.GetAsync(Page(Hoa));
        Assert.Equal(HttpStatusCode.NotFound, other);
        Assert.Contains("trong phạm vi quản lý", html);
        var (_, own, _) = await browser.GetAsync(Page(An));
        Assert.Contains("id=\"account-actions\"", own);
        var locked = await browser.SubmitAsync(Page(An), [new("Reason", "thử")], Page(An) + "?handler=Lock");
        Assert.Equal(HttpStatusCode.NotFound, (await browser.SubmitAsync(Page(An), [], Page(Hoa) + "?handler=Lock")).StatusCode);
        var moveOut = await browser.SubmitAsync(Page(An), [new("TargetUnit", TaiChinh)], Page(An) + "?handler=Transfer");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, moveOut.StatusCode);
        Assert.Contains("không thuộc phạm vi quản lý", Alert(await moveOut.Content.ReadAsStringAsync()));
        var (unitOutside, _, _) = await browser.GetAsync("/quan-tri/tai-khoan?don-vi=" + Uri.EscapeDataString(TaiChinh));

        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Equal(AccountState.Locked, await world.StateAsync(An));
        Assert.Equal(AccountState.Active, await world.StateAsync(Hoa));
        Assert.Equal(NoiVu, Ok(await site.Accounts.FindAsync(An)).UnitPath);
        Assert.Equal(HttpStatusCode.NotFound, unitOutside);
    }

    [Fact]
    public async Task Lock_unlock_reset_transfer_retire_and_close_go_through_the_services_with_the_administrator_as_actor()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(NoiVuAdmin);

        async Task<string> Do(string handler, params KeyValuePair<string, string>[] fields)
        {
            var r = await browser.SubmitAsync(Page(An), fields, Page(An) + "?handler=" + handler);
            var html = await r.Content.ReadAsStringAsync();
            Assert.True(r.StatusCode == HttpStatusCode.OK, handler + ": " + Alert(html));
            return html;
        }

        Assert.Contains("Đã khóa tài khoản.", await Do("Lock", KeyValuePair.Create("Reason", "nghi lộ mật khẩu")));
        Assert.Contains("Đã mở khóa tài khoản.", await Do("Unlock"));
        Assert.Equal(AccountState.Active, await world.StateAsync(An));

        Assert.Contains("id=\"temporary-password\"", await Do("Reset"));
        Assert.Contains("Đã chuyển công tác", await Do("Transfer", KeyValuePair.Create("TargetUnit", NoiVu + " / " + Department)));
        Assert.Equal(NoiVu + " / " + Department, Ok(await site.Accounts.FindAsync(An)).UnitPath);
        Assert.Contains("Đã ghi nhận nghỉ hưu", await Do("Retire", KeyValuePair.Create("Effective", "")));
        var closed = await browser.SubmitAsync(Page(Dung), [], Page(Dung) + "?handler=Close");
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal(AccountState.Closed, await world.StateAsync(Dung));

        // Bình missed the first-login deadline: the scheduler locked the account, and unlocking issues a new temporary password, shown once.
        site.Database.Clock.Advance(TimeSpan.FromDays(30));
        await new Storage.Security.FirstLoginDeadlines(site.Database.Database, site.Database.Clock).LockOverdueAsync(default);
        Assert.Equal(AccountState.Locked, await world.StateAsync(Binh));
        using var later = await world.SignInAsync(NoiVuAdmin);
        var unlocked = await later.SubmitAsync(Page(Binh), [], Page(Binh) + "?handler=Unlock");
        Assert.Contains("id=\"temporary-password\"", await unlocked.Content.ReadAsStringAsync());
        Assert.Equal(AccountState.PendingFirstLogin, await world.StateAsync(Binh));
        var (_, again, _) = await later.GetAsync(Page(Binh));
        Assert.DoesNotContain("id=\"temporary-password\"", again);

        var audit = await new AuditLog(site.Database.Database).ListAsync(An, null);
        foreach (var action in new[] { "account.lock", "account.unlock", "account.reset-password", "account.transfer" })
            Assert.Contains(audit, e => e.Action == action && e.Actor == NoiVuAdmin);
    }

    [Fact]
    public async Task A_refusal_of_the_service_is_shown_on_the_page()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(Operator);

        var r = await browser.SubmitAsync(Page(An), [], Page(An) + "?handler=Unlock");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
        Assert.Contains("id=\"action-error\"", await r.Content.ReadAsStringAsync());
        Assert.Equal(AccountState.Active, await world.StateAsync(An));
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(Operator);

        var forged = await browser.Http.PostAsync(Page(An) + "?handler=Lock", new FormUrlEncodedContent([new("Reason", "giả mạo")]));
        var forgedToken = await browser.Http.PostAsync("/quan-tri/ma-truy-cap?handler=Create", new FormUrlEncodedContent([new("Name", "giả")]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(AccountState.Active, await world.StateAsync(An));
        Assert.Equal(HttpStatusCode.BadRequest, forgedToken.StatusCode);
        Assert.Empty(await new Storage.Security.AdminTokens(site.Database.Database, site.Database.Clock).ListAsync(Operator));
    }

    [Fact]
    public async Task Accounts_are_searched_without_diacritics_and_filtered_by_state()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(Operator);

        var (_, search, _) = await browser.GetAsync("/quan-tri/tai-khoan?q=nguyen%20van%20an");
        var (_, lockedOnly, _) = await browser.GetAsync("/quan-tri/tai-khoan?trang-thai=locked");
        var (_, disabled, _) = await browser.GetAsync("/quan-tri/tai-khoan?trang-thai=disabled");

        Assert.Contains(An, search);
        Assert.DoesNotContain(Binh, search);
        Assert.Contains(Chi, lockedOnly);
        Assert.DoesNotContain(An, lockedOnly);
        Assert.Contains(Dung, disabled);
        Assert.Contains("Ngừng sử dụng", disabled);
    }

    private static byte[] StaffList(params string[] rows) => Utf8Bom.GetPreamble().Concat(Encoding.UTF8.GetBytes(
        "DANH SÁCH CÁN BỘ ĐĂNG KÝ HỘP THƯ\nSTT,Họ và tên,Chức danh,Phòng ban,Cơ quan,Điện thoại\n" + string.Join("\n", rows) + "\n")).ToArray();

    [Fact]
    public async Task An_import_is_previewed_with_its_bad_rows_and_issued_only_when_confirmed()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(NoiVuAdmin);
        const string page = "/quan-tri/nhap-danh-sach";

        var bad = await browser.SubmitFilesAsync(page + "?handler=Preview", [],
            [("Upload", "danh-sach.csv", "text/csv", StaffList(
                "1,Lê Văn Minh,Chuyên viên,Phòng Tổ chức cán bộ,Sở Nội vụ,0903123456",
                "2,,Chuyên viên,Phòng Tổ chức cán bộ,Sở Nội vụ,",
                "3,Trần Văn Tài,Chuyên viên,Phòng Ngân sách,Sở Tài chính,"))]);
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Contains("id=\"import-problems\"", badHtml);
        Assert.Contains("ngoài phạm vi", badHtml);
        Assert.DoesNotContain("id=\"confirm-import\"", badHtml);

        var good = await browser.SubmitFilesAsync(page + "?handler=Preview", [],
            [("Upload", "danh-sach.csv", "text/csv", StaffList(
                "1,Lê Văn Minh,Chuyên viên,Phòng Tổ chức cán bộ,Sở Nội vụ,0903123456",
                "2,Phạm Thị Ngọc,Văn thư,Văn phòng Sở,Sở Nội vụ,"))]);
        var preview = await good.Content.ReadAsStringAsync();
        Assert.Contains("id=\"import-preview\"", preview);
        Assert.Contains("Lê Văn Minh", preview);
        var before = Ok(await site.Accounts.ListAsync(new Storage.Directory.AccountFilter())).Count;
        Assert.Equal(before, Ok(await site.Accounts.ListAsync(new Storage.Directory.AccountFilter())).Count);

        // As a browser reads the hidden field: HTML entities (&#x2B; for '+') decoded.
        var content = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(preview, "name=\"FileContent\" value=\"([^\"]+)\"").Groups[1].Value);
        var confirmed = await browser.Http.PostAsync(page + "?handler=Confirm", new FormUrlEncodedContent(
            [new("FileName", "danh-sach.csv"), new("FileContent", content), new("__xsrf", BrowserClient.Token(preview)!)]));
        var done = await confirmed.Content.ReadAsStringAsync();

        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, Alert(done));
        Assert.True(done.Contains("id=\"import-done\"", StringComparison.Ordinal), Alert(done) + " // " + done[done.IndexOf("<main", StringComparison.Ordinal)..]);
        Assert.Contains("<code>", done);
        Assert.Equal(before + 2, Ok(await site.Accounts.ListAsync(new Storage.Directory.AccountFilter())).Count);
        var minh = Assert.Single(Ok(await site.Accounts.ListAsync(new Storage.Directory.AccountFilter { Search = "Lê Văn Minh" })));
        Assert.Equal(AccountState.PendingFirstLogin, minh.Account.State);
        Assert.Equal(NoiVu + " / " + Department, minh.UnitPath);
    }

    [Fact]
    public async Task The_report_page_shows_the_services_numbers_and_downloads_the_excel_and_csv_files()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(NoiVuAdmin);
        var quarter = UsagePeriod.QuarterOf(Core.Time.VietnamTime.Today(site.Database.Clock.GetUtcNow()));

        var (status, html, _) = await browser.GetAsync("/quan-tri/bao-cao");
        var expected = Ok(await new UsageReports(site.Database.Database, site.Database.Clock).PeriodAsync(quarter, NoiVu));
        var xlsx = await browser.Http.GetAsync($"/quan-tri/bao-cao?ky={quarter}&tai=xlsx&don-vi={Uri.EscapeDataString(NoiVu)}");
        var csv = await browser.Http.GetAsync($"/quan-tri/bao-cao?ky={quarter}&tai=csv&don-vi={Uri.EscapeDataString(NoiVu)}");
        var (outside, _, _) = await browser.GetAsync($"/quan-tri/bao-cao?ky={quarter}&don-vi={Uri.EscapeDataString(TaiChinh)}");
        var (city, _, _) = await browser.GetAsync($"/quan-tri/bao-cao?ky={quarter}&don-vi=");

        Assert.Equal(HttpStatusCode.OK, status);
        var top = expected.Summary[0].Counts;
        Assert.Contains($"<td class=\"num\" data-field=\"accounts\">{top.Accounts}</td>", html);
        Assert.Contains($"<td class=\"num\" data-field=\"notActivated\">{top.NotActivated}</td>", html);
        Assert.Contains("id=\"download-xlsx\"", html);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        var bytes = await xlsx.Content.ReadAsByteArrayAsync();
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes)))
            Assert.NotNull(zip.GetEntry("xl/workbook.xml"));
        Assert.Contains($"bao-cao-su-dung-{quarter}.xlsx", xlsx.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, outside);
        // An agency administrator's default is their agency; the whole city is not theirs.
        Assert.Equal(HttpStatusCode.OK, city);
    }

    [Fact]
    public async Task The_governance_page_shows_the_quarters_lists_and_records_a_reviewers_decision_only_in_scope()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var reviewer = await world.SignInAsync(Reviewer);
        var quarter = UsagePeriod.QuarterOf(Core.Time.VietnamTime.Today(site.Database.Clock.GetUtcNow())).Previous;

        var (status, html, _) = await reviewer.GetAsync("/quan-tri/danh-sach-quy");
        var outside = await reviewer.SubmitAsync("/quan-tri/danh-sach-quy",
            [new("Address", Hoa), new("List", "persons"), new("Decision", "apply")], $"/quan-tri/danh-sach-quy?handler=Decide&quy={quarter}");
        var notListed = await reviewer.SubmitAsync("/quan-tri/danh-sach-quy",
            [new("Address", An), new("List", "persons"), new("Decision", "apply")], $"/quan-tri/danh-sach-quy?handler=Decide&quy={quarter}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("id=\"list-persons\"", html);
        Assert.Contains("id=\"list-cancellations\"", html);
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notListed.StatusCode);
        Assert.Contains("id=\"decision-error\"", await notListed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_audit_log_is_for_auditors_and_a_scoped_auditor_reads_their_agencys_entries()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        Ok(await site.Accounts.ApplyAsync(Hoa, AccountAction.Lock, "test", "thử", LockReason.Administrator));
        using var auditor = await world.SignInAsync(Auditor);
        using var op = await world.SignInAsync(Operator);

        var (status, html, _) = await auditor.GetAsync("/quan-tri/nhat-ky");
        var (_, all, _) = await op.GetAsync("/quan-tri/nhat-ky");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("id=\"audit-chain\"", html);
        Assert.Contains("nguyên vẹn", html);
        Assert.Contains(NoiVuAdmin, html);
        Assert.DoesNotContain(Hoa, html);
        Assert.Contains(Hoa, all);
    }

    [Fact]
    public async Task Tokens_are_shown_once_at_creation_and_revoked_from_the_portal()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(NoiVuAdmin);

        var made = await browser.SubmitAsync("/quan-tri/ma-truy-cap", [new("Name", "Báo cáo tự động")], "/quan-tri/ma-truy-cap?handler=Create");
        var html = await made.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "id=\"new-token\">(gm_[^<]+)<").Groups[1].Value;
        var (_, later, _) = await browser.GetAsync("/quan-tri/ma-truy-cap");

        Assert.StartsWith("gm_", token, StringComparison.Ordinal);
        Assert.DoesNotContain(token, later);
        Assert.Contains("Báo cáo tự động", later);
        var tokens = await new Storage.Security.AdminTokens(site.Database.Database, site.Database.Clock).ListAsync(NoiVuAdmin);
        var revoked = await browser.SubmitAsync("/quan-tri/ma-truy-cap", [new("Id", tokens[0].Id.ToString()), new("Owner", NoiVuAdmin)],
            "/quan-tri/ma-truy-cap?handler=Revoke");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.False((await new Storage.Security.AdminTokens(site.Database.Database, site.Database.Clock).ListAsync(NoiVuAdmin))[0].Active);
    }

    [Fact]
    public async Task The_dashboard_draws_its_charts_as_inline_svg_without_script()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(Operator);

        var (status, html, response) = await browser.GetAsync("/quan-tri");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<svg id=\"chart-monthly\"", html);
        Assert.Contains("<svg id=\"chart-ranking\"", html);
        Assert.Contains("<svg id=\"chart-classes\"", html);
        Assert.Contains(NoiVu, html);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("style=", html);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
    }
}
