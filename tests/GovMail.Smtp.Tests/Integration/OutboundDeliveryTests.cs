using System.Text;
using GovMail.Core.Mail;
using GovMail.Smtp.Tests.Support;
using GovMail.Storage.Directory;
using GovMail.Storage.Mail;
using MimeKit;
using static GovMail.Smtp.Tests.Integration.SmtpHostTestBed;

namespace GovMail.Smtp.Tests.Integration;

/// <summary>Mail for other domains: submitted on 587, queued durably, then relayed by the outbound relay to a loopback sink.</summary>
public sealed class OutboundDeliveryTests
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private static string Received(string id, string? forRecipient) =>
        "Received: from client.example ([127.0.0.1])\r\n" +
        $"\tby {HostName} (GovMail) with ESMTPSA id {id}" + (forRecipient is null ? "" : $"\r\n\tfor <{forRecipient}>") +
        $"; {StartDate}\r\n";

    [Fact]
    public async Task Submission_to_another_domain_is_queued_then_relayed_after_the_sinks_temporary_refusal()
    {
        await using var bed = await StartAsync();
        bed.Sink.RcptReply = (connection, _) => connection == 1 ? "451 4.7.1 Greylisted, please try again later" : null;
        var letter = Letter(An, RemoteRecipient, "Công văn gửi Hà Nội", "Kính gửi Sở Thông tin và Truyền thông Hà Nội.\r\n");
        letter.Cc.Add(MailboxAddress.Parse(Binh));

        string id;
        using (var client = await bed.LogInAsync(An))
            id = QueuedId(await client.SendAsync(letter));

        // The colleague on the same domain has it at once; the other domain's copy waits in the queue.
        Assert.Single(await bed.InboxAsync(Binh));
        var queued = Assert.Single(await bed.OutboundAsync());
        Assert.Equal(OutboundState.Queued, queued.State);
        Assert.Equal(An, queued.MailFrom);
        Assert.Equal([RemoteRecipient], queued.Recipients.Select(r => r.Address));
        var expected = Encoding.UTF8.GetBytes(Received(id, forRecipient: null)).Concat(WireBytes(letter)).ToArray();
        Assert.Equal(expected, await bed.ReadBlobAsync(queued.BlobKey));

        Assert.Equal(1, await bed.Relay.RunOnceAsync());
        var waiting = Assert.Single(await bed.OutboundAsync());
        Assert.Equal(OutboundState.Queued, waiting.State);
        Assert.Equal(1, waiting.Attempts);
        Assert.Contains("451 4.7.1 Greylisted", waiting.Recipients.Single().LastReply);
        Assert.Empty(bed.Sink.Messages);

        bed.Clock.SetUtcNow(waiting.NextAttemptAt);
        Assert.Equal(1, await bed.Relay.RunOnceAsync());

        var delivered = Assert.Single(await bed.OutboundAsync());
        Assert.Equal(OutboundState.Delivered, delivered.State);
        var relayed = Assert.Single(bed.Sink.Messages);
        Assert.Equal(2, relayed.Connection);
        Assert.Equal(An, relayed.MailFrom);
        Assert.Equal([RemoteRecipient], relayed.Recipients);
        Assert.Equal(expected, relayed.Data);
        Assert.False(bed.Blobs.Exists(queued.BlobKey));
        Assert.Empty(await bed.InboxAsync(An));
    }

    [Fact]
    public async Task A_queued_message_wakes_the_running_relay_without_waiting_for_its_poll()
    {
        await using var bed = await StartAsync();
        // The clock never moves, so only the wake-up from delivery can start a pass after the first.
        bed.RelayOptions.PollInterval = TimeSpan.FromHours(1);
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => bed.Relay.RunAsync(stop.Token));
        try
        {
            using var client = await bed.LogInAsync(An);
            await client.SendAsync(Letter(An, RemoteRecipient, "Gửi ngay", "Không chờ.\r\n"));

            using var timeout = new CancellationTokenSource(WaitLimit);
            while (bed.Sink.Messages.IsEmpty) await Task.Delay(50, timeout.Token);
            Assert.Equal([RemoteRecipient], Assert.Single(bed.Sink.Messages).Recipients);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    [Fact]
    public async Task Permanent_refusal_files_a_bounce_in_the_senders_inbox()
    {
        await using var bed = await StartAsync();
        const string unknown = "khong.ton.tai@hanoi.gov.vn";
        bed.Sink.RcptReply = (_, address) => address == unknown ? $"550 5.1.1 <{unknown}>: Recipient address rejected: User unknown" : null;
        var letter = Letter(An, unknown, "Báo cáo quý II", "Nội dung báo cáo.\r\n");

        using (var client = await bed.LogInAsync(An))
            await client.SendAsync(letter);
        await bed.Relay.RunOnceAsync();

        var failed = Assert.Single(await bed.OutboundAsync());
        Assert.Equal(OutboundState.Failed, failed.State);
        Assert.Empty(bed.Sink.Messages);
        var bounce = Assert.Single(await bed.InboxAsync(An));
        Assert.Equal(1u, bounce.Uid);
        Assert.StartsWith("Return-Path: <>\r\n", bounce.Text);
        Assert.Equal($"MAILER-DAEMON@{Domain}", bounce.Message.FromAddress);
        Assert.StartsWith("Thư không gửi được / Undelivered mail: Báo cáo quý II", bounce.Message.Subject);

        var notice = await MimeMessage.LoadAsync(new MemoryStream(bounce.Blob));
        Assert.Equal(letter.MessageId, notice.InReplyTo);
        var report = Assert.IsType<MultipartReport>(notice.Body);
        Assert.Equal("delivery-status", report.ReportType);
        var status = Assert.IsType<MessageDeliveryStatus>(report[1]);
        var recipient = status.StatusGroups[1];
        Assert.Equal("rfc822; " + unknown, recipient["Final-Recipient"]);
        Assert.Equal("failed", recipient["Action"]);
        Assert.Equal("5.1.1", recipient["Status"]);
        Assert.False(bed.Blobs.Exists(failed.BlobKey));
    }

    [Fact]
    public async Task A_bounce_filed_for_a_local_sender_is_announced_to_the_sessions_idling_on_the_inbox()
    {
        await using var bed = await StartAsync();
        const string unknown = "khong.ton.tai@hanoi.gov.vn";
        bed.Sink.RcptReply = (_, address) => address == unknown ? "550 5.1.1 User unknown" : null;
        var idle = new HeardChanges();
        using var subscription = bed.Notifications.Subscribe(await bed.MailboxIdAsync(An), idle);

        using (var client = await bed.LogInAsync(An))
            await client.SendAsync(Letter(An, unknown, "Báo cáo quý III", "Nội dung.\r\n"));
        Assert.Empty(idle.Changes);
        await bed.Relay.RunOnceAsync();

        Assert.Single(await bed.InboxAsync(An));
        var heard = Assert.Single(idle.Changes);
        Assert.Equal(MailboxChangeKind.MessagesAdded, heard.Kind);
        Assert.True(heard.ModSeq > 0);
    }

    [Fact]
    public async Task A_notice_about_a_full_group_member_reaches_the_local_sender_and_is_announced()
    {
        await using var bed = await StartAsync();
        Assert.True((await bed.Accounts.UpdateAsync(Binh, new AccountUpdate { QuotaBytes = 10 }, Actor)).IsOk);
        var idle = new HeardChanges();
        using var subscription = bed.Notifications.Subscribe(await bed.MailboxIdAsync(An), idle);

        using (var client = await bed.LogInAsync(An))
            await client.SendAsync(Letter(An, OfficeGroup, "Họp chi bộ", "Kính mời các đồng chí.\r\n"));

        var inbox = await bed.InboxAsync(An);
        Assert.Equal(2, inbox.Count);
        var notice = Assert.Single(inbox, c => c.Message.FromAddress == $"MAILER-DAEMON@{Domain}");
        Assert.StartsWith("Return-Path: <>\r\n", notice.Text);
        Assert.Contains(Binh, notice.Text);
        Assert.Equal(2, idle.Changes.Count(c => c.Kind == MailboxChangeKind.MessagesAdded));
        Assert.Single(await bed.InboxAsync(Cuong));
        Assert.Empty(await bed.InboxAsync(Binh));
        Assert.Empty(await bed.OutboundAsync());
    }
}
