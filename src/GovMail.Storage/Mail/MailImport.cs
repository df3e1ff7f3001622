using GovMail.Core.Mail;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Mail;

/// <summary>
/// How far a migration from another mail system has copied one source folder into one account: the source folder's
/// UIDVALIDITY and the highest source UID (or position, for Maildir and mbox) copied, so an interrupted run resumes and a
/// later run copies only what came after. Written in the same transaction as each copied message.
/// </summary>
public sealed class ImportedFolder
{
    public Guid AccountId { get; set; }

    /// <summary>Where the mail came from, e.g. <c>imaps://mail.old.gov.vn/an.nv</c> or <c>mbox:/srv/export/an.mbox</c>.</summary>
    public required string Source { get; set; }

    /// <summary>The folder's name at the source, as the source spells it.</summary>
    public required string SourceFolder { get; set; }

    public uint UidValidity { get; set; }

    /// <summary>The highest source UID copied so far.</summary>
    public uint LastUid { get; set; }

    /// <summary>Messages copied from this folder over every run.</summary>
    public long Messages { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// Files messages copied from another mail system into GovMail mailboxes: each message's bytes go to a durable blob, are
/// parsed like received mail, and are appended with their flags, keywords and internal date; the folder's progress row
/// commits with the message, so a run killed at any moment resumes without losing or repeating a message.
/// </summary>
public sealed class MailImport(GovMailDatabase database, IBlobStore blobs, TimeProvider clock)
{
    /// <summary>Longest folder name kept in <see cref="ImportedFolder.SourceFolder"/>.</summary>
    public const int MaxSourceFolderLength = 500;

    /// <summary>Longest source kept in <see cref="ImportedFolder.Source"/>; a longer one (a deep path) is shortened with its hash.</summary>
    public const int MaxSourceLength = 300;

    private readonly MailStore _store = new(database, clock);

    private static string Key(string source) => source.Length <= MaxSourceLength ? source
        : source[..(MaxSourceLength - 17)] + "#" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(source)))[..16];

    /// <summary>The progress of one source folder, or null before its first message.</summary>
    public async Task<ImportedFolder?> ProgressAsync(Guid accountId, string source, string sourceFolder, CancellationToken ct)
    {
        source = Key(source);
        await using var db = database.Open();
        return await db.ImportedFolders.AsNoTracking()
            .FirstOrDefaultAsync(f => f.AccountId == accountId && f.Source == source && f.SourceFolder == sourceFolder, ct);
    }

    /// <summary>Forgets a source folder's progress (its UIDVALIDITY changed: the old UIDs mean nothing any more).</summary>
    public async Task ResetAsync(Guid accountId, string source, string sourceFolder, CancellationToken ct)
    {
        source = Key(source);
        await using var db = database.Open();
        await db.ImportedFolders.Where(f => f.AccountId == accountId && f.Source == source && f.SourceFolder == sourceFolder).ExecuteDeleteAsync(ct);
    }

    /// <summary>
    /// The mailbox that receives a source folder: the account's own mailbox with the same special use (Sent, Drafts, Trash,
    /// Junk, Archive; INBOX for INBOX), else the mailbox of that name, made (with its parents) when missing.
    /// </summary>
    public async Task<MailboxInfo> TargetMailboxAsync(Guid accountId, string name, MailboxRole role, CancellationToken ct)
    {
        var queries = new MailboxQueries(database);
        var mailboxes = await queries.ListAsync(accountId, ct);
        if (role != MailboxRole.None && mailboxes.FirstOrDefault(m => m.Role == role) is { } special) return special;
        if (mailboxes.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal)) is { } named) return named;
        var outcome = await _store.CreateMailboxAsync(accountId, name, ct);
        if (outcome is not (MailboxOutcome.Done or MailboxOutcome.AlreadyExists))
            throw new InvalidOperationException($"mailbox '{name}' could not be created: {outcome}");
        return await queries.FindAsync(accountId, name, ct) ?? throw new InvalidOperationException($"mailbox '{name}' vanished");
    }

    /// <summary>
    /// Copies one message: <paramref name="write"/> writes its bytes exactly as the source holds them. Returns the outcome
    /// (<see cref="MailboxOutcome.OverQuota"/> when the account has no room); nothing is kept unless it is Done.
    /// </summary>
    public async Task<MailboxOutcome> CopyAsync(MailboxInfo target, string source, string sourceFolder, uint uidValidity, uint uid,
        Func<Stream, CancellationToken, Task> write, MessageFlags flags, IEnumerable<string> keywords, DateTimeOffset? internalDate,
        CancellationToken ct)
    {
        source = Key(source);
        var (key, size, parsed) = await blobs.PutMessageAsync(write, ct);
        var keep = false;
        try
        {
            var keywordText = string.Join(' ', keywords.Where(IsKeyword).Distinct(StringComparer.OrdinalIgnoreCase));
            var now = clock.GetUtcNow();
            var result = await _store.AppendAsync(target.Id, target.AccountId, new NewMessage(key, size, parsed, internalDate), flags,
                keywordText.Length == 0 ? null : keywordText, ct,
                async (db, c) =>
                {
                    var row = await db.ImportedFolders.FirstOrDefaultAsync(
                        f => f.AccountId == target.AccountId && f.Source == source && f.SourceFolder == sourceFolder, c);
                    if (row is null)
                    {
                        row = new ImportedFolder { AccountId = target.AccountId, Source = source, SourceFolder = sourceFolder };
                        db.ImportedFolders.Add(row);
                    }
                    row.UidValidity = uidValidity;
                    row.LastUid = Math.Max(row.LastUid, uid);
                    row.Messages++;
                    row.UpdatedAt = now;
                });
            keep = result.Outcome == MailboxOutcome.Done;
            return result.Outcome;
        }
        finally
        {
            if (!keep) await blobs.DeleteAsync(key, CancellationToken.None);
        }
    }

    /// <summary>An IMAP keyword GovMail can store: an atom without the characters IMAP forbids, not a system flag.</summary>
    private static bool IsKeyword(string k) =>
        k.Length is > 0 and <= 100 && !k.StartsWith('\\') && k.All(c => c > ' ' && c < 127 && "(){%*\"]\\".IndexOf(c) < 0);
}
