using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace GovMail.Storage.Blobs;

/// <summary>
/// Blobs as objects in a bucket of an S3-compatible object store, so several nodes share them without a shared filesystem. Keys
/// are made as in <see cref="FileBlobStore"/>; the object is named <c>PREFIX + key</c>. A put returns once the store has
/// acknowledged the whole object (with its Content-MD5 checked by the store): a small body in one PUT, a larger one as a
/// multipart upload whose parts go up while the body is still being written, so at most one part sits in memory.
/// </summary>
public sealed class S3BlobStore(IAmazonS3 client, string bucket, string prefix, int partSize) : IBlobStore, IDisposable
{
    public string Bucket => bucket;

    internal IAmazonS3 Client => client;

    internal int PartSize => partSize;

    public async Task<(string Key, long Size)> PutAsync(Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        var key = FileBlobStore.NewKey(DateTimeOffset.UtcNow);
        var size = await UploadAsync(ObjectName(key), write, ct);
        return (key, size);
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken ct)
    {
        var name = ObjectName(key);
        var response = await Call(() => client.GetObjectAsync(bucket, name, ct), key);
        return new S3ReadStream(client, bucket, name, response);
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken ct)
    {
        if (!FileBlobStore.IsValidKey(key)) return false;
        try
        {
            await Call(() => client.GetObjectMetadataAsync(bucket, ObjectName(key), ct), key);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct) => Call(() => client.DeleteObjectAsync(bucket, ObjectName(key), ct), key);

    public async IAsyncEnumerable<BlobEntry> ListAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        while (true)
        {
            var page = await Call(() => client.ListObjectsV2Async(request, ct), bucket);
            foreach (var o in page.S3Objects ?? [])
            {
                var key = o.Key[prefix.Length..];
                if (FileBlobStore.IsValidKey(key))
                    yield return new BlobEntry(key, o.Size ?? 0, o.LastModified is { } at ? new DateTimeOffset(at.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.MinValue);
            }
            if (page.IsTruncated != true) yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public async Task CopyInAsync(string key, Stream content, CancellationToken ct)
    {
        if (await ExistsAsync(key, ct)) return;
        await UploadAsync(ObjectName(key), (s, c) => content.CopyToAsync(s, c), ct);
    }

    /// <summary>
    /// Aborts multipart uploads begun before <paramref name="cutoff"/> and never completed (a node that died mid-upload). A store
    /// that cannot list them answers 0; a bucket lifecycle rule (AbortIncompleteMultipartUpload) does the same job there.
    /// </summary>
    public async Task<int> RemoveAbandonedWritesAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        ListMultipartUploadsResponse uploads;
        try
        {
            uploads = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket, Prefix = prefix }, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotImplemented || e.ErrorCode == "NotImplemented")
        {
            return 0;
        }
        var n = 0;
        foreach (var u in uploads.MultipartUploads ?? [])
        {
            if (u.Initiated is not { } at || at.ToUniversalTime() >= cutoff.UtcDateTime) continue;
            await client.AbortMultipartUploadAsync(bucket, u.Key, u.UploadId, ct);
            n++;
        }
        return n;
    }

    /// <summary>Checks that the bucket answers to these credentials (for <c>serve</c> at start and <c>govmail check</c>).</summary>
    public Task VerifyAsync(CancellationToken ct) =>
        Call(() => client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, MaxKeys = 1 }, ct), bucket);

    public void Dispose() => client.Dispose();

    private async Task<long> UploadAsync(string name, Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        var upload = new S3UploadStream(client, bucket, name, partSize);
        try
        {
            await write(upload, ct);
            await Call(() => upload.CompleteAsync(ct), name);
            return upload.Length;
        }
        catch
        {
            await upload.AbortAsync();
            throw;
        }
    }

    private string ObjectName(string key) =>
        FileBlobStore.IsValidKey(key) ? prefix + key : throw new ArgumentException($"not a blob key: {key}", nameof(key));

    /// <summary>Runs an S3 call, turning "no such object" into <see cref="FileNotFoundException"/> and other failures into <see cref="IOException"/>.</summary>
    internal static async Task<T> Call<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            throw new FileNotFoundException($"object store: {what} not found", what, e);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            throw new IOException($"object store: {what}: {e.Message}", e);
        }
    }

    internal static Task Call(Func<Task> call, string what) => Call(async () => { await call(); return true; }, what);
}
