using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using GovMail.Core.Progress;
using GovMail.Core;
using GovMail.Core.Mail;
using GovMail.Storage.Mail;
using MimeKit;

namespace GovMail.Migration;

/// <summary>One message found in an export: its position in its folder (the resume point), flags, keywords, date and how to read its bytes.</summary>
public sealed record FileMessage(uint Position, MessageFlags Flags, IReadOnlyList<string> Keywords, DateTimeOffset? InternalDate,
    Func<Stream, CancellationToken, Task> Write);

/// <summary>One folder of an export: its name at the source, where it lands in GovMail, and its messages in order.</summary>
public sealed record FileFolder(string SourceName, string TargetName, MailboxRole Role, IEnumerable<FileMessage> Messages);

/// <summary>
/// Imports mail exported as files, Maildir (Maildir++ with Dovecot's keyword file) and mbox, into one account. Each folder's
/// position commits with each message (as for <see cref="ImapMigration"/>), so an interrupted import resumes, and an mbox
/// that grew at its end (or a Maildir whose new files sort last) gives only the new messages on a second run.
/// </summary>
public sealed class FileMailImport(MailImport import, Storage.Directory.AccountDirectory accounts)
{
    public async Task<AccountMigrationResult> ImportAsync(string address, string source, IReadOnlyList<FileFolder> folders,
        IProgressCounter progress, CancellationToken ct)
    {
        var result = new AccountMigrationResult(address);
        var found = await accounts.FindAsync(address, ct);
        if (!found.IsOk)
        {
            result.Error = found.Problem;
            return result;
        }
        var accountId = found.Value!.Account.Id;
        var plan = new List<(FileFolder Folder, uint After, List<FileMessage> Messages)>();
        foreach (var folder in folders)
        {
            var done = await import.ProgressAsync(accountId, source, folder.SourceName, ct);
            var after = done?.LastUid ?? 0;
            result.AlreadyThere += done?.Messages ?? 0;
            plan.Add((folder, after, folder.Messages.Where(m => m.Position > after).ToList()));
            result.Folders++;
        }
        progress.Begin(address, plan.Sum(p => p.Messages.Count));
        foreach (var (folder, _, messages) in plan)
        {
            var target = await import.TargetMailboxAsync(accountId, folder.TargetName, folder.Role, ct);
            foreach (var m in messages)
            {
                long size = 0;
                var outcome = await import.CopyAsync(target, source, folder.SourceName, 1, m.Position,
                    async (stream, c) => { await m.Write(stream, c); size = stream.Position; }, m.Flags, m.Keywords, m.InternalDate, ct);
                if (result.Record(outcome, $"{folder.SourceName} #{m.Position}", target.Name, size)) progress.Advance();
                else if (result.Error is not null) return result;
            }
        }
        return result;
    }

    /// <summary>
    /// The folders of a Maildir++ tree: the root is INBOX, each <c>.Name</c> (levels separated by dots, modified UTF-7) a folder; messages of
    /// <c>cur</c> and <c>new</c> in file-name order; flags from the <c>:2,</c> suffix, keywords through <c>dovecot-keywords</c>,
    /// the internal date from the file's time (as Dovecot keeps it).
    /// </summary>
    public static IReadOnlyList<FileFolder> Maildir(string root)
    {
        var folders = new List<FileFolder> { MaildirFolder(root, "INBOX", "INBOX") };
        foreach (var dir in Directory.EnumerateDirectories(root, ".*").OrderBy(d => d, StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir)[1..];
            if (name.Length == 0 || !Directory.Exists(Path.Combine(dir, "cur"))) continue;
            // Dovecot (and Courier) keep folder names on disk in IMAP's modified UTF-7: ".C&APQ-ng v&AQM-n &ARE-&ABo-n".
            if (name.Contains('&') && Imap.Protocol.ModifiedUtf7.TryDecode(name, out var decoded)) name = decoded;
            var target = FolderNames.Target(name.Split('.'));
            folders.Add(MaildirFolder(dir, name, target));
        }
        return folders;
    }

