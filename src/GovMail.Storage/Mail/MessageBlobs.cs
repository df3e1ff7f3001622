using GovMail.Storage.Blobs;

namespace GovMail.Storage.Mail;

/// <summary>A message body just stored, with the summary delivery caches for it.</summary>
public sealed record StoredBody(string Key, long Size, MessageSummaryBuilder.Result Parsed);

/// <summary>Stores a message's body and summarises it from the bytes as they go in, never reading the stored blob back.</summary>
public static class MessageBlobs
{
    /// <summary>Up to this size the copy parsed for the summary stays in memory; a larger message goes to a temporary file.</summary>
    internal const int InMemoryCopy = 4 * 1024 * 1024;

    /// <summary>
    /// Stores what <paramref name="write"/> writes and parses it into its summary from a copy taken while the bytes go in,
    /// whatever the store: a folder does not read back the file it has just fsynced, an object store does not download
    /// the message again. <paramref name="expectedSize"/> (when known, as for an IMAP literal) sizes the copy at once.
    /// The blob is deleted when the summary cannot be made.
    /// </summary>
    public static async Task<StoredBody> PutMessageAsync(this IBlobStore blobs, Func<Stream, CancellationToken, Task> write, CancellationToken ct,
        long expectedSize = 0)
    {
        await using var copy = new SpooledCopy(InMemoryCopy, expectedSize);
        var (key, size) = await blobs.PutAsync((target, c) => write(new TeeStream(target, copy), c), ct);
        copy.Position = 0;
        return await SummariseAsync(blobs, key, size, copy);
    }

    /// <summary>Stores a message already whole in memory and parses it from the same bytes.</summary>
    public static async Task<StoredBody> PutMessageAsync(this IBlobStore blobs, byte[] whole, CancellationToken ct)
    {
        var (key, size) = await blobs.PutAsync((target, _) => WriteWhole(target, whole), ct);
        return await SummariseAsync(blobs, key, size, new MemoryStream(whole, writable: false));
    }

    /// <summary>
    /// Writes bytes already in memory into the blob's stream: into the file's buffer, which the folder store writes out with
    /// its fsync, without a trip through the thread pool.
    /// </summary>
    public static Task WriteWhole(Stream target, byte[] whole)
    {
        target.Write(whole);
        return Task.CompletedTask;
    }

    private static async Task<StoredBody> SummariseAsync(IBlobStore blobs, string key, long size, Stream copy)
    {
        try
        {
            return new StoredBody(key, size, MessageSummaryBuilder.Build(copy));
        }
        catch
        {
            await blobs.DeleteAsync(key, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Writes go to the blob and to the copy; nothing else is supported.</summary>
    private sealed class TeeStream(Stream blob, Stream copy) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => blob.Length;
        public override long Position { get => blob.Position; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            blob.Write(buffer);
            copy.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            await blob.WriteAsync(buffer, ct);
            copy.Write(buffer.Span);
        }

        public override void Flush() => blob.Flush();
        public override Task FlushAsync(CancellationToken ct) => blob.FlushAsync(ct);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>A readable, seekable copy kept in memory until it outgrows <c>limit</c>, then in a temporary file deleted on close.</summary>
    private sealed class SpooledCopy(int limit, long expectedSize) : Stream
    {
        private Stream _inner = new MemoryStream(expectedSize > 0 && expectedSize <= limit ? (int)expectedSize : 0);

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => true;
        public override long Length => _inner.Length;
        public override long Position { get => _inner.Position; set => _inner.Position = value; }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_inner is MemoryStream memory && memory.Length + buffer.Length > limit)
            {
                var file = new FileStream(Path.Combine(Path.GetTempPath(), "govmail-summary-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew,
                    FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
                memory.Position = 0;
                memory.CopyTo(file);
                _inner = file;
            }
            _inner.Write(buffer);
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => _inner.Read(buffer);
        public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
        public override void Flush() => _inner.Flush();
        public override void SetLength(long value) => _inner.SetLength(value);

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await _inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
