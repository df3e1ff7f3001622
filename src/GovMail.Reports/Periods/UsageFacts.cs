using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Directory;
using GovMail.Core.Time;
using GovMail.Core.Usage;
using GovMail.Reports.Exemptions;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Reports.Periods;

/// <summary>An account as the reports show it: who, where in the tree, and what the classifier needs to judge it.</summary>
public sealed record ReportedAccount
{
    public required Guid Id { get; init; }
    public required string Address { get; init; }
    public required string DisplayName { get; init; }
    public string? Title { get; init; }
    public AccountKind Kind { get; init; }
    public AccountState State { get; init; }
    public LockReason? LockReason { get; init; }
    public required Guid UnitId { get; init; }
    public required string UnitName { get; init; }

    /// <summary>"Sở Văn hóa và Thể thao / Phòng Nghệ thuật".</summary>
    public required string UnitPath { get; init; }

    public required Guid AgencyId { get; init; }

    /// <summary>The top-level unit (cơ quan).</summary>
    public required string Agency { get; init; }

    /// <summary>The unit directly under the agency that holds the account (phòng ban); null when it sits in the agency itself.</summary>
    public Guid? DepartmentId { get; init; }

    /// <summary>The path below the agency ("Phòng Nghệ thuật", "Phòng X / Tổ Y"); null when it sits in the agency itself.</summary>
    public string? Department { get; init; }

    public required UsageSubject Subject { get; init; }

    /// <summary>Service mailboxes are never judged; individual and collective ones are.</summary>
    public bool IsJudged => Kind != AccountKind.Service;
}

/// <summary>
/// Everything the reports of a span of whole months need, read from the directory and the rollups (never the raw events):
/// accounts with their place in the tree, exemptions, and per account and month the active days and mail days as bit
/// masks, which the working calendar and each account's judged span are applied to here.
/// </summary>
internal sealed class UsageFacts
{
    private readonly Dictionary<Guid, List<MonthActivity>> _months;

    private UsageFacts(Tenant tenant, UsagePolicy policy, IReadOnlyList<OrgUnit> units, IReadOnlyDictionary<Guid, ReportedAccount> accounts,
        Dictionary<Guid, List<MonthActivity>> months)
    {
        Tenant = tenant;
        Policy = policy;
        Calendar = policy.Calendar();
        Units = units;
        UnitsById = units.ToDictionary(u => u.Id);
        Accounts = accounts;
        _months = months;
    }

    /// <summary>Receives the time of each loading step (the benchmark prints them); null in production.</summary>
    internal static Action<string, TimeSpan>? Trace { get; set; }

    internal static void Step(string name, System.Diagnostics.Stopwatch watch)
    {
        if (Trace is null) return;
        Trace(name, watch.Elapsed);
        watch.Restart();
    }

    /// <summary>Read the monthly rows on other connections while the directory is read (the benchmark compares both ways).</summary>
    internal static bool ReadMonthsAlongside { get; set; } = true;

    public Tenant Tenant { get; }
    public UsagePolicy Policy { get; }
    public WorkingCalendar Calendar { get; }
    public IReadOnlyList<OrgUnit> Units { get; }
    public IReadOnlyDictionary<Guid, OrgUnit> UnitsById { get; }

    /// <summary>Every account, service ones included (a head may hold one); only <see cref="ReportedAccount.IsJudged"/> ones are judged.</summary>
    public IReadOnlyDictionary<Guid, ReportedAccount> Accounts { get; }

    /// <summary>The verdict of one account for a period inside the loaded span, or null when it is not judged in it.</summary>
    public UsageVerdict? Verdict(ReportedAccount account, UsagePeriod period)
    {
        if (!account.IsJudged) return null;
        var span = UsageClassifier.SpanOf(period, Calendar, account.Subject);
        if (span is null) return null;
        var tally = ActivityTally.Of(span, Calendar, _months.GetValueOrDefault(account.Id) ?? []);
        return UsageClassifier.Classify(Policy, span, tally, account.Subject);
    }

    /// <summary>
    /// The verdict of one account for the part of <paramref name="period"/> before <paramref name="today"/> (the period so
    /// far, judged pro rata as if it ended yesterday), or null when it is not judged in it.
    /// </summary>
    public UsageVerdict? VerdictSoFar(ReportedAccount account, UsagePeriod period, DateOnly today)
    {
        var ended = account.Subject.EndedOn is { } e && e < today ? e : today;
        return Verdict(account with { Subject = account.Subject with { EndedOn = ended } }, period);
    }

