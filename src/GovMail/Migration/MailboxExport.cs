using System.IO.Compression;
using System.Text;
using System.Text.Json;
using GovMail.Cli;
using GovMail.Core.Mail;
using GovMail.Core.Progress;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;

namespace GovMail.Migration;

/// <summary>How <c>govmail mailbox export</c> writes an account's mail.</summary>
public enum MailboxExportFormat
{
    /// <summary>One folder as one mbox file.</summary>
    Mbox,
    /// <summary>A zip with one mbox file per folder (<c>INBOX.mbox</c>, <c>Công văn đến/2024.mbox</c>).</summary>
    MboxZip,
    /// <summary>A zip with a directory per folder holding one <c>.eml</c> file per message and <see cref="ExportedFolder"/> as <c>folder.json</c>.</summary>
    EmlZip,
}

/// <summary>The <c>folder.json</c> of an <c>.eml</c> export: the folder, its special use and each message's file, UID, flags, keywords and internal date.</summary>
public sealed record ExportedFolder(string Folder, MailboxRole Role, uint UidValidity, IReadOnlyList<ExportedMessage> Messages)
{
    public const string FileName = "folder.json";
}

/// <summary>One message of an <see cref="ExportedFolder"/>; its flags as IMAP names them (<c>\Seen</c>, <c>\Answered</c>…).</summary>
public sealed record ExportedMessage(string File, uint Uid, IReadOnlyList<string> Flags, IReadOnlyList<string> Keywords, DateTimeOffset InternalDate, long Size);

/// <summary>What an export wrote.</summary>
public sealed record MailboxExportSummary(int Folders, int Messages, long Bytes);

/// <summary>
/// Writes the mail of one account (every folder, or one) as mbox or as a zip of <c>.eml</c> files, each message byte for byte as
/// stored, with its flags, keywords and internal date; <c>govmail mailbox import</c> (<see cref="FileMailImport"/>) reads both back.
/// The file appears complete or not at all (written beside it, then renamed).
/// </summary>
public sealed class MailboxExport(GovMailDatabase database, IBlobStore blobs)
{
    private const int Page = 1000;

    private static readonly (MessageFlags Flag, string Name)[] FlagNames =
        [(MessageFlags.Seen, "\\Seen"), (MessageFlags.Answered, "\\Answered"), (MessageFlags.Flagged, "\\Flagged"),
         (MessageFlags.Deleted, "\\Deleted"), (MessageFlags.Draft, "\\Draft")];

    public static IReadOnlyList<string> Names(MessageFlags flags) =>
        FlagNames.Where(f => (flags & f.Flag) != 0).Select(f => f.Name).ToList();

