namespace GovMail.Storage.Blobs;

/// <summary>
/// Immutable message bodies by key. A blob is durable (written and fsynced, its directory entry too) when
/// <see cref="PutAsync"/> returns; it never changes afterwards, only disappears when deleted.
/// </summary>
public interface IBlobStore
{
    /// <summary>Stores what <paramref name="write"/> writes and returns the new blob's key and size.</summary>
    Task<(string Key, long Size)> PutAsync(Func<Stream, CancellationToken, Task> write, CancellationToken ct);

    Stream OpenRead(string key);

    bool Exists(string key);

    Task DeleteAsync(string key, CancellationToken ct);
}
