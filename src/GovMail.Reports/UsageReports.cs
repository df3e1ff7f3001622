using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Audit;
using GovMail.Core.Progress;
using GovMail.Core.Usage;
using GovMail.Reports.Governance;
using GovMail.Reports.Periods;
using GovMail.Reports.Rollup;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Reports;

/// <summary>
/// The usage room's entry point for the host, the CLI and the web: period reports, governance lists and the reviewers'
/// decisions. Every report first folds the events recorded since the last fold, then reads the daily rows only.
/// </summary>
public sealed class UsageReports(GovMailDatabase database, TimeProvider clock)
{
    /// <summary>Fold pending events before reporting (on by default; the benchmark turns it off to time each step).</summary>
    public bool FoldFirst { get; init; } = true;

    /// <summary>Counts the events folded first, then the accounts judged (the command line shows it).</summary>
    public IProgressCounter Progress { get; init; } = NoProgress.Instance;

    public UsageFolder Folder => new(database, clock) { Progress = Progress };

    /// <summary>
    /// The report of a month or a quarter: every individual and collective mailbox judged in it, with its class, and the
    /// summary by agency and department; limited to a unit's subtree when <paramref name="unitReference"/> names one.
    /// </summary>
    public async Task<Result<UsageReport>> PeriodAsync(UsagePeriod period, string? unitReference = null, CancellationToken ct = default)
    {
        var scope = await ScopeAsync(unitReference, ct);
        if (!scope.IsOk) return scope.Problem!;
        if (FoldFirst) await Folder.FoldAsync(ct);
        await using var db = database.Open();
        var loaded = await LoadAsync(db, period.Months[0], period.Months[^1], ct);
        if (!loaded.IsOk) return loaded.Problem!;
        var facts = loaded.Value!;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var lines = new List<UsageReportLine>();
        Progress.Begin(Messages.Get("ProgressJudgingAccounts"), facts.Accounts.Count);
        foreach (var a in facts.Accounts.Values)
        {
            Progress.Advance();
            if (scope.Value is { } s && !s.Units.Contains(a.UnitId)) continue;
            if (facts.Verdict(a, period) is { } v) lines.Add(new UsageReportLine(a, v));
        }
        UsageFacts.Step("verdicts", watch);
        var report = UsageReport.Build(period, facts.Tenant.Name, scope.Value?.Name, clock.GetUtcNow(), lines);
        UsageFacts.Step("order and summary", watch);
        return report;
    }

