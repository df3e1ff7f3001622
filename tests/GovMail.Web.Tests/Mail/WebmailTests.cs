using System.Net;
using GovMail.Core.Mail;
using GovMail.Core.Usage;
using GovMail.Storage.Database;
using GovMail.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Mail;

public sealed class WebmailTests
{
    private const string BinhOwn = "Sông-Sài-Gòn#2026";

    private static async Task<BrowserClient> BinhWithOwnPasswordAsync(WebTestSite site)
    {
        var binh = site.Browser();
        await binh.SignInAsync(Binh, BinhTemporary);
        var changed = await binh.SubmitAsync("/doi-mat-khau", [new("Current", BinhTemporary), new("New", BinhOwn), new("Confirm", BinhOwn)]);
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        return binh;
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Mail_sent_on_the_web_reaches_a_colleague_with_a_copy_in_sent_and_reading_it_counts_as_a_read(DatabaseProvider provider)
    {
        await using var site = await StartAsync(provider);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);
        const string subject = "Công văn số 12/SNV về rà soát hộp thư công vụ";

        var sent = await an.SubmitAsync("/soan-thu", [
            new("To", "Trần Thị Bình <" + Binh + ">"), new("Cc", ""), new("Subject", subject),
            new("Body", "Kính gửi đồng chí Bình,\nĐề nghị rà soát hộp thư Quý I.\nTrân trọng."),
        ]);

        var inbox = await site.MailboxAsync(An, MailboxRole.Inbox);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal($"/thu/{inbox.Id}?da-gui=true", sent.Headers.Location?.OriginalString);
        var copy = Assert.Single(await site.ListAsync(An, MailboxRole.Sent));
        Assert.Equal(subject, copy.Subject);
        Assert.True((copy.Flags & MessageFlags.Seen) != 0);
        var received = Assert.Single(await site.ListAsync(Binh, MailboxRole.Inbox));
        Assert.Equal(subject, received.Subject);
        Assert.Equal("Nguyễn Văn An", received.FromName);

        using var binh = await BinhWithOwnPasswordAsync(site);
        var binhInbox = await site.MailboxAsync(Binh, MailboxRole.Inbox);
        var (_, list, _) = await binh.GetAsync($"/thu/{binhInbox.Id}");
        Assert.Contains(subject, list);
        Assert.Contains("class=\"message-row unread\"", list);
        Assert.Contains("<span class=\"badge\"", list);

        var (status, page, _) = await binh.GetAsync($"/thu/{binhInbox.Id}/{received.Uid}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(subject, page);
        Assert.Contains("Nguyễn Văn An &lt;an@tphcm.gov.vn&gt;", page);
        Assert.DoesNotContain("<span class=\"badge\"", page);
        var (_, body, _) = await binh.GetAsync($"/thu/{binhInbox.Id}/{received.Uid}/noi-dung");
        Assert.Contains("Đề nghị rà soát hộp thư Quý I.", body);

        await using var db = site.Database.Database.Open();
        var events = await db.UsageEvents.AsNoTracking().Where(e => e.Protocol == UsageProtocol.Web).Select(e => new { e.Address, e.Kind }).ToListAsync();
        Assert.Contains(events, e => e.Address == An && e.Kind == UsageKind.Sent);
        Assert.Contains(events, e => e.Address == Binh && e.Kind == UsageKind.Read);
        Assert.True((Assert.Single(await site.ListAsync(Binh, MailboxRole.Inbox)).Flags & MessageFlags.Seen) != 0);
    }

    [Fact]
    public async Task A_disabled_recipient_is_refused_with_the_pipelines_sentence_and_nothing_is_sent()
    {
        await using var site = await StartAsync();
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var refused = await an.SubmitAsync("/soan-thu", [new("To", Dung), new("Subject", "Thử"), new("Body", "Nội dung")]);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(Dung + ":", await refused.Content.ReadAsStringAsync());
        Assert.Empty(await site.ListAsync(An, MailboxRole.Sent));
    }

    [Fact]
    public async Task An_address_that_is_not_one_is_refused_on_the_page()
    {
        await using var site = await StartAsync();
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var refused = await an.SubmitAsync("/soan-thu", [new("To", "không phải địa chỉ"), new("Subject", "Thử"), new("Body", "x")]);

        Assert.Contains("Địa chỉ không hợp lệ: không phải địa chỉ", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Attachments_travel_with_the_message_and_download_as_they_were()
    {
        await using var site = await StartAsync();
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);
        var pdf = "%PDF-1.4 báo cáo quý I"u8.ToArray();

        var sent = await an.SubmitFilesAsync("/soan-thu", [new("To", Chi), new("Subject", "Báo cáo kèm theo"), new("Body", "Gửi anh báo cáo.")],
            [("Attachments", "Báo cáo quý I.pdf", "application/pdf", pdf)]);

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var copy = Assert.Single(await site.ListAsync(An, MailboxRole.Sent));
        Assert.True(copy.HasAttachments);
        var sentBox = await site.MailboxAsync(An, MailboxRole.Sent);
        var (_, page, _) = await an.GetAsync($"/thu/{sentBox.Id}/{copy.Uid}");
        Assert.Contains("Báo cáo quý I.pdf", page);
        var link = System.Text.RegularExpressions.Regex.Match(page, "href=\"(/thu/[0-9]+/[0-9]+/tep/[0-9]+)\"").Groups[1].Value;
        var download = await an.Http.GetAsync(link);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("Báo cáo quý I.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);
    }

    [Fact]
    public async Task Html_mail_is_shown_without_scripts_forms_or_handlers_and_remote_images_only_on_request()
    {
        await using var site = await StartAsync();
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Bản tin", "bantin@example.com"));
        message.To.Add(MailboxAddress.Parse(An));
        message.Subject = "Bản tin tuần";
        var builder = new BodyBuilder
        {
            HtmlBody = """
                <p onclick="steal()">Xin chào <b>đồng chí</b></p>
                <script>alert('x')</script>
                <form action="https://evil.example/login"><input name="password"></form>
                <img src="https://tracker.example/pixel.gif" alt="theo dõi">
                <img src="cid:logo@bantin">
                <a href="javascript:alert(1)">bấm</a> <a href="https://example.com/tin">đọc tiếp</a>
                """,
        };
        var logo = builder.LinkedResources.Add("logo.png", [0x89, 0x50, 0x4E, 0x47], new ContentType("image", "png"));
        logo.ContentId = "logo@bantin";
        message.Body = builder.ToMessageBody();
        var uid = await site.ReceiveAsync(An, message);
        var inbox = await site.MailboxAsync(An, MailboxRole.Inbox);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var (_, page, _) = await an.GetAsync($"/thu/{inbox.Id}/{uid}");
        var (_, body, response) = await an.GetAsync($"/thu/{inbox.Id}/{uid}/noi-dung");
        var (_, withImages, shown) = await an.GetAsync($"/thu/{inbox.Id}/{uid}/noi-dung?anh=1");
        var (_, asked, _) = await an.GetAsync($"/thu/{inbox.Id}/{uid}?anh=1");
        Assert.Contains($"src=\"/thu/{inbox.Id}/{uid}/noi-dung?anh=1\"", asked);
        Assert.DoesNotContain("Hiện hình ảnh", asked);

        Assert.Contains("Đã chặn 1 hình ảnh", page);
        Assert.Contains("Hiện hình ảnh", page);
        Assert.Contains("sandbox=\"allow-same-origin allow-popups allow-popups-to-escape-sandbox\"", page);
        Assert.Contains("Xin chào <b>đồng chí</b>", body);
        Assert.DoesNotContain("<script", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<form", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<input", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("tracker.example", body);
        Assert.Matches($"src=\"/thu/{inbox.Id}/{uid}/tep/[0-9]+\"", body);
        Assert.Contains("href=\"https://example.com/tin\" target=\"_blank\" rel=\"noopener noreferrer\"", body);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy);
        Assert.DoesNotContain("script-src", policy);
        Assert.DoesNotContain("https:", policy);
        Assert.Contains("https://tracker.example/pixel.gif", withImages);
        Assert.Contains("https:", shown.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("<script", withImages, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Vietnamese_headers_encoded_by_the_sender_are_shown_decoded()
    {
        await using var site = await StartAsync();
        var raw = "From: =?utf-8?B?UGjDsm5nIFTDoGkgY2jDrW5o?= <taichinh@tphcm.gov.vn>\r\nTo: an@tphcm.gov.vn\r\n"
            + "Subject: =?utf-8?Q?K=E1=BA=BF_ho=E1=BA=A1ch_ng=C3=A2n_s=C3=A1ch?=\r\nMessage-ID: <kh-1@tphcm.gov.vn>\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nNội dung.\r\n";
        var uid = await site.ReceiveAsync(An, MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(raw))));
        var inbox = await site.MailboxAsync(An, MailboxRole.Inbox);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var (_, list, _) = await an.GetAsync($"/thu/{inbox.Id}");
        var (_, page, _) = await an.GetAsync($"/thu/{inbox.Id}/{uid}");

        Assert.Contains("Kế hoạch ngân sách", list);
        Assert.Contains("Phòng Tài chính", list);
        Assert.Contains("Phòng Tài chính &lt;taichinh@tphcm.gov.vn&gt;", page);
    }

    [Fact]
    public async Task The_list_pages_by_25_newest_first_and_filters_the_unread()
    {
        await using var site = await StartAsync();
        for (var i = 1; i <= 30; i++)
        {
            var m = new MimeMessage();
            m.From.Add(new MailboxAddress("Văn phòng", "vanphong@tphcm.gov.vn"));
            m.To.Add(MailboxAddress.Parse(An));
            m.Subject = $"Thông báo số {i:00}";
            m.Body = new TextPart("plain") { Text = "Nội dung " + i };
            await site.ReceiveAsync(An, m);
        }
        var inbox = await site.MailboxAsync(An, MailboxRole.Inbox);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var (_, first, _) = await an.GetAsync($"/thu/{inbox.Id}");
        var (_, second, _) = await an.GetAsync($"/thu/{inbox.Id}?trang=2");
        Assert.Equal(25, Count(first, "class=\"message-row"));
        Assert.Contains("Thông báo số 30", first);
        Assert.DoesNotContain("Thông báo số 05", first);
        Assert.Equal(5, Count(second, "class=\"message-row"));
        Assert.Contains("Thông báo số 01", second);
        Assert.Contains("Trang 2/2", second);

        var newest = (await site.ListAsync(An, MailboxRole.Inbox))[0];
        await an.GetAsync($"/thu/{inbox.Id}/{newest.Uid}");
        var (_, unread, _) = await an.GetAsync($"/thu/{inbox.Id}?chua-doc=true&trang=2");
        Assert.Equal(4, Count(unread, "class=\"message-row"));
        Assert.Contains("29 thư chưa đọc", unread);
    }

    [Fact]
    public async Task Delete_moves_to_trash_and_deleting_there_removes_for_good()
    {
        await using var site = await StartAsync();
        var m = new MimeMessage();
        m.From.Add(MailboxAddress.Parse("vanphong@tphcm.gov.vn"));
        m.To.Add(MailboxAddress.Parse(An));
        m.Subject = "Thư cũ";
        m.Body = new TextPart("plain") { Text = "x" };
        var uid = await site.ReceiveAsync(An, m);
        var inbox = await site.MailboxAsync(An, MailboxRole.Inbox);
        var trash = await site.MailboxAsync(An, MailboxRole.Trash);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var deleted = await an.SubmitAsync($"/thu/{inbox.Id}/{uid}", [], $"/thu/{inbox.Id}/{uid}?handler=Delete");

        Assert.Equal($"/thu/{inbox.Id}", deleted.Headers.Location?.OriginalString);
        Assert.Empty(await site.ListAsync(An, MailboxRole.Inbox));
        var inTrash = Assert.Single(await site.ListAsync(An, MailboxRole.Trash));
        await an.SubmitAsync($"/thu/{trash.Id}/{inTrash.Uid}", [], $"/thu/{trash.Id}/{inTrash.Uid}?handler=Delete");
        Assert.Empty(await site.ListAsync(An, MailboxRole.Trash));
    }

    [Fact]
    public async Task Mark_unread_and_reply_keep_the_thread()
    {
        await using var site = await StartAsync();
        var m = new MimeMessage();
        m.From.Add(new MailboxAddress("Lê Minh Chi", Chi));
        m.To.Add(MailboxAddress.Parse(An));
        m.Subject = "Lịch họp giao ban";
        m.MessageId = "hop-1@tphcm.gov.vn";
        m.Body = new TextPart("plain") { Text = "Họp lúc 8 giờ." };
        var uid = await site.ReceiveAsync(An, m);
        var inbox = await site.MailboxAsync(An, MailboxRole.Inbox);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);
        await an.GetAsync($"/thu/{inbox.Id}/{uid}");

        await an.SubmitAsync($"/thu/{inbox.Id}/{uid}", [], $"/thu/{inbox.Id}/{uid}?handler=Unread");
        Assert.True((Assert.Single(await site.ListAsync(An, MailboxRole.Inbox)).Flags & MessageFlags.Seen) == 0);

        var (_, form, _) = await an.GetAsync($"/soan-thu?tra-loi={inbox.Id}/{uid}");
        Assert.Contains("value=\"Re: Lịch họp giao ban\"", form);
        Assert.Contains("&quot;Lê Minh Chi&quot; &lt;chi@tphcm.gov.vn&gt;", form);
        Assert.Contains("&gt; Họp lúc 8 giờ.", form);
        Assert.Contains("value=\"&lt;hop-1@tphcm.gov.vn&gt;\"", form);
        var replied = await an.SubmitAsync($"/soan-thu?tra-loi={inbox.Id}/{uid}", [
            new("To", Chi), new("Subject", "Re: Lịch họp giao ban"), new("Body", "Đã nhận."),
            new("InReplyTo", "<hop-1@tphcm.gov.vn>"), new("References", "<hop-1@tphcm.gov.vn>"),
        ], "/soan-thu");
        Assert.Equal(HttpStatusCode.Redirect, replied.StatusCode);
        var reply = Assert.Single(await site.ListAsync(Chi, MailboxRole.Inbox));
        Assert.Equal("Re: Lịch họp giao ban", reply.Subject);
    }

    [Fact]
    public async Task Another_accounts_mailbox_and_messages_are_not_found()
    {
        await using var site = await StartAsync();
        var m = new MimeMessage();
        m.From.Add(MailboxAddress.Parse("vanphong@tphcm.gov.vn"));
        m.To.Add(MailboxAddress.Parse(Chi));
        m.Subject = "Riêng của Chi";
        m.Body = new TextPart("plain") { Text = "x" };
        var uid = await site.ReceiveAsync(Chi, m);
        var chiInbox = await site.MailboxAsync(Chi, MailboxRole.Inbox);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        Assert.Equal(HttpStatusCode.NotFound, (await an.GetAsync($"/thu/{chiInbox.Id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await an.GetAsync($"/thu/{chiInbox.Id}/{uid}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await an.GetAsync($"/thu/{chiInbox.Id}/{uid}/noi-dung")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await an.GetAsync($"/thu/{chiInbox.Id}/{uid}/tep/0")).Status);
    }

    private static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
