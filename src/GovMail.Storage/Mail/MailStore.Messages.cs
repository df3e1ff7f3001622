using GovMail.Core.Mail;
using GovMail.Core.Usage;
using GovMail.Storage.Database;
using GovMail.Storage.Usage;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Mail;

// What mail clients do to messages: append, flag, copy, move, expunge. Each change takes a new MODSEQ of its mailbox
// (and UIDs for new messages) under the mailbox row's lock, keeps the quota counters right, and is announced after commit.
public sealed partial class MailStore
{
    /// <summary>Longest keyword list of one message, as stored (the column holds 1000 characters).</summary>
    public const int MaxKeywordsLength = 1000;

    /// <summary>
    /// Files a message a client uploaded (IMAP APPEND) or a migration copied into a mailbox of its account, within the
    /// account's quota. <paramref name="inSameCommit"/> adds the caller's own rows to the same transaction (a migration's
    /// progress), so they are committed exactly when the message is.
    /// </summary>
    public async Task<AppendResult> AppendAsync(long mailboxId, Guid accountId, NewMessage message, MessageFlags flags, string? keywords,
        CancellationToken ct = default, Func<GovMailDbContext, CancellationToken, Task>? inSameCommit = null)
    {
        if (keywords is { Length: > MaxKeywordsLength }) return new AppendResult(MailboxOutcome.Refused, 0, 0);
        var now = clock.GetUtcNow();
        var result = await ChangeAsync(async (db, scope, ct) =>
        {
            if (await AllocateAsync(db, mailboxId, 1, ct) is not { } allocation) return new AppendResult(MailboxOutcome.NotFound, 0, 0);
            if (!await TakeRoomAsync(db, accountId, message.Size, 1, ct))
            {
                scope.Discard();
                return new AppendResult(MailboxOutcome.OverQuota, 0, 0);
            }
            var stored = Stored(message, message.InternalDate ?? now);
            db.Messages.Add(stored);
            db.MailboxMessages.Add(new MailboxMessage
            {
                MailboxId = mailboxId,
                MessageId = stored.Id,
                Uid = allocation.FirstUid,
                ModSeq = allocation.ModSeq,
                Flags = flags,
                Keywords = string.IsNullOrEmpty(keywords) ? null : keywords,
                InternalDate = stored.ReceivedAt,
                Size = stored.Size,
                SavedAt = now,
            }.WithSortKeys(stored.Subject, stored.FromName, stored.FromAddress));
            if (inSameCommit is not null) await inSameCommit(db, ct);
            await db.SaveChangesAsync(ct);
            return new AppendResult(MailboxOutcome.Done, allocation.UidValidity, allocation.FirstUid) { ModSeq = allocation.ModSeq };
        }, ct);
        if (result.Outcome == MailboxOutcome.Done)
            Notifications?.Publish(new MailboxChange(mailboxId, MailboxChangeKind.MessagesAdded, result.ModSeq));
        return result;
    }

