using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GovMail.Core.Accounts;
using GovMail.Storage.Audit;
using GovMail.Storage.Lifecycle;
using GovMail.Storage.Mail;
using Microsoft.EntityFrameworkCore;
using GovMail.Storage.Security;
using static GovMail.Web.Tests.Admin.AdminWorld;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Admin;

/// <summary>
/// Issue 6, resignation (thôi việc) one by one from the admin portal and the API: the workflow is recorded with the administrator
/// as actor, the login keeps working until the day, stops at 00:00 of the day (Vietnam time), and the account closes after the
/// forwarding period.
/// </summary>
public sealed class ResignationTests
{
    private const string UnitMailbox = "vanphong.noivu@tphcm.gov.vn";

    [Fact]
    public async Task Resignation_from_the_portal_and_the_api_stops_login_on_the_day_forwards_to_the_unit_mailbox_then_closes()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(NoiVuAdmin);
        using var api = await world.ApiAsync(Operator);
        var page = "/quan-tri/tai-khoan/" + Uri.EscapeDataString(An);

        // The clock stands at 21/05/2026 08:00 in Vietnam: An leaves on 01/06, Bình on 25/05 with 30 days of forwarding.
        var badDay = await browser.SubmitAsync(page, [new("Effective", "31/06/2026")], page + "?handler=Resign");
        var badDays = await browser.SubmitAsync(page, [new("Effective", "01/06/2026"), new("ForwardDays", "-5")], page + "?handler=Resign");
        var portal = await browser.SubmitAsync(page, [new("Effective", "01/06/2026"), new("Reason", "QĐ 77/QĐ-SNV thôi việc")], page + "?handler=Resign");
        var viaApi = await api.PostAsJsonAsync("/api/v1/accounts/" + Binh + "/resign", new { effective = "25/05/2026", forwardDays = 30, reason = "QĐ 78/QĐ-SNV" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, badDay.StatusCode);
        Assert.Contains("Ngày không hợp lệ: 31/06/2026", await badDay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badDays.StatusCode);
        Assert.Contains("Thời gian chuyển tiếp phải từ 0 đến 3650 ngày (nhận được -5)", await badDays.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var html = await portal.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, portal.StatusCode);
        Assert.Contains("Đã ghi nhận thôi việc; các bước tiếp theo được lên lịch.", html, StringComparison.Ordinal);
        Assert.True(viaApi.StatusCode == HttpStatusCode.OK, await viaApi.Content.ReadAsStringAsync());
        var answer = JsonDocument.Parse(await viaApi.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["disable", "close"], answer.GetProperty("scheduled").EnumerateArray().Select(s => s.GetProperty("action").GetString()));
        Assert.Equal(new DateTimeOffset(2026, 5, 25, 0, 0, 0, TimeSpan.FromHours(7)), answer.GetProperty("scheduled")[0].GetProperty("dueAt").GetDateTimeOffset());
        var audit = new AuditLog(site.Database.Database);
        Assert.Contains(await audit.ListAsync(An, null), e => e.Action == "account.resign" && e.Actor == NoiVuAdmin);
        Assert.Contains(await audit.ListAsync(Binh, null), e => e.Action == "account.resign" && e.Actor == Operator);

        // Until the day An still signs in; from 00:00 on 01/06 the login is refused and mail goes on to the unit mailbox.
        var logins = new LoginService(site.Database.Database, site.Database.Clock);
        var workflows = new LifecycleWorkflows(site.Database.Database, site.Database.Clock, site.Database.Hasher);
        Assert.Equal(LoginOutcome.Ok, (await logins.LogInAsync(new LoginAttempt(An, AnPassword, Core.Usage.UsageProtocol.Imap, "127.0.0.1"))).Outcome);
        site.Database.Clock.SetUtcNow(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(7)));
        Assert.Equal([new ScheduledOutcome(Binh, "disable"), new ScheduledOutcome(An, "disable")],
            (await workflows.RunDueAsync()).OrderBy(o => o.Address != Binh).ToList());
        Assert.Equal(AccountState.Disabled, await world.StateAsync(An));
        Assert.NotEqual(LoginOutcome.Ok, (await logins.LogInAsync(new LoginAttempt(An, AnPassword, Core.Usage.UsageProtocol.Imap, "127.0.0.1"))).Outcome);
        using var anBrowser = site.Browser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anBrowser.SignInAsync(An, AnPassword)).StatusCode);
        await using (var db = site.Database.Database.Open())
        {
            var stored = await db.Accounts.AsNoTracking().SingleAsync(a => a.Address == An);
            var route = await new DeliveryRouting(site.Database.Database, site.Blobs, site.Database.Clock).RouteAsync(stored, default);
            Assert.True(route.FileHere);
            Assert.Equal(UnitMailbox, Assert.Single(route.Forward).Address);
            Assert.NotNull(route.Rule); // the automatic reply
        }

        // Bình's 30 days end on 24/06; An's default 90 days on 30/08.
        site.Database.Clock.SetUtcNow(new DateTimeOffset(2026, 6, 24, 0, 0, 0, TimeSpan.FromHours(7)));
        Assert.Equal([new ScheduledOutcome(Binh, "close")], await workflows.RunDueAsync());
        site.Database.Clock.SetUtcNow(new DateTimeOffset(2026, 8, 30, 0, 0, 0, TimeSpan.FromHours(7)));
        Assert.Equal([new ScheduledOutcome(An, "close")], await workflows.RunDueAsync());
        Assert.Equal(AccountState.Closed, await world.StateAsync(An));
        Assert.Equal(AccountState.Closed, await world.StateAsync(Binh));
    }
}
