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
    /// Files a stored blob into the INBOX (or <paramref name="role"/> mailbox) of each recipient account. Returns where each copy
    /// went so sessions can be told. The blob must already be durable.
    /// </summary>
    public async Task<IReadOnlyList<DeliveredCopy>> DeliverAsync(NewMessage message, IReadOnlyList<DeliveryTarget> targets,
        CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = database.Open();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var stored = new StoredMessage
        {
            BlobKey = message.BlobKey,
            Size = message.Size,
            ReceivedAt = message.InternalDate ?? now,
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
        db.Messages.Add(stored);
        // Written first so the transaction holds the write lock before any read (SQLite) and the message row exists (FK).
        await db.SaveChangesAsync(ct);

        var copies = new List<DeliveredCopy>(targets.Count);
        // Mailbox and quota rows are locked in one order (account, then mailbox), so two deliveries to the same people listed
        // in a different order wait for each other instead of deadlocking (PostgreSQL would abort one of them: a 451).
        foreach (var target in targets.OrderBy(t => t.AccountId).ThenBy(t => t.Role).ThenBy(t => t.MailboxName, StringComparer.Ordinal))
        {
            var mailbox = await db.Mailboxes.AsNoTracking()
                .Where(m => m.AccountId == target.AccountId && (target.MailboxName != null ? m.Name == target.MailboxName : m.Role == target.Role))
                .Select(m => (long?)m.Id).FirstOrDefaultAsync(ct);
            if (mailbox is null)
            {
                await EnsureMailboxesAsync(db, target.AccountId, now, ct);
                await db.SaveChangesAsync(ct);
                mailbox = await db.Mailboxes.AsNoTracking()
                    .Where(m => m.AccountId == target.AccountId && m.Role == target.Role).Select(m => (long?)m.Id).FirstAsync(ct);
            }
            var mailboxId = mailbox!.Value;
            var (uid, modSeq) = await AllocateUidAsync(db, mailboxId, ct);
            db.MailboxMessages.Add(new MailboxMessage
            {
                MailboxId = mailboxId,
                MessageId = stored.Id,
                Uid = uid,
                ModSeq = modSeq,
                Flags = target.Flags,
                InternalDate = stored.ReceivedAt,
                Size = stored.Size,
            });
            await AddQuotaAsync(db, target.AccountId, stored.Size, 1, ct);
            if (target.RecordAs is { } kind)
                UsageRecorder.Add(db, target.Address, target.AccountId, kind, target.Protocol, target.RemoteAddress, now);
            copies.Add(new DeliveredCopy(target.AccountId, mailboxId, uid, modSeq));
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return copies;
    }

    /// <summary>Takes the next UID and MODSEQ of a mailbox; the UPDATE locks the row until the transaction ends.</summary>
    private static async Task<(uint Uid, long ModSeq)> AllocateUidAsync(GovMailDbContext db, long mailboxId, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        cmd.CommandText = """UPDATE mailboxes SET "UidNext" = "UidNext" + 1, "HighestModSeq" = "HighestModSeq" + 1 WHERE "Id" = @id RETURNING "UidNext", "HighestModSeq" """;
        var p = cmd.CreateParameter();
        p.ParameterName = "@id";
        p.Value = mailboxId;
        cmd.Parameters.Add(p);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) throw new InvalidOperationException($"mailbox {mailboxId} vanished during delivery");
        var next = Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        var modSeq = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        return ((uint)(next - 1), modSeq);
    }

    private static async Task AddQuotaAsync(GovMailDbContext db, Guid accountId, long bytes, long messages, CancellationToken ct)
    {
        var updated = await db.QuotaUsage.Where(q => q.AccountId == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.UsedBytes, q => q.UsedBytes + bytes)
                .SetProperty(q => q.MessageCount, q => q.MessageCount + messages), ct);
        if (updated == 0) db.QuotaUsage.Add(new QuotaUsage { AccountId = accountId, UsedBytes = bytes, MessageCount = messages });
    }

    /// <summary>Octets used by an account.</summary>
    public async Task<long> UsedBytesAsync(Guid accountId, CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await db.QuotaUsage.Where(q => q.AccountId == accountId).Select(q => q.UsedBytes).FirstOrDefaultAsync(ct);
    }
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
