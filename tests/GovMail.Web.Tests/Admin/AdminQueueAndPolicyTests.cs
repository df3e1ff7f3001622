using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GovMail.Core.Mail;
using GovMail.Reports.Exemptions;
using GovMail.Storage.Audit;
using GovMail.Storage.Directory;
using GovMail.Storage.Mail;
using GovMail.Web.Tests.Support;
using static GovMail.Web.Tests.Admin.AdminWorld;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Admin;

/// <summary>
/// The outbound queue and the tenant's policies on the portal and through the API: what <c>govmail queue …</c>,
/// <c>govmail policy …</c> and <c>govmail usage policy …</c> do, read by tenant-wide roles (the queue) or every administrator
/// (the policies), changed by the city operator only, with plain Vietnamese refusals and the audit log.
/// </summary>
public sealed class AdminQueueAndPolicyTests
{
    private const string QueuePage = "/quan-tri/hang-doi";
    private const string PolicyPage = "/quan-tri/chinh-sach";

    private static async Task<JsonElement> JsonOf(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    private static KeyValuePair<string, string> F(string name, string value) => new(name, value);

    /// <summary>Two messages for other domains: one waiting for its first try, one deferred after two failed attempts.</summary>
    private static async Task<(OutboundMessage Fresh, OutboundMessage Deferred)> QueueTwoAsync(WebTestSite site)
    {
        var queue = new OutboundQueue(site.Database.Database, site.Database.Clock);
        async Task<OutboundMessage> Enqueue(string to)
        {
            var (key, size) = await site.Blobs.PutAsync((s, ct) => s.WriteAsync(Encoding.ASCII.GetBytes("Subject: thu\r\n\r\nNoi dung\r\n"), ct).AsTask(), default);
            return await queue.EnqueueAsync(key, size, An, null, [(to, null, null)], null, null);
        }
        var fresh = await Enqueue("doitac@example.org");
        var deferred = await Enqueue("nhacungcap@example.net");
        deferred.Attempts = 2;
        deferred.LastError = "451 4.7.1 Greylisted, thử lại sau";
        deferred.NextAttemptAt = site.Database.Clock.GetUtcNow().AddHours(1);
        Assert.True(await queue.SaveAsync(deferred));
        return (fresh, deferred);
    }

    [Fact]
    public async Task The_city_operator_sees_the_queue_retries_a_deferred_message_and_drops_one_with_a_reason()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        var (fresh, deferred) = await QueueTwoAsync(site);
        using var browser = await world.SignInAsync(Operator);

        var (status, html, _) = await browser.GetAsync(QueuePage);
        var retried = await browser.SubmitAsync(QueuePage, [F("Id", deferred.Id.ToString("N"))], QueuePage + "?handler=Retry");
        var noReason = await browser.SubmitAsync(QueuePage, [F("Id", fresh.Id.ToString("N")), F("Reason", " ")], QueuePage + "?handler=Drop");
        var dropped = await browser.SubmitAsync(QueuePage, [F("Id", fresh.Id.ToString("N")), F("Reason", "Gửi nhầm người nhận")], QueuePage + "?handler=Drop");
        var droppedHtml = await dropped.Content.ReadAsStringAsync();
        var again = await browser.SubmitAsync(QueuePage, [F("Id", fresh.Id.ToString("N")), F("Reason", "lần nữa")], QueuePage + "?handler=Drop");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("doitac@example.org", html);
        Assert.Contains("nhacungcap@example.net", html);
        Assert.Contains("451 4.7.1 Greylisted, thử lại sau", html);
        Assert.Contains("đã hoãn", html);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Contains("sẽ được gửi lại ngay", await retried.Content.ReadAsStringAsync());
        var queue = new OutboundQueue(site.Database.Database, site.Database.Clock);
        Assert.Equal(site.Database.Clock.GetUtcNow(), Ok(await queue.FindAsync(deferred.Id.ToString("N"))).NextAttemptAt);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        Assert.Contains("Hãy ghi lý do hủy thư", await noReason.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, dropped.StatusCode);
        Assert.Contains("Đã hủy thư", droppedHtml);
        Assert.DoesNotContain("doitac@example.org", droppedHtml);
        Assert.Equal(OutboundState.Dropped, Ok(await queue.FindAsync(fresh.Id.ToString("N"))).State);
        Assert.False(await site.Blobs.ExistsAsync(fresh.BlobKey, default));
        Assert.True(await site.Blobs.ExistsAsync(deferred.BlobKey, default));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        var audit = await new AuditLog(site.Database.Database).ListAsync(null, null);
        Assert.Contains(audit, e => e.Action == "queue.retry" && e.Actor == Operator && e.Target == deferred.Id.ToString("N"));
        Assert.Contains(audit, e => e.Action == "queue.drop" && e.Actor == Operator && e.Target == fresh.Id.ToString("N") && e.Detail == "Gửi nhầm người nhận");
    }