    public static MessageFlags Parse(IEnumerable<string> names) =>
        names.Aggregate(MessageFlags.None, (all, name) => all | FlagNames.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).Flag);

    /// <summary>Exports <paramref name="mailboxes"/> (of one account) to <paramref name="output"/>.</summary>
    public async Task<MailboxExportSummary> ExportAsync(IReadOnlyList<MailboxInfo> mailboxes, string output, MailboxExportFormat format,
        IProgressCounter progress, CancellationToken ct)
    {
        var partial = output + ".partial";
        var messages = 0;
        long bytes = 0;
        try
        {
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write))
            {
                if (format == MailboxExportFormat.Mbox)
                    (messages, bytes) = await WriteMboxAsync(mailboxes.Single(), file, progress, ct);
                else
                {
                    using var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
                    foreach (var mailbox in mailboxes)
                    {
                        var (n, b) = format == MailboxExportFormat.MboxZip
                            ? await WriteMboxEntryAsync(zip, mailbox, progress, ct)
                            : await WriteEmlFolderAsync(zip, mailbox, progress, ct);
                        messages += n;
                        bytes += b;
                    }
                }
                file.Flush(flushToDisk: true);
            }
            File.Move(partial, output, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
        return new MailboxExportSummary(mailboxes.Count, messages, bytes);
    }

    private async Task<(int, long)> WriteMboxEntryAsync(ZipArchive zip, MailboxInfo mailbox, IProgressCounter progress, CancellationToken ct)
    {
        await using var entry = zip.CreateEntry(mailbox.Name + ".mbox", CompressionLevel.Fastest).Open();
        return await WriteMboxAsync(mailbox, entry, progress, ct);
    }

    private async Task<(int, long)> WriteMboxAsync(MailboxInfo mailbox, Stream to, IProgressCounter progress, CancellationToken ct)
    {
        var rows = await RowsAsync(mailbox, ct);
        progress.Begin(mailbox.Name, rows.Count);
        var count = 0;
        long bytes = 0;
        var buffer = new MemoryStream();
        foreach (var row in rows)
        {
            if (await ReadAsync(row, ct) is not { } message) continue;
            buffer.SetLength(0);
            buffer.Write(Encoding.ASCII.GetBytes(MboxFormat.FromLine(row.InternalDate)));
            buffer.Write(Encoding.UTF8.GetBytes(MboxFormat.FlagLines(row.Flags, Keywords(row))));
            MboxFormat.Quote(message, buffer);
            if (message.Length > 0 && message[^1] != (byte)'\n') buffer.Write("\r\n"u8);
            buffer.Write("\r\n"u8);
            buffer.Position = 0;
            await buffer.CopyToAsync(to, ct);
            count++;
            bytes += message.Length;
            progress.Advance();
        }
        return (count, bytes);
    }

    private async Task<(int, long)> WriteEmlFolderAsync(ZipArchive zip, MailboxInfo mailbox, IProgressCounter progress, CancellationToken ct)
    {
        var rows = await RowsAsync(mailbox, ct);
        progress.Begin(mailbox.Name, rows.Count);
        var listed = new List<ExportedMessage>();
        long bytes = 0;
        foreach (var row in rows)
        {
            if (await ReadAsync(row, ct) is not { } message) continue;
            var name = row.Uid + ".eml";
            await using (var entry = zip.CreateEntry(mailbox.Name + "/" + name, CompressionLevel.Fastest).Open())
                await entry.WriteAsync(message, ct);
            listed.Add(new ExportedMessage(name, row.Uid, Names(row.Flags), Keywords(row), row.InternalDate, message.Length));
            bytes += message.Length;
            progress.Advance();
        }
        await using (var entry = zip.CreateEntry(mailbox.Name + "/" + ExportedFolder.FileName, CompressionLevel.Fastest).Open())
            await JsonSerializer.SerializeAsync(entry, new ExportedFolder(mailbox.Name, mailbox.Role, mailbox.UidValidity, listed), CliOutput.JsonOptions, ct);
        return (listed.Count, bytes);
    }

    private async Task<List<MessageRow>> RowsAsync(MailboxInfo mailbox, CancellationToken ct)
    {
        var queries = new MailboxQueries(database);
        var all = new List<MessageRow>();
        for (uint from = 1; ;)
        {
            var page = await queries.FetchAsync(mailbox.Id, from, uint.MaxValue, Page, content: true, ct);
            all.AddRange(page);
            if (page.Count < Page) return all;
            from = page[^1].Uid + 1;
        }
    }

    /// <summary>The stored bytes of a message, or null when it was expunged (its body deleted) since the list was read.</summary>
    private async Task<byte[]?> ReadAsync(MessageRow row, CancellationToken ct)
    {
        try
        {
            await using var stream = await blobs.OpenReadAsync(row.BlobKey!, ct);
            var copy = new MemoryStream((int)Math.Min(row.Size, int.MaxValue));
            await stream.CopyToAsync(copy, ct);
            return copy.ToArray();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static IReadOnlyList<string> Keywords(MessageRow row) =>
        (row.Keywords ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
