using System.Text;
using GovMail.Core.Mail;
using GovMail.Smtp.Outbound;
using MimeKit;

namespace GovMail.Smtp.Tests.Outbound;

/// <summary>The relay against a loopback SMTP sink: retries, results per recipient, DKIM, TLS and the sender's notices.</summary>
public sealed class OutboundRelayTests : IAsyncLifetime
{
    private RelayTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await RelayTestBed.CreateAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Temporary_refusal_is_retried_after_the_back_off_and_the_message_arrives_once_byte_exact()
    {
        _bed.Dkim.Create(RelayTestBed.Domain, "govmail");
        _bed.Sink.RcptReply = (connection, _) => connection == 1 ? "451 4.7.1 Greylisted, please try again later" : null;
        var queued = await _bed.EnqueueLetterAsync();
        var relay = _bed.NewRelay();

        Assert.Equal(1, await relay.RunOnceAsync());
        var waiting = await _bed.ReloadAsync(queued.Id);
        Assert.Equal(OutboundState.Queued, waiting.State);
        Assert.Equal(1, waiting.Attempts);
        Assert.Equal(RelayTestBed.Start + TimeSpan.FromMinutes(5), waiting.NextAttemptAt);
        Assert.Contains("451 4.7.1 Greylisted", waiting.Recipients.Single().LastReply);
        Assert.Empty(_bed.Sink.Messages);

        // Not due yet: nothing happens until the clock reaches the next attempt.
        Assert.Equal(0, await relay.RunOnceAsync());
        Assert.Equal(1, _bed.Sink.Connections);

        _bed.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, await relay.RunOnceAsync());
        Assert.Equal(0, await relay.RunOnceAsync());

