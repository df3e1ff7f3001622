using System.Diagnostics;
using System.Globalization;
using System.Text;
using GovMail.Core.Accounts;
using GovMail.Core.Directory;
using GovMail.Core.Security;
using GovMail.Core.Usage;
using GovMail.Reports;
using GovMail.Reports.Export;
using GovMail.Reports.Rollup;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

// The usage room at city scale (issue 5): 100,000 accounts and a quarter of events (at least 10 million), folded into
// daily rows, then the city-wide quarterly report with every list, on SQLite and on PostgreSQL. Writes its figures into
// docs/performance.md.
//
//   dotnet run -c Release --project bench/GovMail.Bench.Usage [-- --accounts 100000 --db sqlite|postgres|both --no-docs]
//
// PostgreSQL: the server named by GOVMAIL_BENCH_POSTGRES, else GOVMAIL_TEST_POSTGRES (a role that may CREATE DATABASE).

var options = BenchOptions.Parse(args);
var results = new List<BenchResult>();
if (options.Reuse is { } reuse)
{
    await UsageBench.ReportsOnlyAsync(options.Providers[0], reuse);
    return 0;
}
foreach (var provider in options.Providers)
{
    Console.WriteLine($"== {provider}: {options.Accounts:N0} accounts");
    results.Add(await UsageBench.RunAsync(provider, options));
}
if (options.WriteDocs && results.Count > 0) PerformanceDoc.Write(options, results);
return 0;

internal sealed record BenchOptions(int Accounts, IReadOnlyList<DatabaseProvider> Providers, bool WriteDocs, int Seed)
{
    /// <summary>Keep the generated database and print where it is (for profiling with <see cref="Reuse"/>).</summary>
    public bool Keep { get; init; }

    /// <summary>A kept database (SQLite folder or PostgreSQL connection string): time the reports only.</summary>
    public string? Reuse { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        var accounts = 100_000;
        var db = "both";
        var docs = true;
        var keep = false;
        string? reuse = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--accounts": accounts = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--db": db = args[++i]; break;
                case "--no-docs": docs = false; break;
                case "--keep": keep = true; break;
                case "--reuse": reuse = args[++i]; docs = false; break;
            }
        }
        var providers = db switch
        {
            "sqlite" => new[] { DatabaseProvider.Sqlite },
            "postgres" => [DatabaseProvider.Postgres],
            _ => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres],
        };
        return new BenchOptions(accounts, providers, docs, 2024) { Keep = keep, Reuse = reuse };
    }
}

internal sealed record BenchResult(string LoadAverage, DatabaseProvider Provider, int Accounts, long EventsQuarter, long EventsTotal, long DailyRows,
    TimeSpan Load, Timed Fold, TimeSpan FoldAgain, TimeSpan FoldOneDay, long OneDayEvents, Timed Report, Timed Governance,
    Timed Xlsx, int Listed, int Persons, int Heads, int Cancellations);

/// <summary>Wall time and this process's CPU time of one step (the machine may be shared; CPU time shows the work done here).</summary>
internal readonly record struct Timed(TimeSpan Wall, TimeSpan Cpu)
{
    public double TotalSeconds => Wall.TotalSeconds;

    public static async Task<(T Value, Timed Time)> RunAsync<T>(Func<Task<T>> step)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var value = await step();
        var wall = sw.Elapsed;
        process.Refresh();
        return (value, new Timed(wall, process.TotalProcessorTime - cpu));
    }

    public string Show(int decimals = 2) =>
        $"{Wall.TotalSeconds.ToString("F" + decimals, CultureInfo.InvariantCulture)} s (CPU here {Cpu.TotalSeconds.ToString("F" + decimals, CultureInfo.InvariantCulture)} s)";
}

internal static class UsageBench
{
    private static readonly UsagePeriod Q4 = UsagePeriod.Quarter(2023, 4);
    private static readonly UsagePeriod Q1 = UsagePeriod.Quarter(2024, 1);

