using System.Buffers;

namespace GovMail.Smtp.Protocol;

/// <summary>
/// The temporary file a message is written to while it arrives, through one pooled buffer, so a session never holds a
/// whole message in memory. It counts every octet; past the size limit it keeps counting but stops writing, so the
/// session can read the rest of the data and refuse the message without losing step with the client.
/// </summary>
public sealed class MessageSpool : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly FileStream _file;
    private byte[]? _buffer;
    private int _buffered;
    private bool _closed;

    private MessageSpool(string path, FileStream file, long maxSize)
    {
        FilePath = path;
        _file = file;
        MaxSize = maxSize;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    public string FilePath { get; }
    public long MaxSize { get; }

    /// <summary>Octets received so far, including any past the limit.</summary>
    public long Size { get; private set; }

    public bool IsOverLimit => Size > MaxSize;

    /// <summary>Why the file could not be written (a full disk, say); the rest of the data is then only counted.</summary>
    public Exception? WriteError { get; private set; }

    /// <summary>Free room in the buffer; write into it, then <see cref="Advance"/>. Empty when the buffer is full.</summary>
    public Span<byte> FreeSpace => Buffer.AsSpan(_buffered);

    public static MessageSpool Create(string directory, string name, long maxSize)
    {
        var path = Path.Combine(directory, name);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.Read | FileShare.Delete,
            Options = FileOptions.Asynchronous,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return new MessageSpool(path, new FileStream(path, options), maxSize);
    }

    public void Advance(int count)
    {
        _buffered += count;
        Size += count;
    }

    /// <summary>Copies bytes in as they came (BDAT), writing the buffer out whenever it fills.</summary>
    public async ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken ct)
    {
        foreach (var segment in data)
        {
            var offset = 0;
            while (offset < segment.Length)
            {
                if (FreeSpace.IsEmpty) await FlushBufferAsync(ct);
                var count = Math.Min(FreeSpace.Length, segment.Length - offset);
                segment.Span.Slice(offset, count).CopyTo(FreeSpace);
                Advance(count);
                offset += count;
            }
        }
    }

    /// <summary>Writes out the buffer (or, past the limit, drops it).</summary>
    public async ValueTask FlushBufferAsync(CancellationToken ct)
    {
        if (_buffered == 0) return;
        if (!IsOverLimit && WriteError is null)
        {
            try
            {
                await _file.WriteAsync(Buffer.AsMemory(0, _buffered), ct);
            }
            catch (IOException e)
            {
                WriteError = e;
            }
        }
        _buffered = 0;
    }

    /// <summary>Writes out what is buffered and closes the file, which is then ready for the sink.</summary>
    public async ValueTask CloseAsync(CancellationToken ct)
    {
        if (_closed) return;
        await FlushBufferAsync(ct);
        try
        {
            await _file.FlushAsync(ct);
        }
        catch (IOException e)
        {
            WriteError ??= e;
        }
        await _file.DisposeAsync();
        _closed = true;
        ReturnBuffer();
    }

    /// <summary>Closes the file if still open and removes it unless the sink has taken it away.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_closed)
        {
            _closed = true;
            await _file.DisposeAsync();
        }
        ReturnBuffer();
        try
        {
            File.Delete(FilePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file that cannot be removed is left behind rather than failing the session over it.
        }
    }

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(MessageSpool));

    private void ReturnBuffer()
    {
        if (_buffer is null) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }
}
