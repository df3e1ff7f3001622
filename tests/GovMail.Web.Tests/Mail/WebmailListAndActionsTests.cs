using System.Net;
using System.Text.RegularExpressions;
using GovMail.Core.Mail;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using GovMail.Web.Mail;
using GovMail.Web.Tests.Support;
using MimeKit;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Mail;

/// <summary>The message list (sort, filters, search with folding, paging) and the actions on one message or a selection.</summary>
public sealed partial class WebmailListAndActionsTests
{
    private static async Task<uint> ReceiveAsync(WebTestSite site, string to, string fromName, string from, string subject, string body)
    {
        var m = new MimeMessage();
        m.From.Add(new MailboxAddress(fromName, from));
        m.To.Add(MailboxAddress.Parse(to));
        m.Subject = subject;
        m.Body = new TextPart("plain") { Text = body };
        return await site.ReceiveAsync(to, m);
    }

    private static List<string> Subjects(string html) =>
        [.. SubjectPattern().Matches(html).Select(m => WebUtility.HtmlDecode(TagPattern().Replace(m.Groups[1].Value, "")).Trim())];

    [GeneratedRegex("<span class=\"subject\">(.*?)</span>\\s*<span class=\"preview\">", RegexOptions.Singleline)]
    private static partial Regex SubjectPattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Search_folds_vietnamese_diacritics_and_sort_and_filters_order_the_list(DatabaseProvider provider)
    {
        await using var site = await StartAsync(provider);
        await ReceiveAsync(site, An, "Phòng Tài chính", "taichinh@tphcm.gov.vn", "Công văn số 15 về ngân sách", "Đề nghị rà soát ngân sách quý I.");
        var invite = await ReceiveAsync(site, An, "Văn phòng UBND", "vanphong@tphcm.gov.vn", "Giấy mời họp giao ban", "Kính mời đồng chí dự họp; kèm công văn hướng dẫn.");
        await ReceiveAsync(site, An, "Ban Tuyên giáo", "tuyengiao@tphcm.gov.vn", "Bản tin tuần", new string('x', 5000) + " tin tức");
        var inbox = await site.MailboxAsync(An, MailboxRole.Inbox);
        await new MailStore(site.Database.Database, site.Database.Clock).StoreFlagsAsync(inbox.Id, [invite],
            new FlagChange(FlagOperation.Add, MessageFlags.Flagged, []), null);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var (_, folded, _) = await an.GetAsync($"/thu/{inbox.Id}?tim=cong+van");
        Assert.Equal(["Giấy mời họp giao ban", "Công văn số 15 về ngân sách"], Subjects(folded));
        Assert.Contains("2 thư tìm thấy", folded);
        var (_, upper, _) = await an.GetAsync($"/thu/{inbox.Id}?tim=" + Uri.EscapeDataString("CÔNG VĂN SỐ"));
        Assert.Equal(["Công văn số 15 về ngân sách"], Subjects(upper));
        var (_, bySender, _) = await an.GetAsync($"/thu/{inbox.Id}?tim=tai+chinh");
        Assert.Equal(["Công văn số 15 về ngân sách"], Subjects(bySender));
        var (_, nothing, _) = await an.GetAsync($"/thu/{inbox.Id}?tim=khong+co+dau");
        Assert.Contains("Không tìm thấy thư nào phù hợp.", nothing);

        var (_, subjectAsc, _) = await an.GetAsync($"/thu/{inbox.Id}?sap-xep=tieu-de&tang=true");
        Assert.Equal(["Bản tin tuần", "Công văn số 15 về ngân sách", "Giấy mời họp giao ban"], Subjects(subjectAsc));
        var (_, sizeDesc, _) = await an.GetAsync($"/thu/{inbox.Id}?sap-xep=kich-thuoc");
        Assert.Equal("Bản tin tuần", Subjects(sizeDesc)[0]);
        var (_, senderAsc, _) = await an.GetAsync($"/thu/{inbox.Id}?sap-xep=nguoi-gui&tang=true");
        Assert.Equal(["Bản tin tuần", "Công văn số 15 về ngân sách", "Giấy mời họp giao ban"], Subjects(senderAsc));
        var (_, dateAsc, _) = await an.GetAsync($"/thu/{inbox.Id}?tang=true");
        Assert.Equal(["Công văn số 15 về ngân sách", "Giấy mời họp giao ban", "Bản tin tuần"], Subjects(dateAsc));

        var (_, flagged, _) = await an.GetAsync($"/thu/{inbox.Id}?co=true");
        Assert.Equal(["Giấy mời họp giao ban"], Subjects(flagged));
        Assert.Contains("class=\"message-row unread flagged\"", flagged);
        var (_, flaggedSearch, _) = await an.GetAsync($"/thu/{inbox.Id}?co=true&tim=ngan+sach");
        Assert.Empty(Subjects(flaggedSearch));
    }

