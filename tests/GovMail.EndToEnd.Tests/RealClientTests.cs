using GovMail.EndToEnd.Tests.Support;
using static GovMail.EndToEnd.Tests.Support.TenantDataFolder;

namespace GovMail.EndToEnd.Tests;

/// <summary>Officials' mail clients that nobody here wrote, against <c>govmail serve</c> as an operator runs it.</summary>
public sealed class RealClientTests(ServedTenant served) : IClassFixture<ServedTenant>
{
    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Swaks_submits_over_587_with_starttls_and_auth_login_and_the_message_lands_in_the_recipients_inbox()
    {
        var swaks = await ExternalProgram.RequireSwaksAsync();
        var token = Guid.NewGuid().ToString("N")[..10];

        var run = await swaks.RunAsync(
        [
            "--server", "127.0.0.1", "--port", Port(served.Server.SubmissionPort), "--tls",
            "--auth", "LOGIN", "--auth-user", An, "--auth-password", Password,
            "--from", An, "--to", Binh, "--helo", "swaks.e2e.test",
            "--header", $"Subject: Bao cao tuan {token}",
            "--header", $"Message-Id: <swaks-{token}@e2e.tphcm.gov.vn>",
            "--body", $"Kinh gui chi Binh, bao cao tuan {token}.",
        ]);

        Assert.True(run.ExitCode == 0, run.Transcript);
        // STARTTLS first, then AUTH LOGIN inside TLS ("~>" is swaks writing through TLS).
        Assert.Contains("-> STARTTLS", run.Output);
        Assert.Contains("~> AUTH LOGIN", run.Output);
        Assert.Contains("235 2.7.0", run.Output);
        Assert.Contains("250 2.0.0 Ok: queued as", run.Output);

        var copy = Assert.Single(await served.Data.InboxAsync(Binh), c => c.Message.MessageIdHeader == $"swaks-{token}@e2e.tphcm.gov.vn");
        Assert.Equal($"Bao cao tuan {token}", copy.Message.Subject);
        Assert.Equal(An, copy.Message.FromAddress);
        var text = System.Text.Encoding.UTF8.GetString(copy.Blob!);
        Assert.StartsWith($"Return-Path: <{An}>\r\nReceived: from swaks.e2e.test ([127.0.0.1])\r\n", text);
        Assert.Contains("(GovMail) with ESMTPSA id", text);
        Assert.Contains($"Kinh gui chi Binh, bao cao tuan {token}.", text);
        Assert.Equal(copy.Blob!.Length, copy.Message.Size);
        Assert.Empty(served.Server.ErrorLog);
    }

    /// <summary>Python's standard library, writing UTF-8 headers as they are (SMTPUTF8) over implicit TLS with AUTH PLAIN.</summary>
    private const string SmtplibScript = """
        import smtplib, ssl, sys
        from email import policy
        from email.message import EmailMessage

        host, port, user, password, to, subject, body, message_id = sys.argv[1:9]
        message = EmailMessage(policy=policy.SMTPUTF8)
        message["From"] = "Nguyễn Văn An <%s>" % user
        message["To"] = "Trần Thị Bình <%s>" % to
        message["Subject"] = subject
        message["Message-ID"] = message_id
        message.set_content(body)
        context = ssl._create_unverified_context()
        with smtplib.SMTP_SSL(host, int(port), context=context, timeout=30) as smtp:
            smtp.ehlo("python.e2e.test")
            smtp.login(user, password)
            refused = smtp.send_message(message, mail_options=["SMTPUTF8", "BODY=8BITMIME"])
            print("refused:", refused)
        """;

    [Fact]
    public async Task Python_smtplib_sends_over_465_with_a_vietnamese_subject_and_it_is_delivered_intact()
    {
        var python = ExternalProgram.Require("python3", "python3");
        var token = Guid.NewGuid().ToString("N")[..10];
        const string subject = "Công văn số 1434/SVHTT-VP";
        // Lines short enough (in UTF-8 octets) for Python to send the body as 8bit rather than encode it.
        const string body = "Kính gửi đồng chí Bình,\nĐề nghị phối hợp tổ chức Ngày Sách.\nTrân trọng.\n";

        var run = await python.RunAsync(
            ["-c", SmtplibScript, "127.0.0.1", Port(served.Server.SubmissionsPort), An, Password, Binh, subject, body, $"<python-{token}@e2e.tphcm.gov.vn>"],
            new Dictionary<string, string> { ["PYTHONUTF8"] = "1", ["PYTHONIOENCODING"] = "utf-8" });

        Assert.True(run.ExitCode == 0, run.Transcript);
        Assert.Contains("refused: {}", run.Output);
        var copy = Assert.Single(await served.Data.InboxAsync(Binh), c => c.Message.MessageIdHeader == $"python-{token}@e2e.tphcm.gov.vn");
        Assert.Equal(subject, copy.Message.Subject);
        Assert.Equal("Nguyễn Văn An", copy.Message.FromName);
        Assert.Equal(An, copy.Message.FromAddress);
        var text = System.Text.Encoding.UTF8.GetString(copy.Blob!);
        Assert.Contains("(GovMail) with UTF8SMTPSA id", text);
        Assert.Contains($"\r\nSubject: {subject}\r\n", text);
        Assert.Contains("\r\nĐề nghị phối hợp tổ chức Ngày Sách.\r\n", text);
        Assert.Empty(served.Server.ErrorLog);
    }
}
