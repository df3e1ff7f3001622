using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GovMail.Core.Accounts;
using GovMail.Core.Directory;
using GovMail.Core.Mail;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Mail;

/// <summary>Reply all, forward with the original's attachments, drafts saved and reopened, the address list, new mail pushed.</summary>
public sealed class WebmailComposeTests
{
    private static async Task<MimeMessage> LoadAsync(WebTestSite site, string address, MailboxRole role, uint uid)
    {
        var mailbox = await site.MailboxAsync(address, role);
        var row = Assert.Single(await site.Queries.FetchAsync(mailbox.Id, uid, uid, 1, content: true));
        await using var stream = site.Blobs.OpenRead(row.BlobKey!);
        return await MimeMessage.LoadAsync(stream);
    }

    /// <summary>Files a message with attachments from outside into An's INBOX; its UID and the INBOX.</summary>
    private static async Task<(uint Uid, Storage.Mail.MailboxInfo Inbox)> ReceiveWithFilesAsync(WebTestSite site, MailboxAddress from, string subject,
        string text, params (string Name, byte[] Content, ContentType Type)[] files)
    {
        var builder = new BodyBuilder { TextBody = text };
        foreach (var (name, content, type) in files) builder.Attachments.Add(name, content, type);
        var m = new MimeMessage();
        m.From.Add(from);
        m.To.Add(MailboxAddress.Parse(An));
        m.Subject = subject;
        m.Body = builder.ToMessageBody();
        return (await site.ReceiveAsync(An, m), await site.MailboxAsync(An, MailboxRole.Inbox));
    }