    /// <summary>Times the reports on a database kept by an earlier run, three times each.</summary>
    public static async Task ReportsOnlyAsync(DatabaseProvider provider, string where)
    {
        var database = new GovMailDatabase(provider == DatabaseProvider.Sqlite ? DatabaseSettings.SqliteIn(where) : new DatabaseSettings(provider, where));
        await database.MigrateAsync(); // a database kept by an older build gets the newer migrations
        var clock = new FixedClock(new DateTimeOffset(2024, 4, 5, 9, 0, 0, TimeSpan.FromHours(7)));
        var reports = new UsageReports(database, clock) { FoldFirst = false };
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        GovMail.Reports.Periods.UsageFacts.Trace = (phase, t) =>
        {
            var now = Process.GetCurrentProcess().TotalProcessorTime;
            Console.WriteLine($"      {phase,-24} {t.TotalMilliseconds,8:F0} ms (CPU {(now - cpu).TotalMilliseconds,6:F0} ms)");
            cpu = now;
        };
        for (var i = 0; i < 4; i++)
        {
            // Alternate the monthly rows read alongside the directory and after it, to compare them under the same load.
            GovMail.Reports.Periods.UsageFacts.ReadMonthsAlongside = i % 2 == 1;
            Console.WriteLine($"   -- monthly rows read {(i % 2 == 1 ? "alongside" : "after")} the directory; load {File.ReadAllText("/proc/loadavg")[..14]}");
            var sw = Stopwatch.StartNew();
            var r = (await reports.PeriodAsync(Q1)).Value!;
            Console.WriteLine($"   report: {sw.Elapsed.TotalSeconds:F2} s ({r.Lines.Count:N0} lines)");
            sw.Restart();
            var g = (await reports.GovernanceAsync(Q1)).Value!;
            Console.WriteLine($"   governance: {sw.Elapsed.TotalSeconds:F2} s ({g.PersonsGradedDown.Count:N0} people)");
            sw.Restart();
            using (var xlsx = new MemoryStream()) UsageReportExport.WriteXlsx(xlsx, r);
            Console.WriteLine($"   xlsx: {sw.Elapsed.TotalSeconds:F2} s");
        }
    }

    public static async Task<BenchResult> RunAsync(DatabaseProvider provider, BenchOptions options)
    {
        await using var bench = await BenchDatabase.CreateAsync(provider, options.Keep);
        var database = bench.Database;
        var clock = new FixedClock(new DateTimeOffset(2024, 4, 5, 9, 0, 0, TimeSpan.FromHours(7)));
        await database.MigrateAsync();
        var init = await new TenantDirectory(database, clock, new PasswordHasher(1024, 1))
            .InitAsync("tphcm.gov.vn", "Ủy ban nhân dân Thành phố Hồ Chí Minh", null, operatorUnit: "Sở Thông tin và Truyền thông");
        if (!init.IsOk) throw new InvalidOperationException(init.Problem!.Message());

        var sw = Stopwatch.StartNew();
        var directory = await DirectoryBuilder.BuildAsync(database, init.Value!.Tenant.Id, options.Accounts, options.Seed);
        var (quarterEvents, totalEvents) = await EventWriter.WriteAsync(database, directory, options.Seed);
        var load = sw.Elapsed;
        Console.WriteLine($"   loaded {directory.Count:N0} accounts and {totalEvents:N0} events ({quarterEvents:N0} in Q1 2024) in {load.TotalSeconds:F1} s");

        var folder = new UsageFolder(database, clock);
        var (folded, fold) = await Timed.RunAsync(() => folder.FoldAsync());
        Console.WriteLine($"   fold: {folded.EventsFolded:N0} events in {folded.Batches} batches, {fold.Show(1)}");
        sw.Restart();
        await folder.FoldAsync();
        var foldAgain = sw.Elapsed;

        long dailyRows;
        await using (var db = database.Open()) dailyRows = await db.UsageDays.LongCountAsync();

        // A night's fold: one more working day of events (1 April 2024) on top of the folded quarter.
        var oneDay = await EventWriter.WriteDayAsync(database, directory, new DateOnly(2024, 4, 1), options.Seed + 1);
        sw.Restart();
        await folder.FoldAsync();
        var foldOneDay = sw.Elapsed;

        var reports = new UsageReports(database, clock) { FoldFirst = false };
        // The first report warms the code and the page cache; the second is timed.
        await reports.PeriodAsync(Q1);
        var (report, reportTime) = await Timed.RunAsync(() => reports.PeriodAsync(Q1));
        if (!report.IsOk) throw new InvalidOperationException(report.Problem!.Message());
        var (governance, governanceTime) = await Timed.RunAsync(() => reports.GovernanceAsync(Q1));
        if (!governance.IsOk) throw new InvalidOperationException(governance.Problem!.Message());
        var (_, xlsxTime) = await Timed.RunAsync(() =>
        {
            using var xlsx = new MemoryStream();
            UsageReportExport.WriteXlsx(xlsx, report.Value!);
            return Task.FromResult(xlsx.Length);
        });

        var r = report.Value!;
        var g = governance.Value!;
        Console.WriteLine($"   report Q1 2024: {r.Lines.Count:N0} accounts, {r.Listed.Count():N0} listed, {reportTime.Show()}");
        Console.WriteLine($"   governance Q1 2024: {g.PersonsGradedDown.Count:N0} people, {g.HeadsGradedDown.Count:N0} heads, {g.CancellationProposals.Count:N0} cancellations, {governanceTime.Show()}");
        Console.WriteLine($"   xlsx: {xlsxTime.Show()}");
        var loadAverage = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
        return new BenchResult(loadAverage, provider, directory.Count, quarterEvents, totalEvents, dailyRows, load, fold, foldAgain, foldOneDay, oneDay,
            reportTime, governanceTime, xlsxTime, r.Listed.Count(), g.PersonsGradedDown.Count, g.HeadsGradedDown.Count, g.CancellationProposals.Count);
    }
}

