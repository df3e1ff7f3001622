using GovMail.Core.Audit;
using GovMail.Core.Mail;
using GovMail.Storage.Audit;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Mail;

/// <summary>What one retention run removed: messages out of Trash and Junk, and bodies of purged accounts.</summary>
public sealed record RetentionResult(int TrashMessages, int JunkMessages, int UnheldMessages)
{
    public bool Nothing => TrashMessages == 0 && JunkMessages == 0 && UnheldMessages == 0;
}

/// <summary>
/// The retention purge (xóa theo thời hạn lưu giữ): messages that have been in Trash (Thùng rác) or Junk (Thư rác) longer than the
/// configured days are removed as an expunge would (quota back, IMAP told, bodies deleted), and the messages left without any
/// mailbox once a closed account was purged after its retention period (the lifecycle job drops its mailboxes) are deleted
/// with their bodies. Each removal is written to the audit log: per mailbox with its count, and per run for purged accounts' mail.
/// </summary>
public sealed class MailRetention(GovMailDatabase database, IBlobStore blobs, TimeProvider clock, MailboxNotifications? notifications = null)
{
    private const int Batch = 500;

    /// <summary>Runs the purge; a number of days of 0 keeps that folder's mail for ever.</summary>
    public async Task<RetentionResult> RunAsync(int trashDays, int junkDays, CancellationToken ct = default)
    {
        var trash = trashDays > 0 ? await EmptyAsync(MailboxRole.Trash, trashDays, ct) : 0;
        var junk = junkDays > 0 ? await EmptyAsync(MailboxRole.Junk, junkDays, ct) : 0;
        return new RetentionResult(trash, junk, await DeleteUnheldAsync(ct));
    }

    private async Task<int> EmptyAsync(MailboxRole role, int days, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cutoff = now.AddDays(-days);
        var store = new MailStore(database, clock) { Blobs = blobs, Notifications = notifications };
        List<(long Id, Guid AccountId, string Address)> mailboxes;
        await using (var db = database.Open())
        {
            mailboxes = (await (from m in db.Mailboxes.AsNoTracking()
                                join a in db.Accounts.AsNoTracking() on m.AccountId equals a.Id
                                where m.Role == role && db.MailboxMessages.Any(x => x.MailboxId == m.Id && x.SavedAt < cutoff)
                                select new { m.Id, m.AccountId, a.Address }).ToListAsync(ct))
                .Select(x => (x.Id, x.AccountId, x.Address)).ToList();
        }
        var total = 0;
        foreach (var (mailboxId, accountId, address) in mailboxes)
        {
            var removed = 0;
            while (true)
            {
                List<uint> uids;
                await using (var db = database.Open())
                    uids = await db.MailboxMessages.AsNoTracking().Where(x => x.MailboxId == mailboxId && x.SavedAt < cutoff)
                        .OrderBy(x => x.Uid).Select(x => x.Uid).Take(Batch).ToListAsync(ct);
                if (uids.Count == 0) break;
                var result = await store.PurgeAsync(mailboxId, accountId, uids, ct);
                if (result.Uids.Count == 0) break;
                removed += result.Uids.Count;
            }
            if (removed == 0) continue;
            total += removed;
            await AuditAsync(role == MailboxRole.Trash ? "mail.retention.trash" : "mail.retention.junk", address,
                $"{removed} thư lưu quá {days} ngày / {removed} messages kept over {days} days", ct);
        }
        return total;
    }

    /// <summary>Messages no mailbox holds (a purged account's), their rows and then their bodies; a body the outbound queue still sends is kept.</summary>
    private async Task<int> DeleteUnheldAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            List<(Guid Id, string BlobKey)> unheld;
            await using (var db = database.Open())
            {
                unheld = (await db.Messages.AsNoTracking().Where(s => !db.MailboxMessages.Any(m => m.MessageId == s.Id))
                        .OrderBy(s => s.Id).Select(s => new { s.Id, s.BlobKey }).Take(Batch).ToListAsync(ct))
                    .Select(x => (x.Id, x.BlobKey)).ToList();
                if (unheld.Count == 0) break;
                var ids = unheld.Select(u => u.Id).ToList();
                // Rows first (a body without a row is an orphan the cleanup removes; a row without its body would be a hole).
                await db.Messages.Where(s => ids.Contains(s.Id) && !db.MailboxMessages.Any(m => m.MessageId == s.Id)).ExecuteDeleteAsync(ct);
                var keys = unheld.Select(u => u.BlobKey).ToList();
                var sending = await db.Outbound.AsNoTracking().Where(o => keys.Contains(o.BlobKey)).Select(o => o.BlobKey).ToListAsync(ct);
                unheld.RemoveAll(u => sending.Contains(u.BlobKey));
            }
            foreach (var (_, key) in unheld)
            {
                try { await blobs.DeleteAsync(key, ct); }
                catch (IOException) { /* unreachable now; the orphan cleanup sweeps it later */ }
            }
            total += unheld.Count;
        }
        if (total > 0) await AuditAsync("mail.retention.purged-accounts", null, $"{total} thư của tài khoản đã xóa / {total} messages of purged accounts", ct);
        return total;
    }

    private Task AuditAsync(string action, string? target, string detail, CancellationToken ct) =>
        new AuditLog(database).AppendAsync(new AuditEntry { At = clock.GetUtcNow(), Actor = AuditActor.System, Action = action, Target = target, Detail = detail }, ct);
}
