using System.Text;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using GovMail.Storage.Tests.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Tests.Mail;

/// <summary>
/// A crash between the blob's fsync and the database commit leaves a blob nobody names; the cleanup removes it (and stale
/// temporary and spool files) once it is a day old, and never touches a delivered message, a queued one or anything recent.
/// </summary>
public abstract class OrphanCleanupTests(DatabaseProvider provider) : DirectoryTest(provider), IAsyncLifetime
{
    private const string Letter = "From: <vp@tphcm.gov.vn>\r\nSubject: Thông báo\r\n\r\nNội dung.\r\n";
    private string _folder = "";
    private FileBlobStore Blobs => new(Path.Combine(_folder, "blobs"));
    private string Spool => Path.Combine(_folder, "spool");
    private OrphanCleanup Cleanup => new(Database, Blobs, Spool, Test.Clock);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _folder = Path.Combine(Path.GetTempPath(), "govmail-orphans", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Spool);
        await AddUnitAsync("Văn phòng");
    }

    private async Task<string> PutAsync()
    {
        var (key, _) = await Blobs.PutAsync((s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes(Letter), ct).AsTask(), default);
        return key;
    }

    /// <summary>Makes a file look as if it was written <paramref name="age"/> before the test clock's now.</summary>
    private void Age(string file, TimeSpan age) => File.SetLastWriteTimeUtc(file, (Test.Clock.GetUtcNow() - age).UtcDateTime);

    private string PathOf(string key) => Path.Combine(_folder, "blobs", key[..2], key[2..4], key);

    [Fact]
    public async Task A_day_old_blob_that_no_message_names_is_removed_and_delivered_queued_and_recent_ones_stay()
    {
        var account = await AddAccountAsync("Nguyễn Văn An", "Văn phòng");
        var delivered = await PutAsync();
        await using (var read = Blobs.OpenRead(delivered))
        {
            var parsed = MessageSummaryBuilder.Build(read);
            await new MailStore(Database, Test.Clock).DeliverAsync(new NewMessage(delivered, Letter.Length, parsed),
                [new DeliveryTarget(account.Account.Id, account.Account.Address)]);
        }
        var queued = await PutAsync();
        await new OutboundQueue(Database, Test.Clock).EnqueueAsync(queued, Letter.Length, account.Account.Address, account.Account.Id,
            [("tran.thi.binh@hanoi.gov.vn", null, null)], null, null);
        var orphan = await PutAsync();
        var recentOrphan = await PutAsync();
        foreach (var key in new[] { delivered, queued, orphan }) Age(PathOf(key), TimeSpan.FromDays(2));
        Age(PathOf(recentOrphan), TimeSpan.FromHours(2));

        var removed = await Cleanup.RunAsync();

        Assert.Equal(new OrphanCleanupResult(1, 0, 0), removed);
        Assert.False(Blobs.Exists(orphan));
        Assert.True(Blobs.Exists(delivered));
        Assert.True(Blobs.Exists(queued));
        Assert.True(Blobs.Exists(recentOrphan));
        await using var db = Database.Open();
        Assert.Equal(1, await db.Messages.CountAsync());
    }

    [Fact]
    public async Task Stale_temporary_blob_files_and_spool_files_are_removed_and_fresh_ones_kept()
    {
        _ = Blobs;
        var staleTemp = Path.Combine(_folder, "blobs", "tmp", "0000aaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        var freshTemp = Path.Combine(_folder, "blobs", "tmp", "0000bbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        var staleSpool = Path.Combine(Spool, "17-1.eml");
        var freshSpool = Path.Combine(Spool, "18-1.eml");
        foreach (var file in new[] { staleTemp, freshTemp, staleSpool, freshSpool }) await File.WriteAllTextAsync(file, Letter);
        Age(staleTemp, TimeSpan.FromDays(3));
        Age(staleSpool, TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        Age(freshTemp, TimeSpan.FromMinutes(1));
        Age(freshSpool, TimeSpan.FromMinutes(10));

        Assert.Equal(new OrphanCleanupResult(0, 1, 1), await Cleanup.RunAsync());

        Assert.False(File.Exists(staleTemp));
        Assert.False(File.Exists(staleSpool));
        Assert.True(File.Exists(freshTemp));
        Assert.True(File.Exists(freshSpool));
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try { System.IO.Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }
}

public sealed class OrphanCleanupTestsOnSqlite() : OrphanCleanupTests(DatabaseProvider.Sqlite);

public sealed class OrphanCleanupTestsOnPostgres() : OrphanCleanupTests(DatabaseProvider.Postgres);
