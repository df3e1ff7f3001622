using GovMail.Cli.Tests.Support;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace GovMail.Cli.Tests;

/// <summary>Seed 004 on the command line: <c>report registrations</c> on a fixture mailbox; forwarding to gmail refused.</summary>
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
    public async Task Forwarding_to_gmail_is_refused_with_a_clear_message()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", Tam, "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật")).Ok();

        var refused = (await data.RunAsync("account", "retire", Tam, "--forward-to", "lvtam1970@gmail.com")).Refused(1);

        Assert.Contains("Không được tự động chuyển tiếp thư công vụ đến hộp thư công cộng lvtam1970@gmail.com", refused.Err, StringComparison.Ordinal);
    }
}