/// <summary>What an account does in the generated history.</summary>
internal enum Profile
{
    Regular,
    Low,
    NotUsed,
    NotActivated,
}

internal sealed record BenchAccount(Guid Id, string Address, Profile Profile);

/// <summary>50 agencies of 8 departments each, every department headed; accounts spread evenly, with fixed proportions of profiles.</summary>
internal static class DirectoryBuilder
{
    public static async Task<List<BenchAccount>> BuildAsync(GovMailDatabase database, Guid tenantId, int count, int seed)
    {
        var random = new Random(seed);
        var now = new DateTimeOffset(2023, 1, 1, 8, 0, 0, TimeSpan.FromHours(7));
        var departments = new List<OrgUnit>();
        await using (var db = database.Open())
        {
            for (var a = 1; a <= 50; a++)
            {
                var agency = new OrgUnit { TenantId = tenantId, Name = $"Sở số {a}", Kind = UnitKind.Agency, CreatedAt = now };
                db.Units.Add(agency);
                for (var d = 1; d <= 8; d++)
                {
                    var department = new OrgUnit { TenantId = tenantId, ParentId = agency.Id, Name = $"Phòng số {d}", Kind = UnitKind.Department, CreatedAt = now };
                    db.Units.Add(department);
                    departments.Add(department);
                }
            }
            await db.SaveChangesAsync();
        }

        var accounts = new List<BenchAccount>(count);
        var rows = new List<Account>(count);
        for (var i = 0; i < count; i++)
        {
            var roll = random.NextDouble();
            var profile = roll < 0.80 ? Profile.Regular : roll < 0.92 ? Profile.Low : roll < 0.97 ? Profile.NotUsed : Profile.NotActivated;
            // The first account of each department is its head and a regular user.
            if (i < departments.Count) profile = Profile.Regular;
            var address = $"cb{i:D6}@tphcm.gov.vn";
            var issued = random.NextDouble() < 0.02 ? new DateOnly(2024, 1, 1).AddDays(random.Next(0, 80)) : new DateOnly(2022, 6, 1);
            var account = new Account
            {
                TenantId = tenantId, Address = address, DisplayName = $"Cán bộ {i:D6}", Title = "Chuyên viên",
                UnitId = departments[i % departments.Count].Id, Kind = i >= departments.Count && i % 50 == 49 ? AccountKind.Collective : AccountKind.Individual,
                State = profile == Profile.NotActivated ? AccountState.PendingFirstLogin : AccountState.Active,
                MustChangePassword = profile == Profile.NotActivated, IssuedOn = issued, CreatedAt = now,
                FirstLoginAt = profile == Profile.NotActivated ? null : now,
            };
            rows.Add(account);
            accounts.Add(new BenchAccount(account.Id, address, profile));
        }
        foreach (var chunk in rows.Chunk(10_000))
        {
            await using var db = database.Open();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Accounts.AddRange(chunk);
            await db.SaveChangesAsync();
        }
        await using (var db = database.Open())
        {
            var units = await db.Units.Where(u => u.ParentId != null).ToListAsync();
            var byId = departments.Select((d, i) => (d.Id, Head: rows[i].Id)).ToDictionary(x => x.Id, x => x.Head);
            foreach (var u in units) if (byId.TryGetValue(u.Id, out var head)) u.HeadAccountId = head;
            await db.SaveChangesAsync();
        }
        return accounts;
    }
}

