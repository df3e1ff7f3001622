using GovMail.Core.Mail;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Mail;

/// <summary>
/// The queries an IMAP session runs on every command (SELECT, FETCH, SEARCH, STORE, APPEND, EXPUNGE), compiled once:
/// EF Core otherwise walks each query's expression tree on every call to pull out its parameters and find its cached
/// plan, which a profile of the mixed IMAP workload showed as a twentieth of the server's time. A compiled query belongs
/// to one model, so each is compiled once per database engine (<see cref="PerProvider{T}"/>).
/// </summary>
internal static class SessionQueries
{
    public static readonly PerProvider<Func<GovMailDbContext, Guid, string, Task<MailboxInfo?>>> Mailbox = new(() =>
        EF.CompileAsyncQuery((GovMailDbContext db, Guid accountId, string name) =>
            db.Mailboxes.AsNoTracking().Where(m => m.AccountId == accountId && m.Name == name)
                .Select(m => new MailboxInfo(m.Id, m.AccountId, m.Name, m.Role, m.Subscribed, m.UidValidity, m.UidNext, m.HighestModSeq))
                .FirstOrDefault()));

    public static readonly PerProvider<Func<GovMailDbContext, long, uint, IAsyncEnumerable<uint>>> Uids = new(() =>
        EF.CompileAsyncQuery((GovMailDbContext db, long mailboxId, uint afterUid) =>
            db.MailboxMessages.AsNoTracking().Where(m => m.MailboxId == mailboxId && m.Uid > afterUid).OrderBy(m => m.Uid).Select(m => m.Uid)));

    public static readonly PerProvider<Func<GovMailDbContext, long, Task<uint?>>> FirstUnseenUid = new(() =>
        EF.CompileAsyncQuery((GovMailDbContext db, long mailboxId) =>
            db.MailboxMessages.AsNoTracking().Where(m => m.MailboxId == mailboxId && (m.Flags & MessageFlags.Seen) == 0)
                .OrderBy(m => m.Uid).Select(m => (uint?)m.Uid).FirstOrDefault()));

    public static readonly PerProvider<Func<GovMailDbContext, long, IAsyncEnumerable<string>>> Keywords = new(() =>
        EF.CompileAsyncQuery((GovMailDbContext db, long mailboxId) =>
            db.MailboxMessages.AsNoTracking().Where(m => m.MailboxId == mailboxId && m.Keywords != null)
                .Select(m => m.Keywords!).Distinct().Take(1000)));

    public static readonly PerProvider<Func<GovMailDbContext, long, uint, uint, int, IAsyncEnumerable<MessageRow>>> FetchFlags = new(() =>
        EF.CompileAsyncQuery((GovMailDbContext db, long mailboxId, uint fromUid, uint toUid, int limit) =>
            db.MailboxMessages.AsNoTracking().Where(m => m.MailboxId == mailboxId && m.Uid >= fromUid && m.Uid <= toUid)
                .OrderBy(m => m.Uid).Take(limit)
                .Select(m => new MessageRow(m.Uid, m.ModSeq, m.Flags, m.Keywords, m.InternalDate, m.Size, null, 0, null))));

    public static readonly PerProvider<Func<GovMailDbContext, long, uint, uint, int, IAsyncEnumerable<MessageRow>>> FetchContent = new(() =>
        EF.CompileAsyncQuery((GovMailDbContext db, long mailboxId, uint fromUid, uint toUid, int limit) =>
            (from m in db.MailboxMessages.AsNoTracking()
             where m.MailboxId == mailboxId && m.Uid >= fromUid && m.Uid <= toUid
             join s in db.Messages on m.MessageId equals s.Id
             orderby m.Uid
             select new MessageRow(m.Uid, m.ModSeq, m.Flags, m.Keywords, m.InternalDate, m.Size, s.BlobKey, s.HeaderLength, s.Summary))
            .Take(limit)));