    private static async Task<JsonElement> SaveDraftAsync(BrowserClient client, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var (_, html, _) = await client.GetAsync("/soan-thu");
        var request = new HttpRequestMessage(HttpMethod.Post, "/soan-thu?handler=Draft")
        {
            Content = new FormUrlEncodedContent([.. fields, new("__xsrf", BrowserClient.Token(html)!)]),
        };
        request.Headers.Add("X-GovMail-Autosave", "1");
        var response = await client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Reply_all_addresses_the_sender_and_everyone_else_but_oneself()
    {
        await using var site = await StartAsync();
        var m = new MimeMessage();
        m.From.Add(new MailboxAddress("Lê Minh Chi", Chi));
        m.To.Add(new MailboxAddress("Nguyễn Văn An", An));
        m.To.Add(new MailboxAddress("Trần Thị Bình", Binh));
        m.Cc.Add(new MailboxAddress("Văn phòng", "vanphong@tphcm.gov.vn"));
        m.Cc.Add(new MailboxAddress("Lê Minh Chi", Chi));
        m.Subject = "Re: Kế hoạch tuần";
        m.MessageId = "kh-7@tphcm.gov.vn";
        m.Body = new TextPart("plain") { Text = "Nội dung kế hoạch." };
        var uid = await site.ReceiveAsync(An, m);
        var inbox = await site.MailboxAsync(An, MailboxRole.Inbox);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var (_, form, _) = await an.GetAsync($"/soan-thu?tra-loi-tat-ca={inbox.Id}/{uid}");

        Assert.Contains("<h1>Trả lời tất cả</h1>", form);
        Assert.Contains("id=\"To\" name=\"To\" value=\"&quot;Lê Minh Chi&quot; &lt;chi@tphcm.gov.vn&gt;\"", form);
        Assert.Contains("id=\"Cc\" name=\"Cc\" value=\"&quot;Trần Thị Bình&quot; &lt;binh@tphcm.gov.vn&gt;, &quot;Văn phòng&quot; &lt;vanphong@tphcm.gov.vn&gt;\"", form);
        Assert.DoesNotContain("an@tphcm.gov.vn&gt;,", form);
        Assert.Contains("value=\"Re: Kế hoạch tuần\"", form);
        Assert.Contains("value=\"&lt;kh-7@tphcm.gov.vn&gt;\"", form);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Forward_carries_the_original_attachments_that_were_kept(DatabaseProvider provider)
    {
        await using var site = await StartAsync(provider);
        var pdf = "%PDF-1.4 quyết định số 5"u8.ToArray();
        var sheet = "bảng tính"u8.ToArray();
        var (uid, inbox) = await ReceiveWithFilesAsync(site, new MailboxAddress("Phòng Tổ chức", "tochuc@tphcm.gov.vn"), "Quyết định điều động",
            "Gửi đồng chí quyết định.", ("Quyết định số 5.pdf", pdf, new ContentType("application", "pdf")),
            ("Bảng kê.xlsx", sheet, new ContentType("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")));
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var page = $"/soan-thu?chuyen-tiep={inbox.Id}/{uid}";
        var (_, form, _) = await an.GetAsync(page);
        Assert.Contains("<h1>Chuyển tiếp</h1>", form);
        Assert.Contains("value=\"Fwd: Quyết định điều động\"", form);
        Assert.Contains("Thư chuyển tiếp", form);
        Assert.Contains("Quyết định số 5.pdf", form);
        Assert.Contains("Bảng kê.xlsx", form);
        var keep = System.Text.RegularExpressions.Regex.Matches(form, "name=\"Keep\" value=\"([0-9]+)\"").Select(x => x.Groups[1].Value).ToList();
        Assert.Equal(2, keep.Count);

        var sent = await an.SubmitAsync(page, [
            new("To", Chi), new("Subject", "Fwd: Quyết định điều động"), new("Body", "Chuyển anh Chi."),
            new("AttachFrom", $"{inbox.Id}/{uid}"), new("Keep", keep[0]),
        ], "/soan-thu");

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var received = Assert.Single(await site.ListAsync(Chi, MailboxRole.Inbox));
        Assert.True(received.HasAttachments);
        var message = await LoadAsync(site, Chi, MailboxRole.Inbox, received.Uid);
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("Quyết định số 5.pdf", attachment.FileName);
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        Assert.Equal(pdf, content.ToArray());
        Assert.Single(await site.ListAsync(An, MailboxRole.Sent));
    }

    [Fact]
    public async Task A_draft_is_saved_replaced_reopened_and_removed_once_sent()
    {
        await using var site = await StartAsync();
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var first = await SaveDraftAsync(an, [new("To", "chi@tphcm"), new("Subject", "Báo cáo tuần"), new("Body", "Bản nháp đầu")]);
        Assert.True(first.GetProperty("saved").GetBoolean());
        var firstUid = first.GetProperty("uid").GetUInt32();
        var draftRow = Assert.Single(await site.ListAsync(An, MailboxRole.Drafts));
        Assert.Equal(firstUid, draftRow.Uid);
        Assert.Equal(MessageFlags.Draft | MessageFlags.Seen, draftRow.Flags);

        var second = await SaveDraftAsync(an, [
            new("To", "Lê Minh Chi <" + Chi + ">, binh@"), new("Subject", "Báo cáo tuần"), new("Body", "Bản nháp thứ hai\nđã sửa"), new("DraftUid", $"{firstUid}")]);
        var secondUid = second.GetProperty("uid").GetUInt32();
        Assert.NotEqual(firstUid, secondUid);
        Assert.Equal(secondUid, Assert.Single(await site.ListAsync(An, MailboxRole.Drafts)).Uid);
        var drafts = await site.MailboxAsync(An, MailboxRole.Drafts);
        Assert.Equal($"{drafts.Id}/{secondUid}", second.GetProperty("attachFrom").GetString());
        var saved = await LoadAsync(site, An, MailboxRole.Drafts, secondUid);
        Assert.Equal(Chi, Assert.Single(saved.To.Mailboxes).Address);

        var (status, form, _) = await an.GetAsync($"/soan-thu?nhap={secondUid}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("value=\"Lê Minh Chi &lt;chi@tphcm.gov.vn&gt;, binh@\"", form);
        Assert.Contains("Bản nháp thứ hai&#xA;đã sửa", form);
        Assert.Contains($"id=\"draft-uid\" name=\"DraftUid\" value=\"{secondUid}\"", form);
        var (_, list, _) = await an.GetAsync($"/thu/{drafts.Id}");
        Assert.Contains($"href=\"/soan-thu?nhap={secondUid}\"", list);

        var sent = await an.SubmitAsync($"/soan-thu?nhap={secondUid}", [
            new("To", "Lê Minh Chi <" + Chi + ">"), new("Subject", "Báo cáo tuần"), new("Body", "Bản gửi"), new("DraftUid", $"{secondUid}")], "/soan-thu");
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Empty(await site.ListAsync(An, MailboxRole.Drafts));
        Assert.Equal("Báo cáo tuần", Assert.Single(await site.ListAsync(Chi, MailboxRole.Inbox)).Subject);
    }

    [Fact]
    public async Task A_reopened_draft_of_a_forward_keeps_the_attachments_and_the_button_saves_without_script()
    {
        await using var site = await StartAsync();
        var (uid, inbox) = await ReceiveWithFilesAsync(site, MailboxAddress.Parse("vanphong@tphcm.gov.vn"), "Tờ trình", "Kèm tờ trình.",
            ("Tờ trình.docx", "tờ trình"u8.ToArray(), new ContentType("application", "octet-stream")));
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);
        var (_, form, _) = await an.GetAsync($"/soan-thu?chuyen-tiep={inbox.Id}/{uid}");
        var keep = System.Text.RegularExpressions.Regex.Match(form, "name=\"Keep\" value=\"([0-9]+)\"").Groups[1].Value;

        var saved = await an.SubmitAsync($"/soan-thu?chuyen-tiep={inbox.Id}/{uid}", [
            new("To", ""), new("Subject", "Fwd: Tờ trình"), new("Body", "Chuyển tiếp"), new("AttachFrom", $"{inbox.Id}/{uid}"), new("Keep", keep)],
            "/soan-thu?handler=Draft");

        var draft = Assert.Single(await site.ListAsync(An, MailboxRole.Drafts));
        Assert.True(draft.HasAttachments);
        Assert.Equal($"/soan-thu?nhap={draft.Uid}&da-luu=true", saved.Headers.Location?.OriginalString);
        var (_, reopened, _) = await an.GetAsync(saved.Headers.Location!.OriginalString);
        Assert.Contains("Đã lưu thư nháp.", reopened);
        Assert.Contains("Tờ trình.docx", reopened);
        Assert.Contains("value=\"Fwd: Tờ trình\"", reopened);
    }

    [Fact]
    public async Task The_address_list_finds_colleagues_of_the_same_tenant_by_folded_name_with_title_and_unit()
    {
        await using var site = await StartAsync();
        Assert.True((await site.Accounts.UpdateAsync(An, new() { Title = "Chuyên viên" }, An)).IsOk);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        // Someone issued after the list was first read is found at once.
        Assert.Empty((await an.Http.GetFromJsonAsync<JsonElement>("/danh-ba/tim?q=vo+thi")).EnumerateArray());
        Assert.True((await site.Accounts.AddAsync(new NewAccount("Võ Thị Hạnh", "Sở Nội vụ") { Address = "hanh@tphcm.gov.vn", Password = "Bông-Sen-Trắng-2029" }, "admin@tphcm.gov.vn")).IsOk);
        var hanh = await an.Http.GetFromJsonAsync<JsonElement>("/danh-ba/tim?q=vo+thi");
        Assert.Equal("hanh@tphcm.gov.vn", Assert.Single(hanh.EnumerateArray()).GetProperty("address").GetString());

        await using (var db = site.Database.Database.Open())
        {
            // Another city on the same server: never listed.
            var other = new Tenant { Name = "UBND Thành phố Đà Nẵng", CreatedAt = DateTimeOffset.UtcNow };
            var unit = new OrgUnit { TenantId = other.Id, Name = "Sở Nội vụ Đà Nẵng", CreatedAt = DateTimeOffset.UtcNow };
            db.Add(other);
            db.Add(unit);
            db.Add(new GovMail.Core.Accounts.Account
            {
                TenantId = other.Id, UnitId = unit.Id, Address = "nguyen.van.an@danang.gov.vn", DisplayName = "Nguyễn Văn An", State = AccountState.Active,
                CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        var found = await an.Http.GetFromJsonAsync<JsonElement>("/danh-ba/tim?q=nguyen%20van");
        var entry = Assert.Single(found.EnumerateArray());
        Assert.Equal("Nguyễn Văn An", entry.GetProperty("name").GetString());
        Assert.Equal(An, entry.GetProperty("address").GetString());
        Assert.Equal("Chuyên viên", entry.GetProperty("title").GetString());
        Assert.Equal("Sở Nội vụ", entry.GetProperty("unit").GetString());

        var binh = await an.Http.GetFromJsonAsync<JsonElement>("/danh-ba/tim?q=" + Uri.EscapeDataString("Bình"));
        Assert.Equal(Binh, Assert.Single(binh.EnumerateArray()).GetProperty("address").GetString());
        var disabled = await an.Http.GetFromJsonAsync<JsonElement>("/danh-ba/tim?q=dung");
        Assert.Empty(disabled.EnumerateArray());
        var byUnit = await an.Http.GetFromJsonAsync<JsonElement>("/danh-ba/tim?q=so+noi+vu");
        Assert.DoesNotContain(byUnit.EnumerateArray(), e => e.GetProperty("address").GetString()!.EndsWith("danang.gov.vn", StringComparison.Ordinal));
        Assert.Contains(byUnit.EnumerateArray(), e => e.GetProperty("address").GetString() == An);

        using var anonymous = site.Browser();
        var refused = await anonymous.Http.GetAsync("/danh-ba/tim?q=nguyen");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("https://localhost/dang-nhap", refused.Headers.Location?.ToString());
    }

    [Fact]
    public async Task New_mail_is_pushed_to_the_open_page_with_the_unread_counts()
    {
        await using var site = await StartAsync();
        var inbox = await site.MailboxAsync(An, MailboxRole.Inbox);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // a safety net: a missing event fails instead of hanging

        using var response = await an.Http.GetAsync("/thu/su-kien", HttpCompletionOption.ResponseHeadersRead, stop.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
        Assert.Equal("retry: 3000", await reader.ReadLineAsync(stop.Token));
        var m = new MimeMessage();
        m.From.Add(MailboxAddress.Parse("vanphong@tphcm.gov.vn"));
        m.To.Add(MailboxAddress.Parse(An));
        m.Subject = "Thư mới đến";
        m.Body = new TextPart("plain") { Text = "x" };
        await site.ReceiveAsync(An, m);

        string? line;
        while ((line = await reader.ReadLineAsync(stop.Token)) is not null && line != "event: mailbox") { }
        var data = (await reader.ReadLineAsync(stop.Token))!;
        Assert.StartsWith("data: ", data);
        using var json = JsonDocument.Parse(data["data: ".Length..]);
        var changed = Assert.Single(json.RootElement.GetProperty("changed").EnumerateArray());
        Assert.Equal(inbox.Id, changed.GetProperty("mailbox").GetInt64());
        Assert.Equal("MessagesAdded", changed.GetProperty("kind").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("unread").GetProperty(inbox.Id.ToString()).GetInt32());

        // The server stopping ends the stream instead of holding the shutdown.
        site.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().StopApplication();
        while (await reader.ReadLineAsync(stop.Token) is not null) { }

        using var anonymous = site.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.Http.GetAsync("/thu/su-kien")).StatusCode);
    }
}
