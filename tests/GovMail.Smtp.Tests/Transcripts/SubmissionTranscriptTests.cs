using System.Text;
using GovMail.Smtp.Tests.Support;

namespace GovMail.Smtp.Tests.Transcripts;

public sealed class SubmissionTranscriptTests
{
    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static readonly string PlainCredentials = Base64($"\0{TestDirectory.User}\0{TestDirectory.Password}");

    private static async Task<RawSmtpClient> ConnectWithTlsAsync(TestSmtpServer server)
    {
        var client = await RawSmtpClient.ConnectAsync(server.Submission);
        await client.GreetAsync();
        await client.CommandAsync("STARTTLS", Replies.ReadyToStartTls);
        await client.StartTlsAsync();
        await client.SendAsync("EHLO client.example\r\n");
        Assert.StartsWith("250-", await client.ReadReplyAsync());
        return client;
    }

    [Fact]
    public async Task Auth_and_mail_before_starttls_are_refused_on_587()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Submission);
        await client.GreetAsync();
        await client.CommandAsync("AUTH PLAIN " + PlainCredentials, Replies.StartTlsFirst);
        await client.CommandAsync("AUTH LOGIN", Replies.StartTlsFirst);
        await client.CommandAsync("MAIL FROM:<an@govmail.test>", Replies.StartTlsFirst);
        Assert.Empty(server.Authenticator.Attempts);
    }

    [Fact]
    public async Task After_starttls_mail_still_needs_auth()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await ConnectWithTlsAsync(server);
        await client.CommandAsync("MAIL FROM:<an@govmail.test>", Replies.AuthRequired);
    }

    [Fact]
    public async Task Auth_plain_with_an_initial_response_then_a_message_is_submitted()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await ConnectWithTlsAsync(server);
        await client.CommandAsync("AUTH PLAIN " + PlainCredentials, Replies.AuthSucceeded);
        await client.CommandAsync("AUTH PLAIN " + PlainCredentials, "503 5.5.1 Already authenticated / Da dang nhap");
        await client.CommandAsync("MAIL FROM:<binh@govmail.test>", "553 5.7.1 You may not send as this address / Ban khong duoc gui thu bang dia chi nay");
        await client.CommandAsync("MAIL FROM:<an@govmail.test>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<someone@example.com>", Replies.RecipientOk);
        await client.CommandAsync("DATA", Replies.StartData);
        await client.SendAsync("Subject: submitted\r\n\r\nhi\r\n.\r\n");
        await client.ExpectAsync(Replies.Delivered);

        var envelope = server.Sink.Single().Envelope;
        Assert.Equal(TestDirectory.User, envelope.AuthenticatedAs);
        Assert.Equal(SmtpListenerKind.Submission, envelope.Listener);
        Assert.True(envelope.Tls);
    }

    [Fact]
    public async Task Auth_plain_without_initial_response_gets_an_empty_challenge()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await ConnectWithTlsAsync(server);
        await client.CommandAsync("AUTH PLAIN", "334 ");
        await client.CommandAsync(PlainCredentials, Replies.AuthSucceeded);
    }

    [Fact]
    public async Task Auth_login_asks_for_user_name_then_password()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await ConnectWithTlsAsync(server);
        await client.CommandAsync("AUTH LOGIN", "334 VXNlcm5hbWU6");
        await client.CommandAsync(Base64(TestDirectory.User), "334 UGFzc3dvcmQ6");
        await client.CommandAsync(Base64(TestDirectory.Password), Replies.AuthSucceeded);
    }

    [Fact]
    public async Task Auth_login_with_the_user_name_as_initial_response()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await ConnectWithTlsAsync(server);
        await client.CommandAsync("AUTH LOGIN " + Base64(TestDirectory.User), "334 UGFzc3dvcmQ6");
        await client.CommandAsync(Base64(TestDirectory.Password), Replies.AuthSucceeded);
    }

    [Fact]
    public async Task Star_cancels_auth_and_a_wrong_password_is_refused()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await ConnectWithTlsAsync(server);
        await client.CommandAsync("AUTH LOGIN", "334 VXNlcm5hbWU6");
        await client.CommandAsync("*", Replies.AuthCancelled);
        await client.CommandAsync("AUTH PLAIN", "334 ");
        await client.CommandAsync("*", Replies.AuthCancelled);
        await client.CommandAsync("AUTH PLAIN " + Base64($"\0{TestDirectory.User}\0wrong"), Replies.AuthFailed);
        await client.CommandAsync("AUTH PLAIN " + Base64($"binh@govmail.test\0{TestDirectory.User}\0{TestDirectory.Password}"), Replies.AuthFailed);
        await client.CommandAsync("AUTH PLAIN not-base64!", "501 5.5.2 Cannot decode the response (base64 expected) / Khong doc duoc du lieu dang nhap");
        await client.CommandAsync("AUTH CRAM-MD5", "504 5.5.4 Unrecognized authentication mechanism; use PLAIN or LOGIN / Phuong thuc dang nhap khong duoc ho tro");
        await client.CommandAsync("AUTH PLAIN " + PlainCredentials, Replies.AuthSucceeded);
        // A foreign authorization identity reaches the directory as MAILBOX*USER, which decides whether the user keeps it.
        Assert.Equal([(TestDirectory.User, false), ($"binh@govmail.test*{TestDirectory.User}", false), (TestDirectory.User, true)],
            server.Authenticator.Attempts);
    }

    [Fact]
    public async Task Implicit_tls_on_465_submits_after_auth()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Submissions, implicitTls: true);
        await client.GreetAsync();
        await client.CommandAsync("MAIL FROM:<an@govmail.test>", Replies.AuthRequired);
        await client.CommandAsync("AUTH PLAIN " + PlainCredentials, Replies.AuthSucceeded);
        await client.CommandAsync("MAIL FROM:<an@govmail.test>", Replies.SenderOk);
        await client.CommandAsync("RCPT TO:<binh@govmail.test>", Replies.RecipientOk);
        await client.CommandAsync("DATA", Replies.StartData);
        await client.SendAsync("Subject: 465\r\n\r\n.\r\n");
        await client.ExpectAsync(Replies.Delivered);
        Assert.Equal(SmtpListenerKind.Submissions, server.Sink.Single().Envelope.Listener);
    }

    [Fact]
    public async Task Plaintext_pipelined_after_starttls_is_never_answered_or_executed()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        // The attacker's commands ride in the same packet as STARTTLS (CVE-2011-0411).
        await client.SendAsync("STARTTLS\r\nNOOP\r\nMAIL FROM:<evil@example.org>\r\n");
        await client.ExpectAsync(Replies.ReadyToStartTls);
        // Had the server answered NOOP in plaintext, those bytes would break the handshake here.
        await client.StartTlsAsync();
        // Inside TLS the first reply is to our EHLO, and no MAIL FROM is open.
        await client.CommandAsync("EHLO client.example", Replies.Ehlo([.. Replies.CommonExtensions]));
        await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.NeedMail);
        Assert.Contains(server.Logs.Entries, e => e.Message.Contains("pipelined after STARTTLS discarded"));
    }

    [Fact]
    public async Task Starttls_forgets_the_ehlo_given_before_it()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        await client.CommandAsync("STARTTLS", Replies.ReadyToStartTls);
        await client.StartTlsAsync();
        await client.CommandAsync("MAIL FROM:<sender@example.org>", "503 5.5.1 Send EHLO or HELO first / Hay gui EHLO truoc");
    }
}
