using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GovMail.Core.Accounts;
using static GovMail.Web.Tests.Admin.AdminWorld;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Admin;

/// <summary>
/// Every API call that takes input, given malformed or hostile input (broken JSON, wrong types, huge numbers, odd
/// addresses, impossible periods, a wrong content type, an empty upload) by the city operator, whose token reaches
/// everything: each is refused with a 4xx and a plain message in Vietnamese and English, never a 500, and nothing changes.
/// </summary>
public sealed class ApiHostileInputTests
{
    private static readonly string Huge = "9" + new string('9', 40);

    /// <summary>Bodies that no endpoint takes: broken JSON, the wrong kind of value, nesting past any sane depth.</summary>
    private static readonly string[] BadBodies =
    [
        "{", "}", "{\"reason\": ", "[]", "\"chuỗi\"", "42", "\u0000\u0001\u0002", "{\"a\":" + new string('[', 200) + new string(']', 200) + "}",
    ];

    /// <summary>Per endpoint, bodies of the right shape with the wrong values.</summary>
    private static readonly Dictionary<string, string[]> WrongValues = new()
    {
        ["/api/v1/accounts"] =
        [
            "{\"address\": \"\", \"name\": \"\"}", "{\"address\": 7, \"name\": \"X\"}",
            "{\"address\": \"" + new string('a', 5000) + "@tphcm.gov.vn\", \"name\": \"X\", \"unit\": \"Sở Nội vụ\"}",
            "{\"address\": \"x@gmail.com\", \"name\": \"X\", \"unit\": \"Sở Nội vụ\"}",
        ],
        ["/api/v1/accounts/" + An + "/lock"] = ["{\"reason\": 42}", "{\"reason\": {\"a\": 1}}"],
        ["/api/v1/accounts/" + An + "/transfer"] = ["{\"unit\": []}", "{\"unit\": \"Không có đơn vị này\"}", "{}"],
        ["/api/v1/accounts/" + An + "/retire"] = ["{\"forwardTo\": 1}", "{\"effective\": \"31/02/2026\"}"],
        ["/api/v1/accounts/" + An + "/keepers"] = ["{\"keeper\": \"không-phải-địa-chỉ\"}", "{\"keeper\": null}", "{}"],
        ["/api/v1/reports/governance/decisions"] =
            ["{\"quarter\": \"Q9/2026\", \"address\": \"an@tphcm.gov.vn\", \"decision\": \"có\"}", "{\"quarter\": 2026}", "{}"],
        ["/api/v1/queue/khong-co/drop"] = ["{\"reason\": \"\"}", "{\"reason\": 5}"],
        ["/api/v1/policies"] =
        [
            "{\"passwordMinLength\": \"mười hai\"}", "{\"passwordMinLength\": " + Huge + "}", "{\"passwordMinLength\": 2}", "{\"reminderDay\": -1}",
            "{\"addDaysOff\": [\"31/02/2026\"]}", "{\"addDaysOff\": \"2026-01-01\"}", "{\"addDaysOff\": [\"2026-11-28\"]}",
            "{\"inboundQuarantine\": \"có lẽ\"}", "{\"defaultQuotaMegabytes\": -5}",
        ],
    };

    [Fact]
    public async Task Malformed_bodies_paths_and_queries_are_refused_with_a_plain_message_and_change_nothing()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var api = await world.ApiAsync(Operator);
        var policiesBefore = await (await api.GetAsync("/api/v1/policies")).Content.ReadAsStringAsync();
        var accountsBefore = await (await api.GetAsync("/api/v1/accounts")).Content.ReadAsStringAsync();