    /// <summary>Reads the facts for the whole months from <paramref name="first"/> to <paramref name="last"/>.</summary>
    public static async Task<Result<UsageFacts>> LoadAsync(GovMailDatabase database, GovMailDbContext db, UsagePeriod first, UsagePeriod last,
        CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var tenant = await db.Tenants.AsNoTracking().OrderBy(t => t.CreatedAt).FirstOrDefaultAsync(ct);
        if (tenant is null) return Problem.Of("NoTenant");
        // The monthly rows do not depend on the directory: read them meanwhile, a quarter per connection (SQLite in WAL mode
        // and PostgreSQL both serve concurrent readers), which on a two-core machine takes the reading off the critical path.
        List<Task<List<(Guid, MonthActivity)>>> monthReads = ReadMonthsAlongside
            ? QuartersOf(first, last).Select(q => Task.Run(async () =>
            {
                await using var other = database.Open();
                return await MonthRowsAsync(other, q.First, q.Last, ct);
            }, ct)).ToList()
            : [];
        var policy = await UsagePolicies.GetAsync(db, ct);
        var range = new DaySpan(first.FirstDay, last.LastDay);

        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        var byId = units.ToDictionary(u => u.Id);
        // Each account with its first active day, in one pass. Read with a plain data reader: at 100,000 accounts the
        // reader costs a fraction of what materialising entities would.
        var rows = await AccountRowsAsync(db, ct);
        Step("accounts", watch);
        // The day each disabled account was disabled: the history of those few accounts only, through its account index.
        var disabled = rows.Where(a => a.State == AccountState.Disabled).Select(a => a.Id).ToList();
        var disabledOn = new Dictionary<Guid, DateOnly>();
        foreach (var chunk in disabled.Chunk(2000))
            foreach (var h in await db.AccountHistory.AsNoTracking().Where(h => chunk.Contains(h.AccountId) && h.Event == "disable")
                         .Select(h => new { h.AccountId, h.At }).ToListAsync(ct))
            {
                var day = VietnamTime.Today(h.At);
                if (!disabledOn.TryGetValue(h.AccountId, out var d) || day > d) disabledOn[h.AccountId] = day;
            }
        var exemptions = (await db.UsageExemptions.AsNoTracking()
                .Where(e => e.From <= range.Last && e.To >= range.First).ToListAsync(ct))
            .GroupBy(e => e.AccountId).ToDictionary(g => g.Key, g => (IReadOnlyList<ExemptSpan>)g.Select(e => e.Span).ToList());

        Step("summaries, exemptions", watch);
        // Nobody is judged for a time the system did not observe: judging starts with the month of the first usage data
        // (recorded or imported) or of the tenant's creation, whichever is earlier.
        var firstDay = await db.UsageDays.MinAsync(d => (DateOnly?)d.Day, ct);
        var created = VietnamTime.Today(tenant.CreatedAt);
        var observedFrom = UsagePeriod.MonthOf(firstDay is { } fd && fd < created ? fd : created).FirstDay;

        var places = new Dictionary<Guid, (string Path, OrgUnit Agency, OrgUnit? Department, string? Below)>();
        (string Path, OrgUnit Agency, OrgUnit? Department, string? Below) PlaceOf(OrgUnit unit)
        {
            if (places.TryGetValue(unit.Id, out var p)) return p;
            var chain = new List<OrgUnit>();
            for (OrgUnit? cur = unit; cur is not null; cur = cur.ParentId is { } pid && byId.TryGetValue(pid, out var parent) ? parent : null)
                chain.Add(cur);
            chain.Reverse();
            var below = chain.Count > 1 ? string.Join(UnitDirectory.PathSeparator, chain.Skip(1).Select(u => u.Name)) : null;
            p = (UnitTree.PathOf(unit, byId), chain[0], chain.Count > 1 ? chain[1] : null, below);
            places[unit.Id] = p;
            return p;
        }

        var accounts = new Dictionary<Guid, ReportedAccount>(rows.Count);
        foreach (var a in rows)
        {
            var unit = byId[a.UnitId];
            var place = PlaceOf(unit);
            DateOnly? ended = a.State is AccountState.Closed or AccountState.Purged && a.ClosedAt is { } closed
                ? VietnamTime.Today(closed)
                : a.State == AccountState.Disabled && disabledOn.TryGetValue(a.Id, out var d) ? d : null;
            DateOnly? activated = a.FirstLoginAt is { } fl ? VietnamTime.Today(fl) : null;
            if (a.FirstActiveOn is { } fa && (activated is null || fa < activated)) activated = fa;
            var issued = a.IssuedOn > observedFrom ? a.IssuedOn : observedFrom;
            var subject = new UsageSubject
            {
                IssuedOn = issued,
                EndedOn = ended,
                ActivatedOn = activated,
                Exemptions = exemptions.GetValueOrDefault(a.Id) ?? [],
            };
            accounts[a.Id] = new ReportedAccount
            {
                Id = a.Id, Address = a.Address, DisplayName = a.DisplayName, Title = a.Title, Kind = a.Kind, State = a.State,
                LockReason = a.LockReason, UnitId = a.UnitId, UnitName = unit.Name, UnitPath = place.Path, AgencyId = place.Agency.Id,
                Agency = place.Agency.Name, DepartmentId = place.Department?.Id, Department = place.Below, Subject = subject,
            };
        }

        Step("places", watch);
        if (!ReadMonthsAlongside) monthReads.Add(Task.FromResult(await MonthRowsAsync(db, first, last, ct)));
        var months = new Dictionary<Guid, List<MonthActivity>>(accounts.Count);
        foreach (var read in await Task.WhenAll(monthReads))
            foreach (var (id, activity) in read)
            {
                if (!months.TryGetValue(id, out var list)) months[id] = list = new List<MonthActivity>(6);
                list.Add(activity);
            }
        Step("monthly rows", watch);
        return new UsageFacts(tenant, policy, units, accounts, months);
    }

