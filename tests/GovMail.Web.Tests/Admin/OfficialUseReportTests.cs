using System.Net;
using System.Text.Json;
using GovMail.Core.Mail;
using GovMail.Storage.Mail;
using GovMail.Web.Tests.Support;
using MimeKit;
using static GovMail.Web.Tests.Admin.AdminWorld;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Admin;

/// <summary>Seed 004's reports in the portal (/quan-tri/su-dung-cong-vu) and the API, on a fixture mailbox, within the scope.</summary>
public sealed class OfficialUseReportTests
{
    private const string AnGmail = "nguyenvanan.snv@gmail.com";
    private const string HoaYahoo = "hoa.stc@yahoo.com";

    private static async Task FileAsync(WebTestSite site, string account, MailboxRole role, string from, string subject, string text)
    {
        var owner = (await site.Accounts.FindAsync(account)).Value!.Account;
        var m = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = text } };
        m.From.Add(MailboxAddress.Parse(from));
        m.To.Add(MailboxAddress.Parse(account == from ? "vanthu@hanoi.gov.vn" : account));
        await new LocalMail(site.Database.Database, site.Blobs, site.Database.Clock).FileAsync(m,
            [new DeliveryTarget(owner.Id, owner.Address) { Role = role, RecordAs = null }], default);
    }

    private static async Task<AdminWorld> FixtureAsync(WebTestSite site)
    {
        var world = await PrepareAsync(site);
        await FileAsync(site, An, MailboxRole.Sent, An, "Báo cáo nhân sự", $"Gửi anh chị báo cáo.\n--\nNguyễn Văn An – {AnGmail}");
        await FileAsync(site, Hoa, MailboxRole.Sent, Hoa, "Dự toán", $"Liên hệ {HoaYahoo}");
        await FileAsync(site, An, MailboxRole.Inbox, "security@facebookmail.com", "Xác nhận tài khoản Facebook", "…");
        return world;
    }

    [Fact]
    public async Task The_page_shows_both_reports_for_the_city_and_an_agency_administrator_only_their_agency()
    {
        await using var site = await StartAsync();
        var world = await FixtureAsync(site);
        using var city = await world.SignInAsync(Operator);
        using var noiVu = await world.SignInAsync(NoiVuAdmin);

        var (status, all, _) = await city.GetAsync("/quan-tri/su-dung-cong-vu");
        var (_, taiChinh, _) = await city.GetAsync("/quan-tri/su-dung-cong-vu?don-vi=" + Uri.EscapeDataString(TaiChinh));
        var (_, own, _) = await noiVu.GetAsync("/quan-tri/su-dung-cong-vu");
        var (otherStatus, _, _) = await noiVu.GetAsync("/quan-tri/su-dung-cong-vu?don-vi=" + Uri.EscapeDataString(TaiChinh));
        var (_, badDay, _) = await city.GetAsync("/quan-tri/su-dung-cong-vu?tu-ngay=31/02/2026");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(AnGmail, all, StringComparison.Ordinal);
        Assert.Contains(HoaYahoo, all, StringComparison.Ordinal);
        Assert.Contains("security@facebookmail.com", all, StringComparison.Ordinal);
        Assert.Contains(HoaYahoo, taiChinh, StringComparison.Ordinal);
        Assert.DoesNotContain(AnGmail, taiChinh, StringComparison.Ordinal);
        Assert.Contains(AnGmail, own, StringComparison.Ordinal);
        Assert.DoesNotContain(HoaYahoo, own, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherStatus);
        Assert.Contains("Ngày không hợp lệ: 31/02/2026", badDay, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_gives_the_clis_json_within_the_tokens_scope()
    {
        await using var site = await StartAsync();
        var world = await FixtureAsync(site);
        using var api = await world.ApiAsync(NoiVuAdmin);

        var sent = await api.GetAsync("/api/v1/reports/public-webmail?unit=" + Uri.EscapeDataString(NoiVu));
        var signUps = await api.GetAsync("/api/v1/reports/registrations?unit=" + Uri.EscapeDataString(NoiVu) + "&since=21/05/2026");
        var other = await api.GetAsync("/api/v1/reports/public-webmail?unit=" + Uri.EscapeDataString(TaiChinh));
        var badDay = await api.GetAsync("/api/v1/reports/public-webmail?unit=" + Uri.EscapeDataString(NoiVu) + "&since=hôm-qua");

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var agency = Assert.Single(JsonDocument.Parse(await sent.Content.ReadAsStringAsync()).RootElement.GetProperty("agencies").EnumerateArray());
        var row = Assert.Single(agency.GetProperty("messages").EnumerateArray());
        Assert.Equal((An, AnGmail), (row.GetProperty("address").GetString(), row.GetProperty("publicAddress").GetString()));
        var signUp = Assert.Single(Assert.Single(JsonDocument.Parse(await signUps.Content.ReadAsStringAsync()).RootElement
            .GetProperty("agencies").EnumerateArray()).GetProperty("messages").EnumerateArray());
        Assert.Equal("facebookmail.com", signUp.GetProperty("senderDomain").GetString());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badDay.StatusCode);
    }
}