    [Fact]
    public async Task Search_paging_keeps_the_search_and_many_matches_give_the_same_pages_as_few()
    {
        await using var site = await StartAsync();
        for (var i = 1; i <= 30; i++)
            await ReceiveAsync(site, An, "Văn phòng", "vanphong@tphcm.gov.vn", i % 3 == 0 ? $"Thông báo nghỉ lễ {i:00}" : $"Công văn số {i:00}", "Nội dung " + i);
        var inbox = await site.MailboxAsync(An, MailboxRole.Inbox);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var (_, first, _) = await an.GetAsync($"/thu/{inbox.Id}?tim=cong+van");
        Assert.Equal(20, Subjects(first).Count);
        Assert.DoesNotContain("Trang 1/2", first);
        for (var i = 31; i <= 40; i++) await ReceiveAsync(site, An, "Văn phòng", "vanphong@tphcm.gov.vn", $"Công văn số {i:00}", "x");
        (_, first, _) = await an.GetAsync($"/thu/{inbox.Id}?tim=cong+van&sap-xep=tieu-de&tang=true");
        Assert.Contains("Trang 1/2", first);
        Assert.Contains("href=\"/thu/" + inbox.Id + "?sap-xep=tieu-de&amp;tang=true&amp;tim=cong%20van&amp;trang=2\"", first);
        var (_, second, _) = await an.GetAsync($"/thu/{inbox.Id}?sap-xep=tieu-de&tang=true&tim=cong%20van&trang=2");
        Assert.Equal(["Công văn số 36", "Công văn số 37", "Công văn số 38", "Công văn số 39", "Công văn số 40"], Subjects(second));

        // Above the limit the matches are filtered in memory instead of in the query: same answer.
        var small = new MessageList(site.Database.Database, site.Queries) { MaxMatchesInQuery = 2 };
        var large = new MessageList(site.Database.Database, site.Queries);
        foreach (var sort in Enum.GetValues<MessageSort>())
            foreach (var ascending in new[] { true, false })
            {
                var request = new MessageListRequest(sort, ascending, false, false, "công văn", 25, 25);
                var a = await small.ListAsync(inbox.Id, request, default);
                var b = await large.ListAsync(inbox.Id, request, default);
                Assert.Equal(b.Total, a.Total);
                Assert.Equal(b.Items.Select(i => i.Uid), a.Items.Select(i => i.Uid));
            }
    }

    [Fact]
    public async Task Actions_on_a_selection_mark_flag_move_and_delete_and_are_published_on_the_bus()
    {
        await using var site = await StartAsync();
        var one = await ReceiveAsync(site, An, "Văn phòng", "vanphong@tphcm.gov.vn", "Thư một", "1");
        var two = await ReceiveAsync(site, An, "Văn phòng", "vanphong@tphcm.gov.vn", "Thư hai", "2");
        var three = await ReceiveAsync(site, An, "Văn phòng", "vanphong@tphcm.gov.vn", "Thư ba", "3");
        var inbox = await site.MailboxAsync(An, MailboxRole.Inbox);
        var archive = await site.MailboxAsync(An, MailboxRole.Archive);
        var trash = await site.MailboxAsync(An, MailboxRole.Trash);
        var heard = new Heard();
        using var inboxSubscription = site.Notifications.Subscribe(inbox.Id, heard);
        using var archiveSubscription = site.Notifications.Subscribe(archive.Id, heard);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);
        var list = $"/thu/{inbox.Id}";

        var read = await an.SubmitAsync(list, [new("thao-tac", "Read"), new("uid", $"{one}"), new("uid", $"{two}"), new("tro-ve", list + "?co=true")]);
        Assert.Equal(list + "?co=true", read.Headers.Location?.OriginalString);
        var flags = (await site.ListAsync(An, MailboxRole.Inbox)).ToDictionary(m => m.Uid, m => m.Flags);
        Assert.True((flags[one] & MessageFlags.Seen) != 0 && (flags[two] & MessageFlags.Seen) != 0 && (flags[three] & MessageFlags.Seen) == 0);
        Assert.Contains(heard.Changes, c => c.MailboxId == inbox.Id && c.Kind == MailboxChangeKind.FlagsChanged);

