using System.Text;
using GovMail.Core.Mail;
using GovMail.Core.Security;
using GovMail.Smtp.Dkim;
using GovMail.Smtp.Outbound;
using GovMail.Smtp.Tests.Support;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Mail;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace GovMail.Smtp.Tests.Outbound;

/// <summary>
/// Everything a relay test needs: a data folder with a migrated database, the Ho Chi Minh City tenant and one official who
/// sends, a blob store, a fake clock, a loopback sink that the transport map sends <see cref="RemoteDomain"/> to, and
/// stand-in MX answers for the other domains.
/// </summary>
internal sealed class RelayTestBed : IAsyncDisposable
{
    public const string Domain = "tphcm.gov.vn";
    public const string Organisation = "Sở Thông tin và Truyền thông";
    public const string Sender = "nguyen.van.an@tphcm.gov.vn";
    public const string RemoteDomain = "hanoi.gov.vn";
    public const string Recipient = "tran.thi.binh@hanoi.gov.vn";

    /// <summary>08:00 on 21/05/2026 in Vietnam.</summary>
    public static readonly DateTimeOffset Start = new(2026, 5, 21, 8, 0, 0, TimeSpan.FromHours(7));

    /// <summary>A letter as an official's client submits it: UTF-8 headers (SMTPUTF8), 8-bit body, a line starting with a dot.</summary>
    public const string Letter =
        "Received: from [10.1.2.3] ([10.1.2.3])\r\n" +
        "\tby mail.tphcm.gov.vn (GovMail) with UTF8SMTPSA id 7F3A2B1C9D0E; Thu, 21 May 2026 08:00:00 +0700\r\n" +
        "From: Nguyễn Văn An <nguyen.van.an@tphcm.gov.vn>\r\n" +
        "To: Trần Thị Bình <tran.thi.binh@hanoi.gov.vn>\r\n" +
        "Subject: Công văn số 123/STTTT-VP về báo cáo quý II\r\n" +
        "Date: Thu, 21 May 2026 08:00:00 +0700\r\n" +
        "Message-ID: <cv-123.2026@tphcm.gov.vn>\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: 8bit\r\n" +
        "\r\n" +
        "Kính gửi đồng chí Bình,\r\n" +
        ".Dòng này bắt đầu bằng dấu chấm.\r\n" +
        "Đề nghị đồng chí gửi báo cáo trước ngày 30/6.\r\n" +
        "Trân trọng.\r\n";

    private RelayTestBed(string folder, GovMailDatabase database)
    {
        DataDirectory = folder;
        Database = database;
        Blobs = new FileBlobStore(Path.Combine(folder, "blobs"));
        Dkim = DkimKeyStore.In(folder);
        Sink = LoopbackSmtpSink.Start();
        Options = new OutboundRelayOptions
        {
            HostName = "mail.tphcm.gov.vn",
            Transports = new(StringComparer.OrdinalIgnoreCase) { [RemoteDomain] = Sink.Address },
            MxPort = Sink.Port,
            CommandTimeout = TimeSpan.FromSeconds(30),
        };
    }

    public string DataDirectory { get; }
    public GovMailDatabase Database { get; }
    public FileBlobStore Blobs { get; }
    public DkimKeyStore Dkim { get; }
    public LoopbackSmtpSink Sink { get; }
    public OutboundRelayOptions Options { get; }
    public FakeTimeProvider Clock { get; } = new(Start.ToUniversalTime());
    public TestLoggerFactory Logs { get; } = new();
    public FakeMailExchangers MailExchangers { get; } = new();
    public OutboundQueue Queue => new(Database, Clock);

    public static async Task<RelayTestBed> CreateAsync(DatabaseSettings? settings = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "govmail-relay-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        var bed = new RelayTestBed(folder, new GovMailDatabase(settings ?? DatabaseSettings.SqliteIn(folder)));
        await bed.Database.MigrateAsync();
        var hasher = new PasswordHasher(memoryKiB: 1024, iterations: 1);
        var init = await new TenantDirectory(bed.Database, bed.Clock, hasher).InitAsync(Domain, Organisation, null);
        Assert.True(init.IsOk, init.Problem?.ToString());
        var account = await new AccountDirectory(bed.Database, bed.Clock, hasher)
            .AddAsync(new NewAccount("Nguyễn Văn An", Organisation) { Address = Sender }, "admin@" + Domain);
        Assert.True(account.IsOk, account.Problem?.ToString());
        return bed;
    }

