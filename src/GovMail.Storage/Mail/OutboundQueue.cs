using GovMail.Core;
using GovMail.Core.Audit;
using GovMail.Core.Mail;
using GovMail.Storage.Audit;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Mail;

/// <summary>The persistent outbound queue: messages for other domains wait here until relayed, bounced or dropped.</summary>
public sealed class OutboundQueue(GovMailDatabase database, TimeProvider clock)
{
    public async Task<OutboundMessage> EnqueueAsync(string blobKey, long size, string mailFrom, Guid? senderAccountId,
        IReadOnlyList<(string Address, string? Notify, string? OriginalRecipient)> recipients, string? dsnReturn, string? dsnEnvelopeId,
        CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var message = new OutboundMessage
        {
            BlobKey = blobKey,
            Size = size,
            MailFrom = mailFrom,
            SenderAccountId = senderAccountId,
            CreatedAt = now,
            NextAttemptAt = now,
            State = OutboundState.Queued,
            DsnReturn = dsnReturn,
            DsnEnvelopeId = dsnEnvelopeId,
            Recipients = recipients.Select(r => new OutboundRecipient
            {
                Address = r.Address,
                State = OutboundState.Queued,
                DsnNotify = r.Notify,
                DsnOriginalRecipient = r.OriginalRecipient,
            }).ToList(),
        };
        await using var db = database.Open();
        db.Outbound.Add(message);
        await db.SaveChangesAsync(ct);
        return message;
    }

