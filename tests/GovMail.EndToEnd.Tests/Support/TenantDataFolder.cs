using GovMail.Cli;
using GovMail.Cli.Tests.Support;
using GovMail.Core.Mail;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GovMail.EndToEnd.Tests.Support;

/// <summary>One message in an account's INBOX as the data folder holds it: its row and the bytes of its blob (null when missing).</summary>
internal sealed record StoredCopy(uint Uid, StoredMessage Message, byte[]? Blob);

/// <summary>
/// A data folder made the way an operator makes one, with <c>govmail init</c>, <c>unit add</c> and <c>account add</c> (run in this
/// process): the Ho Chi Minh City department of information and communications, its office and two officials who may log in
/// with <see cref="Password"/>. Afterwards the tests read its database and blob store directly (and IMAP clients read it through the server).
/// </summary>
internal sealed class TenantDataFolder : IDisposable
{
    public const string Domain = "tphcm.gov.vn";
    public const string Organisation = "Sở Thông tin và Truyền thông";
    public const string Office = "Văn phòng Sở";
    public const string An = "nguyen.van.an@tphcm.gov.vn";
    public const string Binh = "tran.thi.binh@tphcm.gov.vn";
    public const string Password = "Tphcm#2026-thu";

    private TenantDataFolder(string path, DatabaseSettings? database = null)
    {
        Path = path;
        Database = new GovMailDatabase(database ?? DatabaseSettings.SqliteIn(path));
    }

    public string Path { get; }
    public GovMailDatabase Database { get; }
    public string BlobDirectory => System.IO.Path.Combine(Path, "blobs");

    /// <summary>A data folder that another command made (a restore); deleted with the object like the others.</summary>
    public static TenantDataFolder At(string path) => new(path);

    /// <summary>A node's data folder whose <c>govmail.json</c> points at a shared database (<see cref="GovMailCluster"/>).</summary>
    public static TenantDataFolder At(string path, DatabaseSettings database) => new(path, database);

    public static async Task<TenantDataFolder> CreateAsync()
    {
        var folder = new TenantDataFolder(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "govmail-e2e-" + Guid.NewGuid().ToString("N")[..12]));
        try
        {
            (await folder.RunAsync("init", "--domain", Domain, "--name", Organisation)).Ok();
            await folder.AddOfficialsAsync();
            return folder;
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>The office and its two officials, in a tenant made for <see cref="Domain"/> and <see cref="Organisation"/>.</summary>
    public async Task AddOfficialsAsync()
    {
        (await RunAsync("unit", "add", Office, "--parent", Organisation)).Ok();
        (await RunAsync("account", "add", An, "--name", "Nguyễn Văn An", "--unit", Office, "--password", Password, "--no-must-change")).Ok();
        (await RunAsync("account", "add", Binh, "--name", "Trần Thị Bình", "--unit", Office, "--password", Password, "--no-must-change")).Ok();
    }

    /// <summary>Runs <c>govmail ARGS --data THIS</c> in this process.</summary>
    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var code = await CliApp.RunAsync([.. args, "--data", Path], output, error, ct: timeout.Token);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>The messages in an account's INBOX, by UID, each with its blob as stored now.</summary>
    public async Task<IReadOnlyList<StoredCopy>> InboxAsync(string address)
    {
        await using var db = Database.Open();
        var rows = await (
            from a in db.Accounts
            join mb in db.Mailboxes on a.Id equals mb.AccountId
            join mm in db.MailboxMessages on mb.Id equals mm.MailboxId
            join m in db.Messages on mm.MessageId equals m.Id
            where a.Address == address && mb.Role == MailboxRole.Inbox
            orderby mm.Uid
            select new { mm.Uid, Message = m }).AsNoTracking().ToListAsync();
        var blobs = new FileBlobStore(BlobDirectory);
        var copies = new List<StoredCopy>(rows.Count);
        foreach (var row in rows) copies.Add(new StoredCopy(row.Uid, row.Message, await ReadBlobAsync(blobs, row.Message.BlobKey)));
        return copies;
    }

    /// <summary>Every message row of the database with its blob (null when the blob is missing).</summary>
    public async Task<IReadOnlyList<(StoredMessage Message, byte[]? Blob)>> AllMessagesAsync()
    {
        await using var db = Database.Open();
        var rows = await db.Messages.AsNoTracking().ToListAsync();
        var blobs = new FileBlobStore(BlobDirectory);
        var all = new List<(StoredMessage, byte[]?)>(rows.Count);
        foreach (var m in rows) all.Add((m, await ReadBlobAsync(blobs, m.BlobKey)));
        return all;
    }

    private static async Task<byte[]?> ReadBlobAsync(FileBlobStore blobs, string key)
    {
        if (!blobs.Exists(key)) return null;
        await using var stream = blobs.OpenRead(key);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    public void Dispose()
    {
        // Pooled connections keep the file (and its -wal and -shm companions) open.
        if (Database.Settings.Provider == DatabaseProvider.Sqlite)
            using (var connection = new SqliteConnection(Database.Settings.ConnectionString)) SqliteConnection.ClearPool(connection);
        try { if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a temp folder left behind is harmless */ }
        catch (UnauthorizedAccessException) { }
    }
}
