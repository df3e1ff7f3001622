using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GovMail.Core.Time;
using GovMail.Core.Usage;
using GovMail.Reports.Exemptions;
using GovMail.Storage.Audit;
using GovMail.Web.Tests.Support;
using static GovMail.Web.Tests.Admin.AdminWorld;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Admin;

/// <summary>
/// The working calendar page (lịch làm việc): the year usage is judged on, month by month, with the official days off named and
/// each month's working-day count; the city operator adds and removes the tenant's own days off and worked weekend days through
/// the usage policy (as <c>govmail usage policy set --day-off</c>, audited), with plain Vietnamese refusals; other roles are refused.
/// </summary>
public sealed class WorkingCalendarPageTests
{
    private const string Page = "/quan-tri/lich-lam-viec";
    private static readonly DateOnly Thursday = new(2026, 3, 5);
    private static readonly DateOnly Saturday = new(2026, 3, 7);

    private static KeyValuePair<string, string> F(string name, string value) => new(name, value);

    private static int WorkingDaysOf(WorkingCalendar calendar, int year, int month) =>
        calendar.CountWorkingDays(new DateOnly(year, month, 1), new DateOnly(year, month, DateTime.DaysInMonth(year, month)));

    private static string MonthCount(int month, int count) => $"id=\"working-days-{month}\">{count} ngày làm việc<";

    private static Task<UsagePolicy> PolicyAsync(WebTestSite site) => new UsagePolicies(site.Database.Database, site.Database.Clock).GetAsync();

    private static async Task<int> PolicyAuditCountAsync(WebTestSite site) =>
        (await new AuditLog(site.Database.Database).ListAsync(null, null)).Count(e => e.Action == "usage.policy");

    private static Task<HttpResponseMessage> PostAsync(BrowserClient browser, string handler, string day) =>
        browser.SubmitAsync(Page + "?nam=2026", [F("Day", day), F("nam", "2026")], $"{Page}?handler={handler}");

    [Fact]
    public async Task The_page_shows_a_year_with_the_official_days_off_named_and_each_months_working_day_count()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var op = await world.SignInAsync(Operator);

