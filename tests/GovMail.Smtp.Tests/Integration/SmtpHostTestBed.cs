using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using GovMail.Core.Accounts;
using GovMail.Core.Mail;
using GovMail.Core.Usage;
using GovMail.Smtp.Delivery;
using GovMail.Smtp.Dkim;
using GovMail.Smtp.Inbound;
using GovMail.Smtp.Tests.Inbound;
using GovMail.Smtp.Outbound;
using GovMail.Smtp.Tests.Outbound;
using GovMail.Smtp.Tests.Support;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Mail;
using GovMail.Storage.Tests.Database;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace GovMail.Smtp.Tests.Integration;

/// <summary>One message in an account's INBOX: its place there, its cached metadata and the exact bytes of its blob.</summary>
internal sealed record InboxCopy(uint Uid, StoredMessage Message, byte[] Blob)
{
    public string Text => Encoding.UTF8.GetString(Blob);
}

/// <summary>
/// A real <see cref="SmtpServer"/> wired the way <c>govmail serve</c> wires it (<see cref="GovMail.Hosting.SmtpHost"/>): the directory's
/// authenticator and policy, <see cref="MailDelivery"/> into a <see cref="FileBlobStore"/> and a real database (SQLite or
/// PostgreSQL, through <see cref="TestDatabase"/>), and the <see cref="OutboundRelay"/> woken by every queued message and
/// sending <see cref="RemoteDomain"/> to a loopback sink. The tenant is the Ho Chi Minh City department of information and
/// communications with an office, a records team inside it and a handful of officials. MX, submission and submissions
/// listen on ephemeral loopback ports. The clock stands still at <see cref="TestDatabase.Start"/> unless a test moves it.
/// </summary>
internal sealed partial class SmtpHostTestBed : IAsyncDisposable
{
    public const string Domain = "tphcm.gov.vn";
    public const string Organisation = "Sở Thông tin và Truyền thông";
    public const string HostName = "mail.tphcm.gov.vn";
    public const string PasswordChangeUrl = "https://mail.tphcm.gov.vn/";
    public const string Password = "Mật-khẩu#2026";
    public const string Actor = "admin@tphcm.gov.vn";

    /// <summary>Văn phòng Sở, with its automatic group at <see cref="OfficeGroup"/>.</summary>
    public const string Office = "Văn phòng Sở";
    /// <summary>Tổ Văn thư, a team inside the office.</summary>
    public const string RecordsTeam = "Tổ Văn thư";
    public const string OfficeGroup = "vanphong@tphcm.gov.vn";

    /// <summary>Active, in the office; <see cref="AnAlias"/> is his alias.</summary>
    public const string An = "nguyen.van.an@tphcm.gov.vn";
    public const string AnAlias = "an@tphcm.gov.vn";
    /// <summary>Active, in the office.</summary>
    public const string Binh = "tran.thi.binh@tphcm.gov.vn";
    /// <summary>Active, in the records team (a sub-unit of the office).</summary>
    public const string Cuong = "le.van.cuong@tphcm.gov.vn";
    /// <summary>In the office, but disabled (left the department).</summary>
    public const string Dung = "pham.thi.dung@tphcm.gov.vn";
    /// <summary>Issued with a temporary password that has not been changed yet (pending first login).</summary>
    public const string Em = "hoang.van.em@tphcm.gov.vn";

    /// <summary>Another domain: the transport map sends it to <see cref="Sink"/>.</summary>
    public const string RemoteDomain = "hanoi.gov.vn";
    public const string RemoteRecipient = "tran.thi.binh@hanoi.gov.vn";
    /// <summary>Someone on the Internet writing to the department over MX.</summary>
    public const string OutsideSender = "van.thu@svhtt.hanoi.gov.vn";

    /// <summary>How the clock reads in the <c>Received:</c> line of a message accepted at <see cref="TestDatabase.Start"/>.</summary>
    public const string StartDate = "Thu, 21 May 2026 08:00:00 +0700";

    private readonly TestDatabase _database;
    private readonly string _folder;

    private SmtpHostTestBed(TestDatabase database, string folder)
    {
        _database = database;
        _folder = folder;
        Blobs = new FileBlobStore(Path.Combine(folder, "blobs"));
        Sink = LoopbackSmtpSink.Start();
        RelayOptions = new OutboundRelayOptions
        {
            HostName = HostName,
            Transports = new(StringComparer.OrdinalIgnoreCase) { [RemoteDomain] = Sink.Address },
            MxPort = Sink.Port,
            CommandTimeout = TimeSpan.FromSeconds(30),
        };
    }

    public GovMailDatabase Database => _database.Database;
    public FakeTimeProvider Clock => _database.Clock;
    public FileBlobStore Blobs { get; }
    public LoopbackSmtpSink Sink { get; }
    public OutboundRelayOptions RelayOptions { get; }
    public TestLoggerFactory Logs { get; } = new();

    /// <summary>The bus IMAP IDLE listens on, fed as <c>serve</c> feeds it: by local delivery and by the relay's notices.</summary>
    public MailboxNotifications Notifications { get; } = new();
    public FakeMailExchangers MailExchangers { get; } = new();

