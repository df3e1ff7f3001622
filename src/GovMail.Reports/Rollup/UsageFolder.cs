using System.Globalization;
using GovMail.Core;
using GovMail.Core.Audit;
using GovMail.Core.Progress;
using GovMail.Core.Time;
using GovMail.Core.Usage;
using GovMail.Storage.Audit;
using GovMail.Storage.Database;
using GovMail.Storage.Usage;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Reports.Rollup;

/// <summary>What one <see cref="UsageFolder.FoldAsync"/> did.</summary>
public sealed record FoldResult(long EventsFolded, int Batches, long LastEventId);

/// <summary>
/// Folds usage events into one row per account per local day (<c>usage_daily</c>), one row per account per month with the
/// active days and mail days as bit masks (<c>usage_monthly</c>, what the period reports read), and each account's first
/// and last active day (<c>usage_account_summaries</c>). Incremental and idempotent: each batch adds the events above the watermark
/// (<c>usage_fold_state</c>) and moves the watermark in the same transaction, so folding twice never counts twice, and two
/// nodes folding at once cannot both fold the same batch.
/// </summary>
public sealed class UsageFolder(GovMailDatabase database, TimeProvider clock)
{
    /// <summary>Events per transaction: large enough to be fast, small enough to keep a SQLite writer's pause short.</summary>
    public int BatchSize { get; init; } = 250_000;

    /// <summary>Counts the events folded, by event number from the watermark to the last committed event.</summary>
    public IProgressCounter Progress { get; init; } = NoProgress.Instance;

    // Activity kinds: what a person did. Mail merely received and failed logins are counted but are not activity.
    private const string ActiveKinds = "('Login','Sent','Read','Webmail')";

    // Vietnam has kept UTC+7 without daylight saving since 1975; SQLite computes the local day with this fixed offset,
    // PostgreSQL with the zone itself. Imports refuse events before 2000.
    private static readonly int OffsetSeconds = (int)VietnamTime.Zone.GetUtcOffset(new DateTime(2024, 1, 1)).TotalSeconds;

