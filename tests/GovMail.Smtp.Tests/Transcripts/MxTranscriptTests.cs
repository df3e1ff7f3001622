using System.Text;
using GovMail.Smtp.Tests.Support;

namespace GovMail.Smtp.Tests.Transcripts;

public sealed class MxTranscriptTests
{
    [Fact]
    public async Task Mx_accepts_mail_for_a_local_user_and_hands_the_sink_the_exact_bytes()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.RecipientOk);
        await client.CommandAsync("DATA", Replies.StartData);
        const string message = "From: sender@example.org\r\nTo: an@govmail.test\r\nSubject: Hello\r\n\r\nBody line\r\n";
        await client.SendAsync(message + ".\r\n");
        await client.ExpectAsync(Replies.Delivered);
        await client.CommandAsync("QUIT", Replies.Closing);

        var delivered = server.Sink.Single();
        Assert.Equal(message, Encoding.UTF8.GetString(delivered.Content));
        Assert.Equal(Encoding.UTF8.GetByteCount(message), delivered.Size);
        var envelope = delivered.Envelope;
        Assert.Equal("sender@example.org", envelope.MailFrom);
        Assert.Equal(["an@govmail.test"], envelope.Recipients.Select(r => r.Address));
        Assert.Equal(SmtpListenerKind.Mx, envelope.Listener);
        Assert.Equal("client.example", envelope.HeloName);
        Assert.False(envelope.Tls);
        Assert.Null(envelope.AuthenticatedAs);
        Assert.Equal("127.0.0.1", envelope.RemoteAddress.ToString());
        Assert.Empty(Directory.GetFiles(server.SpoolDirectory));
    }

    [Fact]
    public async Task Mx_refuses_relaying_and_unknown_users_with_the_policy_reply()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<someone@example.com>", Replies.RelayDenied);
        await client.CommandAsync("RCPT TO:<nobody@govmail.test>", Replies.NoSuchUser);
        await client.CommandAsync("DATA", "554 5.5.1 No valid recipients / Khong co nguoi nhan hop le");
        Assert.Empty(server.Sink.Messages);
    }

    [Fact]
    public async Task Null_sender_and_postmaster_are_accepted()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        await client.CommandAsync("MAIL FROM:<>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<@relay.example.org:an@govmail.test>", Replies.RecipientOk);
        await client.CommandAsync("DATA", Replies.StartData);
        await client.SendAsync("Subject: bounce\r\n\r\n.\r\n");
        await client.ExpectAsync(Replies.Delivered);
        var envelope = server.Sink.Single().Envelope;
        Assert.Null(envelope.MailFrom);
        Assert.Equal("an@govmail.test", envelope.Recipients[0].Address);
    }

    [Fact]
    public async Task A_pipelined_transaction_gets_its_replies_in_order()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        await client.SendAsync(
            "MAIL FROM:<sender@example.org>\r\n" +
            "RCPT TO:<an@govmail.test>\r\n" +
            "RCPT TO:<nobody@govmail.test>\r\n" +
            "RCPT TO:<binh@govmail.test>\r\n" +
            "DATA\r\n");
        await client.ExpectAsync(Replies.SenderOk);
        await client.ExpectAsync(Replies.RecipientOk);
        await client.ExpectAsync(Replies.NoSuchUser);
        await client.ExpectAsync(Replies.RecipientOk);
        await client.ExpectAsync(Replies.StartData);
        await client.SendAsync("Subject: pipelined\r\n\r\nhi\r\n.\r\nNOOP\r\n");
        await client.ExpectAsync(Replies.Delivered);
        await client.ExpectAsync(Replies.Ok);

        Assert.Equal(["an@govmail.test", "binh@govmail.test"], server.Sink.Single().Envelope.Recipients.Select(r => r.Address));
    }

    [Fact]
    public async Task Dot_stuffed_lines_arrive_unstuffed_byte_for_byte_even_when_sent_one_byte_at_a_time()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.RecipientOk);
        await client.CommandAsync("DATA", Replies.StartData);
        const string onTheWire = "Subject: dots\r\n\r\n..leading dot\r\n...two dots\r\n..\r\nmiddle . dot\r\n.\r\n";
        foreach (var b in Encoding.ASCII.GetBytes(onTheWire)) await client.SendAsync([b]);
        await client.ExpectAsync(Replies.Delivered);

        Assert.Equal("Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nmiddle . dot\r\n", Encoding.ASCII.GetString(server.Sink.Single().Content));
    }

    [Fact]
    public async Task A_bare_LF_is_data_and_never_ends_the_message_so_nothing_can_be_smuggled()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.RecipientOk);
        await client.CommandAsync("DATA", Replies.StartData);
        const string content =
            "Subject: one\r\n\r\nfirst\n.\n" +
            "second\n.\r\n" +
            "MAIL FROM:<evil@example.org>\r\nRCPT TO:<binh@govmail.test>\r\nDATA\r\nSubject: smuggled\r\n\r\nthird\r\n";
        await client.SendAsync(content + ".\r\nNOOP\r\n");
        await client.ExpectAsync(Replies.Delivered);
        await client.ExpectAsync(Replies.Ok);

        var delivered = server.Sink.Single();
        Assert.Equal(content, Encoding.ASCII.GetString(delivered.Content));
        Assert.Equal(["an@govmail.test"], delivered.Envelope.Recipients.Select(r => r.Address));
    }

    [Fact]
    public async Task Smtputf8_message_with_Vietnamese_headers_arrives_byte_exact_and_replies_are_in_Vietnamese()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        await client.CommandAsync("MAIL FROM:<đông@bộ-nội-vụ.govmail.test> SMTPUTF8 BODY=8BITMIME", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<không-có-ai@govmail.test>", "550 5.1.1 No such user here / Không có người nhận này");
        await client.CommandAsync("RCPT TO:<đông@govmail.test>", Replies.RecipientOk);
        await client.CommandAsync("DATA", Replies.StartData);
        const string message =
            "From: Nguyễn Văn Đông <đông@bộ-nội-vụ.govmail.test>\r\n" +
            "To: Lê Thị Đông <đông@govmail.test>\r\n" +
            "Subject: Tiêu đề: Công văn số 1434/UBND-VP về việc triển khai thư điện tử\r\n" +
            "MIME-Version: 1.0\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Transfer-Encoding: 8bit\r\n" +
            "\r\n" +
            "Kính gửi: Thủ trưởng các cơ quan, đơn vị.\r\n";
        await client.SendAsync(message + ".\r\n");
        await client.ExpectAsync("250 2.0.0 Message accepted for delivery / Thư đã được nhận");

        var delivered = server.Sink.Single();
        Assert.Equal(Encoding.UTF8.GetBytes(message), delivered.Content);
        Assert.Equal("đông@bộ-nội-vụ.govmail.test", delivered.Envelope.MailFrom);
        Assert.Equal("đông@govmail.test", delivered.Envelope.Recipients[0].Address);
        Assert.True(delivered.Envelope.SmtpUtf8);
        Assert.True(delivered.Envelope.EightBitMime);
    }

    [Fact]
    public async Task A_non_ascii_address_without_smtputf8_is_refused_553()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        const string refusal = "553 5.6.7 Non-ASCII address requires SMTPUTF8 / Dia chi co dau can tham so SMTPUTF8";
        await client.CommandAsync("MAIL FROM:<đông@govmail.test>", refusal);
        await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<đông@govmail.test>", refusal);
    }

    [Fact]
    public async Task An_oversize_message_is_refused_552_after_its_data_and_the_session_goes_on()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxMessageSize = 1000);
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.ExpectAsync(Replies.Greeting);
        await client.CommandAsync("EHLO client.example", Replies.Ehlo("PIPELINING", "SIZE 1000", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "CHUNKING", "DSN", "STARTTLS"));
        await client.CommandAsync("MAIL FROM:<sender@example.org> SIZE=1001", Replies.TooBig(1000));

        await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.RecipientOk);
        await client.CommandAsync("DATA", Replies.StartData);
        var big = new StringBuilder("Subject: big\r\n\r\n");
        for (var i = 0; i < 100; i++) big.Append("0123456789012345678901234567890123456789\r\n");
        await client.SendAsync(big + ".\r\n");
        await client.ExpectAsync(Replies.TooBig(1000));

        await client.CommandAsync("NOOP", Replies.Ok);
        await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.RecipientOk);
        await client.CommandAsync("DATA", Replies.StartData);
        await client.SendAsync("Subject: small\r\n\r\nok\r\n.\r\n");
        await client.ExpectAsync(Replies.Delivered);

        Assert.Equal("Subject: small\r\n\r\nok\r\n", Encoding.ASCII.GetString(server.Sink.Single().Content));
        Assert.Empty(Directory.GetFiles(server.SpoolDirectory));
    }

    [Fact]
    public async Task Recipients_beyond_the_limit_get_452_and_the_rest_are_delivered()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxRecipients = 2);
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.RecipientOk);
        await client.CommandAsync("RCPT TO:<binh@govmail.test>", Replies.RecipientOk);
        await client.CommandAsync("RCPT TO:<chi@govmail.test>", Replies.TooManyRecipients);
        await client.CommandAsync("DATA", Replies.StartData);
        await client.SendAsync("Subject: many\r\n\r\n.\r\n");
        await client.ExpectAsync(Replies.Delivered);

        Assert.Equal(["an@govmail.test", "binh@govmail.test"], server.Sink.Single().Envelope.Recipients.Select(r => r.Address));
    }

    [Fact]
    public async Task A_text_line_over_1000_octets_gets_the_message_refused_and_998_is_fine()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.RecipientOk);
        await client.CommandAsync("DATA", Replies.StartData);
        await client.SendAsync("Subject: long\r\n\r\n" + new string('x', 999) + "\r\n.\r\n");
        await client.ExpectAsync("554 5.6.0 Message refused: a line is longer than 1000 octets / Thu bi tu choi: co dong qua dai");

        await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.RecipientOk);
        await client.CommandAsync("DATA", Replies.StartData);
        // 998 octets of text (the maximum) starting with a dot, which is stuffed on the wire and not counted.
        var longest = "." + new string('x', 997);
        await client.SendAsync("Subject: long\r\n\r\n." + longest + "\r\n.\r\n");
        await client.ExpectAsync(Replies.Delivered);
        Assert.Equal("Subject: long\r\n\r\n" + longest + "\r\n", Encoding.ASCII.GetString(server.Sink.Single().Content));
    }

    [Fact]
    public async Task The_sinks_reply_is_sent_exactly()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.Sink.Reply = new SmtpReply(452, "4.2.2", "Mailbox full, try again later / Hộp thư của người nhận đã đầy\nQuota 100 MB");
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.RecipientOk);
        await client.CommandAsync("DATA", Replies.StartData);
        await client.SendAsync("Subject: full\r\n\r\n.\r\n");
        await client.ExpectAsync(
            "452-4.2.2 Mailbox full, try again later / Hop thu cua nguoi nhan da day",
            "452 4.2.2 Quota 100 MB");
    }

    [Fact]
    public async Task A_failing_sink_or_spool_gets_a_temporary_451_and_the_session_goes_on()
    {
        const string localError = "451 4.3.0 Local error in processing, try again later / Loi may chu, vui long thu lai sau";
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();

        server.Sink.Failure = new InvalidOperationException("database is down");
        await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.RecipientOk);
        await client.CommandAsync("DATA", Replies.StartData);
        await client.SendAsync("Subject: lost?\r\n\r\n.\r\n");
        await client.ExpectAsync(localError);
        Assert.Contains(server.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error && e.Message.Contains("delivery of a message"));

        server.Sink.Failure = null;
        Directory.Delete(server.SpoolDirectory, recursive: true);
        await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.RecipientOk);
        await client.CommandAsync("DATA", localError);
        await client.CommandAsync("NOOP", Replies.Ok);
        Assert.Empty(server.Sink.Messages);
    }

    [Fact]
    public async Task Dsn_parameters_reach_the_envelope_as_sent()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        await client.CommandAsync("MAIL FROM:<sender@example.org> RET=HDRS ENVID=QQ314159+2B1 SIZE=20", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<an@govmail.test> NOTIFY=success,FAILURE ORCPT=rfc822;an+2Bx@govmail.test", Replies.RecipientOk);
        await client.CommandAsync("RCPT TO:<binh@govmail.test> NOTIFY=NEVER", Replies.RecipientOk);
        await client.CommandAsync("DATA", Replies.StartData);
        await client.SendAsync("Subject: dsn\r\n\r\n.\r\n");
        await client.ExpectAsync(Replies.Delivered);

        var envelope = server.Sink.Single().Envelope;
        Assert.Equal("HDRS", envelope.DsnReturn);
        Assert.Equal("QQ314159+2B1", envelope.DsnEnvelopeId);
        Assert.Equal(new SmtpRecipient("an@govmail.test", "SUCCESS,FAILURE", "rfc822;an+2Bx@govmail.test"), envelope.Recipients[0]);
        Assert.Equal(new SmtpRecipient("binh@govmail.test", "NEVER", null), envelope.Recipients[1]);
    }
}