    [Fact]
    public async Task Scoped_administrators_cannot_open_the_queue_and_forms_without_the_antiforgery_token_are_refused()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        var (fresh, _) = await QueueTwoAsync(site);
        using var admin = await world.SignInAsync(NoiVuAdmin);
        using var op = await world.SignInAsync(Operator);

        var (scoped, scopedHtml, _) = await admin.GetAsync(QueuePage);
        var (_, dashboard, _) = await admin.GetAsync("/quan-tri");
        var scopedDrop = await admin.SubmitAsync("/quan-tri", [F("Id", fresh.Id.ToString("N")), F("Reason", "thử")], QueuePage + "?handler=Drop");
        var forged = await op.Http.PostAsync(QueuePage + "?handler=Drop", new FormUrlEncodedContent([F("Id", fresh.Id.ToString("N")), F("Reason", "giả mạo")]));
        var forgedPolicy = await op.Http.PostAsync(PolicyPage, new FormUrlEncodedContent([F("Numbers[PasswordMinLength]", "20")]));

        Assert.Equal(HttpStatusCode.Forbidden, scoped);
        Assert.Contains("toàn thành phố", scopedHtml);
        Assert.DoesNotContain("href=\"/quan-tri/hang-doi\"", dashboard);
        Assert.Equal(HttpStatusCode.Forbidden, scopedDrop.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forgedPolicy.StatusCode);
        Assert.Equal(OutboundState.Queued, Ok(await new OutboundQueue(site.Database.Database, site.Database.Clock).FindAsync(fresh.Id.ToString("N"))).State);
        Assert.NotEqual(20, (await new TenantDirectory(site.Database.Database, site.Database.Clock, site.Database.Hasher).FindAsync())!.Policy.Password.MinLength);
    }

    [Fact]
    public async Task The_api_lists_the_queue_and_lets_only_the_city_operator_retry_and_drop()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        var (fresh, deferred) = await QueueTwoAsync(site);
        using var op = await world.ApiAsync(Operator);
        using var auditor = await world.ApiAsync(Auditor);
        using var scoped = await world.ApiAsync(NoiVuAdmin);

        var listed = await JsonOf(await op.GetAsync("/api/v1/queue"));
        var auditorList = await auditor.GetAsync("/api/v1/queue");
        var auditorDrop = await auditor.PostAsJsonAsync($"/api/v1/queue/{fresh.Id:N}/drop", new { reason = "thử" });
        var scopedList = await scoped.GetAsync("/api/v1/queue");
        var retried = await op.PostAsync($"/api/v1/queue/{deferred.Id:N}/retry", null);
        var noReason = await op.PostAsJsonAsync($"/api/v1/queue/{fresh.Id:N}/drop", new { reason = "" });
        var dropped = await op.PostAsJsonAsync($"/api/v1/queue/{fresh.Id:N}/drop", new { reason = "Thư rác bị lọt" });
        var unknown = await op.PostAsync("/api/v1/queue/ffffffffffff/retry", null);

        Assert.Equal(2, listed.GetArrayLength());
        var row = listed.EnumerateArray().Single(m => m.GetProperty("id").GetString() == deferred.Id.ToString("N"));
        Assert.Equal(2, row.GetProperty("attempts").GetInt32());
        Assert.Equal("451 4.7.1 Greylisted, thử lại sau", row.GetProperty("lastError").GetString());
        Assert.Equal("nhacungcap@example.net", row.GetProperty("recipients")[0].GetProperty("address").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, auditorList.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, auditorDrop.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, scopedList.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, dropped.StatusCode);
        Assert.Equal("dropped", (await JsonOf(dropped)).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains(await new AuditLog(site.Database.Database).ListAsync(null, null),
            e => e.Action == "queue.drop" && e.Actor == Operator && e.Detail == "Thư rác bị lọt");
    }

    [Fact]
    public async Task Every_administrator_reads_the_policies_and_only_the_city_operator_changes_them()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var op = await world.SignInAsync(Operator);
        using var auditor = await world.SignInAsync(Auditor);

        var (status, html, _) = await op.GetAsync(PolicyPage);
        var (readStatus, readHtml, _) = await auditor.GetAsync(PolicyPage);
        var fields = Fields(html);
        fields["Numbers[PasswordMinLength]"] = "14";
        fields["Numbers[FirstLoginWindowDays]"] = "5";
        fields["Numbers[DefaultQuotaMegabytes]"] = "2048";
        fields["Numbers[NonUseLockDays]"] = "90";
        fields["Numbers[ReminderDay]"] = "10";
        fields["Flags[PasswordRequireSpecial]"] = "true";
        fields["Flags[MonthlyHeadRule]"] = "true";
        fields["InboundQuarantine"] = "dmarc-and-spf";
        var saved = await op.SubmitAsync(PolicyPage, fields);
        var savedHtml = await saved.Content.ReadAsStringAsync();
        var auditorSave = await auditor.SubmitAsync(PolicyPage, fields);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("id=\"save-policies\"", html);
        Assert.Equal(HttpStatusCode.OK, readStatus);
        Assert.DoesNotContain("id=\"save-policies\"", readHtml);
        Assert.Contains("disabled", readHtml);
        Assert.True(saved.StatusCode == HttpStatusCode.OK, savedHtml);
        Assert.Contains("Đã lưu chính sách.", savedHtml);
        var tenant = (await new TenantDirectory(site.Database.Database, site.Database.Clock, site.Database.Hasher).FindAsync())!.Policy;
        Assert.Equal(14, tenant.Password.MinLength);
        Assert.True(tenant.Password.RequireSpecial);
        Assert.Equal(5, tenant.FirstLoginWindowDays);
        Assert.Equal(2048L << 20, tenant.DefaultQuotaBytes);
        Assert.Equal(Core.Directory.InboundQuarantine.DmarcAndSpf, tenant.InboundQuarantine);
        var usage = await new UsagePolicies(site.Database.Database, site.Database.Clock).GetAsync();
        Assert.Equal(90, usage.NonUseLockDays);
        Assert.Equal(10, usage.ReminderDay);
        Assert.True(usage.MonthlyHeadRule);
        Assert.Equal(HttpStatusCode.Forbidden, auditorSave.StatusCode);
        var audit = await new AuditLog(site.Database.Database).ListAsync(null, null);
        Assert.Contains(audit, e => e.Action == "policy.set" && e.Actor == Operator);
        Assert.Contains(audit, e => e.Action == "usage.policy" && e.Actor == Operator);
    }

    [Theory]
    [InlineData("Numbers[PasswordMinLength]", "6", "Độ dài tối thiểu của mật khẩu")]
    [InlineData("Numbers[PasswordMinLength]", "mười", "hãy nhập một số nguyên")]
    [InlineData("Numbers[NonUseLockDays]", "7", "Số ngày không sử dụng thì khóa")]
    [InlineData("Numbers[DefaultQuotaMegabytes]", "0", "Dung lượng hộp thư mặc định")]
    [InlineData("InboundQuarantine", "tat-ca", "Quy tắc cách ly thư không hợp lệ")]
    public async Task An_invalid_policy_value_gets_a_plain_vietnamese_message_and_changes_nothing(string field, string value, string message)
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var op = await world.SignInAsync(Operator);
        var (_, html, _) = await op.GetAsync(PolicyPage);
        var fields = Fields(html);
        fields["Numbers[LockoutMinutes]"] = "45";
        fields[field] = value;

        var refused = await op.SubmitAsync(PolicyPage, fields);
        var refusedHtml = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("id=\"policy-error\"", refusedHtml);
        Assert.Contains(message, refusedHtml);
        Assert.DoesNotContain("--", refusedHtml[refusedHtml.IndexOf("policy-error", StringComparison.Ordinal)..refusedHtml.IndexOf("</div>", refusedHtml.IndexOf("policy-error", StringComparison.Ordinal), StringComparison.Ordinal)]);
        Assert.NotEqual(45, (await new TenantDirectory(site.Database.Database, site.Database.Clock, site.Database.Hasher).FindAsync())!.Policy.Lockout.LockoutMinutes);
        Assert.Null((await new UsagePolicies(site.Database.Database, site.Database.Clock).GetAsync()).NonUseLockDays);
    }

    [Fact]
    public async Task The_api_reads_and_changes_the_policies_with_the_same_rules()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var op = await world.ApiAsync(Operator);
        using var scoped = await world.ApiAsync(NoiVuAdmin);

        var read = await scoped.GetAsync("/api/v1/policies");
        var scopedChange = await scoped.PutAsJsonAsync("/api/v1/policies", new { passwordMinLength = 16 });
        var bad = await op.PutAsJsonAsync("/api/v1/policies", new { passwordMinLength = 16, workingDaysPerActiveDay = 0 });
        var changed = await op.PutAsJsonAsync("/api/v1/policies", new { passwordMinLength = 16, eventRetentionMonths = 24 });

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.True((await JsonOf(read)).GetProperty("password").GetProperty("minLength").GetInt32() >= 8);
        Assert.Equal(HttpStatusCode.Forbidden, scopedChange.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var refusal = await JsonOf(bad);
        Assert.Equal("PolicyOutOfRange", refusal.GetProperty("error").GetString());
        Assert.Contains("Số ngày làm việc cho mỗi ngày hoạt động bắt buộc", refusal.GetProperty("message").GetString());
        Assert.Contains("Working days per required active day", refusal.GetProperty("messageEn").GetString());
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var body = await JsonOf(changed);
        Assert.Equal(16, body.GetProperty("password").GetProperty("minLength").GetInt32());
        Assert.Equal(24, body.GetProperty("usage").GetProperty("eventRetentionMonths").GetInt32());
        Assert.Equal(16, (await new TenantDirectory(site.Database.Database, site.Database.Clock, site.Database.Hasher).FindAsync())!.Policy.Password.MinLength);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_new_operations()
    {
        await using var site = await StartAsync();
        using var anonymous = site.CreateClient();

        var doc = await JsonOf(await anonymous.GetAsync("/api/v1/openapi.json"));
        var paths = doc.GetProperty("paths");

        Assert.True(paths.GetProperty("/api/v1/accounts").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/v1/accounts/{address}/keepers").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/v1/accounts/{address}/keepers").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/v1/accounts/{address}/keepers/{keeper}").TryGetProperty("delete", out _));
        Assert.True(paths.GetProperty("/api/v1/queue").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/v1/queue/{id}/retry").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/v1/queue/{id}/drop").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/v1/policies").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/v1/policies").TryGetProperty("put", out _));
    }

    [Fact]
    public async Task The_openapi_document_shows_the_policy_change_as_the_flat_object_the_api_takes()
    {
        await using var site = await StartAsync();
        using var anonymous = site.CreateClient();
        var doc = await JsonOf(await anonymous.GetAsync("/api/v1/openapi.json"));

        var schema = doc.GetProperty("paths").GetProperty("/api/v1/policies").GetProperty("put").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
            schema = doc.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        var properties = schema.GetProperty("properties");
        var names = properties.EnumerateObject().Select(p => p.Name).ToHashSet();

        // The tenant's rules, the usage rules and the calendar by their own names, the two portal words; not what only the CLI sets.
        Assert.Subset(names, new HashSet<string> { "passwordMinLength", "firstLoginWindowDays", "reminderDay", "addDaysOff", "removeWorkingDays",
            "defaultQuotaMegabytes", "inboundQuarantine" });
        Assert.DoesNotContain("defaultQuotaBytes", names);
        Assert.DoesNotContain("profileChangesNeedApproval", names);
        Assert.DoesNotContain("tenant", names);
        Assert.DoesNotContain("usage", names);
        Assert.Equal(["dmarc", "dmarc-and-spf", "off"], properties.GetProperty("inboundQuarantine").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    /// <summary>The form's fields as a browser would send them: text inputs and selects with their values, checked boxes.</summary>
    private static Dictionary<string, string> Fields(string html)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(html, "<input name=\"(Numbers\\[[A-Za-z]+\\])\"[^>]*value=\"([^\"]*)\""))
            fields[m.Groups[1].Value] = m.Groups[2].Value;
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(html, "<input type=\"checkbox\" name=\"(Flags\\[[A-Za-z]+\\])\"[^>]*checked"))
            fields[m.Groups[1].Value] = "true";
        fields["InboundQuarantine"] = System.Text.RegularExpressions.Regex.Match(html, "<option value=\"([a-z-]+)\" selected").Groups[1].Value;
        return fields;
    }
}
