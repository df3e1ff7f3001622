using System.Text.RegularExpressions;
using GovMail.EndToEnd.Tests.Support;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Playwright;
using MimeKit;
using static GovMail.EndToEnd.Tests.Support.TenantDataFolder;

namespace GovMail.EndToEnd.Tests;

// The webmail's everyday features in Chromium: search with folding, actions on a selection, keyboard shortcuts, reply all and
// forward with an attachment, drafts saved while typing, new mail without reload. Each test works in a mailbox of its own.
public sealed partial class WebmailBrowserTests
{
    /// <summary>Issues a mailbox ready to use (no forced change) for one test.</summary>
    private async Task<string> NewColleagueAsync(string local, string name, string? title = null)
    {
        var address = $"{local}@{Domain}";
        string[] args = ["account", "add", address, "--name", name, "--unit", Office, "--password", Password, "--no-must-change"];
        if (title is not null) args = [.. args, "--title", title];
        (await served.Data.RunAsync(args)).Ok();
        return address;
    }

    /// <summary>Hands a message to the server as An, to every To and Cc recipient.</summary>
    private async Task SendAsAnAsync(MimeMessage message)
    {
        using var smtp = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await smtp.ConnectAsync("127.0.0.1", served.Server.SubmissionPort, SecureSocketOptions.StartTls);
        await smtp.AuthenticateAsync(An, Password);
        await smtp.SendAsync(message, new MailboxAddress("", An), message.To.Mailboxes.Concat(message.Cc.Mailboxes));
        await smtp.DisconnectAsync(true);
    }

    private static MimeMessage Mail(string to, string fromName, string subject, string body)
    {
        var m = new MimeMessage();
        m.From.Add(new MailboxAddress(fromName, An));
        m.To.Add(MailboxAddress.Parse(to));
        m.Subject = subject;
        m.Body = new TextPart("plain") { Text = body };
        return m;
    }

    private static ILocator Row(IPage page, string subject) => page.Locator(".message-row", new() { HasText = subject });

    /// <summary>
    /// Opens a folder from the side list and waits until its page has loaded: the shortcuts' script sits at the end of the
    /// page, so a key pressed before the load can reach the old page or a new one that does not listen yet (CI lost a "?" so).
    /// </summary>
    private static async Task OpenFolderAsync(IPage page, string name)
    {
        var link = page.Locator(".folder", new() { HasText = name });
        var href = await link.GetAttributeAsync("href") ?? throw new InvalidOperationException($"The folder {name} has no link.");
        await link.ClickAsync();
        await page.WaitForURLAsync(new Regex(Regex.Escape(href) + "$"), new() { WaitUntil = WaitUntilState.Load });
    }