    /// <summary>
    /// The governance lists of a quarter (people and heads graded down in the next quarter, cancellations proposed) with
    /// the decisions recorded so far; limited to a unit's subtree when <paramref name="unitReference"/> names one.
    /// </summary>
    public async Task<Result<GovernanceReport>> GovernanceAsync(UsagePeriod quarter, string? unitReference = null,
        CancellationToken ct = default)
    {
        if (!quarter.IsQuarter) return Problem.Of("InvalidQuarter", quarter.ToString());
        var scope = await ScopeAsync(unitReference, ct);
        if (!scope.IsOk) return scope.Problem!;
        if (FoldFirst) await Folder.FoldAsync(ct);
        await using var db = database.Open();
        var loaded = await LoadAsync(db, quarter.Previous.Months[0], quarter.Months[^1], ct);
        if (!loaded.IsOk) return loaded.Problem!;
        var facts = loaded.Value!;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var reminders = (await db.UsageReminders.AsNoTracking()
                .Where(r => r.At >= quarter.Start && r.At < quarter.End).Select(r => new { r.AccountId, r.At }).ToListAsync(ct))
            .ToLookup(r => r.AccountId, r => Core.Time.VietnamTime.Today(r.At));
        var locks = await NonUseLocksAsync(db, facts, quarter, ct);

        // One pass over the city: most accounts are neither listed nor reminded nor locked and cost one verdict only.
        var subjects = new List<GovernanceSubject>();
        Progress.Begin(Messages.Get("ProgressJudgingAccounts"), facts.Accounts.Count);
        foreach (var a in facts.Accounts.Values)
        {
            Progress.Advance();
            if (!a.IsJudged) continue;
            var q = facts.Verdict(a, quarter);
            IReadOnlyList<DateOnly> reminded = reminders.Contains(a.Id) ? reminders[a.Id].ToList() : [];
            IReadOnlyList<DateOnly> locked = locks.Contains(a.Id) ? locks[a.Id].ToList() : [];
            if (q is null && reminded.Count == 0 && locked.Count == 0) continue;
            List<(UsagePeriod, UsageVerdict)>? months = null;
            if (facts.Policy.MonthlyHeadRule)
                foreach (var m in quarter.Months)
                    if (facts.Verdict(a, m) is { } v) (months ??= new List<(UsagePeriod, UsageVerdict)>(3)).Add((m, v));
            subjects.Add(new GovernanceSubject
            {
                AccountId = a.Id,
                UnitId = a.UnitId,
                Quarter = q,
                PreviousQuarter = q is { IsListed: true } ? facts.Verdict(a, quarter.Previous) : null,
                Months = months ?? [],
                RemindedOn = reminded,
                LockedForNonUseOn = locked,
            });
        }
        var units = facts.Units.Select(u => new GovernanceUnit(u.Id, u.ParentId, u.HeadAccountId, u.Name)).ToList();
        UsageFacts.Step("verdicts", watch);
        var lists = GovernanceRules.Build(quarter, facts.Policy, subjects, units);
        UsageFacts.Step("rules", watch);

        var key = quarter.ToString();
        var decisions = await db.GovernanceDecisions.AsNoTracking().Where(d => d.Quarter == key).ToListAsync(ct);
        var decided = decisions.ToDictionary(d => (d.List, d.AccountId));

        List<GovernanceLine> Lines(IReadOnlyList<GovernanceEntry> entries)
        {
            var lines = Unordered(entries);
            ReportOrder.Sort(lines, l => l.Account, l => l.HeadOfUnit);
            return lines;
        }

        List<GovernanceLine> Unordered(IReadOnlyList<GovernanceEntry> entries) => entries
            .Where(e => facts.Accounts.ContainsKey(e.AccountId))
            .Select(e => new GovernanceLine(e.List, facts.Accounts[e.AccountId],
                e.List == GovernanceList.HeadsGradedDown ? e.UnitId : null,
                e.List == GovernanceList.HeadsGradedDown && e.UnitId is { } u ? facts.UnitsById[u].Name : null,
                e.Reasons,
                e.Because.Where(facts.Accounts.ContainsKey).Select(p => facts.Accounts[p].Address).Order(StringComparer.Ordinal).ToList(),
                decided.GetValueOrDefault((e.List, e.AccountId))))
            .Where(l => scope.Value is not { } s || s.Units.Contains(l.HeadOfUnitId ?? l.Account.UnitId))
            .ToList();

        var result = new GovernanceReport(quarter, facts.Tenant.Name, scope.Value?.Name, clock.GetUtcNow(),
            Lines(lists.PersonsGradedDown), Lines(lists.HeadsGradedDown), Lines(lists.CancellationProposals));
        UsageFacts.Step("lines and order", watch);
        return result;
    }

    /// <summary>
    /// Records a reviewer's decision on one line of a quarter's list (apply, or exempt with a reason). A later decision on
    /// the same line replaces the earlier one; the audit log keeps both.
    /// </summary>
    public async Task<Result<GovernanceDecision>> DecideAsync(UsagePeriod quarter, GovernanceList list, string address,
        GovernanceDecisionKind decision, string? reason, string actor, CancellationToken ct = default)
    {
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (decision == GovernanceDecisionKind.Exempt && reason is null) return Problem.Of("DecisionReasonRequired");
        var report = await GovernanceAsync(quarter, null, ct);
        if (!report.IsOk) return report.Problem!;
        await using var db = database.Open();
        var account = await Exemptions.UsageAccounts.FindAsync(db, address, ct);
        if (account is null) return Problem.Of("AccountNotFound", address);
        if (report.Value!.Lines(list).All(l => l.Account.Id != account.Value.Id))
            return Problem.Of("NotOnGovernanceList", account.Value.Address, Messages.Get("GovernanceList" + list), quarter.Name());

        var key = quarter.ToString();
        var now = clock.GetUtcNow();
        var row = await db.GovernanceDecisions.FirstOrDefaultAsync(d => d.Quarter == key && d.List == list && d.AccountId == account.Value.Id, ct);
        if (row is null)
        {
            row = new GovernanceDecision { Quarter = key, List = list, AccountId = account.Value.Id, DecidedBy = actor };
            db.GovernanceDecisions.Add(row);
        }
        row.Decision = decision;
        row.Reason = reason;
        row.DecidedBy = actor;
        row.DecidedAt = now;
        db.Audit.Add(new AuditEntry
        {
            At = now, Actor = actor, Action = "governance.decide", Target = account.Value.Address,
            Detail = $"{key} {GovernanceReport.Describe(list)} {decision.ToString().ToLowerInvariant()}{(reason is null ? "" : ": " + reason)}",
        });
        if (list == GovernanceList.CancellationProposals) await BarAsync(db, account.Value.Id, key, decision, reason, actor, now, ct);
        await db.SaveChangesAsync(ct);
        return row;
    }

