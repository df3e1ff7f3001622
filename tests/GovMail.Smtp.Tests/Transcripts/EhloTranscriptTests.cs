using GovMail.Smtp.Tests.Support;

namespace GovMail.Smtp.Tests.Transcripts;

public sealed class EhloTranscriptTests
{
    [Fact]
    public async Task Mx_offers_starttls_but_never_auth()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.ExpectAsync(Replies.Greeting);
        await client.CommandAsync("EHLO client.example",
            "250-mx.govmail.test Hello [127.0.0.1]",
            "250-PIPELINING",
            "250-SIZE 52428800",
            "250-8BITMIME",
            "250-SMTPUTF8",
            "250-ENHANCEDSTATUSCODES",
            "250-CHUNKING",
            "250-DSN",
            "250 STARTTLS");

        await client.CommandAsync("STARTTLS", Replies.ReadyToStartTls);
        await client.StartTlsAsync();
        await client.CommandAsync("EHLO client.example", Replies.Ehlo([.. Replies.CommonExtensions]));
        await client.CommandAsync("AUTH PLAIN AGFuQGdvdm1haWwudGVzdABYWFg=", Replies.AuthNotAvailable);
    }

    [Fact]
    public async Task Submission_offers_auth_only_after_starttls()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Submission);
        await client.ExpectAsync(Replies.Greeting);
        await client.CommandAsync("EHLO client.example", Replies.Ehlo([.. Replies.CommonExtensions, "STARTTLS"]));

        await client.CommandAsync("STARTTLS", Replies.ReadyToStartTls);
        await client.StartTlsAsync();
        await client.CommandAsync("EHLO client.example", Replies.Ehlo([.. Replies.CommonExtensions, "AUTH PLAIN LOGIN"]));
    }

    [Fact]
    public async Task Submissions_on_implicit_tls_offers_auth_and_no_starttls()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Submissions, implicitTls: true);
        await client.ExpectAsync(Replies.Greeting);
        await client.CommandAsync("EHLO client.example", Replies.Ehlo([.. Replies.CommonExtensions, "AUTH PLAIN LOGIN"]));
        await client.CommandAsync("STARTTLS", "503 5.5.1 TLS is already active / Ket noi da dung TLS");
    }

    [Fact]
    public async Task Helo_gets_a_single_line_without_extensions()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.ExpectAsync(Replies.Greeting);
        await client.CommandAsync("HELO client.example", "250 mx.govmail.test Hello [127.0.0.1]");
        await client.CommandAsync("QUIT", Replies.Closing);
        Assert.True(await client.IsClosedByServerAsync());
    }
}