        var refused = new List<string>();
        foreach (var (path, wrong) in WrongValues)
        {
            var method = path.EndsWith("/policies", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post;
            foreach (var body in BadBodies.Concat(wrong)) refused.Add(await RefusedAsync(api, method, path, body));
        }

        // JSON sent as something else, and a form where JSON is expected.
        refused.Add(await RefusedAsync(api, HttpMethod.Post, "/api/v1/accounts", "{\"address\":\"x@tphcm.gov.vn\"}", "text/plain"));
        refused.Add(await RefusedAsync(api, HttpMethod.Put, "/api/v1/policies", "passwordMinLength=4", "application/x-www-form-urlencoded"));

        // Odd addresses and ids in the path, impossible periods and dates in the query.
        foreach (var address in new[] { "an%2500", "..%2F..%2Fetc%2Fpasswd", "@@", "an@", "@tphcm.gov.vn", new string('a', 3000), "an%40tphcm.gov.vn%0d%0aX:1", "công@tphcm.gov.vn" })
        {
            refused.Add(await RefusedAsync(api, HttpMethod.Get, "/api/v1/accounts/" + address, null));
            refused.Add(await RefusedAsync(api, HttpMethod.Post, "/api/v1/accounts/" + address + "/lock", "{\"reason\":\"thử\"}"));
            refused.Add(await RefusedAsync(api, HttpMethod.Delete, "/api/v1/accounts/" + An + "/keepers/" + address, null));
        }
        foreach (var query in new[]
                 {
                     "/api/v1/reports/usage?period=2026-13", "/api/v1/reports/usage?period=" + Huge, "/api/v1/reports/usage?period=",
                     "/api/v1/reports/usage?period=2026-11&format=pdf", "/api/v1/reports/usage?period=2026-11&unit=Không có",
                     "/api/v1/reports/governance?quarter=Q0/2026", "/api/v1/reports/governance?quarter=Q1/99999",
                     "/api/v1/reports/registrations?since=hôm qua", "/api/v1/reports/public-webmail?since=2026-02-30",
                     "/api/v1/audit?since=" + Huge, "/api/v1/accounts?state=ngủ", "/api/v1/queue/" + new string('z', 2000) + "/retry",
                 })
            refused.Add(await RefusedAsync(api, query.Contains("/retry") ? HttpMethod.Post : HttpMethod.Get, query, null));

        // An upload that is not a staff list, and one with no file at all.
        using (var garbage = new MultipartFormDataContent())
        {
            garbage.Add(new ByteArrayContent([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe, 0x00]), "file", "danh-sach.xlsx");
            refused.Add(await RefusedAsync(api, HttpMethod.Post, "/api/v1/accounts/import?dryRun=true", garbage));
        }
        using (var nothing = new MultipartFormDataContent { { new StringContent("x"), "khac" } })
            refused.Add(await RefusedAsync(api, HttpMethod.Post, "/api/v1/accounts/import", nothing));

        Assert.All(refused, r => Assert.Equal("", r));

        // What the refusals say: where the JSON broke, and which content type is not taken.
        using var broken = await api.PostAsync("/api/v1/accounts/" + An + "/transfer", new StringContent("{\"unit\": [1]}", Encoding.UTF8, "application/json"));
        var unreadable = JsonDocument.Parse(await broken.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal("RequestUnreadable", unreadable.GetProperty("error").GetString());
        Assert.Equal("Yêu cầu không đọc được: JSON sai cú pháp, giá trị sai kiểu hoặc thiếu trường, tham số bắt buộc (tại $.unit).",
            unreadable.GetProperty("message").GetString());
        using var missing = await api.PostAsync("/api/v1/accounts/" + An + "/transfer", new StringContent("{\"reason\": \"điều động\"}", Encoding.UTF8, "application/json"));
        Assert.Equal("RequestUnreadable", JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        using var typed = await api.PutAsync("/api/v1/policies", new StringContent("{}", Encoding.UTF8, "text/csv"));
        var refusedType = JsonDocument.Parse(await typed.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, typed.StatusCode);
        Assert.Equal("Content type text/csv; charset=utf-8 is not taken here: the API takes JSON (application/json), staff-list files multipart/form-data.",
            refusedType.GetProperty("messageEn").GetString());
        Assert.Equal(policiesBefore, await (await api.GetAsync("/api/v1/policies")).Content.ReadAsStringAsync());
        Assert.Equal(accountsBefore, await (await api.GetAsync("/api/v1/accounts")).Content.ReadAsStringAsync());
        Assert.Equal(AccountState.Active, await world.StateAsync(An));
    }

    /// <summary>"" when the call was refused with a 4xx (and, when it has a body, a JSON message in both languages); else what went wrong.</summary>
    private static Task<string> RefusedAsync(HttpClient api, HttpMethod method, string path, string? body, string contentType = "application/json") =>
        RefusedAsync(api, method, path, body is null ? null : new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue(contentType)));

    private static async Task<string> RefusedAsync(HttpClient api, HttpMethod method, string path, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var what = $"{method} {path[..Math.Min(path.Length, 120)]} → {(int)response.StatusCode}: {text[..Math.Min(text.Length, 300)]}";
        if ((int)response.StatusCode is < 400 or >= 500) return what;
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed && text.Length == 0) return ""; // no such route
        try
        {
            var json = JsonDocument.Parse(text).RootElement;
            // One refusal, or a staff list's refusals row by row.
            var messages = json.TryGetProperty("problems", out var rows) ? [.. rows.EnumerateArray()] : new[] { json };
            return messages.Length > 0 && messages.All(m => m.TryGetProperty("message", out var vi) && vi.GetString() is { Length: > 0 }
                                                            && m.TryGetProperty("messageEn", out var en) && en.GetString() is { Length: > 0 }) ? "" : what;
        }
        catch (JsonException)
        {
            return what;
        }
    }
}