    /// <summary>
    /// Sets, adds or removes flags and keywords on the messages with <paramref name="uids"/>. Messages that change get one
    /// new MODSEQ; each message the owner marks \Seen for the first time counts as read (<paramref name="reader"/>).
    /// Returns the flags of every message found, after the change.
    /// </summary>
    public async Task<FlagUpdate> StoreFlagsAsync(long mailboxId, IReadOnlyCollection<uint> uids, FlagChange change, MessageReader? reader,
        CancellationToken ct = default)
    {
        if (uids.Count == 0) return new FlagUpdate(MailboxOutcome.Done, [], [], 0);
        var set = uids as IReadOnlySet<uint> ?? new HashSet<uint>(uids);
        var (min, max) = Bounds(uids);
        // A first look without a lock: a STORE that changes nothing (a client marking read what is read) takes no MODSEQ
        // and does not queue for the writer.
        List<FlagRow> before;
        await using (var look = database.Open()) before = await FlagRowsAsync(look, mailboxId, min, max, set, ct);
        var seen = before.Count == 0 ? default : before[0];
        var modifiedBefore = TakeModified(before, change.UnchangedSince);
        if (!AnyChange(before, change)) return new FlagUpdate(MailboxOutcome.Done, ToRows(before), [], 0) { Modified = modifiedBefore };

        var now = clock.GetUtcNow();
        var update = await ChangeAsync(async (db, scope, ct) =>
        {
            if (await AllocateAsync(db, mailboxId, 0, ct) is not { } allocation) return new FlagUpdate(MailboxOutcome.NotFound, [], [], 0);
            // Under the mailbox lock: what changed since UNCHANGEDSINCE is left alone, atomically with the rest. The rows of
            // the first look are not read again when nothing changed since.
            var (rows, modified) = allocation.NothingChangedSince(seen.MailboxModSeq, seen.UidValidity)
                ? (before, modifiedBefore)
                : await FreshRowsAsync(db, mailboxId, min, max, set, change.UnchangedSince, ct);
            var result = new List<MessageFlagsRow>(rows.Count);
            var changed = new List<uint>();
            var groups = new Dictionary<(MessageFlags, string?), List<long>>();
            foreach (var row in rows)
            {
                var (flags, keywords) = Apply(row.Flags, row.Keywords, change);
                if (keywords is { Length: > MaxKeywordsLength })
                {
                    scope.Discard();
                    return new FlagUpdate(MailboxOutcome.Refused, [], [], 0);
                }
                if (flags == row.Flags && string.Equals(keywords, row.Keywords, StringComparison.Ordinal))
                {
                    result.Add(new MessageFlagsRow(row.Uid, row.ModSeq, row.Flags, row.Keywords));
                    continue;
                }
                result.Add(new MessageFlagsRow(row.Uid, allocation.ModSeq, flags, keywords));
                changed.Add(row.Uid);
                if (!groups.TryGetValue((flags, keywords), out var ids)) groups[(flags, keywords)] = ids = [];
                ids.Add(row.Id);
                if (reader is not null && (row.Flags & MessageFlags.Seen) == 0 && (flags & MessageFlags.Seen) != 0)
                    UsageRecorder.Add(db, reader.Address, reader.AccountId, UsageKind.Read, reader.Protocol, reader.RemoteAddress, now, reader.KeeperAccountId);
            }
            if (changed.Count == 0)
            {
                // Someone else made the same change between the two looks: nothing to write, no MODSEQ taken.
                scope.Discard();
                return new FlagUpdate(MailboxOutcome.Done, result, [], 0) { Modified = modified };
            }
            foreach (var ((flags, keywords), ids) in groups) await WriterSql.SetFlagsAsync(db, ids, flags, keywords, allocation.ModSeq, ct);
            return new FlagUpdate(MailboxOutcome.Done, result, changed, allocation.ModSeq) { Modified = modified };
        }, ct);
        if (update.ModSeq > 0) Notifications?.Publish(new MailboxChange(mailboxId, MailboxChangeKind.FlagsChanged, update.ModSeq));
        return update;
    }

    /// <summary>Removes from <paramref name="rows"/> the messages changed after <paramref name="unchangedSince"/> and returns their UIDs.</summary>
    private static List<uint> TakeModified(List<FlagRow> rows, long? unchangedSince)
    {
        if (unchangedSince is not { } limit) return [];
        var modified = new List<uint>();
        foreach (var row in rows)
            if (row.ModSeq > limit) modified.Add(row.Uid);
        if (modified.Count > 0) rows.RemoveAll(r => r.ModSeq > limit);
        return modified;
    }

