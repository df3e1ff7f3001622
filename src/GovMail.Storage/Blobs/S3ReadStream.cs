using Amazon.S3;
using Amazon.S3.Model;

namespace GovMail.Storage.Blobs;

/// <summary>
/// A seekable read of one object: reads go on from the open response; after a seek the next read asks for the rest of the
/// object from the new position (an HTTP range request), so IMAP's partial fetches do not download what they skip.
/// </summary>
internal sealed class S3ReadStream : Stream
{
    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly string _name;
    private readonly long _length;
    private GetObjectResponse? _response;
    private long _responsePosition;
    private long _position;

    public S3ReadStream(IAmazonS3 client, string bucket, string name, GetObjectResponse response)
    {
        _client = client;
        _bucket = bucket;
        _name = name;
        _response = response;
        _length = response.ContentLength;
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => _length + offset,
    };

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= _length || buffer.Length == 0) return 0;
        if (_response is null || _responsePosition != _position)
            // A synchronous read after a seek (MimeKit's synchronous parsers); the SDK only offers the request asynchronously.
            Task.Run(() => ReopenAsync(CancellationToken.None)).GetAwaiter().GetResult();
        var n = _response!.ResponseStream.Read(buffer);
        Advance(n);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (_position >= _length || buffer.Length == 0) return 0;
        if (_response is null || _responsePosition != _position) await ReopenAsync(ct);
        int n;
        try
        {
            n = await _response!.ResponseStream.ReadAsync(buffer, ct);
        }
        catch (HttpRequestException e)
        {
            throw new IOException($"object store: {_name}: {e.Message}", e);
        }
        Advance(n);
        return n;
    }

    private void Advance(int n)
    {
        if (n == 0 && _position < _length) throw new IOException($"object store: {_name} ended at {_position} of {_length} octets");
        _position += n;
        _responsePosition = _position;
    }

    private async Task ReopenAsync(CancellationToken ct)
    {
        _response?.Dispose();
        _response = null;
        var request = new GetObjectRequest { BucketName = _bucket, Key = _name, ByteRange = new ByteRange(_position, _length - 1) };
        _response = await S3BlobStore.Call(() => _client.GetObjectAsync(request, ct), _name);
        _responsePosition = _position;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _response?.Dispose();
            _response = null;
        }
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
