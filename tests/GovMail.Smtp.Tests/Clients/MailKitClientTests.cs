using System.Text;
using GovMail.Smtp.Tests.Support;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace GovMail.Smtp.Tests.Clients;

/// <summary>The server as MailKit, a client nobody here wrote, sees it.</summary>
public sealed class MailKitClientTests
{
    /// <summary>MailKit sends with BDAT only when told to prefer it (or when a part is binary).</summary>
    private sealed class ChunkingSmtpClient(IProtocolLogger logger) : SmtpClient(logger)
    {
        protected override bool PreferSendAsBinaryData => true;
    }

    private static T Trusting<T>(T client) where T : SmtpClient
    {
        client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        client.LocalDomain = "client.example";
        return client;
    }

    private static MimeMessage Message(string from, string to, string subject, string body)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    /// <summary>The bytes MailKit puts on the wire for a message (before dot-stuffing), which the sink must get back exactly.</summary>
    private static byte[] WireBytes(MimeMessage message, FormatOptions? options = null)
    {
        options = (options ?? FormatOptions.Default).Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var stream = new MemoryStream();
        message.WriteTo(options, stream);
        return stream.ToArray();
    }

    [Fact]
    public async Task Mx_delivers_to_a_local_user_over_starttls()
    {
        await using var server = await TestSmtpServer.StartAsync();
        using var client = Trusting(new SmtpClient());
        await client.ConnectAsync("127.0.0.1", server.Mx.Port, SecureSocketOptions.StartTls);
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Pipelining));
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Chunking));
        Assert.False(client.Capabilities.HasFlag(SmtpCapabilities.Authentication));
        Assert.Equal(52428800u, client.MaxSize);

        var message = Message("sender@example.org", "an@govmail.test", "Xin chào", "Dòng một\r\n.Dòng bắt đầu bằng dấu chấm\r\n.\r\nHết.\r\n");
        var response = await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);

        Assert.Equal("2.0.0 Message accepted for delivery / Thu da duoc nhan", response);
        var delivered = server.Sink.Single();
        Assert.Equal(WireBytes(message), delivered.Content);
        Assert.True(delivered.Envelope.Tls);
        Assert.Equal("client.example", delivered.Envelope.HeloName);
    }

    [Fact]
    public async Task Mx_refuses_relaying_with_the_policy_reply()
    {
        await using var server = await TestSmtpServer.StartAsync();
        using var client = Trusting(new SmtpClient());
        await client.ConnectAsync("127.0.0.1", server.Mx.Port, SecureSocketOptions.None);
        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Message("sender@example.org", "someone@example.com", "relay?", "no")));
        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, error.ErrorCode);
        Assert.Equal(SmtpStatusCode.MailboxUnavailable, error.StatusCode);
        Assert.Equal("5.7.1 Relaying denied / Khong cho phep chuyen tiep thu", error.Message);
        // The session survives the refusal.
        await client.NoOpAsync();
        Assert.Empty(server.Sink.Messages);
    }

    [Fact]
    public async Task Submission_with_starttls_and_auth_plain()
    {
        await using var server = await TestSmtpServer.StartAsync();
        using var client = Trusting(new SmtpClient());
        await client.ConnectAsync("127.0.0.1", server.Submission.Port, SecureSocketOptions.StartTls);
        Assert.Equal(["LOGIN", "PLAIN"], client.AuthenticationMechanisms.Order());
        await client.AuthenticateAsync(new SaslMechanismPlain(TestDirectory.User, TestDirectory.Password));
        await client.SendAsync(Message(TestDirectory.User, "someone@example.com", "Báo cáo", "Nội dung"));
        await client.DisconnectAsync(quit: true);

        var envelope = server.Sink.Single().Envelope;
        Assert.Equal(TestDirectory.User, envelope.AuthenticatedAs);
        Assert.Equal(["someone@example.com"], envelope.Recipients.Select(r => r.Address));
    }

    [Fact]
    public async Task Submission_with_starttls_and_auth_login()
    {
        await using var server = await TestSmtpServer.StartAsync();
        using var client = Trusting(new SmtpClient());
        await client.ConnectAsync("127.0.0.1", server.Submission.Port, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(new SaslMechanismLogin(TestDirectory.User, TestDirectory.Password));
        await client.SendAsync(Message(TestDirectory.User, "binh@govmail.test", "LOGIN", "ok"));
        Assert.Equal(TestDirectory.User, server.Sink.Single().Envelope.AuthenticatedAs);
    }

    [Fact]
    public async Task Submission_refuses_a_wrong_password()
    {
        await using var server = await TestSmtpServer.StartAsync();
        using var client = Trusting(new SmtpClient());
        await client.ConnectAsync("127.0.0.1", server.Submission.Port, SecureSocketOptions.StartTls);
        await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(TestDirectory.User, "sai mật khẩu"));
        var error = await Assert.ThrowsAsync<ServiceNotAuthenticatedException>(() => client.SendAsync(Message(TestDirectory.User, "binh@govmail.test", "no", "no")));
        Assert.Contains("Authentication required", error.Message);
    }

    [Fact]
    public async Task Submissions_over_implicit_tls_on_465()
    {
        await using var server = await TestSmtpServer.StartAsync();
        using var client = Trusting(new SmtpClient());
        await client.ConnectAsync("127.0.0.1", server.Submissions.Port, SecureSocketOptions.SslOnConnect);
        Assert.False(client.Capabilities.HasFlag(SmtpCapabilities.StartTLS));
        await client.AuthenticateAsync(TestDirectory.User, TestDirectory.Password);
        await client.SendAsync(Message(TestDirectory.User, "binh@govmail.test", "465", "ok"));
        await client.DisconnectAsync(quit: true);
        Assert.Equal(SmtpListenerKind.Submissions, server.Sink.Single().Envelope.Listener);
    }

    [Fact]
    public async Task Bdat_from_mailkit_arrives_byte_exact()
    {
        await using var server = await TestSmtpServer.StartAsync();
        var transcript = new MemoryStream();
        using var client = Trusting(new ChunkingSmtpClient(new ProtocolLogger(transcript, leaveOpen: true)));
        await client.ConnectAsync("127.0.0.1", server.Mx.Port, SecureSocketOptions.None);
        var message = Message("sender@example.org", "an@govmail.test", "Chunked", ".line with a dot\r\n.\r\nend\r\n");
        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
        Assert.Equal(WireBytes(message), server.Sink.Single().Content);
        Assert.Contains("C: BDAT ", Encoding.UTF8.GetString(transcript.ToArray()));
    }

    [Fact]
    public async Task Smtputf8_message_from_mailkit_keeps_its_Vietnamese_headers_byte_exact()
    {
        await using var server = await TestSmtpServer.StartAsync();
        using var client = Trusting(new SmtpClient());
        await client.ConnectAsync("127.0.0.1", server.Mx.Port, SecureSocketOptions.StartTls);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Nguyễn Văn Đông", "đông@bộ-nội-vụ.govmail.test"));
        message.To.Add(new MailboxAddress("Lê Thị Đông", "đông@govmail.test"));
        message.Subject = "Tiêu đề: Công văn số 1434/UBND-VP";
        message.Body = new TextPart("plain") { Text = "Kính gửi các cơ quan, đơn vị.\r\n" };
        var options = FormatOptions.Default.Clone();
        options.International = true;

        await client.SendAsync(options, message);
        await client.DisconnectAsync(quit: true);

        var delivered = server.Sink.Single();
        Assert.True(delivered.Envelope.SmtpUtf8);
        Assert.Equal(WireBytes(message, options), delivered.Content);
        var text = Encoding.UTF8.GetString(delivered.Content);
        Assert.Contains("Subject: Tiêu đề: Công văn số 1434/UBND-VP\r\n", text);
        Assert.Contains("From: Nguyễn Văn Đông <đông@bộ-nội-vụ.govmail.test>\r\n", text);
    }

    [Fact]
    public async Task An_oversize_message_is_refused_and_the_client_can_send_the_next()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxMessageSize = 2000);
        using var client = Trusting(new SmtpClient());
        await client.ConnectAsync("127.0.0.1", server.Mx.Port, SecureSocketOptions.None);
        var error = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            client.SendAsync(Message("sender@example.org", "an@govmail.test", "big", new string('x', 70) + string.Concat(Enumerable.Repeat("\r\n" + new string('y', 70), 40)))));
        Assert.Equal(SmtpStatusCode.ExceededStorageAllocation, error.StatusCode);
        await client.SendAsync(Message("sender@example.org", "an@govmail.test", "small", "ok"));
        Assert.Equal("small", MimeMessage.Load(new MemoryStream(server.Sink.Single().Content)).Subject);
    }
}