    /// <summary>What SEARCH evaluates of every message of a mailbox, ascending; the cached summary only when asked for.</summary>
    public static readonly PerProvider<Func<GovMailDbContext, long, bool, IAsyncEnumerable<SearchRow>>> SearchRows = new(() =>
        EF.CompileAsyncQuery((GovMailDbContext db, long mailboxId, bool withSummary) =>
            from m in db.MailboxMessages.AsNoTracking()
            where m.MailboxId == mailboxId
            join s in db.Messages on m.MessageId equals s.Id
            orderby m.Uid
            select new SearchRow(m.Uid, m.ModSeq, m.Flags, m.Keywords, m.InternalDate, m.Size, s.SentDate, s.Subject, s.BlobKey, s.HeaderLength,
                withSummary ? s.Summary : null)));

    /// <summary>
    /// The flags of the messages of a mailbox between two UIDs, ascending, each with the mailbox's HIGHESTMODSEQ and
    /// UIDVALIDITY as the same statement saw them (STORE's first look, trusted under the lock while they have not moved).
    /// </summary>
    public static readonly PerProvider<Func<GovMailDbContext, long, uint, uint, IAsyncEnumerable<MailStore.FlagRow>>> FlagRows = new(() =>
        EF.CompileAsyncQuery((GovMailDbContext db, long mailboxId, uint min, uint max) =>
            from m in db.MailboxMessages.AsNoTracking()
            where m.MailboxId == mailboxId && m.Uid >= min && m.Uid <= max
            join b in db.Mailboxes on m.MailboxId equals b.Id
            orderby m.Uid
            select new MailStore.FlagRow(m.Id, m.Uid, m.ModSeq, m.Flags, m.Keywords, b.HighestModSeq, b.UidValidity)));

    /// <summary>An account's quota limit (0: none) and the octets it uses, in one look (no usage row yet: nothing used).</summary>
    public static readonly PerProvider<Func<GovMailDbContext, Guid, Task<QuotaInfo>>> Quota = new(() =>
        EF.CompileAsyncQuery((GovMailDbContext db, Guid accountId) =>
            (from a in db.Accounts.AsNoTracking()
             where a.Id == accountId
             join q in db.QuotaUsage on a.Id equals q.AccountId into usage
             from q in usage.DefaultIfEmpty()
             select new QuotaInfo(q == null ? 0 : q.UsedBytes, q == null ? 0 : q.MessageCount, a.QuotaBytes))
            .FirstOrDefault()));

    /// <summary>
    /// The messages an expunge removes (those marked \Deleted), or a purge (all), between two UIDs, ascending, with their
    /// bodies' keys and the mailbox's HIGHESTMODSEQ and UIDVALIDITY as the same statement saw them.
    /// </summary>
    public static readonly PerProvider<Func<GovMailDbContext, long, uint, uint, bool, IAsyncEnumerable<MailStore.RemovedRow>>> Removable = new(() =>
        EF.CompileAsyncQuery((GovMailDbContext db, long mailboxId, uint min, uint max, bool deletedOnly) =>
            from m in db.MailboxMessages.AsNoTracking()
            where m.MailboxId == mailboxId && (!deletedOnly || (m.Flags & MessageFlags.Deleted) != 0) && m.Uid >= min && m.Uid <= max
            join s in db.Messages on m.MessageId equals s.Id
            join b in db.Mailboxes on m.MailboxId equals b.Id
            orderby m.Uid
            select new MailStore.RemovedRow(m.Id, m.Uid, m.MessageId, m.Size, s.BlobKey, b.HighestModSeq, b.UidValidity)));

    /// <summary>A compiled query, compiled on first use for each engine's model.</summary>
    internal sealed class PerProvider<T>(Func<T> compile) where T : class
    {
        private T? _sqlite;
        private T? _postgres;

        public T For(GovMailDbContext db) =>
            db.Provider == DatabaseProvider.Sqlite ? _sqlite ??= compile() : _postgres ??= compile();
    }

    /// <summary>All of a compiled query's rows in a list.</summary>
    public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> rows, CancellationToken ct)
    {
        var list = new List<T>();
        await foreach (var row in rows.WithCancellation(ct)) list.Add(row);
        return list;
    }
}
