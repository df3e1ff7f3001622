using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace GovMail.Storage.Blobs;

/// <summary>
/// The write side of an S3 put: collects up to one part; a body that fits goes up in one PUT at <see cref="CompleteAsync"/>, a
/// larger one becomes a multipart upload whose full parts are sent as they fill (from <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>).
/// Each request carries its Content-MD5, so the store refuses a part damaged on the way.
/// </summary>
internal sealed class S3UploadStream(IAmazonS3 client, string bucket, string name, int partSize) : Stream
{
    private readonly MemoryStream _part = new();
    private readonly List<PartETag> _sent = [];
    private string? _uploadId;
    private long _length;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>A synchronous write only collects; full parts go up at the next asynchronous write or at the end.</summary>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _part.Write(buffer);
        _length += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        while (buffer.Length > 0)
        {
            var room = (int)Math.Min(buffer.Length, Math.Max(0, partSize - _part.Length));
            if (room == 0)
            {
                await SendPartAsync(ct);
                continue;
            }
            _part.Write(buffer.Span[..room]);
            _length += room;
            buffer = buffer[room..];
        }
        if (_part.Length >= partSize) await SendPartAsync(ct);
    }

    public override void Flush() { }

    public override Task FlushAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Sends what is left and returns once the store holds the whole object.</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        if (_uploadId is null)
        {
            await client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = name,
                InputStream = Content(),
                MD5Digest = Md5(),
                ContentType = "message/rfc822",
                UseChunkEncoding = false,
                AutoCloseStream = false,
            }, ct);
            return;
        }
        if (_part.Length > 0 || _sent.Count == 0) await SendPartAsync(ct);
        await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = name,
            UploadId = _uploadId,
            PartETags = _sent,
        }, ct);
        _uploadId = null;
    }

    /// <summary>Gives up an unfinished multipart upload, so the store frees its parts (best effort: the cleanup job retries).</summary>
    public async Task AbortAsync()
    {
        if (_uploadId is null) return;
        try
        {
            await client.AbortMultipartUploadAsync(bucket, name, _uploadId);
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or IOException)
        {
            // Left for OrphanCleanup (S3BlobStore.RemoveAbandonedWritesAsync).
        }
        _uploadId = null;
    }

    private async Task SendPartAsync(CancellationToken ct)
    {
        _uploadId ??= (await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket,
            Key = name,
            ContentType = "message/rfc822",
        }, ct)).UploadId;
        var number = _sent.Count + 1;
        var response = await client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = name,
            UploadId = _uploadId,
            PartNumber = number,
            InputStream = Content(),
            PartSize = _part.Length,
            MD5Digest = Md5(),
            UseChunkEncoding = false,
        }, ct);
        _sent.Add(new PartETag(number, response.ETag));
        _part.SetLength(0);
    }

    private MemoryStream Content() => new(_part.GetBuffer(), 0, (int)_part.Length, writable: false);

    private string Md5() => Convert.ToBase64String(MD5.HashData(_part.GetBuffer().AsSpan(0, (int)_part.Length)));

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