    private static FileFolder MaildirFolder(string dir, string sourceName, string target)
    {
        var keywordNames = new Dictionary<char, string>();
        var keywordFile = Path.Combine(dir, "dovecot-keywords");
        if (File.Exists(keywordFile))
            foreach (var line in File.ReadLines(keywordFile))
                if (line.Split(' ', 2) is [var index, var keyword] && int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < 26)
                    keywordNames[(char)('a' + i)] = keyword;
        // Dovecot's UID list gives the order its IMAP shows; files it does not list come after, by name (which starts with the time).
        var uids = new Dictionary<string, long>(StringComparer.Ordinal);
        var uidList = Path.Combine(dir, "dovecot-uidlist");
        if (File.Exists(uidList))
            foreach (var line in File.ReadLines(uidList).Skip(1))
                if (line.IndexOf(' ') is > 0 and var space && long.TryParse(line[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                    && line.IndexOf(':', space) is > 0 and var colon)
                    uids[line[(colon + 1)..]] = uid;
        var files = new[] { "cur", "new" }.Select(sub => Path.Combine(dir, sub)).Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Select(f => (File: f, Base: Path.GetFileName(f).Split(':')[0]))
            .OrderBy(f => uids.TryGetValue(f.Base, out var u) ? u : long.MaxValue).ThenBy(f => f.Base, StringComparer.Ordinal)
            .Select(f => f.File).ToList();
        var messages = files.Select((file, i) =>
        {
            var info = Path.GetFileName(file).Split(":2,", 2) is [_, var letters] ? letters : "";
            var flags = MessageFlags.None;
            var keywords = new List<string>();
            foreach (var c in info)
            {
                flags |= c switch
                {
                    'S' => MessageFlags.Seen,
                    'R' => MessageFlags.Answered,
                    'F' => MessageFlags.Flagged,
                    'T' => MessageFlags.Deleted,
                    'D' => MessageFlags.Draft,
                    _ => MessageFlags.None,
                };
                if (keywordNames.TryGetValue(c, out var keyword)) keywords.Add(keyword);
            }
            return new FileMessage((uint)(i + 1), flags, keywords, new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero),
                (stream, ct) => WriteCrlfAsync(File.ReadAllBytes(file), stream, ct));
        }).ToList();
        return new FileFolder(sourceName, target, FolderNames.RoleOf(sourceName), messages);
    }

    /// <summary>
    /// The folders of a zip that <c>govmail mailbox export</c> wrote (<see cref="MailboxExport"/>): a directory per folder with
    /// <c>folder.json</c> and its <c>.eml</c> files, or one <c>.mbox</c> per folder; a zip of <c>.eml</c> files without
    /// <c>folder.json</c> (from elsewhere) gives a folder per directory, without flags. Refuses a file that is not a zip.
    /// </summary>
    public static ExportArchive Zip(string path)
    {
        ZipArchive zip;
        try { zip = ZipFile.OpenRead(path); }
        catch (InvalidDataException) { throw new Cli.CliException(Problem.Of("MailboxImportNotAnExport", path)); }
        var archive = new ExportArchive(zip);
        try
        {
            var manifests = zip.Entries.Where(e => e.Name == ExportedFolder.FileName).ToList();
            foreach (var manifest in manifests)
            {
                ExportedFolder? folder;
                try
                {
                    using var json = manifest.Open();
                    folder = JsonSerializer.Deserialize<ExportedFolder>(json, Cli.CliOutput.JsonOptions);
                }
                catch (JsonException) { folder = null; }
                if (folder is null || string.IsNullOrEmpty(folder.Folder)) throw new Cli.CliException(Problem.Of("MailboxImportNotAnExport", path));
                var directory = manifest.FullName[..^manifest.Name.Length];
                var messages = folder.Messages.OrderBy(m => m.Uid).Select((m, i) =>
                    zip.GetEntry(directory + m.File) is { } entry
                        ? new FileMessage((uint)(i + 1), MailboxExport.Parse(m.Flags), m.Keywords, m.InternalDate, (stream, ct) => CopyEntryAsync(entry, stream, ct))
                        : throw new Cli.CliException(Problem.Of("MailboxImportNotAnExport", path))).ToList();
                archive.Folders.Add(new FileFolder(folder.Folder, folder.Folder, folder.Role, messages));
            }
            foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".mbox", StringComparison.OrdinalIgnoreCase)))
            {
                var name = entry.FullName[..^".mbox".Length];
                var file = Path.Combine(archive.TemporaryFolder, archive.Folders.Count + ".mbox");
                entry.ExtractToFile(file);
                archive.Folders.Add(Mbox(file, name, name, FolderNames.RoleOf(name)));
            }
            var listed = manifests.Select(m => m.FullName[..^m.Name.Length]).ToHashSet(StringComparer.Ordinal);
            foreach (var loose in zip.Entries.Where(e => e.FullName.EndsWith(".eml", StringComparison.OrdinalIgnoreCase))
                         .GroupBy(e => e.FullName[..^e.Name.Length]).Where(g => !listed.Contains(g.Key)))
            {
                var name = loose.Key.TrimEnd('/') is { Length: > 0 } n ? n : "INBOX";
                archive.Folders.Add(new FileFolder(name, name, FolderNames.RoleOf(name), loose.OrderBy(e => e.FullName, StringComparer.Ordinal)
                    .Select((e, i) => new FileMessage((uint)(i + 1), MessageFlags.None, [], null, (stream, ct) => CopyEntryAsync(e, stream, ct))).ToList()));
            }
            if (archive.Folders.Count == 0) throw new Cli.CliException(Problem.Of("MailboxImportNotAnExport", path));
            return archive;
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    private static async Task CopyEntryAsync(ZipArchiveEntry entry, Stream to, CancellationToken ct)
    {
        await using var from = entry.Open();
        await from.CopyToAsync(to, ct);
    }

