namespace GovMail.Storage.Blobs;

/// <summary>
/// Blobs as files under one folder (<c>DATA/blobs</c>), two levels of sharding by key (<c>xx/yy/key</c>). A blob is written
/// to a temporary name, fsynced, renamed into place and its directory fsynced: after a crash a blob is either whole or absent.
/// New keys start with the minute they were made in (modulo 65,536, so the 65,536 shards are taken in turn, one a minute,
/// about every 45 days): all the blobs of a minute share a directory, which is created (and its parent fsynced) once, not
/// for nearly every message as random keys did, and which stays in the page cache while it is being filled.
/// </summary>
public sealed class FileBlobStore : IBlobStore
{
    private readonly string _root;
    private readonly string _temp;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _known = new(StringComparer.Ordinal);
    private readonly Lock _creating = new();

    public FileBlobStore(string root)
    {
        _root = Path.GetFullPath(root);
        _temp = Path.Combine(_root, "tmp");
        System.IO.Directory.CreateDirectory(_temp);
    }

    public string Root => _root;

    public async Task<(string Key, long Size)> PutAsync(Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        var key = NewKey(DateTimeOffset.UtcNow);
        var temp = Path.Combine(_temp, key);
        long size;
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024,
                FileOptions.Asynchronous | FileOptions.SequentialScan))
            {
                await write(file, ct);
                file.Flush(flushToDisk: true);
                size = file.Length;
            }
            var final = PathOf(key);
            var dir = Path.GetDirectoryName(final)!;
            EnsureDirectory(dir);
            File.Move(temp, final);
            FileSync.Directory(dir);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        return (key, size);
    }

    public Stream OpenRead(string key) =>
        new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous);

    public Task<Stream> OpenReadAsync(string key, CancellationToken ct) => Task.FromResult(OpenRead(key));

    public bool Exists(string key) => IsValidKey(key) && File.Exists(PathOf(key));

    public Task<bool> ExistsAsync(string key, CancellationToken ct) => Task.FromResult(Exists(key));

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    /// <summary>Leftovers of writes interrupted by a crash; never referenced by the database.</summary>
    public int RemoveAbandonedTemporaryFiles()
    {
        var n = 0;
        foreach (var f in System.IO.Directory.EnumerateFiles(_temp)) { File.Delete(f); n++; }
        return n;
    }

    /// <summary>Every blob file, shard by shard (temporary files not included).</summary>
    public async IAsyncEnumerable<BlobEntry> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await Task.CompletedTask;
        foreach (var first in System.IO.Directory.EnumerateDirectories(_root))
        {
            if (Path.GetFileName(first) is not { Length: 2 } a || !a.All(char.IsAsciiHexDigitLower)) continue;
            foreach (var second in System.IO.Directory.EnumerateDirectories(first))
                foreach (var file in System.IO.Directory.EnumerateFiles(second))
                {
                    ct.ThrowIfCancellationRequested();
                    var key = Path.GetFileName(file);
                    if (!IsValidKey(key)) continue;
                    var info = new FileInfo(file);
                    if (!info.Exists) continue; // deleted since it was listed
                    yield return new BlobEntry(key, info.Length, info.LastWriteTimeUtc);
                }
        }
    }

    public async Task CopyInAsync(string key, Stream content, CancellationToken ct)
    {
        var final = PathOf(key);
        if (File.Exists(final)) return;
        var temp = Path.Combine(_temp, key + "." + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, ct);
                file.Flush(flushToDisk: true);
            }
            var dir = Path.GetDirectoryName(final)!;
            EnsureDirectory(dir);
            File.Move(temp, final, overwrite: true);
            FileSync.Directory(dir);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Temporary files of writes that never finished (a crash mid-write) and are older than <paramref name="cutoff"/>.</summary>
    public Task<int> RemoveAbandonedWritesAsync(DateTimeOffset cutoff, CancellationToken ct) => Task.FromResult(RemoveFilesWrittenBefore(_temp, cutoff));

    /// <summary>Deletes the files directly in <paramref name="directory"/> last written before <paramref name="cutoff"/>.</summary>
    internal static int RemoveFilesWrittenBefore(string directory, DateTimeOffset cutoff)
    {
        var n = 0;
        foreach (var f in System.IO.Directory.EnumerateFiles(directory))
            if (File.GetLastWriteTimeUtc(f) < cutoff.UtcDateTime)
            {
                File.Delete(f);
                n++;
            }
        return n;
    }

    /// <summary>A new key: four hex digits of the minute (the shard), then 112 random bits.</summary>
    internal static string NewKey(DateTimeOffset now)
    {
        var minute = (ushort)(now.ToUnixTimeMilliseconds() / 60_000);
        return string.Create(32, minute, static (span, m) =>
        {
            m.TryFormat(span, out _, "x4", System.Globalization.CultureInfo.InvariantCulture);
            Guid.NewGuid().ToString("N").AsSpan(0, 28).CopyTo(span[4..]);
        });
    }

    /// <summary>
    /// Makes the shard directory <c>xx/yy</c> if this process has not seen it yet, and makes its entry durable (the parents
    /// fsynced) before any blob is put in it.
    /// </summary>
    private void EnsureDirectory(string dir)
    {
        if (_known.ContainsKey(dir)) return;
        // Under a lock, so no put of this process uses a directory another put has made but not yet made durable.
        lock (_creating)
        {
            if (_known.ContainsKey(dir)) return;
            if (!System.IO.Directory.Exists(dir))
            {
                System.IO.Directory.CreateDirectory(dir);
                FileSync.Directory(Path.GetDirectoryName(dir)!);
                FileSync.Directory(_root);
            }
            _known.TryAdd(dir, true);
        }
    }

    private string PathOf(string key)
    {
        if (!IsValidKey(key)) throw new ArgumentException($"not a blob key: {key}", nameof(key));
        return Path.Combine(_root, key[..2], key[2..4], key);
    }

    internal static bool IsValidKey(string key) => key.Length == 32 && key.All(char.IsAsciiHexDigitLower);
}