    public OutboundRelay NewRelay() =>
        new(Database, Blobs, Options, Dkim, MailExchangers, Clock, Logs.CreateLogger<OutboundRelay>());

    /// <summary>Stores <paramref name="raw"/> as a blob and queues it, as the delivery pipeline does for other domains.</summary>
    public async Task<OutboundMessage> EnqueueAsync(string raw, string mailFrom, IReadOnlyList<(string Address, string? Notify)> recipients,
        string? ret = null, string? envelopeId = null)
    {
        var (key, size) = await Blobs.PutAsync((s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes(raw), ct).AsTask(), CancellationToken.None);
        return await Queue.EnqueueAsync(key, size, mailFrom, null, recipients.Select(r => (r.Address, r.Notify, (string?)null)).ToList(), ret, envelopeId);
    }

    public Task<OutboundMessage> EnqueueLetterAsync(string? notify = null, string recipient = Recipient) =>
        EnqueueAsync(Letter, Sender, [(recipient, notify)]);

    /// <summary>The queued message as stored now.</summary>
    public async Task<OutboundMessage> ReloadAsync(Guid id)
    {
        await using var db = Database.Open();
        return await db.Outbound.AsNoTracking().Include(o => o.Recipients).SingleAsync(o => o.Id == id);
    }

    /// <summary>The messages in an account's INBOX, parsed from their blobs.</summary>
    public async Task<IReadOnlyList<MimeMessage>> InboxAsync(string address = Sender)
    {
        await using var db = Database.Open();
        var keys = await (
            from a in db.Accounts
            join mb in db.Mailboxes on a.Id equals mb.AccountId
            join mm in db.MailboxMessages on mb.Id equals mm.MailboxId
            join m in db.Messages on mm.MessageId equals m.Id
            where a.Address == address && mb.Role == MailboxRole.Inbox
            orderby mm.Uid
            select m.BlobKey).ToListAsync();
        var messages = new List<MimeMessage>();
        foreach (var key in keys)
        {
            await using var stream = Blobs.OpenRead(key);
            messages.Add(await MimeMessage.LoadAsync(stream));
        }
        return messages;
    }

    /// <summary>Passes of the relay, moving the clock to each next attempt, until the message is no longer waiting.</summary>
    public async Task<int> RunUntilSettledAsync(OutboundRelay relay, Guid id, int maxPasses = 100)
    {
        for (var pass = 1; pass <= maxPasses; pass++)
        {
            await relay.RunOnceAsync();
            var message = await ReloadAsync(id);
            if (message.State != OutboundState.Queued) return pass;
            Clock.SetUtcNow(message.NextAttemptAt);
        }
        throw new InvalidOperationException($"message {id} still waiting after {maxPasses} passes");
    }

    public async ValueTask DisposeAsync()
    {
        await Sink.DisposeAsync();
        if (Database.Settings.Provider == DatabaseProvider.Sqlite)
            using (var connection = new SqliteConnection(Database.Settings.ConnectionString)) SqliteConnection.ClearPool(connection);
        try { System.IO.Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>MX answers for tests: a domain maps to hosts (the sink's address) or to a refusal; unknown domains do not exist.</summary>
internal sealed class FakeMailExchangers : IMailExchangerLookup
{
    public Dictionary<string, MailExchangers> Answers { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<string> Queries { get; } = [];

    public Task<MailExchangers> LookupAsync(string domain, CancellationToken ct)
    {
        lock (Queries) Queries.Add(domain);
        return Task.FromResult(Answers.GetValueOrDefault(domain) ?? MailExchangers.Failed(MailExchangerStatus.NoSuchDomain));
    }
}
