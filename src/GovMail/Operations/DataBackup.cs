using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using GovMail.Cli;
using GovMail.Core.Progress;
using GovMail.Core;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;

namespace GovMail.Operations;

/// <summary>What a backup holds, written last into it: a backup without it is incomplete and is refused by restore.</summary>
public sealed record BackupManifest(int Format, DateTimeOffset CreatedAt, string Provider, int Blobs, long BlobBytes, int BlobsCopied,
    int DroppedMessages, string? BlobStore = null, IReadOnlyList<string>? DroppedBlobs = null)
{
    public const string FileName = "govmail-backup.json";
    public const int CurrentFormat = 1;
}

/// <summary>
/// <c>govmail backup</c> and <c>govmail restore</c> for a data folder on the embedded database. The backup is consistent while
/// mail keeps arriving: blobs are immutable and durable before their rows commit, so copying every blob, then taking the
/// database as of one commit (SQLite online backup), then copying the blobs made meanwhile leaves every row with its body.
/// A body deleted between the snapshot and the second pass (mail expunged during the backup) takes its rows out of the copy.
/// Into a folder the backup is incremental: blobs already there are not copied again, and those no longer used are removed.
/// Blobs are read from the configured store, a folder or an S3 bucket alike, and land in the backup as files (<c>blobs/xx/yy/key</c>),
/// so a backup never depends on the bucket it came from; a restore puts them into the store the restored configuration names.
/// </summary>
public sealed class DataBackup(string dataDirectory, GovMailDatabase database, IBlobStore? blobs = null)
{
    private const string BlobFolder = "blobs";
    private const string FilesFolder = "files";

    /// <summary>Parts of the data folder that are not copied as files: the database (copied by snapshot), blobs (copied by key), work in progress.</summary>
    private static readonly string[] NotFiles = [DatabaseSnapshot.SqliteFileName, DatabaseSnapshot.SqliteFileName + "-wal",
        DatabaseSnapshot.SqliteFileName + "-shm", BlobFolder, "spool"];