    /// <summary>
    /// Copies the messages with <paramref name="uids"/> to another mailbox of the same account (the bodies are shared, not
    /// duplicated on disk, but count again toward the quota); with <paramref name="move"/> they leave the source in the
    /// same transaction (RFC 6851), which costs no quota. UIDs are given in the order of the source UIDs (UIDPLUS).
    /// </summary>
    public async Task<CopyResult> CopyAsync(long sourceMailboxId, IReadOnlyCollection<uint> uids, long targetMailboxId, Guid accountId, bool move,
        CancellationToken ct = default)
    {
        if (uids.Count == 0) return new CopyResult(MailboxOutcome.Done, 0, [], [], 0);
        var set = uids as IReadOnlySet<uint> ?? new HashSet<uint>(uids);
        var (min, max) = Bounds(uids);
        var copied = await ChangeAsync(async (db, scope, ct) =>
        {
            long sourceModSeq = 0;
            if (move)
            {
                // The source changes too. Both rows are locked lowest id first, so a move from A to B and one from B to A
                // wait for each other instead of deadlocking (PostgreSQL); the target's extra MODSEQ is only a harmless gap.
                if (targetMailboxId < sourceMailboxId && await AllocateAsync(db, targetMailboxId, 0, ct) is null)
                    return Discarded(scope, MailboxOutcome.NotFound);
                if (await AllocateAsync(db, sourceMailboxId, 0, ct) is not { } source) return Discarded(scope, MailboxOutcome.NotFound);
                sourceModSeq = source.ModSeq;
            }
            var rows = await db.MailboxMessages.AsNoTracking()
                .Where(m => m.MailboxId == sourceMailboxId && m.Uid >= min && m.Uid <= max).OrderBy(m => m.Uid)
                .Select(m => new { m.Id, m.Uid, m.MessageId, m.Flags, m.Keywords, m.InternalDate, m.Size, m.SortSubject, m.SortSender })
                .ToListAsync(ct);
            rows.RemoveAll(r => !set.Contains(r.Uid));
            if (rows.Count == 0) return Discarded(scope, MailboxOutcome.Done);
            long bytes = 0;
            foreach (var r in rows) bytes += r.Size;
            if (await AllocateAsync(db, targetMailboxId, rows.Count, ct) is not { } target) return Discarded(scope, MailboxOutcome.NotFound);
            if (!move && !await TakeRoomAsync(db, accountId, bytes, rows.Count, ct)) return Discarded(scope, MailboxOutcome.OverQuota);
            var sourceUids = new List<uint>(rows.Count);
            var targetUids = new List<uint>(rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                var r = rows[i];
                sourceUids.Add(r.Uid);
                targetUids.Add(target.FirstUid + (uint)i);
                db.MailboxMessages.Add(new MailboxMessage
                {
                    MailboxId = targetMailboxId,
                    MessageId = r.MessageId,
                    Uid = target.FirstUid + (uint)i,
                    ModSeq = target.ModSeq,
                    Flags = r.Flags,
                    Keywords = r.Keywords,
                    InternalDate = r.InternalDate,
                    Size = r.Size,
                    SavedAt = clock.GetUtcNow(),
                    SortSubject = r.SortSubject,
                    SortSender = r.SortSender,
                });
            }
            await db.SaveChangesAsync(ct);
            if (move)
            {
                var ids = rows.Select(r => r.Id).ToList();
                await db.MailboxMessages.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(ct);
                await LogExpungedAsync(db, sourceMailboxId, sourceUids, sourceModSeq, ct);
            }
            return new CopyResult(MailboxOutcome.Done, target.UidValidity, sourceUids, targetUids, target.ModSeq) { SourceModSeq = sourceModSeq };
        }, ct);
        if (copied.SourceUids.Count == 0) return copied;
        Notifications?.Publish(new MailboxChange(targetMailboxId, MailboxChangeKind.MessagesAdded, copied.ModSeq));
        if (move) Notifications?.Publish(new MailboxChange(sourceMailboxId, MailboxChangeKind.MessagesExpunged, copied.SourceModSeq));
        return copied;
    }

    private static CopyResult Discarded(WriteScope scope, MailboxOutcome outcome)
    {
        scope.Discard();
        return new CopyResult(outcome, 0, [], [], 0);
    }

