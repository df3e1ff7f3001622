using GovMail.Core.Mail;
using GovMail.Core.Usage;
using GovMail.Storage.Database;
using GovMail.Storage.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GovMail.Storage.Mail;

/// <summary>
/// Mailboxes and the messages in them. Delivery commits the message, each recipient's INBOX entry (UID and MODSEQ taken from
/// the mailbox row under its lock), the quota counters and the usage events in one transaction.
/// </summary>
public sealed partial class MailStore(GovMailDatabase database, TimeProvider clock)
{
    /// <summary>Creates the standard mailboxes an account lacks (INBOX, Sent, Drafts, Trash, Junk, Archive) and its quota row.</summary>
    public static async Task EnsureMailboxesAsync(GovMailDbContext db, Guid accountId, DateTimeOffset now, CancellationToken ct)
    {
        var existing = await db.Mailboxes.Where(m => m.AccountId == accountId).Select(m => m.Name).ToListAsync(ct);
        foreach (var (name, role) in StandardMailboxes.All)
            if (!existing.Contains(name, StringComparer.OrdinalIgnoreCase))
                db.Mailboxes.Add(NewMailbox(accountId, name, role, now));
        if (!await db.QuotaUsage.AnyAsync(q => q.AccountId == accountId, ct))
            db.QuotaUsage.Add(new QuotaUsage { AccountId = accountId });
    }

    /// <summary>Standard mailboxes and quota row for a brand-new account (no query needed).</summary>
    public static void AddStandardMailboxes(GovMailDbContext db, Guid accountId, DateTimeOffset now)
    {
        foreach (var (name, role) in StandardMailboxes.All) db.Mailboxes.Add(NewMailbox(accountId, name, role, now));
        db.QuotaUsage.Add(new QuotaUsage { AccountId = accountId });
    }

    private static Mailbox NewMailbox(Guid accountId, string name, MailboxRole role, DateTimeOffset now) => new()
    {
        AccountId = accountId,
        Name = name,
        Role = role,
        // Seconds since 2020: distinct per creation second and well inside 32 bits for a century.
        UidValidity = (uint)Math.Max(1, (now - new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds),
        CreatedAt = now,
    };

    /// <summary>
    /// Files a stored blob into the INBOX (or the mailbox a target names) of each recipient account. Returns where each copy
    /// went so sessions can be told, once the copies are committed. The blob must already be durable. Deliveries that arrive
    /// while another commit is running are committed together (<see cref="GroupCommit"/>); cancelling does not withdraw a
    /// delivery already handed over, so a caller that gives up may still find it stored (a duplicate, never a loss).
    /// </summary>
    public Task<IReadOnlyList<DeliveredCopy>> DeliverAsync(NewMessage message, IReadOnlyList<DeliveryTarget> targets,
        CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return GroupCommit.For(database).SubmitAsync(message, targets, clock.GetUtcNow());
    }

    /// <summary>
    /// Runs a change of mailboxes in a transaction and returns once it has committed. On SQLite, whose database has one
    /// writer at a time, every change goes to the one writer of the database (<see cref="GroupCommit"/>), with the
    /// deliveries: those that arrive while a commit runs share the next transaction and its one WAL sync, and nobody
    /// waits in SQLite's busy handler (which sleeps, up to 100 ms at a time). PostgreSQL locks rows, so its changes run
    /// side by side, each in its own transaction. A change that <see cref="WriteScope.Discard"/>s is rolled back.
    /// Cancelling stops only a change not yet handed over.
    /// </summary>
    private async Task<T> ChangeAsync<T>(Func<GovMailDbContext, WriteScope, CancellationToken, Task<T>> change, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (database.Settings.Provider == DatabaseProvider.Sqlite) return await GroupCommit.For(database).RunAsync(change);
        await using var db = database.Open();
        // A failure rolls the whole transaction back: no savepoint around each SaveChanges is needed.
        db.Database.AutoSavepointsEnabled = false;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var scope = new WriteScope();
        var result = await change(db, scope, ct);
        if (scope.Discarded)
        {
            await tx.RollbackAsync(ct);
            return result;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return result;
    }

    private static async Task AddQuotaAsync(GovMailDbContext db, Guid accountId, long bytes, long messages, CancellationToken ct)
    {
        await AddToUsageRowAsync(db, accountId, bytes, messages, ct);
        QuotaCounters.Begin(db, accountId, bytes);
    }

    /// <summary>Adds to the account's usage row, or makes it (saved with the change) when the account has none yet.</summary>
    private static async Task AddToUsageRowAsync(GovMailDbContext db, Guid accountId, long bytes, long messages, CancellationToken ct)
    {
        if (await WriterSql.AddUsageAsync(db, accountId, bytes, messages, ct) == 0)
            db.QuotaUsage.Add(new QuotaUsage { AccountId = accountId, UsedBytes = bytes, MessageCount = messages });
    }

    /// <summary>Octets used by an account, from the in-memory <see cref="QuotaCounters"/> when fresh (the SMTP hot path).</summary>
    public ValueTask<long> UsedBytesAsync(Guid accountId, CancellationToken ct = default) =>
        QuotaCounters.UsedBytesAsync(database, accountId, ct);

    /// <summary>
    /// Whether the account's quota has room for <paramref name="bytes"/> more, from the in-memory <see cref="QuotaCounters"/>:
    /// the early answer an IMAP APPEND gives before the message is sent; the change itself checks again in its transaction.
    /// </summary>
    public async ValueTask<bool> MayHaveRoomAsync(Guid accountId, long bytes, CancellationToken ct = default)
    {
        var (used, limit) = await QuotaCounters.UsageAsync(database, accountId, ct);
        return Fits(used, limit, bytes);
    }

    /// <summary>No quota (0), or room for <paramref name="bytes"/> more.</summary>
    private static bool Fits(long used, long limit, long bytes) => limit <= 0 || used + bytes <= limit;
}

/// <summary>A durable blob and what was parsed from it, ready to be filed.</summary>
public sealed record NewMessage(string BlobKey, long Size, MessageSummaryBuilder.Result Parsed, DateTimeOffset? InternalDate = null);

/// <summary>Where one copy goes: an account's mailbox by role (INBOX by default) or by name, with the flags it starts with.</summary>
public sealed record DeliveryTarget(Guid AccountId, string Address)
{
    public MailboxRole Role { get; init; } = MailboxRole.Inbox;
    public string? MailboxName { get; init; }
    public Core.Mail.MessageFlags Flags { get; init; }

    /// <summary>The usage event this copy counts as (Received for delivery, Sent for a copy in Sent), or none.</summary>
    public UsageKind? RecordAs { get; init; } = UsageKind.Received;
    public UsageProtocol Protocol { get; init; } = UsageProtocol.Smtp;
    public string? RemoteAddress { get; init; }
}

public sealed record DeliveredCopy(Guid AccountId, long MailboxId, uint Uid, long ModSeq);
