using System.Net;
using GovMail.Core.Accounts;
using GovMail.Core.Security;
using GovMail.Imap;
using GovMail.Smtp.Tests.Support;
using GovMail.Storage.Directory;
using GovMail.Storage.Mail;
using GovMail.Storage.Security;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;
using static GovMail.Smtp.Tests.Integration.SmtpHostTestBed;

namespace GovMail.Smtp.Tests.Integration;

/// <summary>
/// Issue 6 over loopback: the first-login rule and the failed-login lock hold on SMTP submission and IMAP alike, because
/// both ask the one login service. An IMAP server runs beside the SMTP test bed on the same database and clock.
/// </summary>
public sealed class LoginSecurityTests
{
    [Fact]
    public async Task A_pending_account_is_refused_submission_in_both_languages_until_it_changes_its_password_through_the_service()
    {
        await using var bed = await StartAsync();
        using (var client = await bed.ConnectAsync(SmtpListenerKind.Submission))
        {
            var refused = await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(new SaslMechanismPlain(Em, Password)));
            Assert.Contains(Ascii($"Đổi mật khẩu tạm thời tại {PasswordChangeUrl} trước khi dùng chương trình thư."), refused.Message);
            Assert.Contains($"Change your temporary password at {PasswordChangeUrl} before using a mail program.", refused.Message);
        }

        Assert.True((await bed.Accounts.ChangePasswordAsync(Em, Password, "Hoa-Sen-Đồng-Tháp-2026")).IsOk);