    /// <summary>
    /// Removes the messages marked \Deleted (only those in <paramref name="uids"/> when given, as UID EXPUNGE does) and
    /// gives their size back to the quota; a body no mailbox holds any more is deleted. Returns the UIDs removed, ascending.
    /// </summary>
    public Task<ExpungeResult> ExpungeAsync(long mailboxId, Guid accountId, IReadOnlyCollection<uint>? uids, CancellationToken ct = default) =>
        RemoveAsync(mailboxId, accountId, uids, deletedOnly: true, ct);

    /// <summary>
    /// Removes the messages with <paramref name="uids"/> whatever their flags, as an expunge does (the retention purge of Trash
    /// and Junk): quota given back, the expunge log written, IDLE told, bodies no mailbox holds any more deleted.
    /// </summary>
    public Task<ExpungeResult> PurgeAsync(long mailboxId, Guid accountId, IReadOnlyCollection<uint> uids, CancellationToken ct = default) =>
        uids.Count == 0 ? Task.FromResult(new ExpungeResult([], 0)) : RemoveAsync(mailboxId, accountId, uids, deletedOnly: false, ct);

    private async Task<ExpungeResult> RemoveAsync(long mailboxId, Guid accountId, IReadOnlyCollection<uint>? uids, bool deletedOnly, CancellationToken ct)
    {
        IReadOnlySet<uint>? set = uids is null ? null : uids as IReadOnlySet<uint> ?? new HashSet<uint>(uids);
        var (min, max) = uids is null || uids.Count == 0 ? (0u, uint.MaxValue) : Bounds(uids);
        // A first look without a lock: nothing to remove, nothing to write.
        List<RemovedRow> looked;
        await using (var look = database.Open()) looked = await RemovableAsync(look, mailboxId, min, max, deletedOnly, set, ct);
        if (looked.Count == 0) return new ExpungeResult([], 0);
        var seen = looked[0];
        var (result, orphans) = await ChangeAsync(async (db, scope, ct) =>
        {
            if (await AllocateAsync(db, mailboxId, 0, ct) is not { } allocation) return (new ExpungeResult([], 0), new List<string>());
            // As STORE does: the rows of the first look are still right when the mailbox took no MODSEQ since.
            var removed = allocation.NothingChangedSince(seen.MailboxModSeq, seen.UidValidity)
                ? looked
                : await RemovableAsync(db, mailboxId, min, max, deletedOnly, set, ct);
            if (removed.Count == 0)
            {
                scope.Discard();
                return (new ExpungeResult([], 0), []);
            }
            var orphans = await RemoveRowsAsync(db, accountId, removed, ct);
            var expunged = new List<uint>(removed.Count);
            foreach (var r in removed) expunged.Add(r.Uid);
            await LogExpungedAsync(db, mailboxId, expunged, allocation.ModSeq, ct);
            return (new ExpungeResult(expunged, allocation.ModSeq), orphans);
        }, ct);
        await DeleteBlobsAsync(orphans, ct);
        if (result.Uids.Count > 0) Notifications?.Publish(new MailboxChange(mailboxId, MailboxChangeKind.MessagesExpunged, result.ModSeq));
        return result;
    }

    private static async Task<List<RemovedRow>> RemovableAsync(GovMailDbContext db, long mailboxId, uint min, uint max, bool deletedOnly,
        IReadOnlySet<uint>? set, CancellationToken ct)
    {
        var rows = await SessionQueries.ToListAsync(SessionQueries.Removable.For(db)(db, mailboxId, min, max, deletedOnly), ct);
        if (set is not null) rows.RemoveAll(r => !set.Contains(r.Uid));
        return rows;
    }

