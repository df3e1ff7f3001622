using GovMail.Core.Mail;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GovMail.Storage.Mail;

// Mailboxes an account makes, renames, deletes and subscribes to (IMAP CREATE, RENAME, DELETE, SUBSCRIBE; later the web).
public sealed partial class MailStore
{
    /// <summary>The hierarchy separator of mailbox names.</summary>
    public const char Separator = '/';

    private static readonly Lock UidValidityLock = new();
    private static uint _lastUidValidity;

    /// <summary>
    /// Most expunge-log entries kept per mailbox for QRESYNC (VANISHED); older ones are dropped and a client that
    /// synchronised before them is told which of its UIDs are gone rather than exactly when.
    /// </summary>
    public int ExpungeLogLimit { get; init; } = DefaultExpungeLogLimit;

    public const int DefaultExpungeLogLimit = 10_000;

    /// <summary>Where changes are announced after they commit; null announces nothing.</summary>
    public MailboxNotifications? Notifications { get; init; }

    /// <summary>Where the bodies of expunged messages are deleted once no mailbox holds them; null leaves them for a sweep.</summary>
    public IBlobStore? Blobs { get; init; }

    /// <summary>
    /// Creates a mailbox, and the parents its name implies that do not exist yet (<c>a/b/c</c> makes <c>a</c> and <c>a/b</c>),
    /// with a special use if one is asked for (RFC 6154 CREATE-SPECIAL-USE): <see cref="MailboxOutcome.SpecialUse"/> when
    /// the account already has the one mailbox that role allows.
    /// </summary>
    public async Task<MailboxOutcome> CreateMailboxAsync(Guid accountId, string name, CancellationToken ct = default,
        MailboxRole role = MailboxRole.None)
    {
        var now = clock.GetUtcNow();
        await using var db = database.Open();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var mailboxes = await db.Mailboxes.Where(m => m.AccountId == accountId).Select(m => new { m.Name, m.Role }).ToListAsync(ct);
        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in mailboxes) existing.Add(m.Name);
        if (existing.Contains(name)) return MailboxOutcome.AlreadyExists;
        if (StandardMailboxes.IsOnePerAccount(role) && mailboxes.Exists(m => m.Role == role)) return MailboxOutcome.SpecialUse;
        foreach (var parent in ParentsOf(name))
            if (existing.Add(parent)) db.Mailboxes.Add(CreatedMailbox(accountId, parent, now));
        var created = CreatedMailbox(accountId, name, now);
        created.Role = role;
        db.Mailboxes.Add(created);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another session created the same name in the meantime (unique index on account and name).
            return MailboxOutcome.AlreadyExists;
        }
        return MailboxOutcome.Done;
    }

    /// <summary>
    /// Deletes a mailbox the user made, with its messages (quota given back). Mailboxes with a special use and mailboxes
    /// that still have children are kept.
    /// </summary>
    public async Task<MailboxOutcome> DeleteMailboxAsync(Guid accountId, string name, CancellationToken ct = default)
    {
        long mailboxId;
        List<string> orphans;
        await using (var db = database.Open())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var mailbox = await db.Mailboxes.AsNoTracking().FirstOrDefaultAsync(m => m.AccountId == accountId && m.Name == name, ct);
            if (mailbox is null) return MailboxOutcome.NotFound;
            if (StandardMailboxes.IsOnePerAccount(mailbox.Role) || StandardMailboxes.IsStandard(mailbox.Name, mailbox.Role))
                return MailboxOutcome.SpecialUse;
            var prefix = name + Separator;
            if (await db.Mailboxes.AnyAsync(m => m.AccountId == accountId && m.Name.StartsWith(prefix), ct)) return MailboxOutcome.HasChildren;
            mailboxId = mailbox.Id;
            var rows = await (from m in db.MailboxMessages.AsNoTracking()
                              where m.MailboxId == mailboxId
                              join s in db.Messages on m.MessageId equals s.Id
                              select new RemovedRow(m.Id, m.Uid, m.MessageId, m.Size, s.BlobKey, 0, 0)).ToListAsync(ct);
            orphans = await RemoveRowsAsync(db, accountId, rows, ct);
            await db.Mailboxes.Where(m => m.Id == mailboxId).ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
        }
        await DeleteBlobsAsync(orphans, ct);
        Notifications?.Publish(new MailboxChange(mailboxId, MailboxChangeKind.MailboxChanged, 0));
        return MailboxOutcome.Done;
    }

    /// <summary>
    /// Renames a mailbox and its children (<c>a</c> → <c>b</c> renames <c>a/x</c> to <c>b/x</c>). Renaming INBOX moves all
    /// its messages to a new mailbox and leaves INBOX empty (RFC 3501 section 6.3.5).
    /// </summary>
    public async Task<MailboxOutcome> RenameMailboxAsync(Guid accountId, string from, string to, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var changed = new List<(long Id, MailboxChangeKind Kind)>();
        await using (var db = database.Open())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var mailboxes = await db.Mailboxes.Where(m => m.AccountId == accountId).ToListAsync(ct);
            var byName = mailboxes.ToDictionary(m => m.Name, StringComparer.Ordinal);
            if (!byName.TryGetValue(from, out var source)) return MailboxOutcome.NotFound;
            if (byName.ContainsKey(to)) return MailboxOutcome.AlreadyExists;
            if (to.StartsWith(from + Separator, StringComparison.Ordinal)) return MailboxOutcome.Refused;
            try
            {
                if (source.Role == MailboxRole.Inbox)
                {
                    foreach (var parent in ParentsOf(to))
                        if (!byName.ContainsKey(parent)) db.Mailboxes.Add(CreatedMailbox(accountId, parent, now));
                    var target = CreatedMailbox(accountId, to, now);
                    // The messages keep their UIDs, so the new mailbox continues INBOX's UID and MODSEQ counters.
                    target.UidNext = source.UidNext;
                    target.HighestModSeq = source.HighestModSeq + 1;
                    db.Mailboxes.Add(target);
                    source.HighestModSeq += 1;
                    await db.SaveChangesAsync(ct);
                    await db.MailboxMessages.Where(m => m.MailboxId == source.Id)
                        .ExecuteUpdateAsync(s => s.SetProperty(m => m.MailboxId, target.Id), ct);
                    changed.Add((source.Id, MailboxChangeKind.MessagesExpunged));
                }
                else
                {
                    var renamed = mailboxes.Where(m => m.Name == from || m.Name.StartsWith(from + Separator, StringComparison.Ordinal)).ToList();
                    foreach (var m in renamed)
                    {
                        var newName = to + m.Name[from.Length..];
                        if (byName.ContainsKey(newName)) return MailboxOutcome.AlreadyExists;
                        m.Name = newName;
                        changed.Add((m.Id, MailboxChangeKind.MailboxChanged));
                    }
                    var names = new HashSet<string>(mailboxes.Select(m => m.Name), StringComparer.Ordinal);
                    foreach (var parent in ParentsOf(to))
                        if (names.Add(parent)) db.Mailboxes.Add(CreatedMailbox(accountId, parent, now));
                    await db.SaveChangesAsync(ct);
                }
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another session took the name in the meantime (unique index on account and name).
                return MailboxOutcome.AlreadyExists;
            }
        }
        foreach (var (id, kind) in changed) Notifications?.Publish(new MailboxChange(id, kind, 0));
        return MailboxOutcome.Done;
    }

    /// <summary>Marks a mailbox subscribed or not (LSUB, LIST (SUBSCRIBED)).</summary>
    public async Task<MailboxOutcome> SetSubscribedAsync(Guid accountId, string name, bool subscribed, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var updated = await db.Mailboxes.Where(m => m.AccountId == accountId && m.Name == name)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Subscribed, subscribed), ct);
        return updated == 0 ? MailboxOutcome.NotFound : MailboxOutcome.Done;
    }

    /// <summary>The names above <paramref name="name"/> in the hierarchy, outermost first.</summary>
    public static IEnumerable<string> ParentsOf(string name)
    {
        for (var i = name.IndexOf(Separator); i > 0; i = name.IndexOf(Separator, i + 1))
            yield return name[..i];
    }

    private Mailbox CreatedMailbox(Guid accountId, string name, DateTimeOffset now)
    {
        var mailbox = NewMailbox(accountId, name, MailboxRole.None, now);
        // A name deleted and made again in the same second must not get the same UIDVALIDITY (its UIDs start over).
        lock (UidValidityLock)
        {
            _lastUidValidity = Math.Max(mailbox.UidValidity, _lastUidValidity + 1);
            mailbox.UidValidity = _lastUidValidity;
        }
        return mailbox;
    }

    /// <summary>
    /// Takes <paramref name="uids"/> UIDs (possibly none) and <paramref name="modSeqs"/> new MODSEQs (the first is returned) of a mailbox; the UPDATE locks its row until
    /// the transaction ends, which orders every change of one mailbox. Null when the mailbox is gone.
    /// </summary>
    private static async Task<Allocation?> AllocateAsync(GovMailDbContext db, long mailboxId, int uids, CancellationToken ct,
        int modSeqs = 1)
    {
        var connection = db.Database.GetDbConnection();
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        cmd.CommandText = """UPDATE mailboxes SET "UidNext" = "UidNext" + @n, "HighestModSeq" = "HighestModSeq" + @m WHERE "Id" = @id RETURNING "UidNext", "HighestModSeq", "UidValidity" """;
        var id = cmd.CreateParameter();
        id.ParameterName = "@id";
        id.Value = mailboxId;
        cmd.Parameters.Add(id);
        var n = cmd.CreateParameter();
        n.ParameterName = "@n";
        n.Value = (long)uids;
        cmd.Parameters.Add(n);
        var m = cmd.CreateParameter();
        m.ParameterName = "@m";
        m.Value = (long)modSeqs;
        cmd.Parameters.Add(m);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        var next = Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        var modSeq = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        var validity = Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture);
        return new Allocation((uint)(next - uids), modSeq - modSeqs + 1, (uint)validity);
    }

    private readonly record struct Allocation(uint FirstUid, long ModSeq, uint UidValidity)
    {
        /// <summary>
        /// Whether rows read before this allocation, when the mailbox was at <paramref name="mailboxModSeq"/> under
        /// <paramref name="uidValidity"/>, are still right: every change of a mailbox's messages takes a MODSEQ of it under
        /// the writer's lock, so when this allocation took the very next one, nothing changed in between.
        /// </summary>
        public bool NothingChangedSince(long mailboxModSeq, uint uidValidity) => ModSeq == mailboxModSeq + 1 && UidValidity == uidValidity;
    }
}

/// <summary>How a change to a mailbox or its messages went.</summary>
public enum MailboxOutcome
{
    Done,
    NotFound,
    AlreadyExists,
    /// <summary>INBOX, Sent, Drafts… cannot be deleted; a second Sent, Drafts, Trash or Junk cannot be made.</summary>
    SpecialUse,
    /// <summary>Delete the children first.</summary>
    HasChildren,
    /// <summary>The account's quota has no room for it.</summary>
    OverQuota,
    /// <summary>Not possible, e.g. renaming a mailbox into its own child or too many keywords.</summary>
    Refused,
}
