using System.Text;
using GovMail.Core.Directory;
using GovMail.Core.Mail;
using GovMail.Smtp.Dkim;
using GovMail.Smtp.Inbound;
using GovMail.Smtp.Tests.Integration;
using GovMail.Smtp.Tests.Support;
using GovMail.Storage.Directory;
using MailKit.Net.Smtp;
using MimeKit;
using static GovMail.Smtp.Tests.Integration.SmtpHostTestBed;

namespace GovMail.Smtp.Tests.Inbound;

/// <summary>
/// SPF, DKIM and DMARC on the real server over loopback: what lands in the store (and where) for mail from
/// <c>svhtt.hanoi.gov.vn</c>, whose records the test DNS publishes, and what is refused.
/// </summary>
public sealed class InboundCheckTests : IDisposable
{
    private const string SenderDomain = "svhtt.hanoi.gov.vn";
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "govmail-inbound-keys-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_keys)) Directory.Delete(_keys, recursive: true);
    }

    /// <summary>The sender's domain allows loopback (where the test client is) by SPF and publishes <paramref name="dmarc"/> at its organisation.</summary>
    private static void PublishSender(SmtpHostTestBed bed, string spf = "v=spf1 ip4:127.0.0.0/8 ip6:::1 -all", string dmarc = "v=DMARC1; p=reject")
    {
        bed.Dns.Txt(SenderDomain, spf).Txt("_dmarc.hanoi.gov.vn", dmarc);
    }

    /// <summary>A letter from the sender, signed with its DKIM key (published in the test DNS), as bytes off the wire.</summary>
    private MimeMessage SignedLetter(SmtpHostTestBed bed, string subject = "Giấy mời họp")
    {
        var store = DkimKeyStore.In(_keys);
        var (key, _) = store.Create(SenderDomain, "govmail");
        bed.Dns.Publish(key.Record());
        var letter = Letter(OutsideSender, Binh, subject, "Kính mời đồng chí dự họp.\r\n");
        Assert.Equal(SenderDomain, new DkimMessageSigner(store).Sign(FormatOptions.Default, letter));
        return MimeMessage.Load(new MemoryStream(WireBytes(letter)));
    }

    private static async Task<string> SendOverMxAsync(SmtpHostTestBed bed, MimeMessage letter)
    {
        using var client = await bed.ConnectAsync(SmtpListenerKind.Mx);
        var reply = await client.SendAsync(letter);
        await client.DisconnectAsync(quit: true);
        return reply;
    }

    [Fact]
    public async Task Mail_passing_spf_dkim_and_dmarc_is_stored_with_authentication_results_on_top()
    {
        await using var bed = await StartAsync();
        PublishSender(bed);
        var letter = SignedLetter(bed);

        var id = QueuedId(await SendOverMxAsync(bed, letter));

        var copy = Assert.Single(await bed.InboxAsync(Binh));
        var signature = letter.Headers[HeaderId.DkimSignature]!;
        var b = DkimChecker.Tags(signature)["b"].Replace(" ", "", StringComparison.Ordinal)[..12];
        // A base64 '/' is a MIME tspecial, so such a prefix is written as a quoted-string (RFC 8601 value).
        if (b.Contains('/')) b = $"\"{b}\"";
        var expected =
            $"Return-Path: <{OutsideSender}>\r\n" +
            $"Authentication-Results: {HostName};\r\n" +
            $"\tspf=pass smtp.mailfrom={SenderDomain};\r\n" +
            $"\tdkim=pass header.d={SenderDomain} header.s=govmail header.b={b};\r\n" +
            $"\tdmarc=pass (p=reject) header.from={SenderDomain}\r\n" +
            "Received: from client.example ([127.0.0.1])\r\n" +
            $"\tby {HostName} (GovMail) with ESMTP id {id}\r\n\tfor <{Binh}>; {StartDate}\r\n";
        Assert.Equal(expected, copy.Text[..expected.Length]);
        Assert.Equal(WireBytes(letter), copy.Blob[Encoding.UTF8.GetByteCount(expected)..]);
        Assert.Empty(await bed.MailboxAsync(Binh, MailboxRole.Junk));
    }

    [Fact]
    public async Task Dmarc_reject_refuses_the_message_at_the_end_of_data_with_550_5_7_1_and_stores_nothing()
    {
        await using var bed = await StartAsync();
        // The connecting address is not the sender's and nothing is signed: DMARC fails, and the domain asks to reject.
        PublishSender(bed, spf: "v=spf1 ip4:192.0.2.0/24 -all");

        using var client = await bed.ConnectAsync(SmtpListenerKind.Mx);
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            client.SendAsync(Letter(OutsideSender, Binh, "Thư giả mạo", "Chuyển khoản gấp.\r\n")));

        Assert.Equal(SmtpStatusCode.MailboxUnavailable, refused.StatusCode);
        Assert.Contains($"fails the DMARC check of {SenderDomain}", refused.Message);
        Assert.Empty(await bed.InboxAsync(Binh));
        Assert.Empty(await bed.MailboxAsync(Binh, MailboxRole.Junk));
        Assert.Equal(0, await bed.MessageRowCountAsync());
        Assert.Equal(0, bed.BlobCount());
        // The session goes on: the next message of the same connection is judged on its own.
        await client.NoOpAsync();
    }

    [Fact]
    public async Task Dmarc_reject_after_the_last_bdat_chunk_is_550_5_7_1_in_plain_words()
    {
        await using var bed = await StartAsync();
        PublishSender(bed, spf: "v=spf1 -all");
        await using var raw = await RawSmtpClient.ConnectAsync(bed.Mx);
        await raw.GreetAsync();
        const string message = $"From: <{OutsideSender}>\r\nSubject: BDAT\r\n\r\nNoi dung.\r\n";

        await raw.CommandAsync($"MAIL FROM:<{OutsideSender}>", "250 2.1.0 Sender OK");
        await raw.CommandAsync($"RCPT TO:<{Binh}>", "250 2.1.5 Recipient OK");
        await raw.SendAsync($"BDAT {message.Length} LAST\r\n{message}");
        var reply = await raw.ReadReplyAsync();

        Assert.StartsWith($"550 5.7.1 Message refused: it fails the DMARC check of {SenderDomain}, whose owner asks for such mail to be rejected / Thu bi tu choi", reply);
        Assert.Equal(0, await bed.MessageRowCountAsync());
    }

    [Fact]
    public async Task Mail_from_outside_claiming_our_own_domain_is_refused_but_our_users_submission_skips_the_checks()
    {
        await using var bed = await StartAsync();
        bed.Dns.Txt(Domain, "v=spf1 -all").Txt("_dmarc." + Domain, "v=DMARC1; p=reject");

        using (var mx = await bed.ConnectAsync(SmtpListenerKind.Mx))
        {
            var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => mx.SendAsync(Letter(An, Binh, "Giả danh", "?\r\n")));
            Assert.Equal(SmtpStatusCode.MailboxUnavailable, refused.StatusCode);
        }

        using (var submission = await bed.LogInAsync(An))
            await submission.SendAsync(Letter(An, Binh, "Thư thật", "Gửi từ cổng 587.\r\n"));

        var copy = Assert.Single(await bed.InboxAsync(Binh));
        Assert.Equal("Thư thật", copy.Message.Subject);
        Assert.DoesNotContain("Authentication-Results", copy.Text);
    }

    [Fact]
    public async Task Dmarc_quarantine_failure_lands_in_junk_not_inbox_and_goes_to_inbox_when_the_tenant_turns_quarantine_off()
    {
        await using var bed = await StartAsync();
        PublishSender(bed, spf: "v=spf1 ip4:192.0.2.0/24 ~all", dmarc: "v=DMARC1; p=quarantine");

        await SendOverMxAsync(bed, Letter(OutsideSender, Binh, "Đáng ngờ", "?\r\n"));

        Assert.Empty(await bed.InboxAsync(Binh));
        var junk = Assert.Single(await bed.MailboxAsync(Binh, MailboxRole.Junk));
        Assert.Contains("\tspf=softfail smtp.mailfrom=svhtt.hanoi.gov.vn;\r\n", junk.Text);
        Assert.Contains("\tdmarc=fail (p=quarantine) header.from=svhtt.hanoi.gov.vn\r\n", junk.Text);

        var off = await new TenantDirectory(bed.Database, bed.Clock, Core.Security.PasswordHasher.Default)
            .UpdatePolicyAsync(new PolicyChange { InboundQuarantine = InboundQuarantine.Off }, Actor);
        Assert.True(off.IsOk, off.Problem?.ToString());
        await SendOverMxAsync(bed, Letter(OutsideSender, Binh, "Đáng ngờ lần hai", "?\r\n"));

        Assert.Equal("Đáng ngờ lần hai", Assert.Single(await bed.InboxAsync(Binh)).Message.Subject);
        Assert.Single(await bed.MailboxAsync(Binh, MailboxRole.Junk));
    }

    [Fact]
    public async Task Spf_hard_fail_goes_to_junk_only_when_the_tenant_quarantines_spf_failures_too()
    {
        await using var bed = await StartAsync();
        // No DMARC record: only SPF speaks.
        bed.Dns.Txt(SenderDomain, "v=spf1 ip4:192.0.2.0/24 -all");

        await SendOverMxAsync(bed, Letter(OutsideSender, Binh, "Lần một", "?\r\n"));
        Assert.Contains("\tspf=fail smtp.mailfrom=svhtt.hanoi.gov.vn;\r\n", Assert.Single(await bed.InboxAsync(Binh)).Text);

        var strict = await new TenantDirectory(bed.Database, bed.Clock, Core.Security.PasswordHasher.Default)
            .UpdatePolicyAsync(new PolicyChange { InboundQuarantine = InboundQuarantine.DmarcAndSpf }, Actor);
        Assert.True(strict.IsOk, strict.Problem?.ToString());
        await SendOverMxAsync(bed, Letter(OutsideSender, Binh, "Lần hai", "?\r\n"));

        Assert.Equal("Lần hai", Assert.Single(await bed.MailboxAsync(Binh, MailboxRole.Junk)).Message.Subject);
        Assert.Single(await bed.InboxAsync(Binh));
    }

    [Fact]
    public async Task Authentication_results_forged_in_our_name_are_renamed_and_others_are_kept()
    {
        await using var bed = await StartAsync();
        PublishSender(bed, dmarc: "v=DMARC1; p=none");
        var original =
            $"Authentication-Results: {HostName.ToUpperInvariant()}; spf=pass smtp.mailfrom=tphcm.gov.vn; dmarc=pass\r\n" +
            "Authentication-Results: mx.hanoi.gov.vn; spf=pass smtp.mailfrom=svhtt.hanoi.gov.vn\r\n" +
            $"authentication-results: (forged) {HostName};\r\n\tdkim=pass header.d=tphcm.gov.vn\r\n" +
            $"From: <{OutsideSender}>\r\nTo: <{Binh}>\r\nSubject: A-R\r\n\r\nBody.\r\n";

        await using (var raw = await RawSmtpClient.ConnectAsync(bed.Mx))
        {
            await raw.GreetAsync();
            await raw.CommandAsync($"MAIL FROM:<{OutsideSender}>", "250 2.1.0 Sender OK");
            await raw.CommandAsync($"RCPT TO:<{Binh}>", "250 2.1.5 Recipient OK");
            await raw.CommandAsync("DATA", "354 End data with <CR><LF>.<CR><LF>");
            await raw.SendAsync(original + ".\r\n");
            Assert.StartsWith("250 2.0.0", await raw.ReadReplyAsync());
        }

        var copy = Assert.Single(await bed.InboxAsync(Binh));
        var body = copy.Text[copy.Text.IndexOf("\r\n\tfor <", StringComparison.Ordinal)..];
        body = body[(body.IndexOf("\r\n", 2, StringComparison.Ordinal) + 2)..];
        var expected =
            $"X-Forged-Authentication-Results: {HostName.ToUpperInvariant()}; spf=pass smtp.mailfrom=tphcm.gov.vn; dmarc=pass\r\n" +
            "Authentication-Results: mx.hanoi.gov.vn; spf=pass smtp.mailfrom=svhtt.hanoi.gov.vn\r\n" +
            $"X-Forged-Authentication-Results: (forged) {HostName};\r\n\tdkim=pass header.d=tphcm.gov.vn\r\n" +
            $"From: <{OutsideSender}>\r\nTo: <{Binh}>\r\nSubject: A-R\r\n\r\nBody.\r\n";
        Assert.Equal(expected, body);
        Assert.StartsWith($"Return-Path: <{OutsideSender}>\r\nAuthentication-Results: {HostName};\r\n\tspf=pass", copy.Text);
        Assert.Equal(copy.Blob.Length, copy.Message.Size);
        Assert.Empty(Directory.EnumerateFiles(bed.Server.Options.SpoolDirectory));
    }

    [Fact]
    public async Task Dns_failure_is_temperror_and_the_message_is_still_delivered()
    {
        await using var bed = await StartAsync();
        bed.Dns.Fail(SenderDomain).Fail("_dmarc." + SenderDomain);

        await SendOverMxAsync(bed, Letter(OutsideSender, Binh, "DNS hỏng", "?\r\n"));

        var copy = Assert.Single(await bed.InboxAsync(Binh));
        Assert.Contains("\tspf=temperror smtp.mailfrom=svhtt.hanoi.gov.vn;\r\n", copy.Text);
        Assert.Contains("\tdmarc=temperror header.from=svhtt.hanoi.gov.vn\r\n", copy.Text);
    }
}
