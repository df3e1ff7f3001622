using System.Text.RegularExpressions;
using GovMail.EndToEnd.Tests.Support;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Playwright;
using MimeKit;
using static GovMail.EndToEnd.Tests.Support.TenantDataFolder;

namespace GovMail.EndToEnd.Tests;

/// <summary>
/// The webmail in a real browser (Debian's Chromium through Playwright) against <c>govmail serve</c> as an operator runs
/// it: first login with the forced password change, mail to a colleague read by the colleague, an HTML mail with a
/// script and a remote image shown safely, and a phone-sized screen. Each main page is saved to docs/screenshots/.
/// </summary>
public sealed partial class WebmailBrowserTests(ServedTenant served, Chromium chromium) : IClassFixture<ServedTenant>, IClassFixture<Chromium>
{
    /// <summary>A script test of a message body frame: loaded, and tall enough to show all of its message (what the page's script makes it).</summary>
    private const string FrameShowsItsContent =
        "f => !!f && !!f.contentDocument && f.contentDocument.readyState === 'complete' && !!f.contentDocument.body" +
        " && f.contentDocument.body.scrollHeight > 0 && f.offsetHeight >= f.contentDocument.body.scrollHeight";

    private string Site => $"http://127.0.0.1:{served.Server.HttpPort}";

    private Task<IPage> SignedInAsync(IBrowserContext context, string address, string password) =>
        Chromium.SignedInAsync(context, Site, address, password);

