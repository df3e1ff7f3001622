using GovMail.Core.Mail;
using GovMail.Core.Security;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Mail;

namespace GovMail.Storage.Tests.Mail;

/// <summary>Seed 004 on a fixture mailbox: official mail that gives a gmail or yahoo address as contact is listed per agency.</summary>
public abstract class PublicWebmailMailTests(DatabaseProvider provider) : OfficialUseMailboxTest(provider)
{
    private DateTimeOffset _secondDay;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await FileAsync(Thinh, MailboxRole.Sent, Thinh, "vanthu@hanoi.gov.vn", "Báo cáo tháng 11",
            Plain("Kính gửi Văn thư,\nGửi kèm báo cáo.\n--\nLê Đức Thịnh\nĐT 0918 595 098 – Email: LeDucThinh.VHTT@Gmail.com"));
        Test.Clock.Advance(TimeSpan.FromDays(1));
        _secondDay = Test.Clock.GetUtcNow();
        // A reply to a citizen writing from gmail: their address is the correspondent and in the quote, not Thịnh's contact.
        await FileAsync(Thinh, MailboxRole.Sent, Thinh, "congdan.a@gmail.com", "Re: Hỏi về thủ tục",
            Plain("Chào anh, thủ tục đã có trên cổng dịch vụ công.\n\nVào 30/11/2026, Công dân A <congdan.a@gmail.com> đã viết:\n> Xin hỏi thủ tục"));
        await FileAsync(Thinh, MailboxRole.Sent, Thinh, "phongvh@tphcm.gov.vn", "Lịch họp",
            Html("<p>Lịch họp tuần sau.</p><p>Liên hệ: <a href=\"mailto:thinh_ld@yahoo.com.vn\">thinh_ld@yahoo.com.vn</a></p>"));
        await FileAsync(Hai, MailboxRole.Sent, Hai, "vanthu@hanoi.gov.vn", "Kế hoạch du lịch", Plain("Liên hệ nvhai@tphcm.gov.vn."));
        // Mail Hải received, not sent: a gmail address in it says nothing of Hải's.
        await FileAsync(Hai, MailboxRole.Inbox, "ban.b@gmail.com", Hai, "Hỏi thăm", Plain("Liên hệ ban.b@gmail.com"));
    }

    [Fact]
    public async Task Sent_mail_giving_a_public_webmail_contact_is_reported_with_official_unit_agency_and_address()
    {
        var rows = await new PublicWebmailMail(Database).ListAsync(OfficialUse.PublicMailDomains.ToList(), null, null);

        Assert.Equal(
            [
                (Culture, Thinh, "leducthinh.vhtt@gmail.com", "Báo cáo tháng 11"),
                (Culture, Thinh, "thinh_ld@yahoo.com.vn", "Lịch họp"),
            ],
            rows.Select(r => (r.Agency, r.Address, r.PublicAddress, r.Subject)).ToList());
        Assert.All(rows, r => Assert.Equal(("Lê Đức Thịnh", Culture), (r.DisplayName, r.UnitPath)));
    }

    [Fact]
    public async Task In_html_only_mail_the_quoted_authors_address_is_not_the_senders_contact_and_the_senders_own_still_is()
    {
        // Gmail: the attribution and the quote sit in <div class="gmail_quote">; Hải's own signature above it gives his gmail.
        await FileAsync(Hai, MailboxRole.Sent, Hai, "vanthu@hanoi.gov.vn", "Fwd: Hỏi về tour",
            Html("<div dir=\"ltr\">Chuyển Văn thư xử lý.<div>--</div><div>Nguyễn Văn Hải – nvhai.dulich@gmail.com</div></div><br>"
                + "<div class=\"gmail_quote gmail_quote_container\"><div dir=\"ltr\" class=\"gmail_attr\">Le lun. 30 nov. 2026, Khách B a écrit&nbsp;:<br></div>"
                + "<blockquote class=\"gmail_quote\" style=\"margin:0px 0px 0px 0.8ex\"><div dir=\"ltr\">Xin hỏi giá tour.<div>Khách B<br>khach.b@gmail.com</div></div>"
                + "</blockquote></div>"));
        // Thunderbird: <blockquote type="cite"> after a "viết:" line the reply-header rule does not know.
        await FileAsync(Hai, MailboxRole.Sent, Hai, "vanthu@hanoi.gov.vn", "Re: Đoàn khảo sát",
            Html("<html><body><p>Đã nhận, cảm ơn chị.</p>\r\n<div class=\"moz-cite-prefix\">30/11/2026 09:00, Trần Thị C viết:<br></div>\r\n"
                + "<blockquote type=\"cite\" cite=\"mid:abc@hanoi.gov.vn\">Gửi anh lịch đoàn.<br>\r\nMọi việc liên hệ em qua tranthic.hn@yahoo.com<br>"
                + "<blockquote type=\"cite\">Liên hệ cũ: doan.ks@outlook.com</blockquote>Trân trọng.</blockquote></body></html>"));
        // Outlook on the web: no blockquote, the quoted mail follows a "From:" block, the whole source on one line.
        await FileAsync(Hai, MailboxRole.Sent, Hai, "vanthu@hanoi.gov.vn", "RE: Báo giá",
            Html("<div>Đồng ý báo giá.</div><div id=\"appendonsend\"></div><hr style=\"display:inline-block;width:98%\">"
                + "<div id=\"divRplyFwdMsg\" dir=\"ltr\"><font face=\"Calibri\"><b>From:</b> Công ty D &lt;congty.d@hotmail.com&gt;<br><b>Sent:</b> Monday</font></div>"
                + "<div>Kính gửi Sở, báo giá đính kèm. Liên hệ congty.d@hotmail.com</div>"));

        var rows = await new PublicWebmailMail(Database).ListAsync(OfficialUse.PublicMailDomains.ToList(), null,
            UnitTree.Subtree((await Units.ResolveAsync(Tourism)).Value!.Id, (await Units.ListAsync()).Select(n => n.Unit)));

        Assert.Equal([("nvhai.dulich@gmail.com", "Fwd: Hỏi về tour")], rows.Select(r => (r.PublicAddress, r.Subject)).ToList());
    }

    [Fact]
    public async Task The_report_keeps_to_the_units_and_the_days_asked()
    {
        var report = new PublicWebmailMail(Database);

        var since = await report.ListAsync(OfficialUse.PublicMailDomains.ToList(), _secondDay, null);
        Assert.Equal(["thinh_ld@yahoo.com.vn"], since.Select(r => r.PublicAddress));
        var tourism = UnitTree.Subtree((await Units.ResolveAsync(Tourism)).Value!.Id, (await Units.ListAsync()).Select(n => n.Unit));
        Assert.Empty(await report.ListAsync(OfficialUse.PublicMailDomains.ToList(), null, tourism));
        Assert.Equal(["thinh_ld@yahoo.com.vn"], (await report.ListAsync(["yahoo.com.vn"], null, null)).Select(r => r.PublicAddress));
    }
}

public sealed class PublicWebmailMailTestsOnSqlite() : PublicWebmailMailTests(DatabaseProvider.Sqlite);

public sealed class PublicWebmailMailTestsOnPostgres() : PublicWebmailMailTests(DatabaseProvider.Postgres);