/// <summary>
/// Writes the history straight into usage_events (SQLite: one prepared INSERT in a transaction; PostgreSQL: binary COPY),
/// as the servers would have recorded it: per active working day a login (IMAP, web or ActiveSync), messages read and
/// received, sometimes one sent. Q1 2024 in full; Q4 2023 lighter, so that two-quarter cancellations exist.
/// </summary>
internal static class EventWriter
{
    private record struct Row(Guid Account, string Address, DateTimeOffset At, UsageKind Kind, UsageProtocol Protocol);

    public static async Task<(long Quarter, long Total)> WriteAsync(GovMailDatabase database, List<BenchAccount> accounts, int seed)
    {
        // Loading millions of rows is quicker with the event indexes built once afterwards (as the migration defines them).
        await using (var db = database.Open())
            await db.Database.ExecuteSqlRawAsync("""DROP INDEX "IX_usage_events_AccountId_At"; DROP INDEX "IX_usage_events_At";""");
        var q1 = await WriteAsync(database, Generate(accounts, UsagePeriod.Quarter(2024, 1), seed, full: true));
        var q4 = await WriteAsync(database, Generate(accounts, UsagePeriod.Quarter(2023, 4), seed + 7, full: false));
        await using (var db = database.Open())
        {
            await db.Database.ExecuteSqlRawAsync("""CREATE INDEX "IX_usage_events_AccountId_At" ON usage_events ("AccountId", "At")""");
            await db.Database.ExecuteSqlRawAsync("""CREATE INDEX "IX_usage_events_At" ON usage_events ("At")""");
            // PostgreSQL's autovacuum would analyze the table soon after such a load; SQLite installations never run ANALYZE.
            if (database.Settings.Provider == DatabaseProvider.Postgres) await db.Database.ExecuteSqlRawAsync("ANALYZE usage_events");
        }
        return (q1, q1 + q4);
    }

    public static Task<long> WriteDayAsync(GovMailDatabase database, List<BenchAccount> accounts, DateOnly day, int seed) =>
        WriteAsync(database, Days(accounts, [day], new Random(seed), full: true));

    private static IEnumerable<Row> Generate(List<BenchAccount> accounts, UsagePeriod period, int seed, bool full) =>
        Days(accounts, WorkingCalendar.Vietnam.WorkingDays(period.FirstDay, period.LastDay).ToList(), new Random(seed), full);

    private static IEnumerable<Row> Days(List<BenchAccount> accounts, IReadOnlyList<DateOnly> days, Random random, bool full)
    {
        foreach (var day in days)
        {
            var start = UsagePeriod.StartOfLocalDay(day);
            foreach (var a in accounts)
            {
                var p = a.Profile switch { Profile.Regular => full ? 0.85 : 0.30, Profile.Low => full ? 0.12 : 0.10, _ => 0.0 };
                if (p == 0 || random.NextDouble() >= p) continue;
                var at = start.AddHours(7).AddMinutes(random.Next(0, 600));
                var protocol = random.Next(10) switch { < 6 => UsageProtocol.Imap, < 9 => UsageProtocol.Web, _ => UsageProtocol.ActiveSync };
                yield return new Row(a.Id, a.Address, at, UsageKind.Login, protocol);
                yield return new Row(a.Id, a.Address, at.AddMinutes(2), UsageKind.Read, protocol);
                if (!full) continue;
                yield return new Row(a.Id, a.Address, at.AddMinutes(-30), UsageKind.Received, UsageProtocol.Smtp);
                if (random.Next(3) == 0) yield return new Row(a.Id, a.Address, at.AddMinutes(20), UsageKind.Sent, UsageProtocol.Smtp);
            }
        }
    }