    [Fact]
    public async Task First_login_forces_a_password_change_with_a_live_checklist_then_imap_accepts_the_new_password()
    {
        const string address = "le.van.cuong@tphcm.gov.vn";
        const string temporary = "Tạm#Thời-2026-Sở";
        const string chosen = "Bến-Nhà-Rồng#1911";
        (await served.Data.RunAsync("account", "add", address, "--name", "Lê Văn Cường", "--unit", Office, "--password", temporary)).Ok();
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(Site + "/");
        Assert.EndsWith("/dang-nhap", new Uri(page.Url).AbsolutePath);
        Assert.Equal("Đăng nhập", await page.TextContentAsync("h1"));
        await page.FillAsync("#Address", address);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("01-dang-nhap.png") });
        await page.FillAsync("#Password", temporary);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(new Regex("/doi-mat-khau$"));

        // Before typing nothing is ticked; each rule ticks itself as the password grows (password.js).
        Assert.Equal(0, await page.Locator("#password-rules li.ok").CountAsync());
        await page.FillAsync("#Current", temporary);
        await page.Locator("#new-password").PressSequentiallyAsync("bến");
        Assert.Equal("true", await page.GetAttributeAsync("li[data-rule=lower]", "aria-checked"));
        Assert.Equal("false", await page.GetAttributeAsync("li[data-rule=upper]", "aria-checked"));
        await page.FillAsync("#new-password", chosen);
        await page.FillAsync("#confirm-password", chosen);
        await page.Locator("#confirm-password").DispatchEventAsync("input");
        var rules = await page.Locator("#password-rules li").CountAsync();
        Assert.Equal(rules, await page.Locator("#password-rules li.ok").CountAsync());
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("02-doi-mat-khau-lan-dau.png"), FullPage = true });
        await page.ClickAsync("#password-form button[type=submit]");

        await page.WaitForURLAsync(new Regex("doi-mat-khau=true"));
        Assert.Contains("Đã đổi mật khẩu", await page.TextContentAsync(".alert.success"));
        using var imap = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await imap.ConnectAsync("127.0.0.1", served.Server.ImapsPort, SecureSocketOptions.SslOnConnect);
        await imap.AuthenticateAsync(address, chosen);
        Assert.True(imap.IsAuthenticated);
        await imap.DisconnectAsync(true);
    }

    [Fact]
    public async Task Mail_sent_in_the_browser_is_read_by_the_colleague_in_the_browser()
    {
        await SeedInboxAsync(Binh);
        const string subject = "Kế hoạch triển khai hộp thư công vụ năm 2026";
        await using (var anContext = await chromium.NewContextAsync())
        {
            var an = await SignedInAsync(anContext, An, Password);
            await an.ClickAsync("a.compose");
            await an.WaitForURLAsync(new Regex("/soan-thu$"));
            await an.FillAsync("#To", Binh);
            await an.FillAsync("#Subject", subject);
            await an.FillAsync("#Body", "Kính gửi đồng chí Bình,\n\nVăn phòng Sở gửi kế hoạch triển khai hộp thư công vụ năm 2026, đề nghị đồng chí "
                + "nghiên cứu và góp ý trước ngày 15/12/2026.\n\nTrân trọng,\nNguyễn Văn An");
            await an.SetInputFilesAsync("#attachments", new FilePayload
            {
                Name = "Kế hoạch 2026.txt", MimeType = "text/plain", Buffer = "Kế hoạch triển khai"u8.ToArray(),
            });
            await an.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("05-soan-thu.png") });
            await an.ClickAsync("#send");
            await an.WaitForURLAsync(new Regex("da-gui=true"));
            Assert.Equal("Đã gửi thư.", (await an.TextContentAsync(".alert.success"))?.Trim());
        }

        await using var binhContext = await chromium.NewContextAsync();
        var binh = await SignedInAsync(binhContext, Binh, Password);
        var row = binh.Locator(".message-row", new() { HasText = subject });
        Assert.Contains("unread", await row.GetAttributeAsync("class"));
        await binh.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("03-hop-thu-den.png") });
        await row.Locator("a").ClickAsync();
        await binh.WaitForURLAsync(new Regex("/thu/[0-9]+/[0-9]+$"));
        Assert.Equal(subject, (await binh.TextContentAsync("h1.reader-subject"))?.Trim());
        var body = binh.FrameLocator("#message-body").Locator("body");
        await Assertions.Expect(body).ToContainTextAsync("nghiên cứu và góp ý trước ngày 15/12/2026");
        Assert.Contains("Kế hoạch 2026.txt", await binh.TextContentAsync(".attachments"));
        await binh.WaitForFunctionAsync($"() => ({FrameShowsItsContent})(document.getElementById('message-body'))");
        await binh.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("04-doc-thu.png"), FullPage = true });
    }

    [Fact]
    public async Task An_html_mail_with_a_script_and_a_remote_image_is_shown_safely_until_images_are_asked_for()
    {
        // 203.0.113.0/24 is TEST-NET-3: nothing answers there, but the browser's attempt is visible to Playwright.
        const string pixel = "http://203.0.113.7/theo-doi.gif";
        const string subject = "Bản tin điện tử tháng 12";
        var html = new MimeMessage();
        html.From.Add(new MailboxAddress("Bản tin Thành phố", An));
        html.To.Add(MailboxAddress.Parse(Binh));
        html.Subject = subject;
        html.Body = new BodyBuilder
        {
            HtmlBody = $"""
                <h2 style="color:#b91c1c">Bản tin điện tử tháng 12</h2>
                <p onmouseover="document.title='hacked'">Thành phố triển khai <b>hộp thư công vụ</b> cho toàn bộ cán bộ, công chức.</p>
                <script>parent.document.title = 'hacked'; alert('xss');</script>
                <form action="http://203.0.113.7/login"><input name="password" placeholder="Mật khẩu"><button>Đăng nhập</button></form>
                <p><img src="{pixel}" alt="ảnh theo dõi" width="120" height="40"></p>
                <p><a href="https://tphcm.gov.vn">Cổng thông tin điện tử</a></p>
                """,
        }.ToMessageBody();
        await SubmitAsync(html);

        await using var context = await chromium.NewContextAsync();
        var remoteRequests = new List<string>();
        context.Request += (_, r) => { if (r.Url.StartsWith("http://203.0.113.7", StringComparison.Ordinal)) remoteRequests.Add(r.Url); };
        var dialogs = 0;
        var page = await SignedInAsync(context, Binh, Password);
        page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        await page.Locator(".message-row", new() { HasText = subject }).Locator("a").ClickAsync();
        var body = page.FrameLocator("#message-body").Locator("body");
        await Assertions.Expect(body).ToContainTextAsync("hộp thư công vụ");

        Assert.Equal(0, await page.FrameLocator("#message-body").Locator("script, form, input, [onmouseover]").CountAsync());
        Assert.Equal(0, await page.FrameLocator("#message-body").Locator($"img[src='{pixel}']").CountAsync());
        Assert.Contains("Đã chặn 1 hình ảnh", await page.TextContentAsync(".images-blocked"));
        await page.FrameLocator("#message-body").Locator("p").First.HoverAsync();
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("06-thu-html-an-toan.png"), FullPage = true });
        Assert.Empty(remoteRequests);
        Assert.Equal(0, dialogs);
        Assert.NotEqual("hacked", await page.TitleAsync());

        // Asked for, the image is requested (and the page still runs no script).
        await page.RunAndWaitForRequestAsync(() => page.ClickAsync("#show-images"), r => r.Url == pixel);
        await Assertions.Expect(page.FrameLocator("#message-body").Locator($"img[src='{pixel}']")).ToHaveCountAsync(1);
        Assert.Equal(0, dialogs);
        Assert.Equal(0, await page.FrameLocator("#message-body").Locator("script").CountAsync());
    }

    [Fact]
    public async Task On_a_phone_sized_screen_the_folders_fold_into_a_menu_and_messages_read_full_width()
    {
        await SeedInboxAsync(An);
        await using var context = await chromium.NewContextAsync(390, 844, phone: true);
        var page = await SignedInAsync(context, An, Password);

        Assert.False(await page.IsVisibleAsync("#sidebar"));
        Assert.True(await page.IsVisibleAsync("#menu-toggle"));
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the page is {width} px wide on a 390 px screen");
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("07-dien-thoai-hop-thu.png") });

        await page.ClickAsync("#menu-toggle");
        Assert.True(await page.IsVisibleAsync("#sidebar"));
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("08-dien-thoai-thu-muc.png") });
        await page.ClickAsync("#menu-toggle");

        await page.Locator(".message-row a").First.ClickAsync();
        await page.WaitForURLAsync(new Regex("/thu/[0-9]+/[0-9]+$"));
        await page.WaitForFunctionAsync($"() => ({FrameShowsItsContent})(document.getElementById('message-body'))");
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("09-dien-thoai-doc-thu.png"), FullPage = true });

        await page.GotoAsync(Site + "/cai-dat-dien-thoai");
        Assert.Equal("mail.tphcm.gov.vn", (await page.TextContentAsync("#imap-host"))?.Trim());
        Assert.Equal(served.Server.ImapsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), (await page.TextContentAsync("#imap-port"))?.Trim());
        await page.WaitForFunctionAsync("() => document.getElementById('setup-qr').naturalWidth > 0");
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("10-cai-dat-dien-thoai.png"), FullPage = true });
    }

    /// <summary>A few everyday messages from the city's offices, so the list looks like a working inbox.</summary>
    private async Task SeedInboxAsync(string to)
    {
        (string Name, string Address, string Subject, string Body)[] mail =
        [
            ("Văn phòng UBND Thành phố", "vanphong@tphcm.gov.vn", "Thông báo lịch họp giao ban tuần 49",
                "Kính mời lãnh đạo các sở, ban, ngành dự họp giao ban lúc 8 giờ 00 sáng thứ Hai, ngày 07/12/2026, tại phòng họp số 2."),
            ("Sở Nội vụ", "sonoivu@tphcm.gov.vn", "Hướng dẫn đánh giá, xếp loại công chức năm 2026",
                "Sở Nội vụ hướng dẫn các cơ quan, đơn vị thực hiện đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm 2026."),
            ("Trung tâm Chuyển đổi số", "cds@tphcm.gov.vn", "Kết quả rà soát sử dụng hộp thư công vụ quý IV",
                "Trung tâm gửi kết quả rà soát tình hình sử dụng hộp thư công vụ của các đơn vị trong quý IV năm 2026."),
        ];
        foreach (var (name, address, subject, body) in mail)
        {
            var m = new MimeMessage();
            m.From.Add(new MailboxAddress(name, address));
            m.To.Add(MailboxAddress.Parse(to));
            m.Subject = subject;
            m.Body = new TextPart("plain") { Text = body + "\n\nTrân trọng." };
            await SubmitAsync(m);
        }
    }

    /// <summary>Hands a message to the server over authenticated submission (587, STARTTLS) as An, to its To recipients.</summary>
    private async Task SubmitAsync(MimeMessage message)
    {
        using var smtp = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await smtp.ConnectAsync("127.0.0.1", served.Server.SubmissionPort, SecureSocketOptions.StartTls);
        await smtp.AuthenticateAsync(An, Password);
        await smtp.SendAsync(message, new MailboxAddress("", An), message.To.Mailboxes);
        await smtp.DisconnectAsync(true);
    }
}