    /// <summary>The DNS the MX inbound checks (SPF, DKIM, DMARC) ask; empty unless a test publishes records.</summary>
    public TestDnsZone Dns { get; } = new();
    public SmtpServer Server { get; private set; } = null!;
    public OutboundRelay Relay { get; private set; } = null!;
    public AccountDirectory Accounts => new(Database, Clock, _database.Hasher);

    public IPEndPoint Mx => Server.GetEndPoint(SmtpListenerKind.Mx);
    public IPEndPoint Submission => Server.GetEndPoint(SmtpListenerKind.Submission);
    public IPEndPoint Submissions => Server.GetEndPoint(SmtpListenerKind.Submissions);

    public static async Task<SmtpHostTestBed> StartAsync(DatabaseProvider provider = DatabaseProvider.Sqlite,
        Action<SmtpServerOptions>? configure = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var folder = Path.Combine(Path.GetTempPath(), "govmail-smtp-integration", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        var bed = new SmtpHostTestBed(database, folder);
        try
        {
            await bed.SeedDirectoryAsync();
            await bed.StartServerAsync(configure);
            return bed;
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    private async Task SeedDirectoryAsync()
    {
        var init = await new TenantDirectory(Database, Clock, _database.Hasher).InitAsync(Domain, Organisation, Actor);
        Assert.True(init.IsOk, init.Problem?.ToString());
        var units = new UnitDirectory(Database, Clock);
        Assert.True((await units.AddAsync(Office, Organisation, null, Actor)).IsOk);
        Assert.True((await units.AddAsync(RecordsTeam, Office, null, Actor)).IsOk);

        await AddAccountAsync(An, "Nguyễn Văn An", Office);
        await AddAccountAsync(Binh, "Trần Thị Bình", Office);
        await AddAccountAsync(Cuong, "Lê Văn Cường", RecordsTeam);
        await AddAccountAsync(Dung, "Phạm Thị Dung", Office);
        await AddAccountAsync(Em, "Hoàng Văn Em", Organisation, mustChangePassword: true);
        var disabled = await Accounts.ApplyAsync(Dung, AccountAction.Disable, Actor, "nghỉ hưu");
        Assert.True(disabled.IsOk, disabled.Problem?.ToString());

        var addressBook = new AddressBook(Database, Clock);
        var alias = await addressBook.AddAliasAsync(AnAlias, An, Actor);
        Assert.True(alias.IsOk, alias.Problem?.ToString());
        // A unit's automatic group gets an address: every active member of the office and its teams.
        var group = await addressBook.AddGroupAsync(OfficeGroup, "", Office, Actor);
        Assert.True(group.IsOk, group.Problem?.ToString());
    }

    private async Task AddAccountAsync(string address, string name, string unit, bool mustChangePassword = false)
    {
        var added = await Accounts.AddAsync(new NewAccount(name, unit)
        {
            Address = address,
            Password = Password,
            MustChangePassword = mustChangePassword,
        }, Actor);
        Assert.True(added.IsOk, added.Problem?.ToString());
    }

    /// <summary>The same pieces, in the same way, as <see cref="GovMail.Hosting.SmtpHost.Create"/> and <see cref="GovMail.Hosting.SmtpHost.CreateRelay"/>.</summary>
    private async Task StartServerAsync(Action<SmtpServerOptions>? configure)
    {
        var options = new SmtpServerOptions
        {
            HostName = HostName,
            SpoolDirectory = Path.Combine(_folder, "spool"),
            Listeners =
            [
                new(new IPEndPoint(IPAddress.Loopback, 0), SmtpListenerKind.Mx),
                new(new IPEndPoint(IPAddress.Loopback, 0), SmtpListenerKind.Submission),
                new(new IPEndPoint(IPAddress.Loopback, 0), SmtpListenerKind.Submissions),
            ],
        };
        configure?.Invoke(options);
        Relay = new OutboundRelay(Database, Blobs, RelayOptions, DkimKeyStore.In(_folder), MailExchangers, Clock,
            Logs.CreateLogger<OutboundRelay>());
        var sink = new MailDelivery(Database, Blobs, Clock, HostName, Logs.CreateLogger<MailDelivery>());
        sink.Queued += Relay.Wake;
        sink.Delivered += Notifications.PublishDelivered;
        Relay.Delivered += Notifications.PublishDelivered;
        var checkedSink = new InboundCheckingSink(sink, new InboundChecker(Dns, HostName, Clock), Database, Logs.CreateLogger<InboundCheckingSink>());
        Server = new SmtpServer(options,
            new DirectorySmtpAuthenticator(Database, Clock, PasswordChangeUrl),
            new DirectorySmtpPolicy(Database, Clock),
            checkedSink,
            () => TestCertificate.Chain,
            Logs,
            Clock);
        await Server.StartAsync(CancellationToken.None);
    }

    /// <summary>A MailKit client connected to one of the listeners (STARTTLS on 587, TLS on 465), trusting the test certificate.</summary>
    public async Task<SmtpClient> ConnectAsync(SmtpListenerKind listener, SecureSocketOptions? security = null)
    {
        var client = new SmtpClient
        {
            ServerCertificateValidationCallback = (_, _, _, _) => true,
            LocalDomain = "client.example",
            Timeout = 30_000,
        };
        var (endPoint, defaultSecurity) = listener switch
        {
            SmtpListenerKind.Mx => (Mx, SecureSocketOptions.None),
            SmtpListenerKind.Submission => (Submission, SecureSocketOptions.StartTls),
            _ => (Submissions, SecureSocketOptions.SslOnConnect),
        };
        await client.ConnectAsync(endPoint.Address.ToString(), endPoint.Port, security ?? defaultSecurity);
        return client;
    }

    /// <summary>Connected to submission (587, STARTTLS) and logged in.</summary>
    public async Task<SmtpClient> LogInAsync(string user, string password = Password, SmtpListenerKind listener = SmtpListenerKind.Submission)
    {
        var client = await ConnectAsync(listener);
        await client.AuthenticateAsync(user, password);
        return client;
    }

    /// <summary>The messages in an account's INBOX, by UID, each with the bytes of its blob.</summary>
    public Task<IReadOnlyList<InboxCopy>> InboxAsync(string address) => MailboxAsync(address, MailboxRole.Inbox);

    /// <summary>The messages in one of an account's special-use mailboxes (INBOX, Junk, …), by UID, each with the bytes of its blob.</summary>
    public async Task<IReadOnlyList<InboxCopy>> MailboxAsync(string address, MailboxRole role)
    {
        await using var db = Database.Open();
        var rows = await (
            from a in db.Accounts
            join mb in db.Mailboxes on a.Id equals mb.AccountId
            join mm in db.MailboxMessages on mb.Id equals mm.MailboxId
            join m in db.Messages on mm.MessageId equals m.Id
            where a.Address == address && mb.Role == role
            orderby mm.Uid
            select new { mm.Uid, Message = m }).AsNoTracking().ToListAsync();
        var copies = new List<InboxCopy>(rows.Count);
        foreach (var row in rows) copies.Add(new InboxCopy(row.Uid, row.Message, await ReadBlobAsync(row.Message.BlobKey)));
        return copies;
    }

    /// <summary>The id of one of an account's special-use mailboxes, to subscribe to on <see cref="Notifications"/>.</summary>
    public async Task<long> MailboxIdAsync(string address, MailboxRole role = MailboxRole.Inbox)
    {
        await using var db = Database.Open();
        return await (from a in db.Accounts
                      join mb in db.Mailboxes on a.Id equals mb.AccountId
                      where a.Address == address && mb.Role == role
                      select mb.Id).SingleAsync();
    }

    public async Task<byte[]> ReadBlobAsync(string key)
    {
        await using var stream = Blobs.OpenRead(key);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Blobs in the store (written in full; the store's temporary folder is not counted).</summary>
    public int BlobCount() =>
        System.IO.Directory.EnumerateFiles(Blobs.Root, "*", SearchOption.AllDirectories)
            .Count(f => !Path.GetRelativePath(Blobs.Root, f).StartsWith("tmp", StringComparison.Ordinal));

    public async Task<int> MessageRowCountAsync()
    {
        await using var db = Database.Open();
        return await db.Messages.CountAsync();
    }

    public async Task<IReadOnlyList<OutboundMessage>> OutboundAsync()
    {
        await using var db = Database.Open();
        return await db.Outbound.AsNoTracking().Include(o => o.Recipients).OrderBy(o => o.CreatedAt).ToListAsync();
    }

    public async Task<IReadOnlyList<UsageEvent>> UsageEventsAsync()
    {
        await using var db = Database.Open();
        return await db.UsageEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
    }

    public async Task<long> UsedBytesAsync(string address)
    {
        await using var db = Database.Open();
        return await (from a in db.Accounts
                      join q in db.QuotaUsage on a.Id equals q.AccountId
                      where a.Address == address
                      select q.UsedBytes).SingleAsync();
    }

    /// <summary>The id a <c>250 2.0.0 Ok: queued as ID</c> reply names; it is also the id of the <c>Received:</c> line.</summary>
    public static string QueuedId(string reply)
    {
        var match = QueuedAs().Match(reply);
        Assert.True(match.Success, $"not a 'queued as' reply: {reply}");
        return match.Groups[1].Value;
    }

    /// <summary>The bytes MailKit puts on the wire for a message (before dot-stuffing).</summary>
    public static byte[] WireBytes(MimeMessage message, FormatOptions? options = null)
    {
        options = (options ?? FormatOptions.Default).Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var stream = new MemoryStream();
        message.WriteTo(options, stream);
        return stream.ToArray();
    }

    public static MimeMessage Letter(string from, string to, string subject, string body, string? messageId = null)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Date = TestDatabase.Start.AddMinutes(-5);
        message.MessageId = messageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId("client.example");
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    [GeneratedRegex(@"queued as ([0-9A-Z]+)")]
    private static partial Regex QueuedAs();

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Server.StopAsync(timeout.Token);
            await Server.DisposeAsync();
        }
        await Sink.DisposeAsync();
        await _database.DisposeAsync();
        try { System.IO.Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }
}