    /// <summary>Folds every event committed so far; returns how many were folded.</summary>
    public async Task<FoldResult> FoldAsync(CancellationToken ct = default)
    {
        await using var db = database.Open();
        var provider = db.Provider;
        var highWater = await SafeHighWaterAsync(db, ct);
        if (provider == DatabaseProvider.Sqlite)
        {
            // Upserts land all over the daily, monthly and summary indexes: give this connection a page cache that holds
            // them for the fold, and hand it back to the pool with the default afterwards.
            await db.Database.OpenConnectionAsync(ct);
            var pragma = "PRAGMA cache_size = -" + SqliteCacheKiB.ToString(CultureInfo.InvariantCulture);
            await db.Database.ExecuteSqlRawAsync(pragma, ct);
        }
        try
        {
            return await FoldBatchesAsync(db, provider, highWater, ct);
        }
        finally
        {
            if (provider == DatabaseProvider.Sqlite)
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -2000", CancellationToken.None);
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>SQLite page cache while folding, in KiB.</summary>
    public int SqliteCacheKiB { get; init; } = 256 * 1024;

    private async Task<FoldResult> FoldBatchesAsync(GovMailDbContext db, DatabaseProvider provider, long highWater, CancellationToken ct)
    {
        long folded = 0;
        var batches = 0;
        long last = 0;
        for (var attempt = 0; ; )
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // FOR UPDATE queues a second PostgreSQL folder behind this one; SQLite's BEGIN IMMEDIATE already did.
            var from = (await db.Database.SqlQueryRaw<long>(provider == DatabaseProvider.Postgres
                ? """SELECT "LastEventId" AS "Value" FROM usage_fold_state WHERE "Id" = 1 FOR UPDATE"""
                : """SELECT "LastEventId" AS "Value" FROM usage_fold_state WHERE "Id" = 1""").ToListAsync(ct)).FirstOrDefault();
            if (batches == 0 && attempt == 0 && from < highWater) Progress.Begin(Messages.Get("ProgressFoldingUsage"), highWater - from);
            last = from;
            if (from >= highWater) { await tx.RollbackAsync(ct); break; }
            var to = Math.Min(highWater, from + BatchSize);
            // The batch's events are read once, into one row per account and local day; the daily, monthly and summary
            // rows are then upserted from that small table.
            var sqlite = provider == DatabaseProvider.Sqlite;
            await db.Database.ExecuteSqlRawAsync(sqlite ? SqliteBatchTable : PostgresBatchTable, ct);
            await db.Database.ExecuteSqlRawAsync(sqlite ? SqliteBatch : PostgresBatch, [from, to], ct);
            await db.Database.ExecuteSqlRawAsync(Daily, ct);
            await db.Database.ExecuteSqlRawAsync(sqlite ? SqliteMonthly : PostgresMonthly, ct);
            await db.Database.ExecuteSqlRawAsync(sqlite ? SqliteSummary : PostgresSummary, ct);
            if (sqlite) await db.Database.ExecuteSqlRawAsync("DROP TABLE temp.usage_fold_batch", ct);
            var now = clock.GetUtcNow();
            object foldedAt = provider == DatabaseProvider.Sqlite ? now.UtcTicks : now.ToUniversalTime();
            var moved = await db.Database.ExecuteSqlRawAsync(
                """UPDATE usage_fold_state SET "LastEventId" = {0}, "FoldedAt" = {1} WHERE "Id" = 1 AND "LastEventId" = {2}""",
                [to, foldedAt, from], ct);
            if (moved != 1)
            {
                // Another node folded this batch first: drop ours and read the new watermark.
                await tx.RollbackAsync(ct);
                if (++attempt > 100) throw new InvalidOperationException("usage folding keeps losing the watermark to another node");
                continue;
            }
            await tx.CommitAsync(ct);
            folded += await CountAsync(db, from, to, ct);
            batches++;
            Progress.Advance(to - from);
            last = to;
        }
        return new FoldResult(folded, batches, last);
    }

    /// <summary>The id of the last folded event.</summary>
    public async Task<long> WatermarkAsync(CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await db.UsageFoldState.Where(f => f.Id == 1).Select(f => f.LastEventId).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Deletes raw events older than <paramref name="retentionMonths"/> that have been folded. The newest event is always
    /// kept so that event ids keep growing on SQLite. On PostgreSQL whole months past the cutoff go first, a partition at a
    /// time (<see cref="UsageEventPartitions"/>); the rows left (the month the cutoff falls in, the default partition) one by one.
    /// </summary>
    public async Task<int> PruneAsync(int retentionMonths, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var watermark = await db.UsageFoldState.Where(f => f.Id == 1).Select(f => f.LastEventId).FirstOrDefaultAsync(ct);
        var max = await db.UsageEvents.MaxAsync(e => (long?)e.Id, ct) ?? 0;
        var cutoff = UsagePeriod.StartOfLocalDay(VietnamTime.Today(clock.GetUtcNow()).AddMonths(-retentionMonths));
        var dropped = await UsageEventPartitions.DropFoldedBeforeAsync(db, cutoff, Math.Min(watermark, max - 1), ct);
        var pruned = checked((int)dropped + await db.UsageEvents.Where(e => e.Id <= watermark && e.Id < max && e.At < cutoff).ExecuteDeleteAsync(ct));
        if (pruned > 0)
        {
            // Each purge is in the audit log (issue 8): how many raw events went, and from before which day.
            var before = VietnamTime.ToLocal(cutoff).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
            await new AuditLog(database).AppendAsync(new AuditEntry
            {
                At = clock.GetUtcNow(), Actor = AuditActor.System, Action = "usage.prune",
                Detail = $"{pruned} sự kiện sử dụng trước ngày {before} / {pruned} usage events before {before}",
            }, ct);
        }
        return pruned;
    }

    /// <summary>
    /// The highest event id below which every event is committed. On PostgreSQL an id is taken when a row is inserted but
    /// seen only at commit, so a brief SHARE lock waits for the transactions inserting events; any later insert gets a
    /// higher id. SQLite has one writer at a time, so its committed maximum is already safe.
    /// </summary>
    private static async Task<long> SafeHighWaterAsync(GovMailDbContext db, CancellationToken ct)
    {
        if (db.Provider == DatabaseProvider.Postgres)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("LOCK TABLE usage_events IN SHARE MODE", ct);
            var max = await db.UsageEvents.MaxAsync(e => (long?)e.Id, ct) ?? 0;
            await tx.CommitAsync(ct);
            return max;
        }
        return await db.UsageEvents.MaxAsync(e => (long?)e.Id, ct) ?? 0;
    }

    private static async Task<long> CountAsync(GovMailDbContext db, long from, long to, CancellationToken ct) =>
        await db.UsageEvents.LongCountAsync(e => e.Id > from && e.Id <= to, ct);

    private static readonly string SqliteDay =
        $"""date((e."At" - 621355968000000000) / 10000000 + {OffsetSeconds.ToString(CultureInfo.InvariantCulture)}, 'unixepoch')""";

    private const string PostgresDay = """(e."At" AT TIME ZONE 'Asia/Ho_Chi_Minh')::date""";

    // One bit per protocol (1 << UsageProtocol); SUM(DISTINCT bit) is their OR.
    private const string ProtocolBit = $"""
        CASE WHEN e."Kind" IN {ActiveKinds} THEN CASE e."Protocol" WHEN 'Imap' THEN 1 WHEN 'Pop3' THEN 2 WHEN 'Smtp' THEN 4
            WHEN 'Web' THEN 8 WHEN 'ActiveSync' THEN 16 ELSE 32 END ELSE 0 END
        """;

    private const string Columns = """("AccountId", "Day", "Logins", "FailedLogins", "Sent", "Received", "Read", "Webmail", "Protocols", "FirstAt", "LastAt")""";

    private const string Range = """WHERE e."Id" > {0} AND e."Id" <= {1} AND e."AccountId" IS NOT NULL""";

    // A temp table of its own per batch: SQLite's lives on the connection (dropped after the batch), PostgreSQL's at commit.
    private const string SqliteBatchTable = """
        CREATE TEMP TABLE IF NOT EXISTS usage_fold_batch ("AccountId" TEXT NOT NULL, "Day" TEXT NOT NULL, "Logins" INTEGER NOT NULL,
            "FailedLogins" INTEGER NOT NULL, "Sent" INTEGER NOT NULL, "Received" INTEGER NOT NULL, "Read" INTEGER NOT NULL,
            "Webmail" INTEGER NOT NULL, "Protocols" INTEGER NOT NULL, "FirstAt" INTEGER NULL, "LastAt" INTEGER NULL)
        """;

    private const string PostgresBatchTable = """
        CREATE TEMP TABLE usage_fold_batch ("AccountId" uuid NOT NULL, "Day" date NOT NULL, "Logins" integer NOT NULL,
            "FailedLogins" integer NOT NULL, "Sent" integer NOT NULL, "Received" integer NOT NULL, "Read" integer NOT NULL,
            "Webmail" integer NOT NULL, "Protocols" integer NOT NULL, "FirstAt" timestamptz NULL, "LastAt" timestamptz NULL)
            ON COMMIT DROP
        """;

    private static readonly string SqliteBatch = $"""
        INSERT INTO temp.usage_fold_batch {Columns}
        SELECT e."AccountId", {SqliteDay},
            SUM(e."Kind" = 'Login'), SUM(e."Kind" = 'LoginFailed'), SUM(e."Kind" = 'Sent'), SUM(e."Kind" = 'Received'),
            SUM(e."Kind" = 'Read'), SUM(e."Kind" = 'Webmail'),
            SUM(DISTINCT {ProtocolBit}),
            MIN(CASE WHEN e."Kind" IN {ActiveKinds} THEN e."At" END), MAX(CASE WHEN e."Kind" IN {ActiveKinds} THEN e."At" END)
        FROM usage_events e
        {Range}
        GROUP BY e."AccountId", {SqliteDay}
        """;

    private static readonly string PostgresBatch = $"""
        INSERT INTO usage_fold_batch {Columns}
        SELECT e."AccountId", {PostgresDay},
            COUNT(*) FILTER (WHERE e."Kind" = 'Login'), COUNT(*) FILTER (WHERE e."Kind" = 'LoginFailed'),
            COUNT(*) FILTER (WHERE e."Kind" = 'Sent'), COUNT(*) FILTER (WHERE e."Kind" = 'Received'),
            COUNT(*) FILTER (WHERE e."Kind" = 'Read'), COUNT(*) FILTER (WHERE e."Kind" = 'Webmail'),
            SUM(DISTINCT {ProtocolBit}),
            MIN(e."At") FILTER (WHERE e."Kind" IN {ActiveKinds}), MAX(e."At") FILTER (WHERE e."Kind" IN {ActiveKinds})
        FROM usage_events e
        {Range}
        GROUP BY e."AccountId", {PostgresDay}
        """;

    private const string Daily = $"""
        INSERT INTO usage_daily {Columns}
        SELECT "AccountId", "Day", "Logins", "FailedLogins", "Sent", "Received", "Read", "Webmail", "Protocols", "FirstAt", "LastAt"
        FROM usage_fold_batch
        WHERE true
        ON CONFLICT ("AccountId", "Day") DO UPDATE SET
            "Logins" = usage_daily."Logins" + excluded."Logins",
            "FailedLogins" = usage_daily."FailedLogins" + excluded."FailedLogins",
            "Sent" = usage_daily."Sent" + excluded."Sent",
            "Received" = usage_daily."Received" + excluded."Received",
            "Read" = usage_daily."Read" + excluded."Read",
            "Webmail" = usage_daily."Webmail" + excluded."Webmail",
            "Protocols" = usage_daily."Protocols" | excluded."Protocols",
            "FirstAt" = CASE WHEN usage_daily."FirstAt" IS NULL OR excluded."FirstAt" < usage_daily."FirstAt"
                THEN excluded."FirstAt" ELSE usage_daily."FirstAt" END,
            "LastAt" = CASE WHEN usage_daily."LastAt" IS NULL OR excluded."LastAt" > usage_daily."LastAt"
                THEN excluded."LastAt" ELSE usage_daily."LastAt" END
        """;

    private const string Active = """b."Logins" + b."Sent" + b."Read" + b."Webmail" > 0""";
    private const string Mail = """b."Sent" + b."Read" > 0""";

    private const string MonthlyConflict = """
        ON CONFLICT ("AccountId", "Month") DO UPDATE SET
            "ActiveDays" = usage_monthly."ActiveDays" | excluded."ActiveDays",
            "MailDays" = usage_monthly."MailDays" | excluded."MailDays"
        """;

    // Bit d−1 for local day d. The batch has one row per account and day, so a sum of bits is their OR.
    private const string SqliteBit = """(1 << (CAST(substr(b."Day", 9, 2) AS INTEGER) - 1))""";

    private const string SqliteMonthly = $"""
        INSERT INTO usage_monthly ("AccountId", "Month", "ActiveDays", "MailDays")
        SELECT b."AccountId", CAST(substr(b."Day", 1, 4) || substr(b."Day", 6, 2) AS INTEGER),
            SUM(CASE WHEN {Active} THEN {SqliteBit} ELSE 0 END), SUM(CASE WHEN {Mail} THEN {SqliteBit} ELSE 0 END)
        FROM temp.usage_fold_batch b
        WHERE true
        GROUP BY b."AccountId", substr(b."Day", 1, 7)
        {MonthlyConflict}
        """;

    private const string PostgresBit = """(1 << (EXTRACT(DAY FROM b."Day")::int - 1))""";

    private const string PostgresMonthly = $"""
        INSERT INTO usage_monthly ("AccountId", "Month", "ActiveDays", "MailDays")
        SELECT b."AccountId", (EXTRACT(YEAR FROM b."Day") * 100 + EXTRACT(MONTH FROM b."Day"))::int,
            COALESCE(SUM(CASE WHEN {Active} THEN {PostgresBit} END), 0)::int, COALESCE(SUM(CASE WHEN {Mail} THEN {PostgresBit} END), 0)::int
        FROM usage_fold_batch b
        GROUP BY 1, 2
        {MonthlyConflict}
        """;

    private const string SqliteSummary = $"""
        INSERT INTO usage_account_summaries ("AccountId", "FirstActiveOn", "LastActiveOn")
        SELECT b."AccountId", MIN(b."Day"), MAX(b."Day")
        FROM temp.usage_fold_batch b
        WHERE {Active}
        GROUP BY b."AccountId"
        ON CONFLICT ("AccountId") DO UPDATE SET
            "FirstActiveOn" = min(usage_account_summaries."FirstActiveOn", excluded."FirstActiveOn"),
            "LastActiveOn" = max(usage_account_summaries."LastActiveOn", excluded."LastActiveOn")
        """;

    private const string PostgresSummary = $"""
        INSERT INTO usage_account_summaries ("AccountId", "FirstActiveOn", "LastActiveOn")
        SELECT b."AccountId", MIN(b."Day"), MAX(b."Day")
        FROM usage_fold_batch b
        WHERE {Active}
        GROUP BY b."AccountId"
        ON CONFLICT ("AccountId") DO UPDATE SET
            "FirstActiveOn" = LEAST(usage_account_summaries."FirstActiveOn", excluded."FirstActiveOn"),
            "LastActiveOn" = GREATEST(usage_account_summaries."LastActiveOn", excluded."LastActiveOn")
        """;
}
