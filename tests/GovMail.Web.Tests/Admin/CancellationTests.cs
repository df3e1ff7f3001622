using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GovMail.Core.Accounts;
using GovMail.Storage.Audit;
using static GovMail.Web.Tests.Admin.AdminWorld;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Admin;

/// <summary>
/// Issue 6, cancellation (hủy tài khoản) one by one from the admin portal and the API, as <c>govmail account cancel</c>: closed,
/// kept for the retention period, then purged; the address cannot be issued again until its quarantine ends.
/// </summary>
public sealed class CancellationTests
{
    [Fact]
    public async Task Cancellation_from_the_portal_and_the_api_closes_the_account_and_quarantines_the_address_within_the_scope()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(NoiVuAdmin);
        using var api = await world.ApiAsync(NoiVuAdmin);
        var page = "/quan-tri/tai-khoan/" + Uri.EscapeDataString(An);

        var portal = await browser.SubmitAsync(page, [new("Reason", "ít sử dụng 2 quý liên tiếp")], page + "?handler=Cancel");
        var outside = await api.PostAsJsonAsync("/api/v1/accounts/" + Hoa + "/cancel", new { reason = "thử" });
        var badDay = await api.PostAsJsonAsync("/api/v1/accounts/" + Binh + "/cancel", new { effective = "hôm qua" });
        var viaApi = await api.PostAsJsonAsync("/api/v1/accounts/" + Binh + "/cancel", new { reason = "QĐ 90/QĐ-SNV" });

        var html = await portal.Content.ReadAsStringAsync();
        Assert.True(portal.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains($"Tài khoản {An}: hủy lúc", html, StringComparison.Ordinal);
        Assert.Equal(AccountState.Closed, await world.StateAsync(An));
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.Equal(AccountState.Active, await world.StateAsync(Hoa));
        Assert.Equal(HttpStatusCode.BadRequest, badDay.StatusCode);
        Assert.True(viaApi.StatusCode == HttpStatusCode.OK, await viaApi.Content.ReadAsStringAsync());
        var answer = JsonDocument.Parse(await viaApi.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("closed", answer.GetProperty("account").GetProperty("state").GetString());
        Assert.True(answer.GetProperty("quarantinedUntil").GetDateTimeOffset() > site.Database.Clock.GetUtcNow());
        var audit = new AuditLog(site.Database.Database);
        Assert.Contains(await audit.ListAsync(An, null), e => e.Action == "account.cancel" && e.Actor == NoiVuAdmin);
        Assert.Contains(await audit.ListAsync(Binh, null), e => e.Action == "account.cancel" && e.Actor == NoiVuAdmin);
        // The address is quarantined: issuing it again is refused.
        var again = await site.Accounts.AddAsync(new Storage.Directory.NewAccount("Nguyễn Văn An", "Sở Nội vụ") { Address = An }, "test");
        Assert.False(again.IsOk);
    }
}