    /// <summary>
    /// The re-registration bar follows the reviewer's decision on the cancellation line (seed 000 khoản 1.4, mục 3): the list
    /// is a proposal the Văn phòng reviews, so "apply" records the bar and "exempt" lifts it. The audit log keeps both.
    /// </summary>
    private static async Task BarAsync(GovMailDbContext db, Guid accountId, string quarter, GovernanceDecisionKind decision, string? reason,
        string actor, DateTimeOffset now, CancellationToken ct)
    {
        if (decision == GovernanceDecisionKind.Apply)
        {
            var account = await db.Accounts.AsNoTracking().FirstAsync(a => a.Id == accountId, ct);
            var bar = await ReRegistration.RecordAsync(db, account, quarter, actor, now, ct);
            db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "account.bar", Target = bar.Address, Detail = $"{quarter} {bar.DisplayName}" });
        }
        else if (await ReRegistration.LiftAsync(db, accountId, quarter, actor, reason, now, ct) is { } lifted)
        {
            db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "account.bar.lift", Target = lifted.Address, Detail = $"{quarter}: {reason}" });
        }
    }

    /// <summary>The directory and the monthly rows, as one step of the report's progress.</summary>
    private async Task<Result<UsageFacts>> LoadAsync(GovMailDbContext db, UsagePeriod first, UsagePeriod last, CancellationToken ct)
    {
        Progress.Begin(Messages.Get("ProgressReadingUsage"), 1);
        var loaded = await UsageFacts.LoadAsync(database, db, first, last, ct);
        Progress.Advance();
        return loaded;
    }

    private sealed record Scope(string Name, HashSet<Guid> Units);

    private async Task<Result<Scope?>> ScopeAsync(string? unitReference, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(unitReference)) return Result<Scope?>.Ok(null);
        var unit = await new UnitDirectory(database, clock).ResolveAsync(unitReference, ct);
        if (!unit.IsOk) return unit.Problem!;
        await using var db = database.Open();
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        return Result<Scope?>.Ok(new Scope(unit.Value!.Name, UnitTree.Subtree(unit.Value.Id, units)));
    }

    /// <summary>
    /// Local days in the quarter on which accounts were locked for non-use. The history keeps the lock cause as its reason
    /// when no other reason was given; otherwise the account's current lock cause is used for its latest lock.
    /// </summary>
    private static async Task<ILookup<Guid, DateOnly>> NonUseLocksAsync(GovMailDbContext db, UsageFacts facts, UsagePeriod quarter,
        CancellationToken ct)
    {
        var lockEvent = AccountLifecycle.ActionName(AccountAction.Lock);
        var locks = await db.AccountHistory.AsNoTracking()
            .Where(h => h.Event == lockEvent && h.At >= quarter.Start && h.At < quarter.End)
            .Select(h => new { h.Id, h.AccountId, h.At, h.Reason }).ToListAsync(ct);
        var nonUse = LockReason.NonUse.ToString();
        return locks
            .GroupBy(l => l.AccountId)
            .SelectMany(g =>
            {
                var latest = g.MaxBy(l => l.Id)!;
                var current = facts.Accounts.TryGetValue(g.Key, out var a) && a.State == AccountState.Locked && a.LockReason == LockReason.NonUse;
                return g.Where(l => l.Reason == nonUse || (current && l.Id == latest.Id));
            })
            .ToLookup(l => l.AccountId, l => Core.Time.VietnamTime.Today(l.At));
    }
}