    private static bool IsArchive(string path) => path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase);

    public async Task<BackupManifest> BackupAsync(string output, IProgressCounter progress, TimeProvider clock, CancellationToken ct)
    {
        output = Path.GetFullPath(output);
        if (IsInside(output, dataDirectory)) throw new CliException(Problem.Of("BackupInsideData", output));
        var archive = IsArchive(output);
        var target = archive ? Path.Combine(Path.GetDirectoryName(output)!, ".govmail-backup-" + Guid.NewGuid().ToString("N")[..8]) : output;
        if (!archive && File.Exists(output)) throw new CliException(Problem.Of("BackupTargetIsFile", output));
        if (!archive && Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any() && !File.Exists(Path.Combine(output, BackupManifest.FileName)))
            throw new CliException(Problem.Of("BackupTargetNotABackup", output));
        Directory.CreateDirectory(target);
        try
        {
            // An earlier backup in the same folder is incomplete from now until the new manifest is written.
            File.Delete(Path.Combine(target, BackupManifest.FileName));
            var blobsTo = Path.Combine(target, BlobFolder);
            var copied = await CopyBlobsAsync(blobsTo, progress, ct);
            var postgres = database.Settings.Provider == DatabaseProvider.Postgres;
            HashSet<string> referenced;
            GovMailDatabase? copy = null;
            if (postgres)
            {
                File.Delete(Path.Combine(target, DatabaseSnapshot.SqliteFileName));
                referenced = await PostgresDump.DumpAsync(database, Path.Combine(target, PostgresDump.FileName), ct);
            }
            else
            {
                File.Delete(Path.Combine(target, PostgresDump.FileName));
                var dbFile = Path.Combine(target, DatabaseSnapshot.SqliteFileName);
                DatabaseSnapshot.CopySqlite(database, dbFile);
                copy = new GovMailDatabase(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={dbFile};Pooling=False"));
                referenced = await DatabaseSnapshot.BlobKeysAsync(copy, ct);
            }
            copied += await CopyBlobsAsync(blobsTo, progress, ct);

            var present = BlobFiles(blobsTo).ToDictionary(f => Path.GetFileName(f), StringComparer.Ordinal);
            var missing = referenced.Where(k => !present.ContainsKey(k)).ToHashSet(StringComparer.Ordinal);
            // A dump cannot be edited: the keys of bodies deleted meanwhile go into the manifest and restore drops their rows.
            var dropped = copy is null ? missing.Count : await DatabaseSnapshot.DropMessagesWithoutBlobsAsync(copy, missing, ct);
            long bytes = 0;
            var kept = 0;
            foreach (var (key, file) in present)
            {
                if (referenced.Contains(key))
                {
                    bytes += new FileInfo(file).Length;
                    kept++;
                }
                else File.Delete(file); // a body no longer used (expunged since an earlier backup, or never committed)
            }
            CopyFiles(target);
            var manifest = new BackupManifest(BackupManifest.CurrentFormat, clock.GetUtcNow(), postgres ? "postgres" : "sqlite", kept, bytes, copied, dropped,
                blobs is S3BlobStore ? "s3" : "file", postgres ? missing.Order(StringComparer.Ordinal).ToList() : null);
            await WriteDurablyAsync(Path.Combine(target, BackupManifest.FileName), JsonSerializer.SerializeToUtf8Bytes(manifest, CliOutput.JsonOptions), ct);
            if (archive) await PackAsync(target, output, ct);
            return manifest;
        }
        finally
        {
            if (archive && Directory.Exists(target)) Directory.Delete(target, recursive: true);
        }
    }

    /// <summary>
    /// Rebuilds the (empty or absent) data folder from a backup folder or archive; returns the backup's manifest. The bodies go into
    /// the store <paramref name="restoredStore"/> opens once the data folder's files (govmail.json) are back: a folder, or a bucket
    /// (objects already there are kept).
    /// </summary>
    public async Task<(BackupManifest Manifest, int Messages)> RestoreAsync(string source, Func<IBlobStore> restoredStore, IProgressCounter progress,
        CancellationToken ct)
    {
        source = Path.GetFullPath(source);
        if (Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any())
            throw new CliException(Problem.Of("RestoreTargetNotEmpty", dataDirectory));
        if (!File.Exists(source) && !Directory.Exists(source)) throw new CliException(Problem.Of("FileNotFound", source));
        var unpacked = File.Exists(source) ? Path.Combine(Path.GetTempPath(), "govmail-restore-" + Guid.NewGuid().ToString("N")[..8]) : null;
        try
        {
            var from = source;
            if (unpacked is not null)
            {
                await UnpackAsync(source, unpacked, ct);
                from = unpacked;
            }
            var manifestFile = Path.Combine(from, BackupManifest.FileName);
            if (!File.Exists(manifestFile)) throw new CliException(Problem.Of("RestoreNotABackup", source));
            var manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllBytesAsync(manifestFile, ct), CliOutput.JsonOptions)
                ?? throw new CliException(Problem.Of("RestoreNotABackup", source));
            if (manifest.Format != BackupManifest.CurrentFormat) throw new CliException(Problem.Of("RestoreUnknownFormat", manifest.Format));
            var postgres = database.Settings.Provider == DatabaseProvider.Postgres;
            if (postgres != (manifest.Provider == "postgres"))
                throw new CliException(Problem.Of("RestoreOtherDatabase", manifest.Provider, postgres ? "postgres" : "sqlite"));
            if (postgres) await PostgresDump.RequireEmptyAsync(database, ct);

            Directory.CreateDirectory(dataDirectory);
            var files = Path.Combine(from, FilesFolder);
            if (Directory.Exists(files)) CopyTree(files, dataDirectory);
            var store = restoredStore();
            await RestoreBlobsAsync(Path.Combine(from, BlobFolder), store, progress, ct);
            GovMailDatabase restored;
            if (postgres)
            {
                await PostgresDump.RestoreAsync(database, Path.Combine(from, PostgresDump.FileName), ct);
                await DatabaseSnapshot.DropMessagesWithoutBlobsAsync(database, (manifest.DroppedBlobs ?? []).ToHashSet(StringComparer.Ordinal), ct);
                restored = database;
            }
            else
            {
                var dbFile = Path.Combine(dataDirectory, DatabaseSnapshot.SqliteFileName);
                File.Copy(Path.Combine(from, DatabaseSnapshot.SqliteFileName), dbFile);
                using (var f = new FileStream(dbFile, FileMode.Open, FileAccess.ReadWrite)) f.Flush(flushToDisk: true);
                restored = new GovMailDatabase(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={dbFile};Pooling=False"));
            }

            // Every body the restored database names must be there.
            var keys = await DatabaseSnapshot.BlobKeysAsync(restored, ct);
            var present = await store.ListAsync(ct).Select(b => b.Key).ToHashSetAsync(StringComparer.Ordinal, ct);
            var lost = keys.Count(k => !present.Contains(k));
            if (lost > 0) throw new CliException(Problem.Of("RestoreBlobsMissing", lost));
            await database.MigrateAsync(ct);
            await using var db = database.Open();
            return (manifest, db.Messages.Count());
        }
        finally
        {
            if (unpacked is not null && Directory.Exists(unpacked)) Directory.Delete(unpacked, recursive: true);
        }
    }

    /// <summary>Blob files (<c>xx/yy/key</c>) under a blob folder, without the temporary writes of <c>tmp/</c>.</summary>
    private static IEnumerable<string> BlobFiles(string root) =>
        !Directory.Exists(root) ? [] : Directory.EnumerateDirectories(root)
            .Where(d => Path.GetFileName(d) != "tmp")
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories));

    /// <summary>Copies the blobs of the store that the backup lacks (a blob never changes, so present with its size means done). Returns how many.</summary>
    private async Task<int> CopyBlobsAsync(string to, IProgressCounter progress, CancellationToken ct)
    {
        var todo = new List<(string Key, string To)>();
        var store = blobs ?? throw new InvalidOperationException("a backup reads the configured blob store");
        await foreach (var blob in store.ListAsync(ct))
        {
            var target = Path.Combine(to, blob.Key[..2], blob.Key[2..4], blob.Key);
            if (!File.Exists(target) || new FileInfo(target).Length != blob.Size) todo.Add((blob.Key, target));
        }
        progress.Begin(Messages.Get("BackupCopyingBlobs"), todo.Count);
        var copied = 0;
        foreach (var (key, target) in todo)
        {
            ct.ThrowIfCancellationRequested();
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var temp = target + ".partial";
            try
            {
                await using (var input = await store.OpenReadAsync(key, ct))
                await using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write))
                {
                    await input.CopyToAsync(output, ct);
                    output.Flush(flushToDisk: true);
                }
                File.Move(temp, target, overwrite: true);
                copied++;
            }
            catch (FileNotFoundException)
            {
                // Deleted (expunged) since it was listed: nothing to keep.
                File.Delete(temp);
            }
            progress.Advance();
        }
        return copied;
    }

    /// <summary>Puts the backup's blob files into the restored store under their keys.</summary>
    private static async Task RestoreBlobsAsync(string from, IBlobStore store, IProgressCounter progress, CancellationToken ct)
    {
        var files = BlobFiles(from).ToList();
        progress.Begin(Messages.Get("BackupCopyingBlobs"), files.Count);
        foreach (var file in files)
        {
            await using (var input = File.OpenRead(file)) await store.CopyInAsync(Path.GetFileName(file), input, ct);
            progress.Advance();
        }
    }

    /// <summary>The rest of the data folder (TLS certificate, DKIM keys, govmail.json…) into <c>files/</c>.</summary>
    private void CopyFiles(string target)
    {
        var files = Path.Combine(target, FilesFolder);
        if (Directory.Exists(files)) Directory.Delete(files, recursive: true);
        Directory.CreateDirectory(files);
        foreach (var entry in Directory.EnumerateFileSystemEntries(dataDirectory))
        {
            var name = Path.GetFileName(entry);
            if (NotFiles.Contains(name, StringComparer.Ordinal) || name.StartsWith('.')) continue;
            if (Directory.Exists(entry)) CopyTree(entry, Path.Combine(files, name));
            else File.Copy(entry, Path.Combine(files, name));
        }
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    private static async Task WriteDurablyAsync(string path, byte[] content, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        await file.WriteAsync(content, ct);
        file.Flush(flushToDisk: true);
    }

    private static async Task PackAsync(string folder, string archive, CancellationToken ct)
    {
        var temp = archive + ".partial";
        await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            await using (var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true))
                await TarFile.CreateFromDirectoryAsync(folder, gzip, includeBaseDirectory: false, ct);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, archive, overwrite: true);
    }

    private static async Task UnpackAsync(string archive, string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        try
        {
            await using var file = File.OpenRead(archive);
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            await TarFile.ExtractToDirectoryAsync(gzip, folder, overwriteFiles: false, ct);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException and not FileNotFoundException)
        {
            throw new CliException(Problem.Of("RestoreNotABackup", archive));
        }
    }

    private static bool IsInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(folder), path);
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }
}
