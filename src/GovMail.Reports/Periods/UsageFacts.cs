using System.Globalization;
using System.Text;
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
/// Everything the reports of a span of whole months need, read from the directory and the daily rows (never the raw
/// events): accounts with their place in the tree, exemptions, and per account and month the active days counted in SQL.
/// Accounts judged on part of a period (issued or ended inside it, or exempt for part of it) also get their daily rows.
/// </summary>
internal sealed class UsageFacts
{
    private readonly Dictionary<(Guid, int), ActivityTally> _months;
    private readonly Dictionary<Guid, List<DailyActivity>> _days;

    private UsageFacts(Tenant tenant, UsagePolicy policy, IReadOnlyList<OrgUnit> units, IReadOnlyDictionary<Guid, ReportedAccount> accounts,
        Dictionary<(Guid, int), ActivityTally> months, Dictionary<Guid, List<DailyActivity>> days)
    {
        Tenant = tenant;
        Policy = policy;
        Calendar = policy.Calendar();
        Units = units;
        UnitsById = units.ToDictionary(u => u.Id);
        Accounts = accounts;
        _months = months;
        _days = days;
    }

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
        ActivityTally tally = default;
        if (CoversWholeMonths(span))
            for (var m = UsagePeriod.MonthOf(span.First); m.FirstDay <= span.Last; m = m.Next)
                tally += _months.GetValueOrDefault((account.Id, Key(m)));
        else
            tally = ActivityTally.Of(span, Calendar, _days.GetValueOrDefault(account.Id) ?? []);
        return UsageClassifier.Classify(Policy, span, tally, account.Subject);
    }

    private static int Key(UsagePeriod month) => month.Year * 100 + month.Number;

    /// <summary>A span of whole months without exemptions is counted from the per-month tallies, without daily rows.</summary>
    private static bool CoversWholeMonths(JudgedSpan span) =>
        span.Exemptions.Count == 0 && span.First.Day == 1 && span.Last.AddDays(1).Day == 1;

    /// <summary>Reads the facts for the whole months from <paramref name="first"/> to <paramref name="last"/>.</summary>
    public static async Task<Result<UsageFacts>> LoadAsync(GovMailDbContext db, UsagePeriod first, UsagePeriod last, CancellationToken ct)
    {
        var tenant = await db.Tenants.AsNoTracking().OrderBy(t => t.CreatedAt).FirstOrDefaultAsync(ct);
        if (tenant is null) return Problem.Of("NoTenant");
        var policy = await UsagePolicies.GetAsync(db, ct);
        var calendar = policy.Calendar();
        var range = new DaySpan(first.FirstDay, last.LastDay);

        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        var byId = units.ToDictionary(u => u.Id);
        var rows = await db.Accounts.AsNoTracking()
            .Select(a => new
            {
                a.Id, a.Address, a.DisplayName, a.Title, a.Kind, a.State, a.LockReason, a.UnitId, a.IssuedOn, a.FirstLoginAt, a.ClosedAt,
            })
            .ToListAsync(ct);
        var firstActive = await db.UsageAccountSummaries.AsNoTracking()
            .Select(s => new { s.AccountId, s.FirstActiveOn }).ToDictionaryAsync(s => s.AccountId, s => s.FirstActiveOn, ct);
        var disabledOn = (await (from h in db.AccountHistory.AsNoTracking()
                                 join a in db.Accounts.AsNoTracking() on h.AccountId equals a.Id
                                 where a.State == AccountState.Disabled && h.Event == "disable"
                                 select new { h.AccountId, h.At }).ToListAsync(ct))
            .GroupBy(x => x.AccountId).ToDictionary(g => g.Key, g => VietnamTime.Today(g.Max(x => x.At)));
        var exemptions = (await db.UsageExemptions.AsNoTracking()
                .Where(e => e.From <= range.Last && e.To >= range.First).ToListAsync(ct))
            .GroupBy(e => e.AccountId).ToDictionary(g => g.Key, g => (IReadOnlyList<ExemptSpan>)g.Select(e => e.Span).ToList());

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
        var detailed = new List<Guid>();
        foreach (var a in rows)
        {
            var unit = byId[a.UnitId];
            var place = PlaceOf(unit);
            DateOnly? ended = a.State is AccountState.Closed or AccountState.Purged && a.ClosedAt is { } closed
                ? VietnamTime.Today(closed)
                : a.State == AccountState.Disabled && disabledOn.TryGetValue(a.Id, out var d) ? d : null;
            DateOnly? activated = a.FirstLoginAt is { } fl ? VietnamTime.Today(fl) : null;
            if (firstActive.TryGetValue(a.Id, out var fa) && (activated is null || fa < activated)) activated = fa;
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
            if (a.Kind != AccountKind.Service && issued <= range.Last && (ended is null || ended > range.First)
                && ((issued > range.First && issued.Day != 1) || (ended <= range.Last && ended.Value.Day != 1) || subject.Exemptions.Count > 0))
                detailed.Add(a.Id);
        }

        var months = new Dictionary<(Guid, int), ActivityTally>();
        var sql = MonthTallySql(db.Provider, calendar.WorkingDays(range.First, range.Last), range);
        foreach (var r in await db.Database.SqlQueryRaw<MonthTallyRow>(sql).ToListAsync(ct))
        {
            var key = int.Parse(r.Month.AsSpan(0, 4), CultureInfo.InvariantCulture) * 100 + int.Parse(r.Month.AsSpan(5, 2), CultureInfo.InvariantCulture);
            months[(r.AccountId, key)] = new ActivityTally((int)r.ActiveWorkingDays, (int)r.ActiveDays, r.SentOrRead);
        }

        var days = new Dictionary<Guid, List<DailyActivity>>();
        foreach (var chunk in detailed.Chunk(1000))
        {
            var list = await db.UsageDays.AsNoTracking()
                .Where(d => chunk.Contains(d.AccountId) && d.Day >= range.First && d.Day <= range.Last)
                .Select(d => new { d.AccountId, d.Day, d.Logins, d.Sent, d.Read, d.Webmail })
                .ToListAsync(ct);
            foreach (var d in list)
            {
                if (!days.TryGetValue(d.AccountId, out var l)) days[d.AccountId] = l = [];
                l.Add(new DailyActivity(d.Day, d.Logins, d.Sent, d.Read, d.Webmail));
            }
        }

        return new UsageFacts(tenant, policy, units, accounts, months, days);
    }

    /// <summary>
    /// Per account and month: active days, active working days and messages sent or read, over the active daily rows of the
    /// span. The working days come from the calendar as literals, so holidays need no table.
    /// </summary>
    private static string MonthTallySql(DatabaseProvider provider, IEnumerable<DateOnly> workingDays, DaySpan range)
    {
        var sqlite = provider == DatabaseProvider.Sqlite;
        string Literal(DateOnly d) => sqlite
            ? "'" + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "'"
            : "DATE '" + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "'";
        var list = new StringBuilder();
        foreach (var d in workingDays) list.Append(list.Length == 0 ? "" : ", ").Append(Literal(d));
        var isWorking = list.Length == 0 ? "1 = 0" : $"""d."Day" IN ({list})""";
        var month = sqlite ? """substr(d."Day", 1, 7)""" : """to_char(d."Day", 'YYYY-MM')""";
        return $"""
            SELECT d."AccountId" AS "AccountId", {month} AS "Month", COUNT(*) AS "ActiveDays",
                SUM(CASE WHEN {isWorking} THEN 1 ELSE 0 END) AS "ActiveWorkingDays",
                SUM(d."Sent" + d."Read") AS "SentOrRead"
            FROM usage_daily d
            WHERE d."Day" >= {Literal(range.First)} AND d."Day" <= {Literal(range.Last)}
                AND (d."Logins" + d."Sent" + d."Read" + d."Webmail") > 0
            GROUP BY d."AccountId", {month}
            """;
    }

    private sealed class MonthTallyRow
    {
        public Guid AccountId { get; set; }
        public string Month { get; set; } = "";
        public long ActiveDays { get; set; }
        public long ActiveWorkingDays { get; set; }
        public long SentOrRead { get; set; }
    }
}
