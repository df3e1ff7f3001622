using System.Text;
using GovMail.Storage.Blobs;
using GovMail.Storage.Mail;
using GovMail.Testing;

namespace GovMail.Storage.Tests.Blobs;

/// <summary>
/// What every <see cref="IBlobStore"/> promises, run against the folder store and against a real S3-compatible server (s3rver):
/// a put is readable byte for byte once it returns, reads seek, a missing body is <see cref="FileNotFoundException"/>, large
/// bodies and concurrent puts come back whole, a failed write leaves nothing behind.
/// </summary>
public abstract class BlobStoreContractTests
{
    protected abstract IBlobStore Store { get; }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<byte[]> ReadAllAsync(IBlobStore store, string key)
    {
        await using var read = await store.OpenReadAsync(key, CancellationToken.None);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task A_put_blob_reads_back_byte_for_byte_exists_and_is_gone_after_delete()
    {
        var body = "Subject: Công văn số 12\r\n\r\nKính gửi các phòng ban.\r\n"u8.ToArray();
        var (key, size) = await Store.PutAsync((s, ct) => s.WriteAsync(body, ct).AsTask(), CancellationToken.None);
        Assert.Equal(body.Length, size);
        Assert.True(await Store.ExistsAsync(key, CancellationToken.None));
        Assert.Equal(body, await ReadAllAsync(Store, key));
        await using (var read = await Store.OpenReadAsync(key, CancellationToken.None)) Assert.Equal(body.Length, read.Length);
        Assert.Contains(await Store.ListAsync(CancellationToken.None).ToListAsync(), b => b.Key == key && b.Size == body.Length);

        await Store.DeleteAsync(key, CancellationToken.None);
        Assert.False(await Store.ExistsAsync(key, CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(async () => await ReadAllAsync(Store, key));
        Assert.False(await Store.ExistsAsync("../../etc/passwd", CancellationToken.None));
    }

    [Theory]
    [InlineData(2_000)]
    [InlineData(6 * 1024 * 1024)] // past the in-memory copy: summarised from a temporary file
    public async Task A_message_put_with_its_summary_is_summarised_exactly_as_its_stored_bytes(int attachment)
    {
        var text = new StringBuilder("From: \"Nguyễn Văn An\" <nvan@tphcm.gov.vn>\r\nTo: ldthinh@tphcm.gov.vn\r\n")
            .Append("Subject: =?utf-8?B?").Append(Convert.ToBase64String("Công văn số 12"u8)).Append("?=\r\n")
            .Append("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n")
            .Append("--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nKính gửi các phòng ban.\r\n")
            .Append("--b1\r\nContent-Type: application/octet-stream; name=\"bao-cao.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .Append(Convert.ToBase64String(Bytes(attachment, seed: 3), Base64FormattingOptions.InsertLineBreaks)).Append("\r\n--b1--\r\n");
        var body = Encoding.UTF8.GetBytes(text.ToString());

        var stored = await Store.PutMessageAsync(async (s, ct) =>
        {
            for (var at = 0; at < body.Length; at += 65536) await s.WriteAsync(body.AsMemory(at, Math.Min(65536, body.Length - at)), ct);
        }, CancellationToken.None);

        Assert.Equal(body.Length, stored.Size);
        Assert.Equal(body, await ReadAllAsync(Store, stored.Key));
        MessageSummaryBuilder.Result expected;
        await using (var read = await Store.OpenReadAsync(stored.Key, CancellationToken.None)) expected = MessageSummaryBuilder.Build(read);
        Assert.Equal(expected.Summary.ToJson(), stored.Parsed.Summary.ToJson());
        Assert.Equal((expected.HeaderLength, expected.SearchText, expected.Preview, expected.HasAttachments),
            (stored.Parsed.HeaderLength, stored.Parsed.SearchText, stored.Parsed.Preview, stored.Parsed.HasAttachments));
        Assert.Equal("Công văn số 12", stored.Parsed.Subject);
    }

    [Theory]
    [InlineData(2_000)]
    [InlineData(6 * 1024 * 1024)]
    public async Task A_message_put_with_its_summary_is_never_read_back_from_the_store(int attachment)
    {
        var body = Encoding.UTF8.GetBytes("From: nvan@tphcm.gov.vn\r\nSubject: =?utf-8?B?" + Convert.ToBase64String("Báo cáo tháng 11"u8)
            + "?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nKính gửi.\r\n" + Convert.ToBase64String(Bytes(attachment, seed: 4)) + "\r\n");
        var counting = new CountingReads(Store);

        var streamed = await counting.PutMessageAsync(async (s, ct) =>
        {
            for (var at = 0; at < body.Length; at += 65536) await s.WriteAsync(body.AsMemory(at, Math.Min(65536, body.Length - at)), ct);
        }, CancellationToken.None, expectedSize: body.Length);
        var whole = await counting.PutMessageAsync(body, CancellationToken.None);

        Assert.Equal(0, counting.Reads);
        foreach (var stored in new[] { streamed, whole })
        {
            Assert.Equal("Báo cáo tháng 11", stored.Parsed.Subject);
            Assert.Equal(body.Length, stored.Size);
            Assert.Equal(body, await ReadAllAsync(Store, stored.Key));
        }
    }

    /// <summary>A store that counts the blobs opened for reading through it.</summary>
    private sealed class CountingReads(IBlobStore inner) : IBlobStore
    {
        public int Reads;

        public Task<(string Key, long Size)> PutAsync(Func<Stream, CancellationToken, Task> write, CancellationToken ct) => inner.PutAsync(write, ct);

        public Task<Stream> OpenReadAsync(string key, CancellationToken ct)
        {
            Interlocked.Increment(ref Reads);
            return inner.OpenReadAsync(key, ct);
        }

        public Task<bool> ExistsAsync(string key, CancellationToken ct) => inner.ExistsAsync(key, ct);
        public Task DeleteAsync(string key, CancellationToken ct) => inner.DeleteAsync(key, ct);
        public IAsyncEnumerable<BlobEntry> ListAsync(CancellationToken ct) => inner.ListAsync(ct);
        public Task CopyInAsync(string key, Stream content, CancellationToken ct) => inner.CopyInAsync(key, content, ct);
        public Task<int> RemoveAbandonedWritesAsync(DateTimeOffset cutoff, CancellationToken ct) => inner.RemoveAbandonedWritesAsync(cutoff, ct);
    }

    [Fact]
    public async Task A_large_blob_written_in_pieces_reads_back_whole_and_from_any_position()
    {
        var body = Bytes(13 * 1024 * 1024 + 17, seed: 8);
        var (key, size) = await Store.PutAsync(async (s, ct) =>
        {
            // As the SMTP pipeline writes: many small writes, a synchronous one among them.
            for (var at = 0; at < body.Length; at += 65536)
            {
                var piece = body.AsMemory(at, Math.Min(65536, body.Length - at));
                if (at == 65536) s.Write(piece.Span);
                else await s.WriteAsync(piece, ct);
            }
        }, CancellationToken.None);
        Assert.Equal(body.Length, size);
        Assert.Equal(body, await ReadAllAsync(Store, key));

        await using var read = await Store.OpenReadAsync(key, CancellationToken.None);
        Assert.True(read.CanSeek);
        var slice = new byte[1000];
        read.Seek(7 * 1024 * 1024 + 3, SeekOrigin.Begin);
        await read.ReadExactlyAsync(slice);
        Assert.Equal(body.AsSpan(7 * 1024 * 1024 + 3, 1000).ToArray(), slice);
        read.Seek(10, SeekOrigin.Begin);
        read.ReadExactly(slice); // a synchronous read after a seek, as MimeKit's parser makes
        Assert.Equal(body.AsSpan(10, 1000).ToArray(), slice);
    }

    [Fact]
    public async Task Concurrent_puts_each_get_their_own_key_and_body()
    {
        var bodies = Enumerable.Range(0, 16).Select(i => Bytes(1000 + i * 5000, seed: i)).ToArray();
        var puts = await Task.WhenAll(bodies.Select(b => Store.PutAsync((s, ct) => s.WriteAsync(b, ct).AsTask(), CancellationToken.None)));
        Assert.Equal(bodies.Length, puts.Select(p => p.Key).Distinct().Count());
        for (var i = 0; i < bodies.Length; i++) Assert.Equal(bodies[i], await ReadAllAsync(Store, puts[i].Key));
    }

    [Fact]
    public async Task A_write_that_fails_leaves_no_blob_and_a_copied_in_blob_keeps_its_key()
    {
        var before = (await Store.ListAsync(CancellationToken.None).ToListAsync()).Count;
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.PutAsync(async (s, ct) =>
        {
            await s.WriteAsync(Bytes(6 * 1024 * 1024, seed: 3), ct);
            throw new InvalidOperationException("the client went away");
        }, CancellationToken.None));
        Assert.Equal(before, (await Store.ListAsync(CancellationToken.None).ToListAsync()).Count);

        var key = "0001" + Guid.NewGuid().ToString("N")[..28];
        var body = Bytes(4096, seed: 5);
        await Store.CopyInAsync(key, new MemoryStream(body), CancellationToken.None);
        await Store.CopyInAsync(key, new MemoryStream(Bytes(10, seed: 6)), CancellationToken.None); // present: kept as it was
        Assert.Equal(body, await ReadAllAsync(Store, key));
    }
}

public sealed class FileBlobStoreContractTests : BlobStoreContractTests, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "govmail-blobs-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly FileBlobStore _store;

    public FileBlobStoreContractTests() => _store = new FileBlobStore(_folder);

    protected override IBlobStore Store => _store;

    public void Dispose() => System.IO.Directory.Delete(_folder, recursive: true);
}

/// <summary>One s3rver for the S3 contract tests.</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public S3rverInstance Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await S3rverInstance.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A store over the fixture's bucket under its own prefix, with the smallest part size S3 allows.</summary>
    public IBlobStore Open(string prefix) => new BlobStoreOptions
    {
        Kind = "s3",
        Endpoint = Server.Endpoint,
        Bucket = Server.Bucket,
        AccessKey = S3rverInstance.AccessKey,
        SecretKey = S3rverInstance.SecretKey,
        Prefix = prefix,
        PartSizeMegabytes = 5,
    }.Open("/nonexistent");
}

public sealed class S3BlobStoreContractTests(S3rverFixture s3) : BlobStoreContractTests, IClassFixture<S3rverFixture>, IDisposable
{
    private readonly IBlobStore _store = s3.Open("test-" + Guid.NewGuid().ToString("N")[..8] + "/");

    protected override IBlobStore Store => _store;

    [Fact]
    public async Task Settings_that_cannot_work_are_named_and_an_unknown_bucket_is_an_io_error()
    {
        Assert.Equal("BlobS3SettingMissing", new BlobStoreOptions { Kind = "s3", AccessKey = "a", SecretKey = "b" }.Problem()?.Code);
        Assert.Equal("BlobKindUnknown", new BlobStoreOptions { Kind = "nfs" }.Problem()?.Code);
        Assert.Null(new BlobStoreOptions().Problem());
        var wrong = (S3BlobStore)new BlobStoreOptions
        {
            Kind = "s3", Endpoint = s3.Server.Endpoint, Bucket = "khong-co", AccessKey = S3rverInstance.AccessKey, SecretKey = S3rverInstance.SecretKey,
        }.Open("/nonexistent");
        await Assert.ThrowsAnyAsync<IOException>(() => wrong.VerifyAsync(CancellationToken.None));
        await ((S3BlobStore)_store).VerifyAsync(CancellationToken.None);
    }

    public void Dispose() => ((IDisposable)_store).Dispose();
}
