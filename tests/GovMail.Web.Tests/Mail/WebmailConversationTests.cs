using System.Net;
using System.Text.RegularExpressions;
using GovMail.Core.Mail;
using GovMail.Storage.Database;
using GovMail.Testing;
using GovMail.Web.Tests.Support;
using MimeKit;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Mail;

/// <summary>
/// The conversation view (xem theo hội thoại): one row per REFERENCES thread of the folder with its people, count, unread and
/// flag; filters, search and paging over conversations; actions on a row; the conversation page with the user's own reply
/// from Đã gửi; the choice remembered in a cookie.
/// </summary>
public sealed partial class WebmailConversationTests
{
    private static async Task<uint> ReceiveAsync(WebTestSite site, string fromName, string from, string subject, string id,
        string? parent = null, string body = "Nội dung.")
    {
        site.Database.Clock.Advance(TimeSpan.FromMinutes(1));
        var m = new MimeMessage { Date = site.Database.Clock.GetUtcNow() };
        m.From.Add(new MailboxAddress(fromName, from));
        m.To.Add(new MailboxAddress("Nguyễn Văn An", An));
        m.Subject = subject;
        m.MessageId = id;
        if (parent is not null)
        {
            m.InReplyTo = parent;
            m.References.Add(parent);
        }
        m.Body = new TextPart("plain") { Text = body };
        return await site.ReceiveAsync(An, m);
    }

    private static List<string> Rows(string html) => [.. RowPattern().Matches(html).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("<li class=\"message-row conversation-row[^\"]*\" id=\"c-([0-9]+)\"")]
    private static partial Regex RowPattern();

    [GeneratedRegex("<span class=\"from\">([^<]*)<span class=\"thread-count\"[^>]*> ([0-9]+)</span>")]
    private static partial Regex PeoplePattern();

    /// <summary>Chi writes, An replies from the web (into Đã gửi), Bình answers Chi; and an unrelated invitation.</summary>
    private static async Task<(uint First, uint Third, uint Invite, long Inbox, BrowserClient An)> ThreadAsync(WebTestSite site)
    {
        var first = await ReceiveAsync(site, "Lê Minh Chi", Chi, "Kế hoạch tuần", "kh-1@tphcm.gov.vn", body: "Gửi anh kế hoạch công tác tuần.");
        var inbox = (await site.MailboxAsync(An, MailboxRole.Inbox)).Id;
        var an = site.Browser();
        await an.SignInAsync(An, AnPassword);
        site.Database.Clock.Advance(TimeSpan.FromMinutes(1));
        var reply = await an.SubmitAsync($"/soan-thu?tra-loi={inbox}/{first}", [
            new("To", Chi), new("Subject", "Re: Kế hoạch tuần"), new("Body", "Tôi đồng ý với kế hoạch."),
            new("InReplyTo", "<kh-1@tphcm.gov.vn>"), new("References", "<kh-1@tphcm.gov.vn>"),
        ], "/soan-thu");
        Assert.Equal(HttpStatusCode.Redirect, reply.StatusCode);
        var third = await ReceiveAsync(site, "Trần Thị Bình", Binh, "Re: Kế hoạch tuần", "kh-3@tphcm.gov.vn", "<kh-1@tphcm.gov.vn>",
            "Em bổ sung lịch họp thứ Năm.");
        var invite = await ReceiveAsync(site, "Văn phòng UBND", "vanphong@tphcm.gov.vn", "Giấy mời họp giao ban", "gm-1@tphcm.gov.vn");
        return (first, third, invite, inbox, an);
    }

