using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GovMail.Core.Accounts;
using GovMail.Core.Usage;
using GovMail.Reports;
using GovMail.Reports.Export;
using GovMail.Storage.Security;
using static GovMail.Web.Tests.Admin.AdminWorld;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Admin;

/// <summary>The JSON API under /api/v1: bearer tokens per administrator, the portal's scope, the CLI's report JSON, OpenAPI.</summary>
public sealed class AdminApiTests
{
    private static async Task<JsonElement> JsonOf(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Without_a_valid_token_the_api_answers_401_even_to_a_signed_in_browser()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var anonymous = site.CreateClient();
        using var browser = await world.SignInAsync(Operator);

        var none = await anonymous.GetAsync("/api/v1/accounts");
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "gm_khong-hop-le");
        var wrong = await anonymous.GetAsync("/api/v1/accounts");
        var cookieOnly = await browser.Http.PostAsync("/api/v1/accounts/" + An + "/lock", JsonContent.Create(new { reason = "giả mạo" }));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.StartsWith("Bearer", none.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("TokenInvalid", (await JsonOf(none)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, cookieOnly.StatusCode);
        Assert.Equal(AccountState.Active, await world.StateAsync(An));
    }

    [Theory]
    [InlineData(Storage.Database.DatabaseProvider.Sqlite)]
    [InlineData(Storage.Database.DatabaseProvider.Postgres)]
    public async Task An_agency_administrators_token_reaches_only_their_agency(Storage.Database.DatabaseProvider provider)
    {
        await using var site = await StartAsync(provider);
        var world = await PrepareAsync(site);
        using var api = await world.ApiAsync(NoiVuAdmin);

        var listed = await JsonOf(await api.GetAsync("/api/v1/accounts"));
        var other = await api.GetAsync("/api/v1/accounts/" + Hoa);
        var lockOther = await api.PostAsJsonAsync("/api/v1/accounts/" + Hoa + "/lock", new { reason = "thử" });
        var moveOut = await api.PostAsJsonAsync("/api/v1/accounts/" + An + "/transfer", new { unit = TaiChinh });
        var units = await JsonOf(await api.GetAsync("/api/v1/units"));
        var lockOwn = await api.PostAsJsonAsync("/api/v1/accounts/" + An + "/lock", new { reason = "nghi lộ mật khẩu" });

        var addresses = listed.EnumerateArray().Select(a => a.GetProperty("address").GetString()).ToList();
        Assert.Contains(An, addresses);
        Assert.DoesNotContain(Hoa, addresses);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal("AccountOutOfScope", (await JsonOf(other)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.NotFound, lockOther.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, moveOut.StatusCode);
        Assert.DoesNotContain(units.EnumerateArray(), u => u.GetProperty("name").GetString() == TaiChinh);
        Assert.Equal(HttpStatusCode.OK, lockOwn.StatusCode);
        Assert.Equal("locked", (await JsonOf(lockOwn)).GetProperty("account").GetProperty("state").GetString());
        Assert.Equal(AccountState.Active, await world.StateAsync(Hoa));
        Assert.Equal(AccountState.Locked, await world.StateAsync(An));
        Assert.Contains(await new Storage.Audit.AuditLog(site.Database.Database).ListAsync(An, null), e => e.Action == "account.lock" && e.Actor == NoiVuAdmin);
    }

    [Fact]
    public async Task Unlock_and_reset_return_the_new_temporary_password_and_transfer_and_retire_run_the_workflows()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var api = await world.ApiAsync(Operator);

        var unlocked = await JsonOf(await api.PostAsync("/api/v1/accounts/" + Chi + "/unlock", null));
        var reset = await JsonOf(await api.PostAsync("/api/v1/accounts/" + An + "/reset-password", null));
        var moved = await api.PostAsJsonAsync("/api/v1/accounts/" + An + "/transfer", new { unit = TaiChinh, reason = "điều động" });
        var retired = await api.PostAsJsonAsync("/api/v1/accounts/" + Binh + "/retire", new { effective = "bad" });
        var retiredOk = await api.PostAsJsonAsync("/api/v1/accounts/" + Binh + "/retire", new { });
        var again = await api.PostAsync("/api/v1/accounts/" + Dung + "/disable", null);

        // Chi was active when an administrator locked her: unlocking gives the account back as it was, with no new password.
        Assert.Equal(JsonValueKind.Null, unlocked.GetProperty("temporaryPassword").ValueKind);
        Assert.Equal("active", unlocked.GetProperty("account").GetProperty("state").GetString());
        Assert.False(string.IsNullOrEmpty(reset.GetProperty("temporaryPassword").GetString()));
        Assert.True(moved.StatusCode == HttpStatusCode.OK, await moved.Content.ReadAsStringAsync());
        Assert.Equal(TaiChinh, Ok(await site.Accounts.FindAsync(An)).UnitPath);
        Assert.Equal(HttpStatusCode.BadRequest, retired.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retiredOk.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.False(string.IsNullOrEmpty((await JsonOf(again)).GetProperty("message").GetString()));
    }

    [Fact]
    public async Task The_usage_report_is_the_clis_json_and_its_files_and_needs_a_unit_in_scope()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var agency = await world.ApiAsync(NoiVuAdmin);
        var quarter = UsagePeriod.QuarterOf(Core.Time.VietnamTime.Today(site.Database.Clock.GetUtcNow()));

        var json = await JsonOf(await agency.GetAsync($"/api/v1/reports/usage?period={quarter}&unit={Uri.EscapeDataString(NoiVu)}"));
        var expected = JsonDocument.Parse(JsonSerializer.Serialize(UsageReportExport.Json(
            Ok(await new UsageReports(site.Database.Database, site.Database.Clock).PeriodAsync(quarter, NoiVu))),
            new JsonSerializerOptions(JsonSerializerOptions.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) })).RootElement;
        var cityWide = await agency.GetAsync($"/api/v1/reports/usage?period={quarter}");
        var xlsx = await agency.GetAsync($"/api/v1/reports/usage?period={quarter}&unit={Uri.EscapeDataString(NoiVu)}&format=xlsx");
        var badPeriod = await agency.GetAsync($"/api/v1/reports/usage?period=2026-Q7&unit={Uri.EscapeDataString(NoiVu)}");
        var governance = await agency.GetAsync($"/api/v1/reports/governance?quarter={quarter.Previous}&unit={Uri.EscapeDataString(NoiVu)}");

        Assert.Equal(expected.GetProperty("summary").ToString(), json.GetProperty("summary").ToString());
        Assert.Equal(expected.GetProperty("accounts").GetArrayLength(), json.GetProperty("accounts").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, cityWide.StatusCode);
        Assert.Equal("TenantWideOutOfScope", (await JsonOf(cityWide)).GetProperty("error").GetString());
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, badPeriod.StatusCode);
        Assert.Equal(HttpStatusCode.OK, governance.StatusCode);
        Assert.True((await JsonOf(governance)).TryGetProperty("personsGradedDown", out _));
    }

    [Fact]
    public async Task A_staff_list_is_imported_all_or_nothing_within_the_scope()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var api = await world.ApiAsync(TaiChinhAdmin);
        static MultipartFormDataContent File(string rows) => new()
        {
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes("STT,Họ và tên,Chức danh,Phòng ban,Cơ quan\n" + rows)), "file", "ds.csv" },
        };

        var outside = await api.PostAsync("/api/v1/accounts/import", File("1,Lê Thị Mỹ,Chuyên viên,Văn phòng,Sở Nội vụ\n2,Ngô Văn Bảo,Kế toán,Phòng Ngân sách,Sở Tài chính\n"));
        var dry = await api.PostAsync("/api/v1/accounts/import?dryRun=true", File("1,Ngô Văn Bảo,Kế toán,Phòng Ngân sách,Sở Tài chính\n"));
        var count = Ok(await site.Accounts.ListAsync(new Storage.Directory.AccountFilter())).Count;
        var applied = await api.PostAsync("/api/v1/accounts/import", File("1,Ngô Văn Bảo,Kế toán,Phòng Ngân sách,Sở Tài chính\n"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, outside.StatusCode);
        var problem = Assert.Single((await JsonOf(outside)).GetProperty("problems").EnumerateArray());
        Assert.Equal("ImportRowOutOfScope", problem.GetProperty("code").GetString());
        Assert.False((await JsonOf(dry)).GetProperty("applied").GetBoolean());
        var issued = await JsonOf(applied);
        Assert.True(issued.GetProperty("applied").GetBoolean());
        Assert.False(string.IsNullOrEmpty(issued.GetProperty("accounts")[0].GetProperty("temporaryPassword").GetString()));
        Assert.Equal(count + 1, Ok(await site.Accounts.ListAsync(new Storage.Directory.AccountFilter())).Count);
    }

    [Fact]
    public async Task The_audit_log_is_for_auditors_and_a_revoked_token_stops_at_once()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var auditor = await world.ApiAsync(Auditor);
        using var agency = await world.ApiAsync(NoiVuAdmin);

        var entries = await auditor.GetAsync("/api/v1/audit");
        var refused = await agency.GetAsync("/api/v1/audit");
        var tokens = new AdminTokens(site.Database.Database, site.Database.Clock);
        Ok(await tokens.RevokeAsync(Auditor, (await tokens.ListAsync(Auditor))[0].Id, Operator));
        var afterRevoke = await auditor.GetAsync("/api/v1/audit");

        Assert.Equal(HttpStatusCode.OK, entries.StatusCode);
        Assert.Contains((await JsonOf(entries)).EnumerateArray(), e => e.GetProperty("action").GetString() == "admin.token.create");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api_and_its_bearer_tokens()
    {
        await using var site = await StartAsync();
        using var http = site.CreateClient();

        var answer = await http.GetAsync("/api/v1/openapi.json");
        Assert.True(answer.IsSuccessStatusCode, $"{answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        var doc = await JsonOf(answer);

        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/accounts", out _));
        Assert.True(paths.TryGetProperty("/api/v1/accounts/{address}/lock", out _));
        Assert.True(paths.TryGetProperty("/api/v1/reports/usage", out _));
        Assert.False(paths.TryGetProperty("/thu/{mailboxId}/{uid}/noi-dung", out _));
        Assert.Equal("bearer", doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
    }
}