    [Fact]
    public async Task Search_folds_diacritics_and_a_selection_is_flagged_moved_and_deleted_with_buttons_and_keys()
    {
        var lan = await NewColleagueAsync("hoang.thi.lan", "Hoàng Thị Lan");
        await SendAsAnAsync(Mail(lan, "Văn phòng Sở", "Công văn số 128/VP về lịch tiếp công dân", "Đề nghị các phòng bố trí cán bộ tiếp công dân."));
        await SendAsAnAsync(Mail(lan, "Phòng Tổ chức", "Giấy mời tập huấn chuyển đổi số", "Kèm theo công văn hướng dẫn của Sở."));
        await SendAsAnAsync(Mail(lan, "Phòng Kế hoạch", "Báo cáo tiến độ giải ngân tháng 11", "Số liệu giải ngân đến ngày 30/11/2026."));
        await SendAsAnAsync(Mail(lan, "Công đoàn cơ sở", "Thông báo tổ chức hội thao", "Hội thao chào mừng ngày thành lập."));
        await using var context = await chromium.NewContextAsync();
        var page = await SignedInAsync(context, lan, Password);
        await Assertions.Expect(page.Locator(".message-row")).ToHaveCountAsync(4);

        // "/" jumps to the search box; typed without diacritics, it finds them.
        // (Pressed again until the box has the focus: on a loaded machine the first key can come before the page's script
        // listens — a CI run lost it once — and a letter typed outside the box is a shortcut of its own: "c" opens compose.)
        for (var attempt = 0; attempt < 20 && !await page.EvaluateAsync<bool>("() => document.activeElement?.id === 'search'"); attempt++)
        {
            await page.Keyboard.PressAsync("/");
            if (!await page.EvaluateAsync<bool>("() => document.activeElement?.id === 'search'")) await page.WaitForTimeoutAsync(250);
        }
        await Assertions.Expect(page.Locator("#search")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("cong van");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("tim=cong"));
        await Assertions.Expect(page.Locator(".message-row")).ToHaveCountAsync(2);
        await Assertions.Expect(Row(page, "Công văn số 128/VP")).ToBeVisibleAsync();
        await Assertions.Expect(Row(page, "Giấy mời tập huấn")).ToBeVisibleAsync();
        Assert.Contains("2 thư tìm thấy", await page.TextContentAsync("#message-count"));
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("18-tim-kiem-khong-dau.png") });
        await page.ClickAsync("#clear-search");
        await Assertions.Expect(page.Locator(".message-row")).ToHaveCountAsync(4);

        // Two selected and flagged; the flagged filter shows them.
        await Row(page, "Công văn số 128/VP").Locator("input[name=uid]").CheckAsync();
        await Row(page, "Báo cáo tiến độ").Locator("input[name=uid]").CheckAsync();
        await page.ClickAsync("#bulk-flag");
        await Assertions.Expect(page.Locator(".message-row.flagged")).ToHaveCountAsync(2);
        await page.ClickAsync("#filter-flagged");
        await Assertions.Expect(page.Locator(".message-row")).ToHaveCountAsync(2);
        await page.ClickAsync("#filter-all");

        // One moved to Lưu trữ.
        await Row(page, "Báo cáo tiến độ").Locator("input[name=uid]").CheckAsync();
        await page.SelectOptionAsync("#bulk-target", new SelectOptionValue { Label = "Lưu trữ" });
        await page.ClickAsync("#bulk-move");
        await Assertions.Expect(page.Locator(".message-row")).ToHaveCountAsync(3);
        await OpenFolderAsync(page, "Lưu trữ");
        await Assertions.Expect(Row(page, "Báo cáo tiến độ")).ToBeVisibleAsync();
        await OpenFolderAsync(page, "Hộp thư đến");

        // Keys: j puts the cursor on the first row, j again on the second, # deletes it (to Thùng rác).
        await Assertions.Expect(page.Locator(".message-row")).ToHaveCountAsync(3);
        var second = await page.Locator(".message-row").Nth(1).Locator(".subject").TextContentAsync();
        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("j");
        await Assertions.Expect(page.Locator(".message-row.cursor")).ToHaveCountAsync(1);
        await page.Keyboard.PressAsync("#");
        await Assertions.Expect(page.Locator(".message-row")).ToHaveCountAsync(2);
        await OpenFolderAsync(page, "Thùng rác");
        await Assertions.Expect(Row(page, second!.Trim())).ToBeVisibleAsync();

        // ? shows the shortcuts.
        await OpenFolderAsync(page, "Hộp thư đến");
        await page.Keyboard.PressAsync("?");
        await Assertions.Expect(page.Locator("#shortcuts-help")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("20-phim-tat.png") });
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("#shortcuts-help")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("19-danh-sach-gan-co.png") });
    }

    [Fact]
    public async Task Reply_all_and_forward_with_the_attachment_reach_everyone()
    {
        var hoa = await NewColleagueAsync("pham.thi.hoa", "Phạm Thị Hoa", "Chuyên viên");
        var khanh = await NewColleagueAsync("do.van.khanh", "Đỗ Văn Khánh", "Phó Chánh Văn phòng");
        var minh = await NewColleagueAsync("vu.duc.minh", "Vũ Đức Minh", "Trưởng phòng Tổng hợp");
        var original = new MimeMessage();
        original.From.Add(new MailboxAddress("Nguyễn Văn An", An));
        original.To.Add(MailboxAddress.Parse(hoa));
        original.Cc.Add(MailboxAddress.Parse(khanh));
        original.Subject = "Dự thảo kế hoạch cải cách hành chính 2027";
        var builder = new BodyBuilder { TextBody = "Gửi các đồng chí dự thảo kế hoạch, đề nghị góp ý." };
        builder.Attachments.Add("Dự thảo kế hoạch CCHC 2027.txt", "Nội dung dự thảo kế hoạch"u8.ToArray(), new ContentType("text", "plain"));
        original.Body = builder.ToMessageBody();
        await SendAsAnAsync(original);

        await using var context = await chromium.NewContextAsync();
        var page = await SignedInAsync(context, hoa, Password);
        await Row(page, "Dự thảo kế hoạch").Locator("a").ClickAsync();
        await page.WaitForURLAsync(new Regex("/thu/[0-9]+/[0-9]+"));

        await page.Keyboard.PressAsync("a");
        await page.WaitForURLAsync(new Regex("tra-loi-tat-ca="));
        Assert.Contains(An, await page.InputValueAsync("#To"));
        Assert.Contains(khanh, await page.InputValueAsync("#Cc"));
        Assert.DoesNotContain(hoa, await page.InputValueAsync("#Cc"));
        await page.Locator("#Body").PressAsync("Control+Home");
        await page.Locator("#Body").PressSequentiallyAsync("Em nhất trí với dự thảo. ");
        await page.ClickAsync("#send");
        await page.WaitForURLAsync(new Regex("da-gui=true"));

        await page.GotoAsync(Site + "/thu");
        await Row(page, "Dự thảo kế hoạch").Locator("a").ClickAsync();
        await page.WaitForURLAsync(new Regex("/thu/[0-9]+/[0-9]+"));
        await page.ClickAsync("#forward");
        await page.WaitForURLAsync(new Regex("chuyen-tiep="));
        await Assertions.Expect(page.Locator("#carried")).ToContainTextAsync("Dự thảo kế hoạch CCHC 2027.txt");
        // The address list: "vu duc" finds Vũ Đức Minh with his title and unit.
        await page.Locator("#To").PressSequentiallyAsync("vu duc");
        var suggestion = page.Locator(".directory-item", new() { HasText = "Vũ Đức Minh" });
        await Assertions.Expect(suggestion).ToContainTextAsync("Trưởng phòng Tổng hợp · Văn phòng Sở");
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("21-chuyen-tiep-danh-ba.png") });
        await suggestion.ClickAsync();
        Assert.Contains(minh, await page.InputValueAsync("#To"));
        await page.ClickAsync("#send");
        await page.WaitForURLAsync(new Regex("da-gui=true"));

        var replies = (await served.Data.InboxAsync(An)).Where(c => c.Message.Subject == "Re: Dự thảo kế hoạch cải cách hành chính 2027").ToList();
        Assert.Single(replies);
        Assert.Contains(await served.Data.InboxAsync(khanh), c => c.Message.Subject == "Re: Dự thảo kế hoạch cải cách hành chính 2027");
        var forwarded = Assert.Single(await served.Data.InboxAsync(minh));
        Assert.Equal("Fwd: Dự thảo kế hoạch cải cách hành chính 2027", forwarded.Message.Subject);
        var message = await MimeMessage.LoadAsync(new MemoryStream(forwarded.Blob!));
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("Dự thảo kế hoạch CCHC 2027.txt", attachment.FileName);
        Assert.Equal("Nội dung dự thảo kế hoạch", ((TextPart)attachment).Text);
    }

    [Fact]
    public async Task A_draft_is_saved_while_typing_and_reopened_from_drafts()
    {
        var tuan = await NewColleagueAsync("ngo.minh.tuan", "Ngô Minh Tuấn");
        await using var context = await chromium.NewContextAsync();
        var page = await SignedInAsync(context, tuan, Password);
        await page.ClickAsync("a.compose");
        await page.WaitForURLAsync(new Regex("/soan-thu$"));

        await page.Locator("#To").PressSequentiallyAsync(Binh);
        await page.Locator("#Subject").PressSequentiallyAsync("Đề xuất mua sắm thiết bị");
        await page.Locator("#Body").PressSequentiallyAsync("Kính gửi chị Bình, phòng đề xuất mua 5 máy tính.");
        await Assertions.Expect(page.Locator("#draft-status")).ToContainTextAsync("Đã lưu nháp lúc");
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("22-thu-nhap-tu-luu.png") });

        await OpenFolderAsync(page, "Thư nháp");
        await Assertions.Expect(page.Locator(".message-row")).ToHaveCountAsync(1);
        await Row(page, "Đề xuất mua sắm thiết bị").Locator("a").ClickAsync();
        await page.WaitForURLAsync(new Regex("nhap="));
        Assert.Equal(Binh, await page.InputValueAsync("#To"));
        Assert.Equal("Đề xuất mua sắm thiết bị", await page.InputValueAsync("#Subject"));
        Assert.Contains("phòng đề xuất mua 5 máy tính", await page.InputValueAsync("#Body"));

        // Edited again: still one draft, the new version.
        await page.Locator("#Body").PressSequentiallyAsync(" Trân trọng.");
        await Assertions.Expect(page.Locator("#draft-status")).ToContainTextAsync("Đã lưu nháp lúc");
        await OpenFolderAsync(page, "Thư nháp");
        await Assertions.Expect(page.Locator(".message-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".message-row .preview")).ToContainTextAsync("Trân trọng.");

        // Sent, it leaves Thư nháp.
        await page.Locator(".message-row a").ClickAsync();
        await page.WaitForURLAsync(new Regex("nhap="));
        await page.ClickAsync("#send");
        await page.WaitForURLAsync(new Regex("da-gui=true"));
        await OpenFolderAsync(page, "Thư nháp");
        await Assertions.Expect(page.Locator(".message-row")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task New_mail_appears_in_the_open_list_without_reloading()
    {
        var mai = await NewColleagueAsync("ly.thi.mai", "Lý Thị Mai");
        await SendAsAnAsync(Mail(mai, "Văn phòng Sở", "Lịch công tác tuần 50", "Lịch công tác của lãnh đạo Sở."));
        await using var context = await chromium.NewContextAsync();
        var page = await SignedInAsync(context, mai, Password);
        await Assertions.Expect(page.Locator(".message-row")).ToHaveCountAsync(1);
        await page.EvaluateAsync("() => { window.stillTheSamePage = true; }");
        // The page has its event stream open before the mail is sent.
        await page.WaitForSelectorAsync("body[data-live='1']", new() { State = WaitForSelectorState.Attached });

        await SendAsAnAsync(Mail(mai, "Phòng Tổ chức", "Quyết định nâng bậc lương", "Quyết định nâng bậc lương thường xuyên."));

        await Assertions.Expect(Row(page, "Quyết định nâng bậc lương")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".message-row")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".folder.current .badge")).ToHaveTextAsync("2");
        Assert.True(await page.EvaluateAsync<bool>("() => window.stillTheSamePage === true"));
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("23-thu-moi-khong-tai-lai.png") });
    }

    [Fact]
    public async Task On_a_phone_sized_screen_search_and_the_selection_bar_fit()
    {
        var nga = await NewColleagueAsync("dang.thi.nga", "Đặng Thị Nga");
        await SendAsAnAsync(Mail(nga, "Văn phòng Sở", "Công văn về trực Tết Nguyên đán", "Phân công trực Tết."));
        await using var context = await chromium.NewContextAsync(390, 844, phone: true);
        var page = await SignedInAsync(context, nga, Password);
        await page.FillAsync("#search", "truc tet");
        await page.PressAsync("#search", "Enter");
        await page.WaitForURLAsync(new Regex("tim="));
        await Assertions.Expect(page.Locator(".message-row")).ToHaveCountAsync(1);
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390);
        Assert.True(await page.IsVisibleAsync("#bulk-delete"));
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("24-dien-thoai-tim-kiem.png") });
        await page.Locator(".message-row a").ClickAsync();
        await page.WaitForURLAsync(new Regex("/thu/[0-9]+/[0-9]+"));
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390);
    }

    [Fact]
    public async Task The_conversation_view_groups_a_chain_and_an_older_message_opens_in_place()
    {
        var mai = await NewColleagueAsync("dang.thi.mai", "Đặng Thị Mai");
        string? parent = null;
        var references = new List<string>();
        foreach (var (subject, body, id) in new[]
        {
            ("Dự thảo quy chế làm việc", "Gửi chị dự thảo quy chế để góp ý.", "qc-1@tphcm.gov.vn"),
            ("Re: Dự thảo quy chế làm việc", "Bổ sung điều 5 về chế độ báo cáo.", "qc-2@tphcm.gov.vn"),
            ("Re: Re: Dự thảo quy chế làm việc", "Bản cuối đã thống nhất, trình ký.", "qc-3@tphcm.gov.vn"),
        })
        {
            var m = Mail(mai, "Văn phòng Sở", subject, body);
            m.MessageId = id;
            if (parent is not null) m.InReplyTo = parent;
            foreach (var r in references) m.References.Add(r);
            await SendAsAnAsync(m);
            parent = "<" + id + ">";
            references.Add(parent);
        }
        await SendAsAnAsync(Mail(mai, "Công đoàn cơ sở", "Thông báo tổ chức hội thao", "Hội thao chào mừng ngày thành lập."));
        await using var context = await chromium.NewContextAsync();
        var page = await SignedInAsync(context, mai, Password);
        await Assertions.Expect(page.Locator(".message-row")).ToHaveCountAsync(4);

        // The chip turns the view on: the chain is one row of three.
        await page.ClickAsync("#by-conversation");
        await page.WaitForURLAsync(new Regex("hoi-thoai=true"), new() { WaitUntil = WaitUntilState.Load });
        await Assertions.Expect(page.Locator(".conversation-row")).ToHaveCountAsync(2);
        var chain = page.Locator(".conversation-row", new() { HasText = "Dự thảo quy chế" });
        await Assertions.Expect(chain.Locator(".thread-count")).ToHaveTextAsync("3");

        // Opened: three messages, oldest first, only the newest open; the oldest opens in place.
        await chain.Locator("a").ClickAsync();
        await page.WaitForURLAsync(new Regex("/hoi-thoai/[0-9]+"), new() { WaitUntil = WaitUntilState.Load });
        var messages = page.Locator("details.conversation-message");
        await Assertions.Expect(messages).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("details.conversation-message[open]")).ToHaveCountAsync(1);
        Assert.True(await messages.Nth(2).EvaluateAsync<bool>("d => d.open"));
        var url = page.Url;
        await messages.Nth(0).Locator("summary").ClickAsync();
        await Assertions.Expect(page.Locator("details.conversation-message[open]")).ToHaveCountAsync(2);
        await Assertions.Expect(messages.Nth(0).Locator("iframe.message-body")).ToBeVisibleAsync();
        // Each body frame fits its content once opened: a line of text, not the frame's default 320 px.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('details.conversation-message[open] iframe.message-body')]" +
            ".every(f => f.offsetHeight > 0 && f.offsetHeight < 200)", null, new() { Timeout = 30_000 });
        Assert.Equal(url, page.Url);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("30-hoi-thoai.png") });
    }
}
