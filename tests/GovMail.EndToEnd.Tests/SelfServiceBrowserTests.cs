using System.Text.RegularExpressions;
using GovMail.EndToEnd.Tests.Support;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Playwright;
using MimeKit;
using OtpNet;
using static GovMail.EndToEnd.Tests.Support.TenantDataFolder;

namespace GovMail.EndToEnd.Tests;

/// <summary>
/// Web self-service in a real browser (Debian's Chromium through Playwright) against <c>govmail serve</c>: an administrator made
/// with the CLI but not enrolled in TOTP is led to enrol on the web (scanning is replaced by computing the code from the key the
/// page shows), then reaches the portal; a keeper of the office's collective mailbox switches the webmail to it, reads its mail
/// and sends as the office. Screenshots 25–27 in docs/screenshots/.
/// </summary>
public sealed class SelfServiceBrowserTests(ServedTenant served, Chromium chromium) : IClassFixture<ServedTenant>, IClassFixture<Chromium>
{
    private const string Admin = "quantri.moi@tphcm.gov.vn";
    private const string AdminPassword = "Bến-Nghé-Sông-Sài-Gòn#2026";
    private const string OfficeMailbox = "vanphong.stttt@tphcm.gov.vn";

    private string Site => $"http://127.0.0.1:{served.Server.HttpPort}";

    [Fact]
    public async Task An_administrator_without_a_key_enrols_in_totp_on_the_web_and_reaches_the_portal()
    {
        (await served.Data.RunAsync("account", "add", Admin, "--name", "Quản trị mới", "--unit", Office, "--password", AdminPassword, "--no-must-change")).Ok();
        (await served.Data.RunAsync("admin", "grant", Admin, "--role", "agency-administrator")).Ok();
        await using var context = await chromium.NewContextAsync(1366, 900);
        var page = await SignedInAsync(context, Admin, AdminPassword);

        await page.GotoAsync(Site + "/quan-tri");
        await page.WaitForURLAsync(new Regex("/ho-so/ma-xac-thuc$"));
        var secret = (await page.TextContentAsync("#totp-secret"))!.Trim();
        Assert.True(await page.Locator("#totp-qr").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 100"));
        await page.FillAsync("#Code", new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow));
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("25-dang-ky-ma-xac-thuc.png"), FullPage = true });
        await page.ClickAsync("form button[type=submit].primary");
        await page.WaitForURLAsync(new Regex("xong=true"));
        await Assertions.Expect(page.Locator("#totp-enrolled")).ToBeVisibleAsync();

        await page.ClickAsync("a[href='/quan-tri']");
        await page.WaitForURLAsync(new Regex("/quan-tri$"));
        Assert.Equal("Tổng quan", (await page.TextContentAsync("h1"))?.Trim());
        // The CLI verifies against the same stored key.
        (await served.Data.RunAsync("admin", "totp", "verify", Admin, new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow.AddSeconds(30)))).Ok();
    }

    [Fact]
    public async Task A_keeper_switches_to_the_office_mailbox_reads_its_mail_and_sends_as_the_office()
    {
        (await served.Data.RunAsync("account", "add", OfficeMailbox, "--name", "Văn phòng Sở Thông tin", "--unit", Office, "--kind", "collective",
            "--password", "Không-Ai-Đăng-Nhập#2026", "--no-must-change")).Ok();
        (await served.Data.RunAsync("account", "keeper", "add", OfficeMailbox, An)).Ok();
        var letter = new MimeMessage();
        letter.From.Add(new MailboxAddress("Trần Thị Bình", Binh));
        letter.To.Add(MailboxAddress.Parse(OfficeMailbox));
        letter.Subject = "Đề nghị phát hành công văn về lịch trực Tết";
        letter.Body = new TextPart("plain") { Text = "Kính gửi Văn phòng Sở,\n\nĐề nghị phát hành công văn về lịch trực Tết Bính Ngọ.\n\nTrân trọng." };
        using (var smtp = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            await smtp.ConnectAsync("127.0.0.1", served.Server.SubmissionPort, SecureSocketOptions.StartTls);
            await smtp.AuthenticateAsync(Binh, Password);
            await smtp.SendAsync(letter);
            await smtp.DisconnectAsync(true);
        }
        await using var context = await chromium.NewContextAsync();
        var page = await SignedInAsync(context, An, Password);

        await page.ClickAsync($"#mailbox-switch button[value='{OfficeMailbox}']");
        await page.WaitForURLAsync(new Regex("/thu"));
        await Assertions.Expect(page.Locator("#kept-banner")).ToContainTextAsync(OfficeMailbox);
        await Assertions.Expect(page.Locator("#mailbox-switch .mailbox.current")).ToHaveTextAsync(OfficeMailbox);
        await page.ClickAsync("text=Đề nghị phát hành công văn về lịch trực Tết");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("lịch trực Tết");
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("26-hop-thu-don-vi.png"), FullPage = true });

        await page.ClickAsync("a.compose");
        await page.WaitForURLAsync(new Regex("/soan-thu$"));
        await page.FillAsync("#To", Binh);
        await page.FillAsync("#Subject", "Lịch trực Tết Bính Ngọ");
        await page.FillAsync("#Body", "Văn phòng Sở gửi lịch trực Tết Bính Ngọ của các phòng.\n\nTrân trọng,\nVăn phòng Sở");
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("27-hop-thu-don-vi-soan-thu.png") });
        await page.ClickAsync("#send");
        await page.WaitForURLAsync(new Regex("da-gui=true"));

        var received = (await served.Data.InboxAsync(Binh)).Select(c => MimeMessage.Load(new MemoryStream(c.Blob!))).ToList();
        var reply = Assert.Single(received, m => m.Subject == "Lịch trực Tết Bính Ngọ");
        Assert.Equal(OfficeMailbox, reply.From.Mailboxes.Single().Address);

        // Back to An's own mailbox: the banner is gone.
        await page.ClickAsync("#mailbox-switch button[value='']");
        await page.WaitForURLAsync(new Regex("/thu"));
        Assert.Equal(0, await page.Locator("#kept-banner").CountAsync());
    }

    private Task<IPage> SignedInAsync(IBrowserContext context, string address, string password) =>
        Chromium.SignedInAsync(context, Site, address, password);
}