        var delivered = await _bed.ReloadAsync(queued.Id);
        Assert.Equal(OutboundState.Delivered, delivered.State);
        Assert.Equal(OutboundState.Delivered, delivered.Recipients.Single().State);
        var received = Assert.Single(_bed.Sink.Messages);
        Assert.Equal(RelayTestBed.Sender, received.MailFrom);
        Assert.Equal([RelayTestBed.Recipient], received.Recipients);
        Assert.Contains("SMTPUTF8", received.MailParameters);
        Assert.Contains("BODY=8BITMIME", received.MailParameters);
        Assert.StartsWith("DKIM-Signature:", received.Text);
        Assert.Equal(Encoding.UTF8.GetBytes(RelayTestBed.Letter), WithoutFirstHeader(received.Data));
        Assert.False(_bed.Blobs.Exists(queued.BlobKey));
        Assert.Empty(await _bed.InboxAsync());
    }

    [Fact]
    public async Task Permanent_refusal_files_a_bilingual_notice_in_the_senders_inbox_for_that_recipient_only()
    {
        const string unknown = "khong.ton.tai@hanoi.gov.vn";
        _bed.Sink.RcptReply = (_, address) => address == unknown ? "550 5.1.1 <khong.ton.tai@hanoi.gov.vn>: Recipient address rejected: User unknown" : null;
        var queued = await _bed.EnqueueAsync(RelayTestBed.Letter, RelayTestBed.Sender, [(unknown, null), (RelayTestBed.Recipient, null)]);

        await _bed.NewRelay().RunOnceAsync();

        var done = await _bed.ReloadAsync(queued.Id);
        Assert.Equal(OutboundState.Failed, done.State);
        Assert.Equal(OutboundState.Failed, done.Recipients.Single(r => r.Address == unknown).State);
        Assert.Equal(OutboundState.Delivered, done.Recipients.Single(r => r.Address == RelayTestBed.Recipient).State);
        Assert.True(_bed.Sink.Messages.Count == 1, string.Join("\n", _bed.Sink.Commands));
        Assert.Equal([RelayTestBed.Recipient], Assert.Single(_bed.Sink.Messages).Recipients);
        Assert.False(_bed.Blobs.Exists(queued.BlobKey));

        var notice = Assert.Single(await _bed.InboxAsync());
        Assert.Equal("MAILER-DAEMON@tphcm.gov.vn", notice.From.Mailboxes.Single().Address);
        Assert.Equal("auto-replied", notice.Headers["Auto-Submitted"]);
        Assert.Equal("cv-123.2026@tphcm.gov.vn", notice.InReplyTo);
        Assert.StartsWith("Thư không gửi được / Undelivered mail: Công văn số 123", notice.Subject);
        var report = Assert.IsType<MultipartReport>(notice.Body);
        Assert.Equal("delivery-status", report.ReportType);

        var human = Assert.IsType<TextPart>(report[0]).Text;
        Assert.Contains("KHÔNG gửi được tới người nhận dưới đây", human);
        Assert.Contains("could NOT be delivered to the recipients below", human);
        Assert.Contains("Máy chủ nhận thư (127.0.0.1) trả lời: 550 5.1.1", human);
        Assert.Contains("The receiving server (127.0.0.1) said: 550 5.1.1", human);
        Assert.Contains(unknown, human);
        Assert.DoesNotContain(RelayTestBed.Recipient, human);
        Assert.True(human.IndexOf("Quý vị hãy kiểm tra", StringComparison.Ordinal) < human.IndexOf("Check the recipient", StringComparison.Ordinal),
            "Vietnamese comes first");

        var status = Assert.IsType<MessageDeliveryStatus>(report[1]);
        Assert.Equal("dns; mail.tphcm.gov.vn", status.StatusGroups[0]["Reporting-MTA"]);
        var recipient = Assert.Single(RecipientFields(status));
        Assert.Equal("rfc822; " + unknown, recipient["Final-Recipient"]);
        Assert.Equal("failed", recipient["Action"]);
        Assert.Equal("5.1.1", recipient["Status"]);
        Assert.Equal("dns; 127.0.0.1", recipient["Remote-MTA"]);
        Assert.StartsWith("smtp; 550 5.1.1 <khong.ton.tai@hanoi.gov.vn>", recipient["Diagnostic-Code"]);

        var headers = Assert.IsType<TextRfc822Headers>(report[2]);
        Assert.Equal("Công văn số 123/STTTT-VP về báo cáo quý II", headers.Message!.Subject);
    }

    [Fact]
    public async Task Message_undeliverable_for_five_days_fails_after_one_delay_notice_and_one_failure_notice()
    {
        _bed.Sink.RcptReply = (_, _) => "451 4.2.1 Mailbox temporarily unavailable";
        var queued = await _bed.EnqueueLetterAsync();

        var passes = await _bed.RunUntilSettledAsync(_bed.NewRelay(), queued.Id);

        var failed = await _bed.ReloadAsync(queued.Id);
        Assert.Equal(OutboundState.Failed, failed.State);
        Assert.Equal(passes, failed.Attempts);
        // 5, 10, 30 min, 1, 2, 4 h, then every 4 h: the last attempt is made right when the five days are over.
        Assert.Equal(RelayTestBed.Start + TimeSpan.FromDays(5), _bed.Clock.GetUtcNow());
        Assert.Equal(36, passes);
        Assert.NotNull(failed.DelayNotifiedAt);

        var notices = await _bed.InboxAsync();
        Assert.Equal(2, notices.Count);
        var delayed = Notice(notices[0]).Status;
        Assert.Equal("delayed", RecipientFields(delayed)[0]["Action"]);
        Assert.Equal("4.2.1", RecipientFields(delayed)[0]["Status"]);
        Assert.NotNull(RecipientFields(delayed)[0]["Will-Retry-Until"]);
        Assert.Contains("CHƯA gửi được", Notice(notices[0]).Human);
        Assert.StartsWith("Thư đang chậm gửi / Delayed mail", notices[0].Subject);

        var expired = Notice(notices[1]).Status;
        Assert.Equal("failed", RecipientFields(expired)[0]["Action"]);
        Assert.Equal("4.4.7", RecipientFields(expired)[0]["Status"]);
        Assert.StartsWith("smtp; 451 4.2.1", RecipientFields(expired)[0]["Diagnostic-Code"]);
        Assert.Contains("đã ngừng thử", Notice(notices[1]).Human);
        Assert.Empty(_bed.Sink.Messages);
        Assert.False(_bed.Blobs.Exists(queued.BlobKey));
    }

    [Fact]
    public async Task Notify_never_means_no_notice()
    {
        _bed.Sink.RcptReply = (_, _) => "550 5.1.1 User unknown";
        var queued = await _bed.EnqueueLetterAsync(notify: "NEVER");

        await _bed.NewRelay().RunOnceAsync();

        Assert.Equal(OutboundState.Failed, (await _bed.ReloadAsync(queued.Id)).State);
        Assert.Empty(await _bed.InboxAsync());
        Assert.Single(await _bed.Queue.ListAsync());
    }

    [Fact]
    public async Task Notify_failure_only_gets_no_delay_notice()
    {
        _bed.Sink.RcptReply = (_, _) => "452 4.2.2 Mailbox full";
        var queued = await _bed.EnqueueLetterAsync(notify: "FAILURE");

        await _bed.RunUntilSettledAsync(_bed.NewRelay(), queued.Id);

        var notice = Assert.Single(await _bed.InboxAsync());
        Assert.Equal("failed", RecipientFields(Notice(notice).Status)[0]["Action"]);
    }

    [Fact]
    public async Task A_bounce_is_never_bounced()
    {
        _bed.Sink.RcptReply = (_, _) => "550 5.7.1 Rejected";
        var bounce = await _bed.EnqueueAsync(RelayTestBed.Letter, "", [(RelayTestBed.Recipient, null)]);

        await _bed.NewRelay().RunOnceAsync();

        Assert.Equal(OutboundState.Failed, (await _bed.ReloadAsync(bounce.Id)).State);
        Assert.Empty(await _bed.InboxAsync());
        Assert.Equal([bounce.Id], (await _bed.Queue.ListAsync()).Select(m => m.Id));
    }

    [Fact]
    public async Task Notice_to_a_sender_on_another_domain_is_queued_with_an_empty_return_path()
    {
        const string remoteSender = "le.van.cuong@danang.gov.vn";
        _bed.Dkim.Create(RelayTestBed.Domain, "govmail");
        _bed.Options.Transports["danang.gov.vn"] = _bed.Sink.Address;
        _bed.Sink.RcptReply = (_, address) => address == RelayTestBed.Recipient ? "550 5.1.1 User unknown" : null;
        var queued = await _bed.EnqueueAsync(RelayTestBed.Letter, remoteSender, [(RelayTestBed.Recipient, null)]);
        var relay = _bed.NewRelay();

        await relay.RunOnceAsync();
        Assert.Equal(OutboundState.Failed, (await _bed.ReloadAsync(queued.Id)).State);
        Assert.Empty(await _bed.InboxAsync());

        await relay.RunOnceAsync();
        var notice = Assert.Single(_bed.Sink.Messages);
        Assert.Equal("", notice.MailFrom);
        Assert.Equal([remoteSender], notice.Recipients);
        var parsed = MimeMessage.Load(new MemoryStream(notice.Data));
        Assert.Equal("delivery-status", Assert.IsType<MultipartReport>(parsed.Body).ReportType);
        Assert.StartsWith("DKIM-Signature:", notice.Text);
        Assert.Contains("d=tphcm.gov.vn", parsed.Headers[HeaderId.DkimSignature]);

        // The notice itself is delivered; nothing is left waiting.
        Assert.All(await _bed.Queue.ListAsync(), m => Assert.NotEqual(OutboundState.Queued, m.State));
    }

    [Fact]
    public async Task Return_full_attaches_the_whole_original_message()
    {
        _bed.Sink.RcptReply = (_, _) => "550 5.1.1 User unknown";
        await _bed.EnqueueAsync(RelayTestBed.Letter, RelayTestBed.Sender, [(RelayTestBed.Recipient, "FAILURE")], ret: "FULL", envelopeId: "CV+2B123");

        await _bed.NewRelay().RunOnceAsync();

        var report = Notice(Assert.Single(await _bed.InboxAsync())).Report;
        Assert.Equal("CV+123", Assert.IsType<MessageDeliveryStatus>(report[1]).StatusGroups[0]["Original-Envelope-Id"]);
        var original = Assert.IsType<MessagePart>(report[2]);
        Assert.IsNotType<TextRfc822Headers>(original);
        Assert.Contains("Đề nghị đồng chí gửi báo cáo", original.Message!.TextBody);
    }

    [Fact]
    public async Task Dsn_parameters_travel_on_to_a_server_that_supports_dsn()
    {
        _bed.Sink.OfferDsn = true;
        var queued = await _bed.Queue.EnqueueAsync(
            (await _bed.Blobs.PutAsync((s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes(RelayTestBed.Letter), ct).AsTask(), default)).Key,
            RelayTestBed.Letter.Length, RelayTestBed.Sender, null,
            [(RelayTestBed.Recipient, "SUCCESS,FAILURE", "rfc822;binh+40hanoi.gov.vn")], "HDRS", "CV123");

        await _bed.NewRelay().RunOnceAsync();

        Assert.Equal(OutboundState.Delivered, (await _bed.ReloadAsync(queued.Id)).State);
        var commands = _bed.Sink.Commands.ToList();
        var mail = Assert.Single(commands, c => c.StartsWith("MAIL FROM:", StringComparison.Ordinal));
        Assert.Contains("RET=HDRS", mail);
        Assert.Contains("ENVID=CV123", mail);
        var rcpt = Assert.Single(commands, c => c.StartsWith("RCPT TO:", StringComparison.Ordinal));
        Assert.Contains("NOTIFY=SUCCESS,FAILURE", rcpt);
        // The remote server reports success itself: no "relayed" notice from here.
        Assert.Empty(await _bed.InboxAsync());
    }

    [Fact]
    public async Task Success_asked_for_but_remote_without_dsn_gets_a_relayed_notice()
    {
        var queued = await _bed.EnqueueLetterAsync(notify: "SUCCESS");

        await _bed.NewRelay().RunOnceAsync();

        Assert.Equal(OutboundState.Delivered, (await _bed.ReloadAsync(queued.Id)).State);
        var notice = Assert.Single(await _bed.InboxAsync());
        var status = Notice(notice).Status;
        Assert.Equal("relayed", RecipientFields(status)[0]["Action"]);
        Assert.Equal("2.0.0", RecipientFields(status)[0]["Status"]);
    }

    [Fact]
    public async Task Starttls_is_used_when_offered_even_with_a_certificate_that_does_not_verify()
    {
        _bed.Sink.OfferStartTls = true;
        var queued = await _bed.EnqueueLetterAsync();

        await _bed.NewRelay().RunOnceAsync();

        Assert.Equal(OutboundState.Delivered, (await _bed.ReloadAsync(queued.Id)).State);
        Assert.True(Assert.Single(_bed.Sink.Messages).Tls);
        Assert.Contains(_bed.Logs.Entries, e => e.Message.Contains("does not verify", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Domains_without_a_transport_go_by_mx_and_a_null_mx_is_refused()
    {
        _bed.MailExchangers.Answers["danang.gov.vn"] = MailExchangers.Of("127.0.0.1");
        _bed.MailExchangers.Answers["khongnhanthu.vn"] = MailExchangers.Failed(MailExchangerStatus.NullMx);
        var queued = await _bed.EnqueueAsync(RelayTestBed.Letter, RelayTestBed.Sender,
            [("le.van.cuong@danang.gov.vn", null), ("ai.do@khongnhanthu.vn", null), ("x@khong-ton-tai.vn", null)]);

        await _bed.NewRelay().RunOnceAsync();

        var done = await _bed.ReloadAsync(queued.Id);
        Assert.Equal(OutboundState.Delivered, done.Recipients.Single(r => r.Address == "le.van.cuong@danang.gov.vn").State);
        Assert.Equal(["le.van.cuong@danang.gov.vn"], Assert.Single(_bed.Sink.Messages).Recipients);
        Assert.Equal(["danang.gov.vn", "khong-ton-tai.vn", "khongnhanthu.vn"], _bed.MailExchangers.Queries.Order());

        var status = Notice(Assert.Single(await _bed.InboxAsync())).Status;
        var nullMx = RecipientFields(status).Single(g => g["Final-Recipient"] == "rfc822; ai.do@khongnhanthu.vn");
        Assert.Equal("5.1.10", nullMx["Status"]);
        Assert.Null(nullMx["Diagnostic-Code"]);
        Assert.Equal("5.1.2", RecipientFields(status).Single(g => g["Final-Recipient"] == "rfc822; x@khong-ton-tai.vn")["Status"]);
    }

    [Fact]
    public async Task Unreachable_server_leaves_the_message_waiting()
    {
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        _bed.Options.Transports[RelayTestBed.RemoteDomain] = $"127.0.0.1:{port}";
        var queued = await _bed.EnqueueLetterAsync();

        await _bed.NewRelay().RunOnceAsync();

        var waiting = await _bed.ReloadAsync(queued.Id);
        Assert.Equal(OutboundState.Queued, waiting.State);
        Assert.StartsWith("4.4.1 ", waiting.Recipients.Single().LastReply);
        Assert.True(_bed.Blobs.Exists(queued.BlobKey));
    }

    [Fact]
    public async Task Message_claimed_by_a_relay_that_died_is_taken_over_when_its_lease_runs_out()
    {
        var queued = await _bed.EnqueueLetterAsync();
        Assert.Single(await _bed.Queue.ClaimDueAsync(10, _bed.Options.Lease));
        var relay = _bed.NewRelay();

        Assert.Equal(0, await relay.RunOnceAsync());
        _bed.Clock.Advance(_bed.Options.Lease);
        Assert.Equal(1, await relay.RunOnceAsync());

        Assert.Equal(OutboundState.Delivered, (await _bed.ReloadAsync(queued.Id)).State);
        Assert.Single(_bed.Sink.Messages);
    }

    [Fact]
    public async Task Running_relay_delivers_when_woken_without_waiting_for_the_poll()
    {
        var relay = _bed.NewRelay();
        using var stop = new CancellationTokenSource();
        var running = relay.RunAsync(stop.Token);
        await _bed.EnqueueLetterAsync();

        relay.Wake();

        // The fake clock never reaches the poll interval: only the wake-up can start the pass. The bound only stops a broken test.
        using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (_bed.Sink.Messages.IsEmpty) await Task.Delay(20, safety.Token);
        await stop.CancelAsync();
        await running;
        Assert.Single(_bed.Sink.Messages);
    }

    [Fact]
    public async Task Dropped_message_is_not_sent()
    {
        var queued = await _bed.EnqueueLetterAsync();
        Assert.True((await _bed.Queue.DropAsync(queued.Id.ToString("N"), "test")).IsOk);

        Assert.Equal(0, await _bed.NewRelay().RunOnceAsync());

        Assert.Empty(_bed.Sink.Messages);
        Assert.Equal(OutboundState.Dropped, (await _bed.ReloadAsync(queued.Id)).Recipients.Single().State);
    }

    [Fact]
    public async Task Address_with_a_vietnamese_local_part_fails_at_a_server_without_smtputf8()
    {
        _bed.Sink.OfferSmtpUtf8 = false;
        var queued = await _bed.EnqueueAsync(RelayTestBed.Letter, RelayTestBed.Sender, [("đông@hanoi.gov.vn", null), (RelayTestBed.Recipient, null)]);

        await _bed.NewRelay().RunOnceAsync();

        var done = await _bed.ReloadAsync(queued.Id);
        Assert.Equal(OutboundState.Failed, done.Recipients.Single(r => r.Address == "đông@hanoi.gov.vn").State);
        Assert.Equal([RelayTestBed.Recipient], Assert.Single(_bed.Sink.Messages).Recipients);
        var fields = Assert.Single(RecipientFields(Notice(Assert.Single(await _bed.InboxAsync())).Status));
        Assert.Equal("5.6.7", fields["Status"]);
    }

    /// <summary>The parts of a delivery status notice: the words for people, the fields for programs, the whole report.</summary>
    internal static (string Human, MessageDeliveryStatus Status, MultipartReport Report) Notice(MimeMessage notice)
    {
        var report = Assert.IsType<MultipartReport>(notice.Body);
        return (Assert.IsType<TextPart>(report[0]).Text, Assert.IsType<MessageDeliveryStatus>(report[1]), report);
    }

    /// <summary>The per-recipient field groups (MimeKit may read an empty group after the last one).</summary>
    internal static IReadOnlyList<HeaderList> RecipientFields(MessageDeliveryStatus status) =>
        status.StatusGroups.Skip(1).Where(g => g.Count > 0).ToList();

    /// <summary>The data without its first header field (the DKIM-Signature the relay put on top) and that field's folded lines.</summary>
    internal static byte[] WithoutFirstHeader(byte[] data)
    {
        var i = 0;
        while (true)
        {
            var end = Array.IndexOf(data, (byte)'\n', i) + 1;
            i = end;
            if (end >= data.Length || (data[end] != ' ' && data[end] != '\t')) return data[end..];
        }
    }
}