        await an.SubmitAsync(list, [new("thao-tac", "Flag"), new("uid", $"{three}")]);
        await an.SubmitAsync(list, [new("thao-tac", "Unread"), new("uid", $"{one}")]);
        flags = (await site.ListAsync(An, MailboxRole.Inbox)).ToDictionary(m => m.Uid, m => m.Flags);
        Assert.True((flags[three] & MessageFlags.Flagged) != 0);
        Assert.True((flags[one] & MessageFlags.Seen) == 0);
        await an.SubmitAsync(list, [new("thao-tac", "Unflag"), new("uid", $"{three}")]);
        Assert.True((Assert.Single(await site.ListAsync(An, MailboxRole.Inbox), m => m.Uid == three).Flags & MessageFlags.Flagged) == 0);

        await an.SubmitAsync(list, [new("thao-tac", "Move"), new("den", $"{archive.Id}"), new("uid", $"{one}"), new("uid", $"{two}")]);
        Assert.Equal(["Thư ba"], (await site.ListAsync(An, MailboxRole.Inbox)).Select(m => m.Subject));
        Assert.Equal(["Thư hai", "Thư một"], (await site.ListAsync(An, MailboxRole.Archive)).Select(m => m.Subject));
        Assert.Contains(heard.Changes, c => c.MailboxId == inbox.Id && c.Kind == MailboxChangeKind.MessagesExpunged);
        Assert.Contains(heard.Changes, c => c.MailboxId == archive.Id && c.Kind == MailboxChangeKind.MessagesAdded);

        await an.SubmitAsync(list, [new("thao-tac", "Delete"), new("uid", $"{three}")]);
        Assert.Empty(await site.ListAsync(An, MailboxRole.Inbox));
        var inTrash = Assert.Single(await site.ListAsync(An, MailboxRole.Trash));
        await an.SubmitAsync($"/thu/{trash.Id}", [new("thao-tac", "Delete"), new("uid", $"{inTrash.Uid}")]);
        Assert.Empty(await site.ListAsync(An, MailboxRole.Trash));

