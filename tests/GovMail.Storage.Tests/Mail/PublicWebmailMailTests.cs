using GovMail.Core.Mail;
using GovMail.Core.Security;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Mail;
using GovMail.Storage.Tests.Directory;
using MimeKit;

namespace GovMail.Storage.Tests.Mail;

/// <summary>Seed 004 on a fixture mailbox: official mail that gives a gmail or yahoo address as contact is listed per agency.</summary>
public abstract class PublicWebmailMailTests(DatabaseProvider provider) : DirectoryTest(provider)
{
    private const string Culture = "Sở Văn hóa và Thể thao";
    private const string Tourism = "Sở Du lịch";
    private const string Thinh = "ldthinh@tphcm.gov.vn";
    private const string Hai = "nvhai@tphcm.gov.vn";
    private DateTimeOffset _secondDay;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddUnitAsync(Culture);
        await AddUnitAsync(Tourism);
        await AddAccountAsync("Lê Đức Thịnh", Culture, Thinh);
        await AddAccountAsync("Nguyễn Văn Hải", Tourism, Hai);
        var blobs = new FileBlobStore(Path.Combine(Path.GetTempPath(), "govmail-tests", Guid.NewGuid().ToString("N")));
        var mail = new LocalMail(Database, blobs, Test.Clock);
        async Task FileAsync(string account, MailboxRole role, string from, string to, string subject, MimeEntity body)
        {
            var m = new MimeMessage { Subject = subject, Body = body };
            m.From.Add(MailboxAddress.Parse(from));
            m.To.Add(MailboxAddress.Parse(to));
            var owner = await StoredAsync(account);
            await mail.FileAsync(m, [new DeliveryTarget(owner.Id, owner.Address) { Role = role, RecordAs = null }], default);
        }
        static TextPart Plain(string text) => new("plain") { Text = text };

        await FileAsync(Thinh, MailboxRole.Sent, Thinh, "vanthu@hanoi.gov.vn", "Báo cáo tháng 11",
            Plain("Kính gửi Văn thư,\nGửi kèm báo cáo.\n--\nLê Đức Thịnh\nĐT 0918 595 098 – Email: LeDucThinh.VHTT@Gmail.com"));
        Test.Clock.Advance(TimeSpan.FromDays(1));
        _secondDay = Test.Clock.GetUtcNow();
        // A reply to a citizen writing from gmail: their address is the correspondent and in the quote, not Thịnh's contact.
        await FileAsync(Thinh, MailboxRole.Sent, Thinh, "congdan.a@gmail.com", "Re: Hỏi về thủ tục",
            Plain("Chào anh, thủ tục đã có trên cổng dịch vụ công.\n\nVào 30/11/2026, Công dân A <congdan.a@gmail.com> đã viết:\n> Xin hỏi thủ tục"));
        await FileAsync(Thinh, MailboxRole.Sent, Thinh, "phongvh@tphcm.gov.vn", "Lịch họp",
            new TextPart("html") { Text = "<p>Lịch họp tuần sau.</p><p>Liên hệ: <a href=\"mailto:thinh_ld@yahoo.com.vn\">thinh_ld@yahoo.com.vn</a></p>" });
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
