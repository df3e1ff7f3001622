using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Database;

/// <summary>
/// A consistent copy of the embedded database taken while the server keeps writing: SQLite's online backup copies every page
/// under one read transaction, so the copy is the database as of one commit, never a torn file.
/// </summary>
public static class DatabaseSnapshot
{
    /// <summary>The file name of the database inside a backup.</summary>
    public const string SqliteFileName = "govmail.db";

    /// <summary>Copies the live SQLite database into <paramref name="destination"/> (written beside it first, then renamed into place, fsynced).</summary>
    public static void CopySqlite(GovMailDatabase source, string destination)
    {
        if (source.Settings.Provider != DatabaseProvider.Sqlite) throw new InvalidOperationException("not an SQLite database");
        var temp = destination + ".partial";
        File.Delete(temp);
        using (var from = new SqliteConnection(source.Settings.ConnectionString))
        using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temp, Pooling = false }.ToString()))
        {
            from.Open();
            to.Open();
            from.BackupDatabase(to);
            // The copy keeps the journal mode of a fresh file; make it a plain single file before it is moved.
            using var checkpoint = to.CreateCommand();
            checkpoint.CommandText = "PRAGMA journal_mode=DELETE;";
            checkpoint.ExecuteNonQuery();
        }
        using (var file = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite)) file.Flush(flushToDisk: true);
        File.Move(temp, destination, overwrite: true);
    }

    /// <summary>The blob keys a database refers to: message bodies and the bodies of queued outbound mail.</summary>
    public static async Task<HashSet<string>> BlobKeysAsync(GovMailDatabase database, CancellationToken ct)
    {
        await using var db = database.Open();
        var keys = new HashSet<string>(await db.Messages.AsNoTracking().Select(m => m.BlobKey).ToListAsync(ct), StringComparer.Ordinal);
        keys.UnionWith(await db.Outbound.AsNoTracking().Select(m => m.BlobKey).ToListAsync(ct));
        return keys;
    }

    /// <summary>
    /// Removes from a copy the messages whose bodies are gone (deleted by their owner while the copy was being made), so the
    /// copy never points at a missing blob. Returns how many were removed.
    /// </summary>
    public static async Task<int> DropMessagesWithoutBlobsAsync(GovMailDatabase copy, IReadOnlySet<string> missing, CancellationToken ct)
    {
        if (missing.Count == 0) return 0;
        await using var db = copy.Open();
        var keys = missing.ToList();
        var ids = await db.Messages.Where(m => keys.Contains(m.BlobKey)).Select(m => m.Id).ToListAsync(ct);
        await db.MailboxMessages.Where(mm => ids.Contains(mm.MessageId)).ExecuteDeleteAsync(ct);
        var removed = await db.Messages.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(ct);
        var outbound = await db.Outbound.Where(m => keys.Contains(m.BlobKey)).Select(m => m.Id).ToListAsync(ct);
        await db.OutboundRecipients.Where(r => outbound.Contains(r.OutboundMessageId)).ExecuteDeleteAsync(ct);
        return removed + await db.Outbound.Where(m => outbound.Contains(m.Id)).ExecuteDeleteAsync(ct);
    }
}