    public async Task<IReadOnlyList<OutboundMessage>> ListAsync(CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await db.Outbound.AsNoTracking().Include(o => o.Recipients).OrderBy(o => o.CreatedAt).ToListAsync(ct);
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> due messages (queued, next attempt not in the future) for one delivery attempt. Each is
    /// claimed by a conditional UPDATE that moves its next attempt <paramref name="lease"/> ahead only if nobody moved it first,
    /// so two relays — in one process or on two nodes, SQLite or PostgreSQL — never work on the same message at once. A relay that
    /// dies mid-attempt leaves the message due again when the lease runs out.
    /// </summary>
    public async Task<IReadOnlyList<OutboundMessage>> ClaimDueAsync(int max, TimeSpan lease, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var until = now + lease;
        await using var db = database.Open();
        var due = await db.Outbound.AsNoTracking()
            .Where(o => o.State == OutboundState.Queued && o.NextAttemptAt <= now)
            .OrderBy(o => o.NextAttemptAt).Take(max)
            .Select(o => new { o.Id, o.NextAttemptAt }).ToListAsync(ct);
        var claimed = new List<Guid>(due.Count);
        foreach (var d in due)
        {
            var won = await db.Outbound
                .Where(o => o.Id == d.Id && o.State == OutboundState.Queued && o.NextAttemptAt == d.NextAttemptAt)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.NextAttemptAt, until), ct);
            if (won == 1) claimed.Add(d.Id);
        }
        if (claimed.Count == 0) return [];
        return await db.Outbound.AsNoTracking().Include(o => o.Recipients)
            .Where(o => claimed.Contains(o.Id)).OrderBy(o => o.CreatedAt).ToListAsync(ct);
    }

    /// <summary>
    /// Writes back what an attempt changed: the message row and every recipient's state and last reply. Returns false, writing
    /// nothing, when the message stopped waiting meanwhile (an operator dropped it), so the attempt does not bring it back.
    /// </summary>
    public async Task<bool> SaveAsync(OutboundMessage message, CancellationToken ct = default)
    {
        await using var db = database.Open();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // A write first: it takes SQLite's write lock before anything is read, and finds out whether the message still waits.
        var still = await db.Outbound.Where(o => o.Id == message.Id && o.State == OutboundState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Attempts, message.Attempts), ct);
        if (still == 0) return false;
        db.Outbound.Update(message);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Whether a blob is still needed by another waiting message or by a mailbox, so it must not be deleted.</summary>
    public async Task<bool> IsBlobInUseAsync(string blobKey, Guid exceptMessage, CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await db.Outbound.AnyAsync(o => o.BlobKey == blobKey && o.Id != exceptMessage && o.State == OutboundState.Queued, ct)
            || await db.Messages.AnyAsync(m => m.BlobKey == blobKey, ct);
    }

    /// <summary>Finished messages (delivered, failed, dropped) created before <paramref name="before"/> are forgotten.</summary>
    public async Task<int> PurgeFinishedAsync(DateTimeOffset before, CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await db.Outbound.Where(o => o.State != OutboundState.Queued && o.CreatedAt < before).ExecuteDeleteAsync(ct);
    }

    /// <summary>One message by its id or by an unambiguous prefix of it (as <c>govmail queue list</c> shows it).</summary>
    public async Task<Result<OutboundMessage>> FindAsync(string id, CancellationToken ct = default)
    {
        var text = id.Trim().ToLowerInvariant();
        await using var db = database.Open();
        Guid? match;
        if (Guid.TryParse(text, out var exact)) match = exact;
        else
        {
            var prefix = text.Replace("-", "", StringComparison.Ordinal);
            if (prefix.Length < 4 || !prefix.All(char.IsAsciiHexDigit)) return Problem.Of("QueueMessageNotFound", id);
            var ids = await db.Outbound.AsNoTracking().Select(o => o.Id).ToListAsync(ct);
            var found = ids.Where(i => i.ToString("N").StartsWith(prefix, StringComparison.Ordinal)).Take(2).ToList();
            if (found.Count > 1) return Problem.Of("QueueIdAmbiguous", id);
            match = found.Count == 1 ? found[0] : null;
        }
        var message = match is null ? null
            : await db.Outbound.AsNoTracking().Include(o => o.Recipients).FirstOrDefaultAsync(o => o.Id == match, ct);
        return message is null ? Problem.Of("QueueMessageNotFound", id) : message;
    }

    /// <summary><c>govmail queue retry</c>: a waiting message is tried again at the next pass of the relay.</summary>
    public async Task<Result<OutboundMessage>> RetryAsync(string id, string actor, CancellationToken ct = default)
    {
        var found = await FindAsync(id, ct);
        if (!found.IsOk) return found;
        var message = found.Value!;
        if (message.State != OutboundState.Queued) return Problem.Of("QueueMessageNotQueued", id);
        var now = clock.GetUtcNow();
        await using (var db = database.Open())
            await db.Outbound.Where(o => o.Id == message.Id && o.State == OutboundState.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.NextAttemptAt, now), ct);
        await new AuditLog(database).AppendAsync(new AuditEntry { At = now, Actor = actor, Action = "queue.retry", Target = message.Id.ToString("N") }, ct);
        message.NextAttemptAt = now;
        return message;
    }

    /// <summary>
    /// <c>govmail queue drop</c>: a waiting message is given up without notifying the sender. Its blob is then unused unless
    /// <see cref="IsBlobInUseAsync"/> says otherwise; the caller removes it. The reason, when given, goes to the audit log.
    /// </summary>
    public async Task<Result<OutboundMessage>> DropAsync(string id, string actor, CancellationToken ct = default, string? reason = null)
    {
        var found = await FindAsync(id, ct);
        if (!found.IsOk) return found;
        var message = found.Value!;
        if (message.State != OutboundState.Queued) return Problem.Of("QueueMessageNotQueued", id);
        var now = clock.GetUtcNow();
        await using (var db = database.Open())
        {
            await db.OutboundRecipients.Where(r => r.OutboundMessageId == message.Id && r.State == OutboundState.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, OutboundState.Dropped), ct);
            await db.Outbound.Where(o => o.Id == message.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.State, OutboundState.Dropped).SetProperty(o => o.LastError, "dropped by " + actor), ct);
        }
        await new AuditLog(database).AppendAsync(new AuditEntry { At = now, Actor = actor, Action = "queue.drop", Target = message.Id.ToString("N"), Detail = reason }, ct);
        message.State = OutboundState.Dropped;
        foreach (var r in message.Recipients.Where(r => r.State == OutboundState.Queued)) r.State = OutboundState.Dropped;
        return message;
    }
}