    /// <summary>
    /// Records in the expunge log that <paramref name="uids"/> left a mailbox under <paramref name="modSeq"/> (QRESYNC
    /// VANISHED), and keeps the log of the mailbox bounded (<see cref="ExpungeLogLimit"/>).
    /// </summary>
    private async Task LogExpungedAsync(GovMailDbContext db, long mailboxId, IReadOnlyList<uint> uids, long modSeq, CancellationToken ct)
    {
        if (uids.Count == 0) return;
        await WriterSql.LogExpungedAsync(db, mailboxId, uids, modSeq, ct);
        if (ExpungeLogTally.Due(database.Settings.ConnectionString, mailboxId, uids.Count, ExpungeLogLimit / 10))
            await PruneExpungeLogAsync(db, mailboxId, ct);
    }

    /// <summary>
    /// Drops the oldest entries of a mailbox's expunge log once it holds a tenth more than <see cref="ExpungeLogLimit"/>,
    /// down to the limit, and remembers the highest MODSEQ dropped: a client resynchronising from before it gets every UID of
    /// its that no longer exists instead (RFC 7162 section 3.2.5.2). The log is counted only after another tenth of the
    /// limit was logged (<see cref="ExpungeLogTally"/>): counting a full log of 10,000 entries at every expunge cost more
    /// than the expunge.
    /// </summary>
    private async Task PruneExpungeLogAsync(GovMailDbContext db, long mailboxId, CancellationToken ct)
    {
        var log = db.ExpungedMessages.Where(m => m.MailboxId == mailboxId);
        var count = await log.CountAsync(ct);
        if (count <= ExpungeLogLimit + ExpungeLogLimit / 10) return;
        // Whole expunges go at once (they share a MODSEQ), so a few more than the excess may go.
        var cutoff = await log.OrderBy(m => m.ModSeq).Skip(count - ExpungeLogLimit - 1).Select(m => m.ModSeq).FirstAsync(ct);
        await log.Where(m => m.ModSeq <= cutoff).ExecuteDeleteAsync(ct);
        await db.Mailboxes.Where(m => m.Id == mailboxId && m.ExpungeLogPrunedModSeq < cutoff)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ExpungeLogPrunedModSeq, cutoff), ct);
    }

    /// <summary>Deletes mailbox entries, gives their size back to the quota and deletes the stored messages nothing holds any more; returns their blob keys.</summary>
    private static async Task<List<string>> RemoveRowsAsync(GovMailDbContext db, Guid accountId, List<RemovedRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return [];
        var ids = new List<long>(rows.Count);
        var keys = new Dictionary<Guid, string>();
        long bytes = 0;
        foreach (var r in rows)
        {
            ids.Add(r.Id);
            keys[r.MessageId] = r.BlobKey;
            bytes += r.Size;
        }
        await WriterSql.DeleteEntriesAsync(db, ids, ct);
        await AddQuotaAsync(db, accountId, -bytes, -rows.Count, ct);
        var candidates = keys.Keys.ToList();
        var deleted = await WriterSql.DeleteOrphanedMessagesAsync(db, candidates, ct);
        if (deleted == 0) return [];
        // Usually every body goes with its last copy; otherwise those another mailbox still holds are the ones left.
        if (deleted < candidates.Count)
            foreach (var held in await db.Messages.Where(s => candidates.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct)) keys.Remove(held);
        return [.. keys.Values];
    }

    private async Task DeleteBlobsAsync(List<string> keys, CancellationToken ct)
    {
        if (Blobs is null) return;
        foreach (var key in keys)
        {
            try
            {
                await Blobs.DeleteAsync(key, ct);
            }
            catch (IOException)
            {
                // The row is gone, so the body is unreachable; a sweep can remove what is left.
            }
        }
    }

    /// <summary>
    /// Counts <paramref name="bytes"/> and <paramref name="messages"/> more against the account's quota if it has room: one
    /// statement when the account has its usage row (the usual case), which checks and adds at once. False (nothing added)
    /// when the quota is full. Called after the mailbox row is locked, as deliveries lock mailbox rows before quota rows.
    /// </summary>
    private static async Task<bool> TakeRoomAsync(GovMailDbContext db, Guid accountId, long bytes, long messages, CancellationToken ct)
    {
        if (await WriterSql.TakeRoomAsync(db, accountId, bytes, messages, ct) == 0)
        {
            // No usage row yet, or no room.
            var quota = await SessionQueries.Quota.For(db)(db, accountId);
            if (!Fits(quota.UsedBytes, quota.LimitBytes, bytes)) return false;
            await AddToUsageRowAsync(db, accountId, bytes, messages, ct);
        }
        QuotaCounters.Begin(db, accountId, bytes);
        return true;
    }

    private static async Task<List<FlagRow>> FlagRowsAsync(GovMailDbContext db, long mailboxId, uint min, uint max, IReadOnlySet<uint> set,
        CancellationToken ct)
    {
        var rows = await SessionQueries.ToListAsync(SessionQueries.FlagRows.For(db)(db, mailboxId, min, max), ct);
        rows.RemoveAll(r => !set.Contains(r.Uid));
        return rows;
    }

    private static async Task<(List<FlagRow> Rows, List<uint> Modified)> FreshRowsAsync(GovMailDbContext db, long mailboxId, uint min, uint max,
        IReadOnlySet<uint> set, long? unchangedSince, CancellationToken ct)
    {
        var rows = await FlagRowsAsync(db, mailboxId, min, max, set, ct);
        return (rows, TakeModified(rows, unchangedSince));
    }

    private static bool AnyChange(List<FlagRow> rows, FlagChange change)
    {
        foreach (var row in rows)
        {
            var (flags, keywords) = Apply(row.Flags, row.Keywords, change);
            if (flags != row.Flags || !string.Equals(keywords, row.Keywords, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private static List<MessageFlagsRow> ToRows(List<FlagRow> rows)
    {
        var result = new List<MessageFlagsRow>(rows.Count);
        foreach (var r in rows) result.Add(new MessageFlagsRow(r.Uid, r.ModSeq, r.Flags, r.Keywords));
        return result;
    }

    /// <summary>The flags and keywords a message has after <paramref name="change"/>; keywords compare without case, as IMAP says.</summary>
    public static (MessageFlags Flags, string? Keywords) Apply(MessageFlags flags, string? keywords, FlagChange change)
    {
        switch (change.Operation)
        {
            case FlagOperation.Replace:
                return (change.Flags, Join(change.Keywords));
            case FlagOperation.Add:
            {
                if (change.Keywords.Count == 0) return (flags | change.Flags, keywords);
                var list = Split(keywords);
                foreach (var k in change.Keywords)
                    if (!list.Exists(x => string.Equals(x, k, StringComparison.OrdinalIgnoreCase))) list.Add(k);
                return (flags | change.Flags, Join(list));
            }
            default:
            {
                if (change.Keywords.Count == 0 || keywords is null) return (flags & ~change.Flags, keywords);
                var list = Split(keywords);
                list.RemoveAll(x => change.Keywords.Any(k => string.Equals(x, k, StringComparison.OrdinalIgnoreCase)));
                return (flags & ~change.Flags, Join(list));
            }
        }
    }

    private static List<string> Split(string? keywords) =>
        keywords is null ? [] : [.. keywords.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    private static string? Join(IReadOnlyList<string> keywords)
    {
        if (keywords.Count == 0) return null;
        var unique = new List<string>(keywords.Count);
        foreach (var k in keywords)
            if (!unique.Exists(x => string.Equals(x, k, StringComparison.OrdinalIgnoreCase))) unique.Add(k);
        return string.Join(' ', unique);
    }

    private static (uint Min, uint Max) Bounds(IReadOnlyCollection<uint> uids)
    {
        uint min = uint.MaxValue, max = 0;
        foreach (var uid in uids)
        {
            if (uid < min) min = uid;
            if (uid > max) max = uid;
        }
        return (min, max);
    }

    private static StoredMessage Stored(NewMessage message, DateTimeOffset receivedAt) => new()
    {
        BlobKey = message.BlobKey,
        Size = message.Size,
        ReceivedAt = receivedAt,
        Subject = message.Parsed.Subject,
        FromAddress = message.Parsed.FromAddress,
        FromName = message.Parsed.FromName,
        SentDate = message.Parsed.SentDate,
        MessageIdHeader = message.Parsed.MessageId,
        HeaderLength = message.Parsed.HeaderLength,
        Summary = message.Parsed.Summary.ToJson(),
        SearchText = message.Parsed.SearchText,
        Preview = message.Parsed.Preview,
        HasAttachments = message.Parsed.HasAttachments,
    };

    /// <summary>A message's flags, with its mailbox's HIGHESTMODSEQ and UIDVALIDITY when they were read.</summary>
    internal readonly record struct FlagRow(long Id, uint Uid, long ModSeq, MessageFlags Flags, string? Keywords, long MailboxModSeq, uint UidValidity);

    /// <summary>A mailbox entry to remove, its body's key, and (when read by <see cref="SessionQueries.Removable"/>) its mailbox's HIGHESTMODSEQ and UIDVALIDITY.</summary>
    internal readonly record struct RemovedRow(long Id, uint Uid, Guid MessageId, long Size, string BlobKey, long MailboxModSeq = 0, uint UidValidity = 0);
}

/// <summary>How a STORE changes flags: replace them, add to them or take from them.</summary>
public enum FlagOperation
{
    Replace,
    Add,
    Remove,
}

/// <summary>A flag change: system flags and keywords (IMAP flags without a backslash).</summary>
public sealed record FlagChange(FlagOperation Operation, MessageFlags Flags, IReadOnlyList<string> Keywords)
{
    /// <summary>A conditional change (CONDSTORE UNCHANGEDSINCE): messages whose MODSEQ is above this are not changed.</summary>
    public long? UnchangedSince { get; init; }
}

/// <summary>Who is reading, for the usage event recorded when the owner marks a message \Seen.</summary>
public sealed record MessageReader(string Address, Guid AccountId, UsageProtocol Protocol, string? RemoteAddress)
{
    /// <summary>The keeper reading a collective mailbox, to whom the read is attributed.</summary>
    public Guid? KeeperAccountId { get; init; }
}

/// <summary>The flags of every message a STORE addressed, after it; <see cref="Changed"/> lists the UIDs it changed under <see cref="ModSeq"/>.</summary>
public sealed record FlagUpdate(MailboxOutcome Outcome, IReadOnlyList<MessageFlagsRow> Rows, IReadOnlyList<uint> Changed, long ModSeq)
{
    /// <summary>The UIDs a conditional change left alone because they changed after its UNCHANGEDSINCE, ascending.</summary>
    public IReadOnlyList<uint> Modified { get; init; } = [];
}

/// <summary>Where an APPEND went: the mailbox's UIDVALIDITY and the message's UID (UIDPLUS APPENDUID).</summary>
public sealed record AppendResult(MailboxOutcome Outcome, uint UidValidity, uint Uid)
{
    /// <summary>The MODSEQ the new message took.</summary>
    public long ModSeq { get; init; }
}

/// <summary>Where a COPY or MOVE went: the target's UIDVALIDITY, and source and target UIDs pairwise (UIDPLUS COPYUID).</summary>
public sealed record CopyResult(MailboxOutcome Outcome, uint UidValidity, IReadOnlyList<uint> SourceUids, IReadOnlyList<uint> TargetUids, long ModSeq)
{
    /// <summary>The MODSEQ a MOVE took in the source mailbox.</summary>
    public long SourceModSeq { get; init; }
}

/// <summary>The UIDs an EXPUNGE removed, ascending, and the MODSEQ it took.</summary>
public sealed record ExpungeResult(IReadOnlyList<uint> Uids, long ModSeq);