    [Fact]
    public async Task Each_messages_summary_is_read_once_and_a_new_message_alone_is_read_at_the_next_look()
    {
        await using var site = await StartAsync();
        var (_, third, invite, inbox, an) = await ThreadAsync(site);
        using var _ = an;
        using var summaries = await SqlReads.StartAsync(site.Database.Database, "\"Summary\"");

        var (_, first, _) = await an.GetAsync($"/thu/{inbox}?hoi-thoai=true");
        Assert.Equal([$"{invite}", $"{third}"], Rows(first));
        Assert.True(summaries.Count > 0);
        summaries.Reset();
        var (_, again, _) = await an.GetAsync($"/thu/{inbox}?hoi-thoai=true");
        Assert.Equal(Rows(first), Rows(again));
        Assert.Equal(0, summaries.Count);

        // Chi answers the invitation's thread: only the new message's summary is read, and it joins its conversation.
        var answer = await ReceiveAsync(site, "Lê Minh Chi", Chi, "Re: Giấy mời họp giao ban", "gm-2@tphcm.gov.vn", "<gm-1@tphcm.gov.vn>");
        summaries.Reset();
        var (_, after, _) = await an.GetAsync($"/thu/{inbox}?hoi-thoai=true");
        Assert.Equal([$"{answer}", $"{third}"], Rows(after));
        Assert.Equal(1, summaries.Count);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_list_shows_one_row_per_conversation_with_people_count_and_marks_and_filters_apply_to_conversations(DatabaseProvider provider)
    {
        await using var site = await StartAsync(provider);
        var (first, third, invite, inbox, an) = await ThreadAsync(site);
        using var _ = an;
        await an.SubmitAsync($"/thu/{inbox}", [new("thao-tac", "Flag"), new("uid", $"{invite}")]);
        await an.SubmitAsync($"/thu/{inbox}", [new("thao-tac", "Read"), new("uid", $"{first}"), new("uid", $"{invite}")]);

        var (status, html, _) = await an.GetAsync($"/thu/{inbox}?hoi-thoai=true");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([$"{invite}", $"{third}"], Rows(html));
        Assert.Contains("2 hội thoại", html);
        var people = PeoplePattern().Match(html);
        Assert.Equal("Chi, tôi, Bình", people.Groups[1].Value);
        Assert.Equal("3", people.Groups[2].Value);
        Assert.Contains($"class=\"message-row conversation-row unread\" id=\"c-{third}\"", html);
        Assert.Contains($"class=\"message-row conversation-row flagged\" id=\"c-{invite}\"", html);
        Assert.Contains($"href=\"/thu/{inbox}/hoi-thoai/{third}?tu=", html);
        Assert.Contains("Theo hội thoại", html);

        var (_, unread, _) = await an.GetAsync($"/thu/{inbox}?hoi-thoai=true&chua-doc=true");
        Assert.Equal([$"{third}"], Rows(unread));
        var (_, flagged, _) = await an.GetAsync($"/thu/{inbox}?hoi-thoai=true&co=true");
        Assert.Equal([$"{invite}"], Rows(flagged));
        // Only Bình's message speaks of "lịch họp thứ Năm": the whole conversation matches through it.
        var (_, found, _) = await an.GetAsync($"/thu/{inbox}?hoi-thoai=true&tim=thu+nam");
        Assert.Equal([$"{third}"], Rows(found));
        Assert.Contains("1 hội thoại tìm thấy", found);
        var (_, none, _) = await an.GetAsync($"/thu/{inbox}?hoi-thoai=true&tim=khong+co");
        Assert.Empty(Rows(none));

        // The Đã gửi list says whom each message went to.
        var sent = (await site.MailboxAsync(An, MailboxRole.Sent)).Id;
        var (_, sentList, _) = await an.GetAsync($"/thu/{sent}?hoi-thoai=false");
        Assert.Contains("<span class=\"from\">Đến: chi@tphcm.gov.vn</span>", sentList);
    }

    [Fact]
    public async Task Conversations_are_paged_newest_first()
    {
        await using var site = await StartAsync();
        for (var i = 1; i <= 27; i++) await ReceiveAsync(site, "Văn phòng", "vanphong@tphcm.gov.vn", $"Thông báo số {i:00}", $"tb-{i}@tphcm.gov.vn");
        await ReceiveAsync(site, "Văn phòng", "vanphong@tphcm.gov.vn", "Re: Thông báo số 01", "tb-28@tphcm.gov.vn", "<tb-1@tphcm.gov.vn>");
        var inbox = (await site.MailboxAsync(An, MailboxRole.Inbox)).Id;
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var (_, first, _) = await an.GetAsync($"/thu/{inbox}?hoi-thoai=true");
        Assert.Equal(25, Rows(first).Count);
        Assert.Equal("28", Rows(first)[0]);
        Assert.Contains("27 hội thoại", first);
        Assert.Contains($"href=\"/thu/{inbox}?hoi-thoai=true&amp;trang=2\"", first);
        var (_, second, _) = await an.GetAsync($"/thu/{inbox}?hoi-thoai=true&trang=2");
        Assert.Equal(["3", "2"], Rows(second));
    }

    [Fact]
    public async Task The_choice_is_remembered_in_a_cookie_until_turned_off()
    {
        await using var site = await StartAsync();
        var (_, third, _, inbox, an) = await ThreadAsync(site);
        using var _ = an;

        var (_, on, response) = await an.GetAsync($"/thu/{inbox}?hoi-thoai=true");
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("govmail-hoi-thoai=1", StringComparison.Ordinal));
        Assert.Contains($"href=\"/thu/{inbox}?hoi-thoai=false\" class=\"chip current\" id=\"by-conversation\"", on);
        var (_, remembered, _) = await an.GetAsync($"/thu/{inbox}");
        Assert.Equal(2, Rows(remembered).Count);
        var (_, off, _) = await an.GetAsync($"/thu/{inbox}?hoi-thoai=false");
        Assert.Empty(Rows(off));
        Assert.Contains($"id=\"m-{third}\"", off);
        var (_, stillOff, _) = await an.GetAsync($"/thu/{inbox}");
        Assert.Empty(Rows(stillOff));
        Assert.Contains($"href=\"/thu/{inbox}?hoi-thoai=true\" class=\"chip \" id=\"by-conversation\"", stillOff);

        await an.GetAsync("/ngon-ngu/en?tro-ve=/");
        var (_, english, _) = await an.GetAsync($"/thu/{inbox}?hoi-thoai=true");
        Assert.Contains("By conversation", english);
        Assert.Contains("2 conversations", english);
        Assert.Contains("Chi, me, Bình", english);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_conversation_page_shows_the_thread_with_the_sent_reply_newest_open_and_marks_it_read(DatabaseProvider provider)
    {
        await using var site = await StartAsync(provider);
        var (first, third, _, inbox, an) = await ThreadAsync(site);
        using var _ = an;
        var sent = (await site.MailboxAsync(An, MailboxRole.Sent)).Id;
        var reply = Assert.Single(await site.ListAsync(An, MailboxRole.Sent)).Uid;

        var (status, html, _) = await an.GetAsync($"/thu/{inbox}/hoi-thoai/{first}");

        Assert.Equal(HttpStatusCode.OK, status);
        var order = Regex.Matches(html, "<details class=\"conversation-message\" id=\"cm-([0-9]+)-([0-9]+)\"( open=\"open\")?")
            .Select(m => (long.Parse(m.Groups[1].Value), uint.Parse(m.Groups[2].Value), m.Groups[3].Success)).ToList();
        Assert.Equal([(inbox, first, false), (sent, reply, false), (inbox, third, true)], order);
        Assert.Contains("Tôi đồng ý với kế hoạch.", html);
        Assert.Contains("3 thư", html);
        Assert.Contains($"/thu/{sent}/{reply}/noi-dung", html);
        var flags = (await site.ListAsync(An, MailboxRole.Inbox)).ToDictionary(m => m.Uid, m => m.Flags);
        Assert.True((flags[first] & MessageFlags.Seen) != 0 && (flags[third] & MessageFlags.Seen) != 0);
        Assert.Contains($"id=\"back\" href=\"/thu/{inbox}\"", html);
    }

    [Fact]
    public async Task An_action_on_a_conversation_row_acts_on_all_its_messages_in_the_folder()
    {
        await using var site = await StartAsync();
        var (first, third, invite, inbox, an) = await ThreadAsync(site);
        using var _ = an;

        var flag = await an.SubmitAsync($"/thu/{inbox}", [new("thao-tac", "Flag"), new("hoi-thoai", $"{third}"), new("tro-ve", $"/thu/{inbox}?hoi-thoai=true")]);
        Assert.Equal($"/thu/{inbox}?hoi-thoai=true", flag.Headers.Location?.OriginalString);
        var flags = (await site.ListAsync(An, MailboxRole.Inbox)).ToDictionary(m => m.Uid, m => m.Flags);
        Assert.True((flags[first] & MessageFlags.Flagged) != 0 && (flags[third] & MessageFlags.Flagged) != 0);
        Assert.True((flags[invite] & MessageFlags.Flagged) == 0);
        Assert.True((Assert.Single(await site.ListAsync(An, MailboxRole.Sent)).Flags & MessageFlags.Flagged) == 0);

        await an.SubmitAsync($"/thu/{inbox}", [new("thao-tac", "Delete"), new("hoi-thoai", $"{first}")]);
        Assert.Equal([invite], (await site.ListAsync(An, MailboxRole.Inbox)).Select(m => m.Uid));
        Assert.Equal(2, (await site.ListAsync(An, MailboxRole.Trash)).Count);
        Assert.Single(await site.ListAsync(An, MailboxRole.Sent));
    }

    [Fact]
    public async Task A_conversation_that_does_not_exist_or_is_another_users_is_not_found()
    {
        await using var site = await StartAsync();
        var (first, _, _, inbox, an) = await ThreadAsync(site);
        using var _ = an;
        var chiInbox = (await site.MailboxAsync(Chi, MailboxRole.Inbox)).Id;

        Assert.Equal(HttpStatusCode.NotFound, (await an.GetAsync($"/thu/{inbox}/hoi-thoai/9999")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await an.GetAsync($"/thu/{inbox}/hoi-thoai/0")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await an.GetAsync($"/thu/{chiInbox}/hoi-thoai/{first}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await an.GetAsync($"/thu/{inbox}/hoi-thoai/99999999999")).Status);
        var (status, html, _) = await an.GetAsync($"/thu/{inbox}?hoi-thoai=khong");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(Rows(html));
        Assert.Contains($"id=\"m-{first}\"", html);
    }
}