        var (status, html, _) = await op.GetAsync(Page + "?nam=2026");
        var (_, thisYear, _) = await op.GetAsync(Page);
        var (badYearStatus, badYear, _) = await op.GetAsync(Page + "?nam=hai-nghin");
        var (_, unlisted, _) = await op.GetAsync(Page + "?nam=2027");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<h1>Lịch làm việc</h1>", html);
        Assert.Contains("Năm 2026", html);
        Assert.Contains("data-day=\"2026-09-02\" data-kind=\"OfficialDayOff\"", html);
        Assert.Contains("02/09/2026: Quốc khánh 2/9", html);
        Assert.Contains("16/02/2026: Tết Nguyên đán", html);
        Assert.Contains("10/01/2026: Ngày làm bù", html);
        Assert.Contains("data-day=\"2026-03-07\" data-kind=\"Weekend\"", html);
        Assert.Contains("data-day=\"2026-03-05\" data-kind=\"Working\"", html);
        for (var month = 1; month <= 12; month++)
            Assert.Contains(MonthCount(month, WorkingDaysOf(WorkingCalendar.Vietnam, 2026, month)), html);
        Assert.Contains(MonthCount(2, 15), html);
        Assert.Contains("href=\"/quan-tri/lich-lam-viec\"", html);
        Assert.DoesNotContain("calendar-no-official-list", html);
        Assert.Contains("GovMail chưa có danh sách ngày nghỉ chính thức của năm 2027", unlisted);
        Assert.Contains(MonthCount(9, 22), unlisted);
        Assert.Contains($"Năm {VietnamTime.Today(site.Database.Clock.GetUtcNow()).Year}", thisYear);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badYearStatus);
        Assert.Contains("Năm không hợp lệ: hai-nghin", badYear);
    }

    [Fact]
    public async Task A_day_off_and_a_worked_saturday_of_the_tenant_are_added_shown_counted_saved_audited_and_removed()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var op = await world.SignInAsync(Operator);
        var march = WorkingDaysOf(WorkingCalendar.Vietnam, 2026, 3);

        var added = await PostAsync(op, "AddDayOff", "05/03/2026");
        var addedHtml = await added.Content.ReadAsStringAsync();
        var afterAdd = await PolicyAsync(site);
        var audit = await new AuditLog(site.Database.Database).ListAsync(null, null);
        var worked = await PostAsync(op, "AddWorkingDay", "2026-03-07");
        var workedHtml = await worked.Content.ReadAsStringAsync();
        var afterWorked = await PolicyAsync(site);

        Assert.True(added.StatusCode == HttpStatusCode.OK, addedHtml);
        Assert.Contains("Đã thêm ngày nghỉ của đơn vị 05/03/2026.", addedHtml);
        Assert.Contains("data-day=\"2026-03-05\" data-kind=\"TenantDayOff\"", addedHtml);
        Assert.Contains("05/03/2026: Ngày nghỉ của đơn vị", addedHtml);
        Assert.Contains(MonthCount(3, march - 1), addedHtml);
        Assert.Equal([Thursday], afterAdd.ExtraDaysOff);
        Assert.Equal(march - 1, WorkingDaysOf(afterAdd.Calendar(), 2026, 3));
        Assert.Contains(audit, e => e.Action == "usage.policy" && e.Actor == Operator && e.Detail!.Contains("days-off=2026-03-05", StringComparison.Ordinal));
        Assert.True(worked.StatusCode == HttpStatusCode.OK, workedHtml);
        Assert.Contains("data-day=\"2026-03-07\" data-kind=\"WorkedWeekend\"", workedHtml);
        Assert.Contains(MonthCount(3, march), workedHtml);
        Assert.Equal([Saturday], afterWorked.ExtraWorkingDays);

        var removed = await PostAsync(op, "RemoveDayOff", "05/03/2026");
        var removedHtml = await removed.Content.ReadAsStringAsync();
        var unworked = await PostAsync(op, "RemoveWorkingDay", "07/03/2026");
        var unworkedHtml = await unworked.Content.ReadAsStringAsync();
        var afterRemove = await PolicyAsync(site);

        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Contains("Đã bỏ ngày nghỉ của đơn vị 05/03/2026.", removedHtml);
        Assert.Equal(HttpStatusCode.OK, unworked.StatusCode);
        Assert.Contains("Đã bỏ ngày làm bù 07/03/2026.", unworkedHtml);
        Assert.Contains("data-day=\"2026-03-05\" data-kind=\"Working\"", unworkedHtml);
        Assert.Contains("data-day=\"2026-03-07\" data-kind=\"Weekend\"", unworkedHtml);
        Assert.Contains(MonthCount(3, march), unworkedHtml);
        Assert.Empty(afterRemove.ExtraDaysOff);
        Assert.Empty(afterRemove.ExtraWorkingDays);
        Assert.Equal(4, await PolicyAuditCountAsync(site));
    }

    [Theory]
    [InlineData("AddDayOff", "31/02/2026", "Ngày không hợp lệ: 31/02/2026")]
    [InlineData("AddDayOff", "mai", "Ngày không hợp lệ: mai")]
    [InlineData("AddDayOff", "07/03/2026", "Ngày 07/03/2026 là thứ Bảy hoặc Chủ nhật, vốn đã là ngày nghỉ")]
    [InlineData("AddDayOff", "02/09/2026", "Ngày 02/09/2026 đã là ngày nghỉ chính thức (Quốc khánh 2/9)")]
    [InlineData("AddWorkingDay", "05/03/2026", "Ngày 05/03/2026 không phải thứ Bảy hay Chủ nhật")]
    [InlineData("RemoveDayOff", "05/03/2026", "Ngày 05/03/2026 không có trong danh sách ngày nghỉ của đơn vị.")]
    [InlineData("RemoveWorkingDay", "07/03/2026", "Ngày 07/03/2026 không có trong danh sách ngày làm bù của đơn vị.")]
    public async Task A_bad_day_gets_a_plain_vietnamese_message_and_changes_nothing(string handler, string day, string message)
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var op = await world.SignInAsync(Operator);

        var refused = await PostAsync(op, handler, day);
        var html = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("id=\"calendar-error\"", html);
        Assert.Contains(message, html);
        var policy = await PolicyAsync(site);
        Assert.Empty(policy.ExtraDaysOff);
        Assert.Empty(policy.ExtraWorkingDays);
        Assert.Equal(0, await PolicyAuditCountAsync(site));
    }

    [Fact]
    public async Task An_agency_administrator_and_an_official_are_refused_and_a_form_without_the_token_changes_nothing()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var agency = await world.SignInAsync(NoiVuAdmin);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);
        using var op = await world.SignInAsync(Operator);

        var (agencyStatus, agencyHtml, _) = await agency.GetAsync(Page);
        var agencyToken = BrowserClient.Token((await agency.GetAsync("/quan-tri/chinh-sach")).Html)!;
        var agencyPost = await agency.Http.PostAsync(Page + "?handler=AddDayOff", new FormUrlEncodedContent([F("Day", "05/03/2026"), F("__xsrf", agencyToken)]));
        var (_, agencyPolicies, _) = await agency.GetAsync("/quan-tri/chinh-sach");
        var (officialStatus, _, _) = await an.GetAsync(Page);
        var noToken = await op.Http.PostAsync(Page + "?handler=AddDayOff", new FormUrlEncodedContent([F("Day", "05/03/2026")]));

        Assert.Equal(HttpStatusCode.Forbidden, agencyStatus);
        Assert.Contains("Trang này chỉ dành cho vai trò quản trị toàn thành phố.", agencyHtml);
        Assert.Equal(HttpStatusCode.Forbidden, agencyPost.StatusCode);
        Assert.DoesNotContain("href=\"/quan-tri/lich-lam-viec\"", agencyPolicies);
        Assert.Equal(HttpStatusCode.Forbidden, officialStatus);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Empty((await PolicyAsync(site)).ExtraDaysOff);
        Assert.Equal(0, await PolicyAuditCountAsync(site));
    }

    [Fact]
    public async Task The_api_adds_and_removes_the_tenants_days_by_the_same_rules()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var op = await world.ApiAsync(Operator);

        var added = await op.PutAsJsonAsync("/api/v1/policies", new { addDaysOff = new[] { "2026-03-05" }, addWorkingDays = new[] { "2026-03-07" } });
        var body = JsonDocument.Parse(await added.Content.ReadAsStringAsync()).RootElement.GetProperty("usage");
        var weekend = await op.PutAsJsonAsync("/api/v1/policies", new { addDaysOff = new[] { "2026-03-08" } });
        var refusal = JsonDocument.Parse(await weekend.Content.ReadAsStringAsync()).RootElement;
        var removed = await op.PutAsJsonAsync("/api/v1/policies", new { removeDaysOff = new[] { "2026-03-05" } });

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal("2026-03-05", body.GetProperty("extraDaysOff")[0].GetString());
        Assert.Equal("2026-03-07", body.GetProperty("extraWorkingDays")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, weekend.StatusCode);
        Assert.Equal("CalendarDayOffOnWeekend", refusal.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        var policy = await PolicyAsync(site);
        Assert.Empty(policy.ExtraDaysOff);
        Assert.Equal([Saturday], policy.ExtraWorkingDays);
    }
}
