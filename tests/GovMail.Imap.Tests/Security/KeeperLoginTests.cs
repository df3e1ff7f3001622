using System.Text;
using GovMail.Core.Accounts;
using GovMail.Core.Usage;
using GovMail.Imap.Tests.Support;
using GovMail.Storage.Directory;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Imap.Tests.Security;

/// <summary>
/// Issue 6, item 6: the keeper of a unit's collective mailbox opens it over IMAP with their own password, as
/// MAILBOX*KEEPER or through the PLAIN authorization identity; what they read counts for the mailbox and names them; anyone
/// else gets AUTHORIZATIONFAILED with the reason.
/// </summary>
public sealed class KeeperLoginTests : IAsyncLifetime
{
    private const string Office = "vanphong.snv@tphcm.gov.vn";
    private const string Dung = "dung@tphcm.gov.vn";
    private const string DungPassword = "Cầu-Ánh-Sao-Quận-7";
    private ImapTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ImapTestServer.StartAsync();
        var db = _server.Database;
        var accounts = new AccountDirectory(db.Database, db.Clock, db.Hasher);
        Assert.True((await accounts.AddAsync(new NewAccount("Văn phòng Sở Nội vụ", "Sở Nội vụ") { Address = Office, Kind = AccountKind.Collective }, "admin@tphcm.gov.vn")).IsOk);
        Assert.True((await accounts.AddAsync(new NewAccount("Phạm Văn Dũng", "Sở Nội vụ") { Address = Dung, Password = DungPassword, MustChangePassword = false }, "admin@tphcm.gov.vn")).IsOk);
        Assert.True((await new MailboxKeepers(db.Database, db.Clock).AssignAsync(Office, ImapTestServer.An, "admin@tphcm.gov.vn")).IsOk);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_keeper_reads_the_unit_mailbox_and_the_read_is_attributed_to_them()
    {
        await _server.DeliverAsync(Encoding.UTF8.GetBytes(
            "From: so-tttt@tphcm.gov.vn\r\nTo: vanphong.snv@tphcm.gov.vn\r\nSubject: =?utf-8?b?Q8O0bmcgdsSDbiBz4buRIDEy?=\r\n\r\nNội dung công văn.\r\n"), Office);

        using var client = await _server.ConnectAsync($"{Office}*{ImapTestServer.An}", ImapTestServer.AnPassword);
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        Assert.Equal(1, client.Inbox.Count);
        var message = await client.Inbox.GetMessageAsync(0);
        Assert.Equal("Công văn số 12", message.Subject);
        await client.Inbox.AddFlagsAsync(0, MessageFlags.Seen, true);
        await client.DisconnectAsync(true);

        var an = await _server.AccountIdAsync(ImapTestServer.An);
        await using var db = _server.Database.Database.Open();
        var read = await db.UsageEvents.AsNoTracking().SingleAsync(e => e.Address == Office && e.Kind == UsageKind.Read);
        Assert.Equal((an, UsageProtocol.Imap), (read.KeeperAccountId!.Value, read.Protocol));
        var login = await db.UsageEvents.AsNoTracking().SingleAsync(e => e.Address == Office && e.Kind == UsageKind.Login);
        Assert.Equal(an, login.KeeperAccountId);
        var audit = await db.Audit.AsNoTracking().SingleAsync(a => a.Action == "mailbox.keeper.login");
        Assert.Equal((ImapTestServer.An, Office), (audit.Actor, audit.Target));
    }

    [Fact]
    public async Task Plain_with_an_authorization_identity_opens_the_mailbox_and_a_non_keeper_is_refused_with_the_reason()
    {
        using (var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            await client.ConnectAsync(_server.Imaps.Address.ToString(), _server.Imaps.Port, SecureSocketOptions.SslOnConnect);
            await client.AuthenticateAsync(new SaslMechanismPlain(ImapTestServer.An, ImapTestServer.AnPassword) { AuthorizationId = Office });
            var status = await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            Assert.Equal(FolderAccess.ReadOnly, status);
            // The session is the mailbox's: its INBOX is empty, the keeper's own INBOX is not what is shown.
            Assert.Equal(0, client.Inbox.Count);
            await client.DisconnectAsync(true);
        }

        await using var raw = await RawImapClient.ConnectAsync(_server.Imaps, tls: true);
        await raw.ReadLineAsync();
        // "*" is a list wildcard, not an atom character: the user name is sent quoted, as mail programs do.
        await raw.SendAsync($"a1 LOGIN \"{Office}*{Dung}\" \"{DungPassword}\"\r\n");
        await raw.ExpectAsync(
            $"a1 NO [AUTHORIZATIONFAILED] Tài khoản {Dung} không được giao quản lý hộp thư {Office}. / Account {Dung} does not keep the mailbox {Office}.");
        var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Office}\0{Dung}\0{DungPassword}"));
        await raw.SendAsync($"a2 AUTHENTICATE PLAIN {plain}\r\n");
        Assert.StartsWith("a2 NO [AUTHORIZATIONFAILED]", await raw.ReadLineAsync());
        // Dũng's own login still works: the refusal was about the mailbox, not the password.
        await raw.SendAsync($"a3 LOGIN {Dung} \"{DungPassword}\"\r\n");
        Assert.StartsWith("a3 OK", await raw.ReadLineAsync());
    }
}
