using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Blobs;

/// <summary>What one cleanup removed.</summary>
public sealed record OrphanCleanupResult(int Blobs, int TemporaryFiles, int SpoolFiles);

/// <summary>
/// Removes what a crash can leave behind (dọn dữ liệu mồ côi): blobs written and fsynced whose database commit never happened,
/// temporary blob files of writes cut short (unfinished multipart uploads in an object store), and SMTP spool files of sessions that died. Only files older than
/// <see cref="MinimumAge"/> are touched, so a delivery in progress is never raced. A blob is kept while any message or
/// outbound queue entry names it; a table that starts holding blob keys must be added to <see cref="ReferencedAsync"/>.
/// </summary>
public sealed class OrphanCleanup(GovMailDatabase database, IBlobStore blobs, string? spoolDirectory, TimeProvider clock)
{
    private const int Batch = 500;

    public TimeSpan MinimumAge { get; init; } = TimeSpan.FromDays(1);

    public async Task<OrphanCleanupResult> RunAsync(CancellationToken ct = default)
    {
        var cutoff = clock.GetUtcNow() - MinimumAge;
        var removed = 0;
        await foreach (var entries in blobs.ListAsync(ct).Where(b => b.WrittenAt < cutoff).Chunk(Batch).WithCancellation(ct))
        {
            var keys = entries.Select(e => e.Key).ToArray();
            var referenced = await ReferencedAsync(keys, ct);
            foreach (var key in keys)
            {
                if (referenced.Contains(key)) continue;
                await blobs.DeleteAsync(key, ct);
                removed++;
            }
        }
        var temporary = await blobs.RemoveAbandonedWritesAsync(cutoff, ct);
        return new OrphanCleanupResult(removed, temporary, RemoveSpoolFiles(cutoff));
    }

    private async Task<HashSet<string>> ReferencedAsync(string[] keys, CancellationToken ct)
    {
        await using var db = database.Open();
        var referenced = await db.Messages.AsNoTracking().Where(m => keys.Contains(m.BlobKey)).Select(m => m.BlobKey).ToListAsync(ct);
        referenced.AddRange(await db.Outbound.AsNoTracking().Where(o => keys.Contains(o.BlobKey)).Select(o => o.BlobKey).ToListAsync(ct));
        return referenced.ToHashSet(StringComparer.Ordinal);
    }

    private int RemoveSpoolFiles(DateTimeOffset cutoff) =>
        spoolDirectory is not null && System.IO.Directory.Exists(spoolDirectory) ? FileBlobStore.RemoveFilesWrittenBefore(spoolDirectory, cutoff) : 0;
}