    private static async Task<long> WriteAsync(GovMailDatabase database, IEnumerable<Row> rows)
    {
        long n = 0;
        if (database.Settings.Provider == DatabaseProvider.Sqlite)
        {
            await using var connection = new SqliteConnection(
                new SqliteConnectionStringBuilder(database.Settings.ConnectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using (var pragma = connection.CreateCommand())
            {
                // The generator's own connection: a large page cache keeps the event indexes in memory while loading.
                pragma.CommandText = "PRAGMA cache_size = -1000000; PRAGMA synchronous = OFF;";
                await pragma.ExecuteNonQueryAsync();
            }
            var tx = connection.BeginTransaction();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = """INSERT INTO usage_events ("AccountId", "Address", "At", "Kind", "Protocol", "RemoteAddress") VALUES ($a, $d, $t, $k, $p, '203.0.113.5')""";
            var pa = cmd.Parameters.Add("$a", SqliteType.Text);
            var pd = cmd.Parameters.Add("$d", SqliteType.Text);
            var pt = cmd.Parameters.Add("$t", SqliteType.Integer);
            var pk = cmd.Parameters.Add("$k", SqliteType.Text);
            var pp = cmd.Parameters.Add("$p", SqliteType.Text);
            cmd.Transaction = tx;
            cmd.Prepare();
            foreach (var r in rows)
            {
                pa.Value = r.Account.ToString().ToUpperInvariant();
                pd.Value = r.Address;
                pt.Value = r.At.UtcTicks;
                pk.Value = r.Kind.ToString();
                pp.Value = r.Protocol.ToString();
                await cmd.ExecuteNonQueryAsync();
                if (++n % 500_000 == 0)
                {
                    tx.Commit();
                    tx = connection.BeginTransaction();
                    cmd.Transaction = tx;
                }
            }
            tx.Commit();
            return n;
        }
        await using (var connection = new NpgsqlConnection(database.Settings.ConnectionString))
        {
            await connection.OpenAsync();
            await using var copy = await connection.BeginBinaryImportAsync(
                """COPY usage_events ("AccountId", "Address", "At", "Kind", "Protocol", "RemoteAddress") FROM STDIN (FORMAT BINARY)""");
            foreach (var r in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(r.Account, NpgsqlDbType.Uuid);
                await copy.WriteAsync(r.Address, NpgsqlDbType.Varchar);
                await copy.WriteAsync(r.At.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(r.Kind.ToString(), NpgsqlDbType.Varchar);
                await copy.WriteAsync(r.Protocol.ToString(), NpgsqlDbType.Varchar);
                await copy.WriteAsync("203.0.113.5", NpgsqlDbType.Varchar);
                n++;
            }
            await copy.CompleteAsync();
        }
        return n;
    }
}

/// <summary>A database of its own for the run, removed afterwards.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly Func<Task> _drop;

    private BenchDatabase(GovMailDatabase database, Func<Task> drop)
    {
        Database = database;
        _drop = drop;
    }

    public GovMailDatabase Database { get; }

    public static async Task<BenchDatabase> CreateAsync(DatabaseProvider provider, bool keep = false)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var folder = Path.Combine(Path.GetTempPath(), "govmail-bench-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(folder);
            var settings = DatabaseSettings.SqliteIn(folder);
            return new BenchDatabase(new GovMailDatabase(settings), () =>
            {
                SqliteConnection.ClearAllPools();
                if (keep) Console.WriteLine($"kept: --db sqlite --reuse {folder}");
                else Directory.Delete(folder, true);
                return Task.CompletedTask;
            });
        }
        var server = Environment.GetEnvironmentVariable("GOVMAIL_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("GOVMAIL_TEST_POSTGRES")
            ?? throw new InvalidOperationException("set GOVMAIL_BENCH_POSTGRES (or GOVMAIL_TEST_POSTGRES) to a PostgreSQL connection string");
        var name = "govmail_bench_" + Guid.NewGuid().ToString("N")[..12];
        await Execute(server, $"CREATE DATABASE {name}");
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = name, CommandTimeout = 600 }.ConnectionString;
        return new BenchDatabase(new GovMailDatabase(new DatabaseSettings(DatabaseProvider.Postgres, cs)), async () =>
        {
            NpgsqlConnection.ClearAllPools();
            if (keep) Console.WriteLine($"kept: --db postgres --reuse \"{cs}\"");
            else await Execute(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        });
    }

    private static async Task Execute(string cs, string sql)
    {
        await using var c = new NpgsqlConnection(cs);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync() => await _drop();
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
}

/// <summary>Replaces the usage section of docs/performance.md with this run's figures.</summary>
internal static class PerformanceDoc
{
    private const string Start = "<!-- usage-bench:start -->";
    private const string End = "<!-- usage-bench:end -->";

    public static void Write(BenchOptions options, List<BenchResult> results)
    {
        var root = AppContext.BaseDirectory;
        var dir = new DirectoryInfo(root);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GovMail.slnx"))) dir = dir.Parent;
        if (dir is null) { Console.WriteLine("GovMail.slnx not found above the program; docs/performance.md not written"); return; }
        var path = Path.Combine(dir.FullName, "docs", "performance.md");
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Performance\n\nFigures written by the benchmarks in `bench/`; each section names the machine and the command.\n";

        var s = new StringBuilder();
        s.AppendLine(Start);
        s.AppendLine("## Usage statistics: folding and the city-wide quarterly report (issue 5)");
        s.AppendLine();
        s.AppendLine($"Command: `dotnet run -c Release --project bench/GovMail.Bench.Usage -- --accounts {options.Accounts}` " +
            $"({DateTime.UtcNow:yyyy-MM-dd}). Machine: {Machine()}.");
        s.AppendLine();
        s.AppendLine($"{options.Accounts:N0} accounts in 50 agencies × 8 departments (80 % regular users, 12 % low, 5 % silent, 3 % never " +
            "activated; 2 % issued during the quarter; every 50th a collective mailbox). Events: every working day of Q1 2024 for " +
            "active users (login, read, received, sometimes sent) and a lighter Q4 2023. Target (issue 5): the city-wide quarterly " +
            "report with all lists under 3 s from the rollups, never the raw events.");
        s.AppendLine();
        s.AppendLine("| | " + string.Join(" | ", results.Select(r => r.Provider == DatabaseProvider.Sqlite ? "SQLite" : "PostgreSQL")) + " |");
        s.AppendLine("| --- | " + string.Join(" | ", results.Select(_ => "---:")) + " |");
        void Row(string label, Func<BenchResult, string> value) => s.AppendLine($"| {label} | " + string.Join(" | ", results.Select(value)) + " |");
        Row("events in Q1 2024 / in all", r => $"{r.EventsQuarter:N0} / {r.EventsTotal:N0}");
        Row("daily rows after folding", r => $"{r.DailyRows:N0}");
        Row("fold all events", r => $"{r.Fold.Show(1)}, {r.EventsTotal / Math.Max(0.001, r.Fold.TotalSeconds):N0} events/s");
        Row("fold again, nothing pending", r => $"{r.FoldAgain.TotalMilliseconds:F0} ms");
        Row("fold one more day", r => $"{r.OneDayEvents:N0} events in {r.FoldOneDay.TotalSeconds:F2} s");
        Row("**quarterly report, whole city** (`report usage --period 2024-Q1`)", r => $"**{r.Report.Show()}**, {r.Listed:N0} listed");
        Row("**governance lists** (`report governance --quarter 2024-Q1`)", r => $"**{r.Governance.Show()}**, {r.Persons:N0} people, {r.Heads:N0} heads, {r.Cancellations:N0} cancellations");
        Row("official list, summary and detail as .xlsx", r => r.Xlsx.Show());
        Row("loading the generated history (not a product path)", r => $"{r.Load.TotalSeconds:F0} s");
        Row("load average when the reports ran (1, 5, 15 min)", r => r.LoadAverage);
        s.AppendLine();
        s.AppendLine("Folding reads each batch of events once into one row per account and local day, then upserts the daily rows, " +
            "the monthly rows (active days and mail days as bit masks) and each account's first and last active day, moving the " +
            "watermark in the same transaction. The reports never read raw events: they read the accounts and the monthly rows " +
            "(three per account for a quarter; the previous quarter only for the people listed now) and apply the working " +
            "calendar and each account's judged span in memory. The report is timed warm (the second run in the process). " +
            "The machine is shared with other engineers' builds and benchmarks: the load average column says how busy it was, " +
            "and 'CPU here' is this process's own CPU time (PostgreSQL's work is done in the server process).");
        s.AppendLine(End);

        var i = text.IndexOf(Start, StringComparison.Ordinal);
        var j = text.IndexOf(End, StringComparison.Ordinal);
        text = i >= 0 && j > i
            ? text[..i] + s.ToString().TrimEnd('\n') + text[(j + End.Length)..]
            : text.TrimEnd('\n') + "\n\n" + s;
        File.WriteAllText(path, text.TrimEnd('\n') + "\n");
        Console.WriteLine($"wrote {path}");
    }

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return $"{cpu ?? "unknown CPU"}, {Environment.ProcessorCount} logical CPUs, {memory:F0} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
            $".NET {Environment.Version}";
    }
}
