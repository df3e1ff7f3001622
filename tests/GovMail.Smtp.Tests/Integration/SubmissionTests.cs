using System.Text;
using GovMail.Core.Usage;
using GovMail.Smtp.Tests.Support;
using MailKit.Net.Smtp;
using MailKit.Security;
using static GovMail.Smtp.Tests.Integration.SmtpHostTestBed;

namespace GovMail.Smtp.Tests.Integration;

/// <summary>Officials' clients on 587 (STARTTLS) and 465 (TLS) against the directory: who may log in, and as whom they may send.</summary>
public sealed class SubmissionTests
{
    private static string Plain(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));

    [Fact]
    public async Task Auth_before_starttls_on_587_is_refused_and_is_not_a_login_attempt()
    {
        await using var bed = await StartAsync();
        await using var raw = await RawSmtpClient.ConnectAsync(bed.Submission);
        await raw.GreetAsync();

        await raw.SendAsync($"AUTH PLAIN {Plain(An, Password)}\r\n");
        Assert.StartsWith("530 5.7.0 Must issue a STARTTLS command first", await raw.ReadReplyAsync());
        await raw.SendAsync($"MAIL FROM:<{An}>\r\n");
        Assert.StartsWith("530 5.7.0 Must issue a STARTTLS command first", await raw.ReadReplyAsync());

        // The same credentials work once the connection is encrypted.
        await raw.SendAsync("STARTTLS\r\n");
        Assert.StartsWith("220 2.0.0", await raw.ReadReplyAsync());
        await raw.StartTlsAsync();
        await raw.SendAsync("EHLO client.example\r\n");
        Assert.Contains("AUTH PLAIN LOGIN", await raw.ReadReplyAsync());
        await raw.SendAsync($"AUTH PLAIN {Plain(An, Password)}\r\n");
        Assert.StartsWith("235 2.7.0", await raw.ReadReplyAsync());

        var login = Assert.Single(await bed.UsageEventsAsync());
        Assert.Equal((An, UsageKind.Login), (login.Address, login.Kind));
    }

    [Fact]
    public async Task Account_pending_first_login_is_refused_auth_with_where_to_change_its_password()
    {
        await using var bed = await StartAsync();
        using var client = await bed.ConnectAsync(SmtpListenerKind.Submission);

        // One mechanism, one attempt: MailKit would otherwise try LOGIN after PLAIN failed.
        var refused = await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(new SaslMechanismPlain(Em, Password)));

        Assert.Contains($"Change your temporary password at {PasswordChangeUrl} before using a mail program.", refused.Message);
        var failed = Assert.Single(await bed.UsageEventsAsync());
        Assert.Equal((Em, UsageKind.LoginFailed, UsageProtocol.Smtp, "127.0.0.1"), (failed.Address, failed.Kind, failed.Protocol, failed.RemoteAddress));
    }

    [Fact]
    public async Task A_bare_user_name_or_an_alias_logs_in_as_the_account_which_then_sends_as_its_own_address()
    {
        await using var bed = await StartAsync();
        foreach (var user in new[] { "nguyen.van.an", AnAlias })
        {
            using var client = await bed.LogInAsync(user);
            await client.SendAsync(Letter(An, Binh, $"Đăng nhập bằng {user}", "Nội dung.\r\n"));
        }

        Assert.Equal(2, (await bed.InboxAsync(Binh)).Count);
        var logins = (await bed.UsageEventsAsync()).Where(e => e.Kind == UsageKind.Login).Select(e => e.Address);
        Assert.Equal([An, An], logins);
    }

    [Fact]
    public async Task Sending_as_someone_else_is_refused_with_553_5_7_1_but_as_ones_own_alias_is_accepted()
    {
        await using var bed = await StartAsync();
        using var client = await bed.LogInAsync(An);

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            client.SendAsync(Letter(Binh, Cuong, "Giả danh", "Không được phép.\r\n")));
        Assert.Equal(SmtpErrorCode.SenderNotAccepted, refused.ErrorCode);
        Assert.Equal(553, (int)refused.StatusCode);
        Assert.StartsWith($"5.7.1 Sender <{Binh}> is not one of your addresses", refused.Message);
        Assert.Empty(await bed.InboxAsync(Cuong));

        var letter = Letter(AnAlias, Cuong, "Gửi từ địa chỉ bí danh", "Được phép.\r\n");
        var id = QueuedId(await client.SendAsync(letter));

        var copy = Assert.Single(await bed.InboxAsync(Cuong));
        var trace = $"Return-Path: <{AnAlias}>\r\n" +
                    "Received: from client.example ([127.0.0.1])\r\n" +
                    $"\tby {HostName} (GovMail) with ESMTPSA id {id}\r\n" +
                    $"\tfor <{Cuong}>; {StartDate}\r\n";
        Assert.Equal([.. Encoding.UTF8.GetBytes(trace), .. WireBytes(letter)], copy.Blob);
    }

    [Fact]
    public async Task Logins_failed_logins_sent_and_received_mail_are_recorded_as_usage_events()
    {
        await using var bed = await StartAsync();
        using (var wrong = await bed.ConnectAsync(SmtpListenerKind.Submissions))
            await Assert.ThrowsAsync<AuthenticationException>(() => wrong.AuthenticateAsync(new SaslMechanismPlain(An, "Sai-mật-khẩu#1")));

        using (var client = await bed.LogInAsync(An, listener: SmtpListenerKind.Submissions))
        {
            Assert.True(client.IsSecure);
            await client.SendAsync(Letter(An, Binh, "Qua cổng 465", "Gửi qua TLS ngầm định.\r\n"));
            await client.DisconnectAsync(quit: true);
        }

        var events = (await bed.UsageEventsAsync()).Select(e => (e.Address, e.Kind, e.Protocol, e.RemoteAddress)).ToList();
        Assert.Equal(
        [
            (An, UsageKind.LoginFailed, UsageProtocol.Smtp, "127.0.0.1"),
            (An, UsageKind.Login, UsageProtocol.Smtp, "127.0.0.1"),
            (Binh, UsageKind.Received, UsageProtocol.Smtp, "127.0.0.1"),
            (An, UsageKind.Sent, UsageProtocol.Smtp, "127.0.0.1"),
        ], events);
        var copy = Assert.Single(await bed.InboxAsync(Binh));
        Assert.Contains("with ESMTPSA id", copy.Text);
    }
}
