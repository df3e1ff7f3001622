using GovMail.Cli.Tests.Support;
using GovMail.Core.Mail;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace GovMail.Cli.Tests;

/// <summary>
/// Seed 004 on the command line: <c>report registrations</c> and <c>report public-webmail</c> on a fixture mailbox, scoped by
/// <c>--as</c>; forwarding to gmail refused.
/// </summary>
public sealed class OfficialUseCommandTests
{
    private const string Tam = "lvtam@tphcm.gov.vn";

    [Fact]
    public async Task Report_registrations_lists_mail_from_social_networks_and_banks_per_agency()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", Tam, "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật")).Ok();
        var database = new GovMailDatabase(DatabaseSettings.SqliteIn(data.Path));
        Guid id;
        await using (var db = database.Open()) id = (await db.Accounts.SingleAsync(a => a.Address == Tam)).Id;
        var mail = new LocalMail(database, new FileBlobStore(Path.Combine(data.Path, "blobs")), data.Clock);
        foreach (var (from, subject) in new[] { ("notification@facebookmail.com", "Chào mừng bạn đến với Facebook"), ("vanthu@hanoi.gov.vn", "Giấy mời") })
        {
            var m = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = "…" } };
            m.From.Add(MailboxAddress.Parse(from));
            m.To.Add(MailboxAddress.Parse(Tam));
            await mail.FileAsync(m, [new DeliveryTarget(id, Tam)], default);
        }

        var report = (await data.RunAsync("report", "registrations", "--format", "json")).Ok().Json;

        var agency = Assert.Single(report.GetProperty("agencies").EnumerateArray());
        Assert.Equal("Sở Văn hóa và Thể thao", agency.GetProperty("agency").GetString());
        var message = Assert.Single(agency.GetProperty("messages").EnumerateArray());
        Assert.Equal((Tam, "facebookmail.com"), (message.GetProperty("address").GetString(), message.GetProperty("senderDomain").GetString()));
        Assert.Contains("Tổng cộng 1 hộp thư, 1 thư.", (await data.RunAsync("report", "registrations")).Ok().Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_public_webmail_lists_sent_official_mail_giving_a_gmail_contact_per_agency_within_the_scope()
    {
        const string Hai = "nvhai@tphcm.gov.vn";
        const string TourismAdmin = "vp.sdl@tphcm.gov.vn";
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("unit", "add", "Sở Du lịch")).Ok();
        (await data.RunAsync("account", "add", Tam, "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật")).Ok();
        (await data.RunAsync("account", "add", Hai, "--name", "Nguyễn Văn Hải", "--unit", "Sở Du lịch")).Ok();
        (await data.RunAsync("account", "add", TourismAdmin, "--name", "Văn phòng Sở Du lịch", "--unit", "Sở Du lịch")).Ok();
        (await data.RunAsync("admin", "grant", TourismAdmin, "--role", "agency-administrator", "--unit", "Sở Du lịch")).Ok();
        var database = new GovMailDatabase(DatabaseSettings.SqliteIn(data.Path));
        var mail = new LocalMail(database, new FileBlobStore(Path.Combine(data.Path, "blobs")), data.Clock);
        foreach (var (from, subject, text) in new[]
                 {
                     (Tam, "Kế hoạch biểu diễn", "Gửi các phòng kế hoạch.\n--\nLê Văn Tám – email: levantam.nt@gmail.com"),
                     (Tam, "Giấy mời", "Kính mời dự họp.\n--\nLê Văn Tám – lvtam@tphcm.gov.vn"),
                     (Hai, "Lịch công tác", "Liên hệ: hai_sdl@yahoo.com"),
                 })
        {
            Guid id;
            await using (var db = database.Open()) id = (await db.Accounts.SingleAsync(a => a.Address == from)).Id;
            var m = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = text } };
            m.From.Add(MailboxAddress.Parse(from));
            m.To.Add(MailboxAddress.Parse("vanthu@hanoi.gov.vn"));
            await mail.FileAsync(m, [new DeliveryTarget(id, from) { Role = MailboxRole.Sent, RecordAs = null }], default);
        }

        var report = (await data.RunAsync("report", "public-webmail", "--format", "json")).Ok().Json;

        var agencies = report.GetProperty("agencies").EnumerateArray().ToList();
        Assert.Equal(["Sở Du lịch", "Sở Văn hóa và Thể thao"], agencies.Select(a => a.GetProperty("agency").GetString()));
        var tam = Assert.Single(agencies[1].GetProperty("messages").EnumerateArray());
        Assert.Equal((Tam, "Sở Văn hóa và Thể thao / Phòng Nghệ thuật", "levantam.nt@gmail.com", "Kế hoạch biểu diễn"),
            (tam.GetProperty("address").GetString(), tam.GetProperty("unit").GetString(), tam.GetProperty("publicAddress").GetString(),
                tam.GetProperty("subject").GetString()));
        Assert.Contains("Tổng cộng 2 hộp thư, 2 địa chỉ thư điện tử công cộng", (await data.RunAsync("report", "public-webmail")).Ok().Out,
            StringComparison.Ordinal);

        // An agency administrator sees their agency's and is refused another's.
        var own = (await data.RunAsync("report", "public-webmail", "--agency", "Sở Du lịch", "--as", TourismAdmin, "--json")).Ok().Json;
        Assert.Equal("hai_sdl@yahoo.com", Assert.Single(Assert.Single(own.GetProperty("agencies").EnumerateArray())
            .GetProperty("messages").EnumerateArray()).GetProperty("publicAddress").GetString());
        (await data.RunAsync("report", "public-webmail", "--agency", "Sở Văn hóa và Thể thao", "--as", TourismAdmin)).Refused(1);
        (await data.RunAsync("report", "public-webmail", "--as", TourismAdmin)).Refused(1);
        (await data.RunAsync("report", "public-webmail", "--format", "pdf")).Refused(2);
    }

    [Fact]
    public async Task Forwarding_to_gmail_is_refused_with_a_clear_message()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", Tam, "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật")).Ok();

        var refused = (await data.RunAsync("account", "retire", Tam, "--forward-to", "lvtam1970@gmail.com")).Refused(1);

        Assert.Contains("Không được tự động chuyển tiếp thư công vụ đến hộp thư công cộng lvtam1970@gmail.com", refused.Err, StringComparison.Ordinal);
    }
}