        using var sender = await bed.LogInAsync(Em, "Hoa-Sen-Đồng-Tháp-2026");
        await sender.SendAsync(new MimeMessage([MailboxAddress.Parse(Em)], [MailboxAddress.Parse(An)], "Đã đổi mật khẩu", new TextPart("plain") { Text = "Xin chào" }));
        Assert.Single(await bed.InboxAsync(An));
    }

    [Fact]
    public async Task A_keeper_sends_as_the_unit_mailbox_with_their_own_password_and_the_sending_is_attributed_to_them()
    {
        await using var bed = await StartAsync();
        const string unitMailbox = "hopthu.vanphong@tphcm.gov.vn";
        Assert.True((await bed.Accounts.AddAsync(new NewAccount("Văn phòng Sở", Office) { Address = unitMailbox, Kind = AccountKind.Collective }, Actor)).IsOk);
        Assert.True((await new MailboxKeepers(bed.Database, bed.Clock).AssignAsync(unitMailbox, Binh, Actor)).IsOk);

        // PLAIN with the mailbox as authorization identity, as a mail program configured for a shared mailbox sends it.
        using (var client = await bed.ConnectAsync(SmtpListenerKind.Submission))
        {
            await client.AuthenticateAsync(new SaslMechanismPlain(Binh, Password) { AuthorizationId = unitMailbox });
            await client.SendAsync(new MimeMessage([MailboxAddress.Parse(unitMailbox)], [MailboxAddress.Parse(An)], "Thông báo của Văn phòng",
                new TextPart("plain") { Text = "Kính gửi anh An" }));
            // The session is the mailbox's: sending as the keeper's own address is not allowed in it.
            var refused = await Assert.ThrowsAsync<MailKit.Net.Smtp.SmtpCommandException>(() => client.SendAsync(
                new MimeMessage([MailboxAddress.Parse(Binh)], [MailboxAddress.Parse(An)], "Thư riêng", new TextPart("plain") { Text = "x" })));
            Assert.Equal(MailKit.Net.Smtp.SmtpErrorCode.SenderNotAccepted, refused.ErrorCode);
        }
        Assert.Single(await bed.InboxAsync(An));

        var binh = (await bed.Accounts.FindAsync(Binh)).Value!.Account.Id;
        var sent = Assert.Single(await bed.UsageEventsAsync(), e => e.Kind == Core.Usage.UsageKind.Sent);
        Assert.Equal((unitMailbox, (Guid?)binh), (sent.Address, sent.KeeperAccountId));
        await using var db = bed.Database.Open();
        var audit = db.Audit.Where(a => a.Action.StartsWith("mailbox.keeper.")).OrderBy(a => a.Id).ToList();
        Assert.Equal(["mailbox.keeper.assign", "mailbox.keeper.login", "mailbox.keeper.send"], audit.Select(a => a.Action));
        Assert.All(audit.Skip(1), a => Assert.Equal((Binh, unitMailbox), (a.Actor, a.Target)));

        // Someone who does not keep it is refused with the reason, over MAILBOX*KEEPER as well.
        using var other = await bed.ConnectAsync(SmtpListenerKind.Submission);
        var notKeeper = await Assert.ThrowsAsync<AuthenticationException>(() => other.AuthenticateAsync(new SaslMechanismPlain($"{unitMailbox}*{Cuong}", Password)));
        Assert.Contains($"does not keep the mailbox {unitMailbox}", notKeeper.Message);
    }

    [Fact]
    public async Task Ten_failed_imap_logins_lock_the_account_and_then_smtp_auth_with_the_right_password_is_refused()
    {
        await using var bed = await StartAsync();
        Assert.True((await new TenantDirectory(bed.Database, bed.Clock, PasswordHasher.Default)
            .UpdatePolicyAsync(new PolicyChange { FailedLoginDelayCapSeconds = 0 }, Actor)).IsOk);
        await using var imap = await StartImapAsync(bed);
        var imaps = imap.GetEndPoint(ImapListenerKind.Imaps);

        using (var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 30_000 })
        {
            await client.ConnectAsync(imaps.Address.ToString(), imaps.Port, SecureSocketOptions.SslOnConnect);
            for (var i = 0; i < 10; i++)
                await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(new SaslMechanismPlain(An, "Sai-mật-khẩu#" + i)));
        }

        using (var smtp = await bed.ConnectAsync(SmtpListenerKind.Submission))
        {
            var refused = await Assert.ThrowsAsync<AuthenticationException>(() => smtp.AuthenticateAsync(new SaslMechanismPlain(An, Password)));
            Assert.Contains(Ascii("Tài khoản tạm khóa do đăng nhập sai quá nhiều lần"), refused.Message);
            Assert.Contains("Account temporarily locked after too many failed logins", refused.Message);
        }
        var view = (await bed.Accounts.FindAsync(An)).Value!;
        Assert.Equal((AccountState.Locked, (LockReason?)LockReason.TooManyFailedLogins), (view.Account.State, view.Account.LockReason));

        // The lock opens by itself after the policy's span (30 minutes by default).
        bed.Clock.Advance(TimeSpan.FromMinutes(31));
        using var again = await bed.LogInAsync(An);
        Assert.True(again.IsAuthenticated);
    }

    [Fact]
    public async Task A_missed_first_login_deadline_locks_the_account_for_imap_and_smtp()
    {
        await using var bed = await StartAsync();
        await using var imap = await StartImapAsync(bed);
        var deadline = (await bed.Accounts.FindAsync(Em)).Value!.Account.PasswordChangeDeadline!.Value;
        bed.Clock.SetUtcNow(deadline.AddMinutes(1));

        var locked = await new FirstLoginDeadlines(bed.Database, bed.Clock).LockOverdueAsync(CancellationToken.None);

        Assert.Contains(Em, locked);
        using (var smtp = await bed.ConnectAsync(SmtpListenerKind.Submission))
        {
            var refused = await Assert.ThrowsAsync<AuthenticationException>(() => smtp.AuthenticateAsync(new SaslMechanismPlain(Em, Password)));
            Assert.Contains(Ascii("quá hạn đổi mật khẩu lần đầu"), refused.Message);
            Assert.Contains("first-login deadline was missed", refused.Message);
        }
        var reply = await ImapLoginReplyAsync(imap.GetEndPoint(ImapListenerKind.Imaps), Em, Password);
        Assert.StartsWith("a1 NO [CONTACTADMIN] Tài khoản bị khóa do quá hạn đổi mật khẩu lần đầu", reply);
        Assert.Contains("first-login deadline was missed", reply);
    }

    /// <summary>The tagged reply to one LOGIN over implicit TLS, as the server wrote it (MailKit keeps only its own text).</summary>
    private static async Task<string> ImapLoginReplyAsync(IPEndPoint imaps, string user, string password)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(imaps);
        await using var tls = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        using var reader = new StreamReader(tls, System.Text.Encoding.UTF8);
        await reader.ReadLineAsync();
        await tls.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"a1 LOGIN {user} \"{password}\"\r\n"));
        await tls.FlushAsync();
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null && !line.StartsWith("a1 ", StringComparison.Ordinal)) { }
        return line ?? "";
    }

    /// <summary>SMTP replies are ASCII (no SMTPUTF8 in a reply), so the Vietnamese sentence arrives without its diacritics.</summary>
    private static string Ascii(string text) => Core.Text.VietnameseText.Fold(text);

    /// <summary>An IMAP server (993 on an ephemeral port) over the bed's database, blobs and clock, as <c>serve</c> wires it.</summary>
    private static async Task<ImapServer> StartImapAsync(SmtpHostTestBed bed)
    {
        var options = new ImapServerOptions
        {
            PasswordChangeUrl = PasswordChangeUrl,
            Listeners = [new(new IPEndPoint(IPAddress.Loopback, 0), ImapListenerKind.Imaps)],
        };
        var services = new ImapServices(bed.Database, bed.Blobs, new MailboxNotifications(), PasswordHasher.Default);
        var server = new ImapServer(options, services, () => TestCertificate.Chain, bed.Logs, bed.Clock);
        await server.StartAsync(CancellationToken.None);
        return server;
    }
}
