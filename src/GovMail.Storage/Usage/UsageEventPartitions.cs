using System.Globalization;
using GovMail.Core.Time;
using GovMail.Core.Usage;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Usage;

/// <summary>
/// On PostgreSQL, <c>usage_events</c> is partitioned by month (phân vùng theo tháng): one table per local month in
/// Asia/Ho_Chi_Minh, <c>usage_events_yYYYYmMM</c>, and a default partition that catches an event of a month without its own
/// table (an import of old events, a clock far ahead). Months are made ahead of time by the <c>usage.partitions</c> job and on
/// demand before events of other months are written; the pruning of raw events drops whole months once they are folded
/// instead of deleting row by row. On SQLite the table stays one table and these calls do nothing.
/// </summary>
public static class UsageEventPartitions
{
    /// <summary>Months made ahead of the current one, so a month's first event never lands in the default partition.</summary>
    public const int MonthsAhead = 2;

    private const string Prefix = "usage_events_y";

    /// <summary>
    /// Makes the monthly partitions of every local month from <paramref name="from"/> to <paramref name="to"/> that has none
    /// yet, moving into each the events the default partition held for it. Returns how many were made.
    /// </summary>
    public static async Task<int> EnsureAsync(GovMailDbContext db, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        if (db.Provider != DatabaseProvider.Postgres) return 0;
        var made = 0;
        for (var month = FirstOfMonth(from); month <= FirstOfMonth(to); month = month.AddMonths(1))
        {
            // The function (made by the ClusterUsagePartitions migration) takes turns with other nodes on an advisory lock.
            var created = await db.Database.SqlQueryRaw<bool>(
                "SELECT govmail_usage_events_ensure_month({0}) AS \"Value\"", month).ToListAsync(ct);
            if (created.FirstOrDefault()) made++;
        }
        return made;
    }

    /// <summary>The current month and <see cref="MonthsAhead"/> more, for the <c>usage.partitions</c> job.</summary>
    public static async Task<int> EnsureAheadAsync(GovMailDatabase database, TimeProvider clock, CancellationToken ct = default)
    {
        if (database.Settings.Provider != DatabaseProvider.Postgres) return 0;
        await using var db = database.Open();
        var now = clock.GetUtcNow();
        return await EnsureAsync(db, now, VietnamTime.ToLocal(now).AddMonths(MonthsAhead), ct);
    }

    /// <summary>
    /// Drops the monthly partitions that end at or before <paramref name="cutoff"/> and whose events are all folded (ids at
    /// most <paramref name="foldedThrough"/>); returns how many events went with them.
    /// </summary>
    public static async Task<long> DropFoldedBeforeAsync(GovMailDbContext db, DateTimeOffset cutoff, long foldedThrough, CancellationToken ct = default)
    {
        if (db.Provider != DatabaseProvider.Postgres) return 0;
        var names = await db.Database.SqlQueryRaw<string>("""
            SELECT c.relname AS "Value" FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'usage_events'::regclass ORDER BY c.relname
            """).ToListAsync(ct);
        long dropped = 0;
        foreach (var name in names)
        {
            if (MonthOf(name) is not { } month || UsagePeriod.StartOfLocalDay(month.AddMonths(1)) > cutoff) continue;
            var table = Quote(name);
            // The table name comes from the catalogue and matched the partition pattern; it is quoted all the same.
            var countSql = "SELECT COUNT(*) AS \"Events\", COALESCE(MAX(\"Id\"), 0) AS \"LastId\" FROM " + table;
            var counts = await db.Database.SqlQueryRaw<PartitionCount>(countSql).ToListAsync(ct);
            var count = counts[0];
            if (count.LastId > foldedThrough) continue;
            // A short wait for the lock, not a queue of inserts behind a DROP that waits for a long query: next run tries again.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("SET LOCAL lock_timeout = '5s'", ct);
            var dropSql = "DROP TABLE " + table;
            await db.Database.ExecuteSqlRawAsync(dropSql, ct);
            await tx.CommitAsync(ct);
            dropped += count.Events;
        }
        return dropped;
    }

    private sealed class PartitionCount
    {
        public long Events { get; init; }
        public long LastId { get; init; }
    }

    private static DateOnly FirstOfMonth(DateTimeOffset at)
    {
        var local = VietnamTime.ToLocal(at);
        return new DateOnly(local.Year, local.Month, 1);
    }

    /// <summary>The month a partition holds, from its name; null for the default partition or a table named otherwise.</summary>
    private static DateOnly? MonthOf(string name) =>
        name.Length == Prefix.Length + 7 && name.StartsWith(Prefix, StringComparison.Ordinal) && name[Prefix.Length + 4] == 'm'
        && int.TryParse(name.AsSpan(Prefix.Length, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
        && int.TryParse(name.AsSpan(Prefix.Length + 5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
        && month is >= 1 and <= 12
            ? new DateOnly(year, month, 1)
            : null;

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
