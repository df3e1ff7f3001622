using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GovMail.Storage.Mail;

/// <summary>
/// Octets used per account (dung lượng đã dùng), with the account's quota, kept in memory per database so that SMTP's RCPT
/// and IMAP's APPEND do not ask the database once per recipient or message (the writer checks again under its lock). A counter is read from <c>quota_usage</c> the first time it is asked for, then moved by every quota
/// change this process commits (delivery, APPEND, COPY, EXPUNGE: <see cref="MailStore"/> reports them through
/// <see cref="QuotaChangeInterceptor"/>). Like the recipient cache it is read again once the directory changed
/// (<see cref="DirectoryChanges"/>) or after 30 seconds, which covers changes made by other nodes and processes.
/// </summary>
public static class QuotaCounters
{
    private static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(30);
    private const int MaxEntries = 100_000;
    private static readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Counter>> All = new(StringComparer.Ordinal);

    private sealed class Counter
    {
        public long Used;
        /// <summary>The account's quota when <see cref="Used"/> was read (0: none).</summary>
        public long Limit;
        public bool Loaded;
        public long LoadedAt;
        public long DirectoryVersion;
        /// <summary>Quota changes saved but not yet committed or rolled back: the row may be ahead of <see cref="Used"/>.</summary>
        public int InFlight;
        /// <summary>Moves with every change begun or ended, so a read that overlapped one is not kept.</summary>
        public long Changes;
    }

    /// <summary>The octets <paramref name="accountId"/> uses, from memory when the counter is fresh.</summary>
    public static async ValueTask<long> UsedBytesAsync(GovMailDatabase database, Guid accountId, CancellationToken ct = default) =>
        (await UsageAsync(database, accountId, ct)).UsedBytes;

    /// <summary>
    /// The octets <paramref name="accountId"/> uses and its quota (0: none), from memory when the counter is fresh; the
    /// quota is an account setting, so a directory change reads it again with the counter.
    /// </summary>
    public static async ValueTask<(long UsedBytes, long LimitBytes)> UsageAsync(GovMailDatabase database, Guid accountId, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var counter = CounterOf(database.Settings.ConnectionString, accountId);
        var directory = DirectoryChanges.VersionOf(database);
        long changes;
        lock (counter)
        {
            if (counter.Loaded && counter.InFlight == 0 && counter.DirectoryVersion == directory
                && Stopwatch.GetElapsedTime(counter.LoadedAt) < FreshFor)
                return (counter.Used, counter.Limit);
            changes = counter.Changes;
        }
        QuotaInfo quota;
        await using (var db = database.Open())
            quota = await SessionQueries.Quota.For(db)(db, accountId);
        var (used, limit) = (quota.UsedBytes, quota.LimitBytes);
        lock (counter)
        {
            // A change that began or ended while reading may or may not be in the row: keep nothing, read again next time.
            if (counter.Changes == changes && counter.InFlight == 0)
            {
                counter.Used = used;
                counter.Limit = limit;
                counter.Loaded = true;
                counter.LoadedAt = Stopwatch.GetTimestamp();
                counter.DirectoryVersion = directory;
            }
        }
        return (used, limit);
    }

    private static Counter CounterOf(string connectionString, Guid accountId)
    {
        var counters = All.GetOrAdd(connectionString, _ => new ConcurrentDictionary<Guid, Counter>());
        if (counters.Count >= MaxEntries && !counters.ContainsKey(accountId)) counters.Clear();
        return counters.GetOrAdd(accountId, _ => new Counter());
    }

    /// <summary>A quota change for the account is written inside a transaction that has not committed yet.</summary>
    internal static void Begin(GovMailDbContext db, Guid accountId, long bytes)
    {
        if (db.Database.GetConnectionString() is not { } connection) return;
        var counter = CounterOf(connection, accountId);
        lock (counter)
        {
            counter.InFlight++;
            counter.Changes++;
        }
        (db.QuotaChangesPending ??= []).Add((accountId, bytes));
        // Outside a transaction the statement has committed already.
        if (db.Database.CurrentTransaction is null) End(db, committed: true);
    }

    /// <summary>How many quota changes of the open transaction are pending, for <see cref="RollBackTo"/>.</summary>
    internal static int Mark(GovMailDbContext db) => db.QuotaChangesPending?.Count ?? 0;

    /// <summary>The changes after <paramref name="mark"/> were rolled back to a savepoint: they end uncommitted, the rest stay pending.</summary>
    internal static void RollBackTo(GovMailDbContext db, int mark)
    {
        if (db.QuotaChangesPending is not { } pending || pending.Count <= mark) return;
        var undone = pending.GetRange(mark, pending.Count - mark);
        pending.RemoveRange(mark, pending.Count - mark);
        var kept = db.QuotaChangesPending;
        db.QuotaChangesPending = undone;
        End(db, committed: false);
        db.QuotaChangesPending = kept;
    }

    /// <summary>The transaction ended: committed changes move loaded counters; others leave them as they were.</summary>
    internal static void End(DbContext? context, bool committed)
    {
        if (context is not GovMailDbContext { QuotaChangesPending: { Count: > 0 } pending } db) return;
        db.QuotaChangesPending = null;
        if (db.Database.GetConnectionString() is not { } connection || !All.TryGetValue(connection, out var counters)) return;
        foreach (var (accountId, bytes) in pending)
        {
            if (!counters.TryGetValue(accountId, out var counter)) continue;
            lock (counter)
            {
                counter.InFlight = Math.Max(0, counter.InFlight - 1);
                counter.Changes++;
                if (committed) counter.Used += bytes;
            }
        }
    }
}

/// <summary>Ends the pending quota changes of a transaction in <see cref="QuotaCounters"/> when it commits or rolls back.</summary>
internal sealed class QuotaChangeInterceptor : DbTransactionInterceptor
{
    public static readonly QuotaChangeInterceptor Instance = new();

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        QuotaCounters.End(eventData.Context, committed: true);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        QuotaCounters.End(eventData.Context, committed: true);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        QuotaCounters.End(eventData.Context, committed: false);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        QuotaCounters.End(eventData.Context, committed: false);
        return Task.CompletedTask;
    }
}