        var bad = await an.SubmitAsync($"/thu/{archive.Id}", [new("thao-tac", "Explode"), new("uid", "1")]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var numeric = await an.SubmitAsync($"/thu/{archive.Id}", [new("thao-tac", "5"), new("uid", "1")]);
        Assert.Equal(HttpStatusCode.BadRequest, numeric.StatusCode);
        var elsewhere = await an.SubmitAsync($"/thu/{archive.Id}", [new("thao-tac", "Read"), new("uid", "1"), new("tro-ve", "//evil.example/")]);
        Assert.Equal($"/thu/{archive.Id}", elsewhere.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_reading_page_flags_moves_and_goes_to_the_neighbouring_messages()
    {
        await using var site = await StartAsync();
        var older = await ReceiveAsync(site, An, "Văn phòng", "vanphong@tphcm.gov.vn", "Cũ", "1");
        var middle = await ReceiveAsync(site, An, "Văn phòng", "vanphong@tphcm.gov.vn", "Giữa", "2");
        var newer = await ReceiveAsync(site, An, "Văn phòng", "vanphong@tphcm.gov.vn", "Mới", "3");
        var inbox = await site.MailboxAsync(An, MailboxRole.Inbox);
        var archive = await site.MailboxAsync(An, MailboxRole.Archive);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);
        var page = $"/thu/{inbox.Id}/{middle}";

        var (_, html, _) = await an.GetAsync(page);
        Assert.Contains($"id=\"next-message\" href=\"/thu/{inbox.Id}/{older}\"", html);
        Assert.Contains($"id=\"prev-message\" href=\"/thu/{inbox.Id}/{newer}\"", html);
        Assert.Contains("id=\"reply-all\"", html);
        Assert.Contains("id=\"forward\"", html);

        var flagged = await an.SubmitAsync(page, [new("thao-tac", "Flag")], page + "?handler=Action");
        Assert.Equal(page, flagged.Headers.Location?.OriginalString);
        Assert.True((Assert.Single(await site.ListAsync(An, MailboxRole.Inbox), m => m.Uid == middle).Flags & MessageFlags.Flagged) != 0);
        (_, html, _) = await an.GetAsync(page);
        Assert.Contains("value=\"Unflag\"", html);

        var back = $"/thu/{inbox.Id}?sap-xep=tieu-de";
        var moved = await an.SubmitAsync(page, [new("thao-tac", "Move"), new("den", $"{archive.Id}")], page + "?handler=Action&tu=" + Uri.EscapeDataString(back));
        Assert.Equal(back, moved.Headers.Location?.OriginalString);
        Assert.Equal(["Giữa"], (await site.ListAsync(An, MailboxRole.Archive)).Select(m => m.Subject));
    }

    [Fact]
    public async Task Posts_without_the_antiforgery_token_are_refused()
    {
        await using var site = await StartAsync();
        var uid = await ReceiveAsync(site, An, "Văn phòng", "vanphong@tphcm.gov.vn", "Thư", "1");
        var inbox = await site.MailboxAsync(An, MailboxRole.Inbox);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var list = await an.Http.PostAsync($"/thu/{inbox.Id}", new FormUrlEncodedContent([new("thao-tac", "Delete"), new("uid", $"{uid}")]));
        var message = await an.Http.PostAsync($"/thu/{inbox.Id}/{uid}?handler=Action", new FormUrlEncodedContent([new("thao-tac", "Flag")]));
        var draft = await an.Http.PostAsync("/soan-thu?handler=Draft", new FormUrlEncodedContent([new("To", Chi), new("Subject", "x")]));

        Assert.Equal(HttpStatusCode.BadRequest, list.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, message.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, draft.StatusCode);
        var row = Assert.Single(await site.ListAsync(An, MailboxRole.Inbox));
        Assert.Equal(MessageFlags.None, row.Flags & (MessageFlags.Flagged | MessageFlags.Deleted));
        Assert.Empty(await site.ListAsync(An, MailboxRole.Drafts));
    }

    [Fact]
    public async Task Another_accounts_folders_and_messages_are_not_found_for_actions_compose_and_drafts()
    {
        await using var site = await StartAsync();
        var chiUid = await ReceiveAsync(site, Chi, "Văn phòng", "vanphong@tphcm.gov.vn", "Riêng của Chi", "bí mật");
        var anUid = await ReceiveAsync(site, An, "Văn phòng", "vanphong@tphcm.gov.vn", "Của An", "1");
        var chiInbox = await site.MailboxAsync(Chi, MailboxRole.Inbox);
        var anInbox = await site.MailboxAsync(An, MailboxRole.Inbox);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);
        var token = BrowserClient.Token((await an.GetAsync($"/thu/{anInbox.Id}")).Html)!;

        var onChi = await an.Http.PostAsync($"/thu/{chiInbox.Id}", new FormUrlEncodedContent([new("thao-tac", "Delete"), new("uid", $"{chiUid}"), new("__xsrf", token)]));
        var toChi = await an.Http.PostAsync($"/thu/{anInbox.Id}", new FormUrlEncodedContent([
            new("thao-tac", "Move"), new("den", $"{chiInbox.Id}"), new("uid", $"{anUid}"), new("__xsrf", token)]));
        Assert.Equal(HttpStatusCode.NotFound, onChi.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, toChi.StatusCode);
        Assert.Single(await site.ListAsync(Chi, MailboxRole.Inbox));
        Assert.Single(await site.ListAsync(An, MailboxRole.Inbox));

        Assert.Equal(HttpStatusCode.NotFound, (await an.GetAsync($"/soan-thu?chuyen-tiep={chiInbox.Id}/{chiUid}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await an.GetAsync($"/soan-thu?tra-loi-tat-ca={chiInbox.Id}/{chiUid}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await an.GetAsync($"/soan-thu?nhap={chiUid}")).Status);

        // Naming Chi's message as the source of attachments sends nothing and carries nothing.
        var stolen = await an.SubmitAsync("/soan-thu", [
            new("To", Chi), new("Subject", "Lấy tệp"), new("Body", "x"), new("AttachFrom", $"{chiInbox.Id}/{chiUid}"), new("Keep", "0")]);
        Assert.Contains("Không còn tìm thấy thư gốc", await stolen.Content.ReadAsStringAsync());
        Assert.Empty(await site.ListAsync(An, MailboxRole.Sent));
        Assert.Empty(await site.ListAsync(Chi, MailboxRole.Drafts));
    }

    private sealed class Heard : IMailboxListener
    {
        private readonly Lock _lock = new();
        private readonly List<MailboxChange> _changes = [];

        public IReadOnlyList<MailboxChange> Changes
        {
            get { lock (_lock) return [.. _changes]; }
        }

        public void OnMailboxChanged(in MailboxChange change)
        {
            lock (_lock) _changes.Add(change);
        }
    }
}
