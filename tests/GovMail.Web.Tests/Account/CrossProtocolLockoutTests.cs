using System.Net;
using GovMail.Core.Usage;
using GovMail.Imap;
using GovMail.Storage.Directory;
using GovMail.Testing;
using GovMail.Web.Tests.Support;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Account;

/// <summary>Issue 6: failed logins are counted per account across protocols, so guessing over IMAP locks the web sign-in too.</summary>
public sealed class CrossProtocolLockoutTests
{
    [Fact]
    public async Task Failed_imap_logins_lock_the_account_and_the_web_refuses_even_the_right_password_with_why()
    {
        await using var site = await StartAsync();
        var policy = await new TenantDirectory(site.Database.Database, site.Database.Clock, site.Database.Hasher)
            .UpdatePolicyAsync(new PolicyChange { MaxFailedLogins = 3, FailedLoginDelayCapSeconds = 0 }, "admin@tphcm.gov.vn");
        Assert.True(policy.IsOk, policy.Problem?.Code);
        // A real IMAP server on the site's database and clock (no slowing: the test clock does not move by itself).
        var options = new ImapServerOptions
        {
            PasswordChangeUrl = "https://mail.tphcm.gov.vn/doi-mat-khau",
            Listeners = [new(new IPEndPoint(IPAddress.Loopback, 0), ImapListenerKind.Imaps)],
        };
        await using var imap = new ImapServer(options, new ImapServices(site.Database.Database, site.Blobs, site.Notifications, site.Database.Hasher),
            () => TestCertificate.Chain, new TestLoggerFactory(), site.Database.Clock);
        await imap.StartAsync(CancellationToken.None);
        var endpoint = imap.GetEndPoint(ImapListenerKind.Imaps);

        using (var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 60_000 })
        {
            await client.ConnectAsync(endpoint.Address.ToString(), endpoint.Port, SecureSocketOptions.SslOnConnect);
            client.AuthenticationMechanisms.Clear(); // one LOGIN command per attempt, not one per SASL mechanism
            for (var i = 0; i < 3; i++)
                await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(An, "Đoán-Mò-Mật-Khẩu-" + i));
        }

        using var browser = site.Browser();
        var refused = await browser.SignInAsync(An, AnPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("sai quá nhiều lần", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = site.Database.Database.Open();
        Assert.Equal(3, await db.LoginFailures.CountAsync(f => f.User == An && f.Protocol == UsageProtocol.Imap));
        var stored = await db.Accounts.AsNoTracking().SingleAsync(a => a.Address == An);
        Assert.Equal(Core.Accounts.LockReason.TooManyFailedLogins, stored.LockReason);
        await imap.StopAsync(CancellationToken.None);
    }
}
