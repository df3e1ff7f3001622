namespace GovMail.Storage.Blobs;

/// <summary>
/// Immutable message bodies by key, in a folder (<see cref="FileBlobStore"/>: local disk or a shared filesystem) or an
/// S3-compatible object store (<see cref="S3BlobStore"/>). A blob is durable (written and fsynced, or acknowledged by the object
/// store) when <see cref="PutAsync"/> returns; it never changes afterwards, only disappears when deleted. A body that is not
/// there reads as <see cref="FileNotFoundException"/>, a store that cannot be reached as another <see cref="IOException"/>.
/// </summary>
public interface IBlobStore
{
    /// <summary>Stores what <paramref name="write"/> writes and returns the new blob's key and size.</summary>
    Task<(string Key, long Size)> PutAsync(Func<Stream, CancellationToken, Task> write, CancellationToken ct);

    /// <summary>A readable, seekable stream over the blob (its <see cref="Stream.Length"/> is the blob's size).</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken ct);

    Task<bool> ExistsAsync(string key, CancellationToken ct);

    Task DeleteAsync(string key, CancellationToken ct);

    /// <summary>Every blob with its size and the time it was written (temporary or unfinished writes not included).</summary>
    IAsyncEnumerable<BlobEntry> ListAsync(CancellationToken ct);

    /// <summary>Stores <paramref name="content"/> under a key it had in another store (a restore); a key already there is kept.</summary>
    Task CopyInAsync(string key, Stream content, CancellationToken ct);

    /// <summary>Removes the leftovers of writes that never finished and began before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> RemoveAbandonedWritesAsync(DateTimeOffset cutoff, CancellationToken ct);
}

/// <summary>One stored blob: its key, size in octets and when it was written.</summary>
public sealed record BlobEntry(string Key, long Size, DateTimeOffset WrittenAt);
