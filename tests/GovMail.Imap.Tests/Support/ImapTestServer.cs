using System.Net;
using GovMail.Core;
using GovMail.Core.Mail;
using GovMail.Net;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Mail;
using GovMail.Storage.Tests.Database;
using MailKit.Net.Imap;
using MailKit.Security;

namespace GovMail.Imap.Tests.Support;

/// <summary>
/// A real <see cref="ImapServer"/> on loopback (143 and 993 on ephemeral ports) over a fresh SQLite database with the
/// city's tenant and three accounts: An (active), Bình (still on the temporary password) and Chi (locked).
/// Mail arrives the way SMTP delivers it: a blob, a summary, <see cref="MailStore.DeliverAsync"/>, a notice on the bus.
/// </summary>
internal sealed class ImapTestServer : IAsyncDisposable
{
    public const string Domain = "tphcm.gov.vn";
    public const string An = "an@tphcm.gov.vn";
    public const string AnPassword = "Sen-Hồng-Tháp-Mười-2026";
    public const string Binh = "binh@tphcm.gov.vn";
    public const string BinhTemporary = "Mùa-Xuân-Mới-2026";
    public const string Chi = "chi@tphcm.gov.vn";
    public const string ChiPassword = "Hoa-Mai-Ngày-Tết-2027";
    public const string PasswordChangeUrl = "https://mail.tphcm.gov.vn/doi-mat-khau";
    private const string Unit = "Sở Nội vụ";
    private const string Admin = "admin@tphcm.gov.vn";

    private readonly DirectoryInfo _blobRoot;

    private ImapTestServer(TestDatabase database, DirectoryInfo blobRoot, ImapServer server, MailboxNotifications notifications, TestLoggerFactory logs)
    {
        Database = database;
        _blobRoot = blobRoot;
        Server = server;
        Notifications = notifications;
        Logs = logs;
        Blobs = new FileBlobStore(blobRoot.FullName);
    }

    public TestDatabase Database { get; }
    public ImapServer Server { get; }
    public MailboxNotifications Notifications { get; }
    public TestLoggerFactory Logs { get; }
    public FileBlobStore Blobs { get; }

    public IPEndPoint Imap => Server.GetEndPoint(ImapListenerKind.Imap);
    public IPEndPoint Imaps => Server.GetEndPoint(ImapListenerKind.Imaps);

    public MailStore Store => new(Database.Database, Database.Clock) { Notifications = Notifications, Blobs = Blobs };
    public MailboxQueries Queries => new(Database.Database);

    public static async Task<ImapTestServer> StartAsync(Action<ImapServerOptions>? configure = null, DatabaseProvider provider = DatabaseProvider.Sqlite,
        ServerCertificateChain? certificate = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var clock = database.Clock;
        var tenants = new TenantDirectory(database.Database, clock, database.Hasher);
        Ok(await tenants.InitAsync(Domain, "Ủy ban nhân dân Thành phố Hồ Chí Minh", null));
        Ok(await new UnitDirectory(database.Database, clock).AddAsync(Unit, null, null, Admin));
        var accounts = new AccountDirectory(database.Database, clock, database.Hasher);
        Ok(await accounts.AddAsync(new NewAccount("Nguyễn Văn An", Unit) { Address = An, Password = "Tạm-Thời-An-2026" }, Admin));
        Ok(await accounts.ChangePasswordAsync(An, "Tạm-Thời-An-2026", AnPassword));
        // The server runs on the real clock, which the first-login deadline is measured against.
        Ok(await accounts.AddAsync(new NewAccount("Trần Thị Bình", Unit)
        {
            Address = Binh, Password = BinhTemporary, PasswordChangeDeadline = TimeProvider.System.GetUtcNow().AddDays(3),
        }, Admin));
        Ok(await accounts.AddAsync(new NewAccount("Lê Minh Chi", Unit) { Address = Chi, Password = "Tạm-Thời-Chi-2026" }, Admin));
        Ok(await accounts.ChangePasswordAsync(Chi, "Tạm-Thời-Chi-2026", ChiPassword));
        Ok(await accounts.ApplyAsync(Chi, Core.Accounts.AccountAction.Lock, Admin, "kiểm tra", Core.Accounts.LockReason.Administrator));

        var blobRoot = Directory.CreateTempSubdirectory("govmail-imap-blobs-");
        var notifications = new MailboxNotifications();
        var options = new ImapServerOptions
        {
            PasswordChangeUrl = PasswordChangeUrl,
            Listeners =
            [
                new(new IPEndPoint(IPAddress.Loopback, 0), ImapListenerKind.Imap),
                new(new IPEndPoint(IPAddress.Loopback, 0), ImapListenerKind.Imaps),
            ],
        };
        configure?.Invoke(options);
        var logs = new TestLoggerFactory();
        var services = new ImapServices(database.Database, new FileBlobStore(blobRoot.FullName), notifications, database.Hasher);
        var server = new ImapServer(options, services, () => certificate ?? TestCertificate.Chain, logs, TimeProvider.System);
        await server.StartAsync(CancellationToken.None);
        return new ImapTestServer(database, blobRoot, server, notifications, logs);
    }

    /// <summary>Delivers a message to an account's INBOX as SMTP does, announcing it on the bus; returns where it went.</summary>
    public async Task<DeliveredCopy> DeliverAsync(byte[] message, string to = An)
    {
        var (key, size) = await Blobs.PutAsync((s, ct) => s.WriteAsync(message, ct).AsTask(), CancellationToken.None);
        MessageSummaryBuilder.Result parsed;
        await using (var read = Blobs.OpenRead(key)) parsed = MessageSummaryBuilder.Build(read);
        var account = await AccountIdAsync(to);
        var copies = await new MailStore(Database.Database, Database.Clock).DeliverAsync(new NewMessage(key, size, parsed),
            [new DeliveryTarget(account, to) { RemoteAddress = "192.0.2.1" }]);
        Notifications.PublishDelivered(copies);
        return copies[0];
    }

    public async Task<Guid> AccountIdAsync(string address)
    {
        var view = Ok(await new AccountDirectory(Database.Database, Database.Clock, Database.Hasher).FindAsync(address));
        return view.Account.Id;
    }

    /// <summary>Sets an account's quota as an administrator does, through the directory (which tells the caches).</summary>
    public async Task SetQuotaAsync(string address, long bytes) =>
        Ok(await new AccountDirectory(Database.Database, Database.Clock, Database.Hasher).UpdateAsync(address, new AccountUpdate { QuotaBytes = bytes }, Admin));

    /// <summary>A MailKit client logged in as An over implicit TLS.</summary>
    public async Task<ImapClient> ConnectAsync(string user = An, string password = AnPassword)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 60_000 };
        await client.ConnectAsync(Imaps.Address.ToString(), Imaps.Port, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(user, password);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Server.StopAsync(timeout.Token);
        await Server.DisposeAsync();
        await Database.DisposeAsync();
        // A failure the client only saw as a dropped connection must still fail the test.
        var errors = Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error).Select(e => e.Message).ToList();
        Assert.True(errors.Count == 0, "the server logged errors:\n" + string.Join("\n", errors));
        try
        {
            _blobRoot.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static T Ok<T>(Result<T> result)
    {
        Assert.True(result.IsOk, $"test setup failed: {result.Problem?.Code}: {result.Problem?.Message(Messages.English)}");
        return result.Value!;
    }
}
