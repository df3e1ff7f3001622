using System.Text;
using GovMail.Smtp.Tests.Support;
using GovMail.Storage.Directory;
using MimeKit;
using static GovMail.Smtp.Tests.Integration.SmtpHostTestBed;

namespace GovMail.Smtp.Tests.Integration;

/// <summary>
/// The DSN parameters of RFC 3461 given over the wire come back in the notice (RFC 3464): ENVID as Original-Envelope-Id,
/// each recipient's ORCPT (xtext decoded) as Original-Recipient, and NOTIFY=NEVER silences it.
/// </summary>
public sealed class DsnParameterTests
{
    private static async Task<string> ReplyTo(RawSmtpClient client, string command)
    {
        await client.SendAsync(command + "\r\n");
        return await client.ReadReplyAsync();
    }

    private static async Task SendLetterAsync(RawSmtpClient client, string mailFrom, string rcptTo, string subject)
    {
        Assert.StartsWith("250 ", await ReplyTo(client, mailFrom));
        Assert.StartsWith("250 ", await ReplyTo(client, rcptTo));
        Assert.StartsWith("354 ", await ReplyTo(client, "DATA"));
        Assert.StartsWith("250 ", await ReplyTo(client,
            $"From: <x@example.org>\r\nSubject: {subject}\r\nMessage-ID: <dsn-{subject.Length}@client.example>\r\n\r\nNội dung.\r\n."));
    }

    [Fact]
    public async Task A_bounce_from_the_relay_carries_the_orcpt_and_envid_given_at_submission()
    {
        await using var bed = await StartAsync();
        const string unknown = "khong.ton.tai@hanoi.gov.vn";
        bed.Sink.RcptReply = (_, address) => address == unknown ? "550 5.1.1 User unknown" : null;
        await using (var client = await RawSmtpClient.ConnectAsync(bed.Submission))
        {
            await client.GreetAsync();
            Assert.StartsWith("220 ", await ReplyTo(client, "STARTTLS"));
            await client.StartTlsAsync();
            Assert.StartsWith("250-", await ReplyTo(client, "EHLO client.example"));
            var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{An}\0{Password}"));
            Assert.StartsWith("235 ", await ReplyTo(client, "AUTH PLAIN " + plain));
            await SendLetterAsync(client, $"MAIL FROM:<{An}> RET=HDRS ENVID=CV+2B2026/15",
                $"RCPT TO:<{unknown}> NOTIFY=FAILURE ORCPT=rfc822;vanthu+2Bso@hanoi.gov.vn", "Công văn số 15");
        }

        await bed.Relay.RunOnceAsync();

        var bounce = Assert.Single(await bed.InboxAsync(An));
        var report = Assert.IsType<MultipartReport>((await MimeMessage.LoadAsync(new MemoryStream(bounce.Blob))).Body);
        var status = Assert.IsType<MessageDeliveryStatus>(report[1]);
        Assert.Equal("CV+2026/15", status.StatusGroups[0]["Original-Envelope-Id"]);
        var recipient = Assert.Single(status.StatusGroups, g => g.Contains("Final-Recipient"));
        Assert.Equal("rfc822; vanthu+so@hanoi.gov.vn", recipient["Original-Recipient"]);
        Assert.Equal("rfc822; " + unknown, recipient["Final-Recipient"]);
    }

    [Fact]
    public async Task A_notice_about_a_full_group_member_carries_the_orcpt_and_envid_given_over_mx()
    {
        await using var bed = await StartAsync();
        Assert.True((await bed.Accounts.UpdateAsync(Cuong, new AccountUpdate { QuotaBytes = 10 }, Actor)).IsOk);
        await using (var client = await RawSmtpClient.ConnectAsync(bed.Mx))
        {
            await client.GreetAsync();
            await SendLetterAsync(client, $"MAIL FROM:<{OutsideSender}> ENVID=QD-77",
                $"RCPT TO:<{OfficeGroup}> ORCPT=rfc822;van+2Dphong@tphcm.gov.vn", "Quyết định 77");
        }

        var queued = Assert.Single(await bed.OutboundAsync());
        var notice = await MimeMessage.LoadAsync(new MemoryStream(await bed.ReadBlobAsync(queued.BlobKey)));
        var status = Assert.IsType<MessageDeliveryStatus>(Assert.IsType<MultipartReport>(notice.Body)[1]);
        Assert.Equal("QD-77", status.StatusGroups[0]["Original-Envelope-Id"]);
        var member = Assert.Single(status.StatusGroups, g => g.Contains("Final-Recipient"));
        Assert.Equal("rfc822; van-phong@tphcm.gov.vn", member["Original-Recipient"]);
        Assert.Equal("rfc822; " + Cuong, member["Final-Recipient"]);
    }

    [Fact]
    public async Task Notify_never_on_the_group_leaves_the_sender_untold()
    {
        await using var bed = await StartAsync();
        Assert.True((await bed.Accounts.UpdateAsync(Cuong, new AccountUpdate { QuotaBytes = 10 }, Actor)).IsOk);
        await using (var client = await RawSmtpClient.ConnectAsync(bed.Mx))
        {
            await client.GreetAsync();
            await SendLetterAsync(client, $"MAIL FROM:<{OutsideSender}>", $"RCPT TO:<{OfficeGroup}> NOTIFY=NEVER", "Không cần báo");
        }

        Assert.Single(await bed.InboxAsync(An));
        Assert.Empty(await bed.InboxAsync(Cuong));
        Assert.Empty(await bed.OutboundAsync());
    }
}