    /// <summary>
    /// The messages of an mbox file in order, each exactly as the file holds it between its <c>From </c> line and the next
    /// (mboxrd quoting undone, the flag headers taken out: <see cref="MboxFormat"/>); flags from <c>Status</c> and <c>X-Status</c>,
    /// keywords from <c>X-Keywords</c>, dates from the <c>From </c> lines.
    /// </summary>
    public static FileFolder Mbox(string path, string target) => Mbox(path, Path.GetFileName(path), target, FolderNames.RoleOf(target));

    /// <inheritdoc cref="Mbox(string, string)"/>
    public static FileFolder Mbox(string path, string sourceName, string target, MailboxRole role)
    {
        return new FileFolder(sourceName, target, role, Read());

        IEnumerable<FileMessage> Read()
        {
            using var file = File.OpenRead(path);
            if (file.Length == 0) yield break; // an empty folder
            var parser = new MimeParser(file, MimeFormat.Mbox);
            uint position = 0;
            (long Offset, MimeMessage Message, string? Marker)? previous = null;
            while (!parser.IsEndOfStream)
            {
                var message = parser.ParseMessage();
                if (previous is { } p) yield return Found(++position, p.Offset, parser.MboxMarkerOffset, p.Message, p.Marker);
                previous = (parser.MboxMarkerOffset, message, parser.MboxMarker);
            }
            if (previous is { } last) yield return Found(++position, last.Offset, file.Length, last.Message, last.Marker);
        }

        FileMessage Found(uint position, long from, long to, MimeMessage message, string? marker) =>
            new(position, MboxFormat.Flags(message.Headers["Status"], message.Headers["X-Status"]),
                MboxFormat.Keywords(message.Headers["X-Keywords"]),
                MboxFormat.MarkerDate(marker) ?? (message.Headers.Contains(HeaderId.Date) ? message.Date : null),
                async (stream, ct) => await WriteCrlfAsync(MboxFormat.Unquote(await ReadMessageAsync(path, from, to, ct)), stream, ct));
    }

    /// <summary>The bytes of one mbox message: from the line after its <c>From </c> line (at <paramref name="from"/>) up to <paramref name="to"/>.</summary>
    private static async Task<byte[]> ReadMessageAsync(string path, long from, long to, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        file.Position = from;
        var bytes = new byte[to - from];
        await file.ReadExactlyAsync(bytes, ct);
        var body = Array.IndexOf(bytes, (byte)'\n') + 1;
        return body == 0 ? [] : bytes[body..];
    }

    /// <summary>Writes the message with CRLF line ends, what IMAP serves and counts (a Maildir file usually holds bare LF).</summary>
    private static async Task WriteCrlfAsync(byte[] bytes, Stream stream, CancellationToken ct)
    {
        var output = new MemoryStream(bytes.Length + bytes.Length / 30);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) output.WriteByte((byte)'\r');
            output.WriteByte(bytes[i]);
        }
        output.Position = 0;
        await output.CopyToAsync(stream, ct);
    }

}

/// <summary>An export zip opened for import: its folders, read from the zip (or from its mbox files unpacked beside) while it is open.</summary>
public sealed class ExportArchive(ZipArchive zip) : IDisposable
{
    public List<FileFolder> Folders { get; } = [];

    /// <summary>Where the mbox files of the zip are unpacked (the mbox reader needs a file it can seek in).</summary>
    public string TemporaryFolder { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "govmail-import-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    public void Dispose()
    {
        zip.Dispose();
        try { Directory.Delete(TemporaryFolder, recursive: true); }
        catch (IOException) { /* a temporary folder left behind is harmless */ }
    }
}
