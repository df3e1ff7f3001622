using System.Net;
using GovMail.Core.Accounts;
using GovMail.Imap;
using GovMail.Smtp;
using GovMail.Smtp.Delivery;
using GovMail.Testing;
using GovMail.Web.Tests.Support;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Account;

/// <summary>
/// Issue 6, first login: a pending account is refused by a real IMAP server and a real SMTP submission server (both on the
/// site's database) with where to change its password; the person follows that address to the web's forced change page,
/// changes the password there, and both protocols then accept the new one.
/// </summary>
public sealed class FirstLoginAcrossProtocolsTests
{
    private const string ChangeUrl = "https://localhost/doi-mat-khau";
    private const string NewPassword = "Phố-Đi-Bộ-Nguyễn-Huệ#26";

    private static readonly string Refusal =
        $"Đổi mật khẩu tạm thời tại {ChangeUrl} trước khi dùng chương trình thư. / Change your temporary password at {ChangeUrl} before using a mail program.";

    [Fact]
    public async Task Pending_account_is_refused_by_imap_and_smtp_with_where_to_change_then_both_accept_the_password_changed_on_the_web()
    {
        await using var site = await StartAsync();
        // No slowing of a client after failed logins: its wait runs on the test clock, which does not move by itself.
        var policy = await new Storage.Directory.TenantDirectory(site.Database.Database, site.Database.Clock, site.Database.Hasher)
            .UpdatePolicyAsync(new Storage.Directory.PolicyChange { FailedLoginDelayCapSeconds = 0 }, "admin@tphcm.gov.vn");
        Assert.True(policy.IsOk, policy.Problem?.Code);
        var spool = Directory.CreateTempSubdirectory("govmail-first-login-");
        await using var imap = new ImapServer(
            new ImapServerOptions { PasswordChangeUrl = ChangeUrl, Listeners = [new(new IPEndPoint(IPAddress.Loopback, 0), ImapListenerKind.Imaps)] },
            new ImapServices(site.Database.Database, site.Blobs, site.Notifications, site.Database.Hasher),
            () => TestCertificate.Chain, new TestLoggerFactory(), site.Database.Clock);
        var delivery = new MailDelivery(site.Database.Database, site.Blobs, site.Database.Clock, "mail.tphcm.gov.vn", NullLogger<MailDelivery>.Instance);
        await using var smtp = new SmtpServer(
            new SmtpServerOptions
            {
                HostName = "mail.tphcm.gov.vn", SpoolDirectory = spool.FullName,
                Listeners = [new(new IPEndPoint(IPAddress.Loopback, 0), SmtpListenerKind.Submissions)],
            },
            new DirectorySmtpAuthenticator(site.Database.Database, site.Database.Clock, ChangeUrl),
            new DirectorySmtpPolicy(site.Database.Database, site.Database.Clock), delivery,
            () => TestCertificate.Chain, new TestLoggerFactory(), site.Database.Clock);
        await imap.StartAsync(CancellationToken.None);
        await smtp.StartAsync(CancellationToken.None);

        var imapRefusal = await Assert.ThrowsAsync<AuthenticationException>(() => ImapLogInAsync(imap, BinhTemporary));
        var smtpRefusal = await Assert.ThrowsAsync<AuthenticationException>(() => SmtpLogInAsync(smtp, BinhTemporary));

        Assert.Equal(Refusal, imapRefusal.Message); // MailKit throws the text of the NO [ALERT] reply
        // An SMTP reply is ASCII: the Vietnamese half comes without diacritics.
        Assert.Contains("5.7.8 " + Core.Text.VietnameseText.Fold(Refusal), smtpRefusal.Message, StringComparison.Ordinal);

        // The person follows the address the refusal gave: sign in on the web, which forces the change page, and change there.
        using var browser = site.Browser();
        var signIn = await browser.SignInAsync(Binh, BinhTemporary);
        Assert.Equal(new Uri(ChangeUrl).AbsolutePath, signIn.Headers.Location?.OriginalString);
        var changed = await browser.SubmitAsync(new Uri(ChangeUrl).AbsolutePath,
            [new("Current", BinhTemporary), new("New", NewPassword), new("Confirm", NewPassword)]);
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(AccountState.Active, (await site.Accounts.FindAsync(Binh)).Value!.Account.State);

        await Assert.ThrowsAsync<AuthenticationException>(() => ImapLogInAsync(imap, BinhTemporary));
        using (var client = await ImapLogInAsync(imap, NewPassword))
        {
            await client.Inbox.OpenAsync(MailKit.FolderAccess.ReadOnly);
            await client.DisconnectAsync(true);
        }
        using (var client = await SmtpLogInAsync(smtp, NewPassword))
        {
            var letter = new MimeMessage();
            letter.From.Add(MailboxAddress.Parse(Binh));
            letter.To.Add(MailboxAddress.Parse(An));
            letter.Subject = "Đã đổi mật khẩu";
            letter.Body = new TextPart("plain") { Text = "Chào anh An." };
            await client.SendAsync(letter);
            await client.DisconnectAsync(true);
        }
        Assert.Equal("Đã đổi mật khẩu", Assert.Single(await site.ListAsync(An, Core.Mail.MailboxRole.Inbox)).Subject);

        await smtp.StopAsync(CancellationToken.None);
        await imap.StopAsync(CancellationToken.None);
        spool.Delete(recursive: true);
    }

    private static async Task<ImapClient> ImapLogInAsync(ImapServer server, string password)
    {
        var endpoint = server.GetEndPoint(ImapListenerKind.Imaps);
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 60_000 };
        try
        {
            await client.ConnectAsync(endpoint.Address.ToString(), endpoint.Port, SecureSocketOptions.SslOnConnect);
            client.AuthenticationMechanisms.Clear(); // the LOGIN command, as most mail programs send it
            await client.AuthenticateAsync(Binh, password);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task<SmtpClient> SmtpLogInAsync(SmtpServer server, string password)
    {
        var endpoint = server.GetEndPoint(SmtpListenerKind.Submissions);
        var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 60_000 };
        try
        {
            await client.ConnectAsync(endpoint.Address.ToString(), endpoint.Port, SecureSocketOptions.SslOnConnect);
            await client.AuthenticateAsync(new SaslMechanismPlain(Binh, password)); // one mechanism, one attempt
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