    /// <summary>The span from <paramref name="first"/> to <paramref name="last"/> cut into whole quarters (or less at the ends).</summary>
    private static IEnumerable<(UsagePeriod First, UsagePeriod Last)> QuartersOf(UsagePeriod first, UsagePeriod last)
    {
        var month = first;
        while (month.CompareTo(last) <= 0)
        {
            var end = month.QuarterOfPeriod.Months[^1];
            if (end.CompareTo(last) > 0) end = last;
            yield return (month, end);
            month = end.Next;
        }
    }

    private static async Task<List<(Guid, MonthActivity)>> MonthRowsAsync(GovMailDbContext db, UsagePeriod first, UsagePeriod last, CancellationToken ct)
    {
        var rows = new List<(Guid, MonthActivity)>(1 << 16);
        var sql = $"""
            SELECT "AccountId", "Month", "ActiveDays", "MailDays" FROM usage_monthly
            WHERE "Month" >= {first.Year * 100 + first.Number} AND "Month" <= {last.Year * 100 + last.Number}
            """;
        await ReadAsync(db, sql, r =>
        {
            var month = r.GetInt32(1);
            rows.Add((r.GetGuid(0), new MonthActivity(month / 100, month % 100, r.GetInt32(2), r.GetInt32(3))));
        }, ct);
        return rows;
    }

    private sealed record AccountRow(Guid Id, string Address, string DisplayName, string? Title, AccountKind Kind, AccountState State,
        LockReason? LockReason, Guid UnitId, DateOnly IssuedOn, DateTimeOffset? FirstLoginAt, DateTimeOffset? ClosedAt, DateOnly? FirstActiveOn);

    private static async Task<List<AccountRow>> AccountRowsAsync(GovMailDbContext db, CancellationToken ct)
    {
        var sqlite = db.Provider == DatabaseProvider.Sqlite;
        DateTimeOffset? Instant(System.Data.Common.DbDataReader r, int i) => r.IsDBNull(i) ? null
            : sqlite ? new DateTimeOffset(r.GetInt64(i), TimeSpan.Zero) : r.GetFieldValue<DateTimeOffset>(i);
        var rows = new List<AccountRow>();
        await ReadAsync(db, """
            SELECT a."Id", a."Address", a."DisplayName", a."Title", a."Kind", a."State", a."LockReason", a."UnitId", a."IssuedOn",
                a."FirstLoginAt", a."ClosedAt", s."FirstActiveOn"
            FROM accounts a LEFT JOIN usage_account_summaries s ON s."AccountId" = a."Id"
            """, r => rows.Add(new AccountRow(r.GetGuid(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                Enum.Parse<AccountKind>(r.GetString(4)), Enum.Parse<AccountState>(r.GetString(5)),
                r.IsDBNull(6) ? null : Enum.Parse<LockReason>(r.GetString(6)), r.GetGuid(7), r.GetFieldValue<DateOnly>(8),
                Instant(r, 9), Instant(r, 10), r.IsDBNull(11) ? null : r.GetFieldValue<DateOnly>(11))), ct);
        return rows;
    }

    private static async Task ReadAsync(GovMailDbContext db, string sql, Action<System.Data.Common.DbDataReader> row, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) row(reader);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
