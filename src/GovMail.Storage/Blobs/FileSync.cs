using System.Runtime.InteropServices;

namespace GovMail.Storage.Blobs;

/// <summary>fsync of a directory, so that a renamed file's directory entry survives a crash (POSIX only; a no-op elsewhere).</summary>
internal static partial class FileSync
{
    private const int ReadOnly = 0;

    public static void Directory(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = Open(path, ReadOnly);
        if (fd < 0) return;
        try { _ = Fsync(fd); }
        finally { _ = Close(fd); }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
