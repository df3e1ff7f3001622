namespace GovMail.Storage.Blobs;

/// <summary>
/// Blobs as files under one folder (<c>DATA/blobs</c>), two levels of sharding by key. A blob is written to a temporary
/// name, fsynced, renamed into place and its directory fsynced: after a crash a blob is either whole or absent.
/// </summary>
public sealed class FileBlobStore : IBlobStore
{
    private readonly string _root;
    private readonly string _temp;

    public FileBlobStore(string root)
    {
        _root = Path.GetFullPath(root);
        _temp = Path.Combine(_root, "tmp");
        System.IO.Directory.CreateDirectory(_temp);
    }

    public string Root => _root;

    public async Task<(string Key, long Size)> PutAsync(Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        var key = Guid.NewGuid().ToString("N");
        var temp = Path.Combine(_temp, key);
        long size;
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024,
                FileOptions.Asynchronous | FileOptions.SequentialScan))
            {
                await write(file, ct);
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
                size = file.Length;
            }
            var final = PathOf(key);
            var dir = Path.GetDirectoryName(final)!;
            var created = !System.IO.Directory.Exists(dir);
            System.IO.Directory.CreateDirectory(dir);
            File.Move(temp, final);
            FileSync.Directory(dir);
            if (created) FileSync.Directory(Path.GetDirectoryName(dir)!);
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

    public bool Exists(string key) => IsValidKey(key) && File.Exists(PathOf(key));

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

    private string PathOf(string key)
    {
        if (!IsValidKey(key)) throw new ArgumentException($"not a blob key: {key}", nameof(key));
        return Path.Combine(_root, key[..2], key[2..4], key);
    }

    private static bool IsValidKey(string key) => key.Length == 32 && key.All(char.IsAsciiHexDigitLower);
}
