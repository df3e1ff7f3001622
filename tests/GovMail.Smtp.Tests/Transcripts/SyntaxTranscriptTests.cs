using GovMail.Smtp.Tests.Support;

namespace GovMail.Smtp.Tests.Transcripts;

public sealed class SyntaxTranscriptTests
{
    [Fact]
    public async Task Each_mistake_gets_its_own_code_and_plain_words()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxBadCommands = 100);
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.ExpectAsync(Replies.Greeting);
        await client.CommandAsync("MAIL FROM:<sender@example.org>", "503 5.5.1 Send EHLO or HELO first / Hay gui EHLO truoc");
        await client.CommandAsync("EHLO", "501 5.5.4 Syntax: EHLO domain / Cu phap: EHLO ten-mien");
        await client.CommandAsync("FROB", "500 5.5.1 Command not recognized / Lenh khong hop le");
        await client.CommandAsync("ehlo client.example", Replies.Ehlo([.. Replies.CommonExtensions, "STARTTLS"]));
        await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.NeedMail);
        await client.CommandAsync("MAIL FROM:sender@example.org", "501 5.5.4 Syntax: MAIL FROM:<address> / Cu phap: MAIL FROM:<dia-chi>");
        await client.CommandAsync("MAIL FROM:<sender@@example.org>", "501 5.1.7 Bad sender address syntax / Dia chi nguoi gui khong hop le");
        await client.CommandAsync("MAIL FROM:<sender@example.org> FROB=1", "555 5.5.4 Unsupported parameter FROB / Khong ho tro tham so FROB");
        await client.CommandAsync("MAIL FROM:<sender@example.org> SIZE=big", "501 5.5.4 Invalid value for parameter SIZE / Gia tri tham so SIZE khong hop le");
        await client.CommandAsync("MAIL FROM:<sender@example.org> BODY=BINARYMIME", "555 5.5.4 Unsupported parameter BODY=BINARYMIME / Khong ho tro tham so BODY=BINARYMIME");
        await client.CommandAsync("mail from: <sender@example.org>", Replies.SenderOk);
        await client.CommandAsync("MAIL FROM:<sender@example.org>", "503 5.5.1 Sender already specified / Da khai bao nguoi gui");
        await client.CommandAsync("RCPT TO:<an govmail.test>", "501 5.1.3 Bad recipient address syntax / Dia chi nguoi nhan khong hop le");
        await client.CommandAsync("RCPT TO:<an@govmail.test> NOTIFY=SOMETIMES", "501 5.5.4 Invalid value for parameter NOTIFY / Gia tri tham so NOTIFY khong hop le");
        await client.CommandAsync("DATA now", "501 5.5.4 This command takes no parameters / Lenh nay khong co tham so");
        await client.CommandAsync("BDAT many", "501 5.5.4 Syntax: BDAT size [LAST] / Cu phap: BDAT kich-thuoc [LAST]");
        await client.CommandAsync("VRFY an", "252 2.5.0 Cannot verify the user, but will accept the message and attempt delivery");
        await client.CommandAsync("EXPN staff", "502 5.5.1 EXPN is not available / Khong ho tro EXPN");
        await client.CommandAsync("HELP", "214-2.0.0 Commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH", "214 2.0.0 See RFC 5321 / Xem RFC 5321");
        await client.CommandAsync("RSET", "250 2.0.0 Reset OK");
        await client.CommandAsync("NOOP", Replies.Ok);
    }

    [Fact]
    public async Task A_command_line_too_long_is_refused_and_skipped_whole()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        // A 20 000-octet line: longer than the pipe's buffer, so it is refused while being read, never held whole.
        await client.CommandAsync("NOOP " + new string('a', 20_000), "500 5.5.2 Line too long / Dong lenh qua dai");
        await client.CommandAsync("NOOP", Replies.Ok);
    }

    [Fact]
    public async Task Too_many_mistakes_close_the_session_with_421()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxBadCommands = 3);
        await using var client = await RawSmtpClient.ConnectAsync(server.Mx);
        await client.GreetAsync();
        await client.CommandAsync("FROB", "500 5.5.1 Command not recognized / Lenh khong hop le");
        await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.NeedMail);
        await client.CommandAsync("FROB", "500 5.5.1 Command not recognized / Lenh khong hop le");
        await client.CommandAsync("FROB", "421 4.7.0 mx.govmail.test Too many errors, closing connection / Qua nhieu lenh sai, dong ket noi");
        Assert.True(await client.IsClosedByServerAsync());
    }
}
