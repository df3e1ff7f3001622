using GovMail.Core;
using GovMail.Core.Audit;
using GovMail.Core.Usage;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Reports.Exemptions;

/// <summary>An exemption with the address it is about.</summary>
public sealed record ExemptionView(UsageExemption Exemption, string Address);

/// <summary>
/// Exemptions from the usage lists (long leave, maternity leave, secondment), recorded by an administrator with dates and
/// a reason; the person is not judged on those days.
/// </summary>
public sealed class UsageExemptions(GovMailDatabase database, TimeProvider clock)
{
    public async Task<Result<ExemptionView>> AddAsync(string address, DateOnly from, DateOnly to, ExemptionKind kind, string reason,
        string actor, CancellationToken ct = default)
    {
        if (from > to) return Problem.Of("ExemptionBadSpan", from, to);
        reason = reason.Trim();
        if (reason.Length == 0) return Problem.Of("ExemptionReasonRequired");
        if (reason.Length > 1000) reason = reason[..1000];
        await using var db = database.Open();
        var account = await UsageAccounts.FindAsync(db, address, ct);
        if (account is null) return Problem.Of("AccountNotFound", address);
        var now = clock.GetUtcNow();
        var exemption = new UsageExemption
        {
            AccountId = account.Value.Id, From = from, To = to, Kind = kind, Reason = reason, RecordedBy = actor, RecordedAt = now,
        };
        db.UsageExemptions.Add(exemption);
        db.Audit.Add(new AuditEntry
        {
            At = now, Actor = actor, Action = "usage.exempt", Target = account.Value.Address,
            Detail = $"{from:yyyy-MM-dd}..{to:yyyy-MM-dd} {UsageNames.Describe(kind)}: {reason}",
        });
        await db.SaveChangesAsync(ct);
        return new ExemptionView(exemption, account.Value.Address);
    }

    /// <summary>Every exemption, or those of one address, newest first.</summary>
    public async Task<Result<IReadOnlyList<ExemptionView>>> ListAsync(string? address = null, CancellationToken ct = default)
    {
        await using var db = database.Open();
        Guid? id = null;
        if (address is not null)
        {
            var account = await UsageAccounts.FindAsync(db, address, ct);
            if (account is null) return Problem.Of("AccountNotFound", address);
            id = account.Value.Id;
        }
        var rows = await (from e in db.UsageExemptions.AsNoTracking()
                          join a in db.Accounts.AsNoTracking() on e.AccountId equals a.Id
                          where id == null || e.AccountId == id
                          orderby e.From descending, e.Id descending
                          select new ExemptionView(e, a.Address)).ToListAsync(ct);
        return rows;
    }
}

/// <summary>
/// Reminders for not using the mailbox (nhắc nhở), whether sent by the automatic reminder mail or by an administrator;
/// a reminded person is graded down like a listed one (seed 001 mục 7).
/// </summary>
public sealed class UsageReminders(GovMailDatabase database, TimeProvider clock)
{
    public async Task<Result<UsageReminder>> RecordAsync(string address, UsagePeriod period, string actor, string? note,
        CancellationToken ct = default)
    {
        await using var db = database.Open();
        var account = await UsageAccounts.FindAsync(db, address, ct);
        if (account is null) return Problem.Of("AccountNotFound", address);
        var now = clock.GetUtcNow();
        var reminder = new UsageReminder
        {
            AccountId = account.Value.Id, At = now, Period = period.ToString(), SentBy = actor,
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
        };
        db.UsageReminders.Add(reminder);
        db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "usage.remind", Target = account.Value.Address, Detail = $"{period} {note}".Trim() });
        await db.SaveChangesAsync(ct);
        return reminder;
    }
}

/// <summary>The tenant's <see cref="UsagePolicy"/>: the stored row, or the documented default.</summary>
public sealed class UsagePolicies(GovMailDatabase database, TimeProvider clock)
{
    public async Task<UsagePolicy> GetAsync(CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await GetAsync(db, ct);
    }

    internal static async Task<UsagePolicy> GetAsync(GovMailDbContext db, CancellationToken ct)
    {
        var tenantId = await db.Tenants.AsNoTracking().OrderBy(t => t.CreatedAt).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);
        if (tenantId is null) return new UsagePolicy();
        return await db.UsagePolicies.AsNoTracking().FirstOrDefaultAsync(p => p.TenantId == tenantId, ct)
            ?? new UsagePolicy { TenantId = tenantId.Value };
    }

    /// <summary>Changes the policy through <paramref name="change"/>; values out of bounds are refused and nothing is stored.</summary>
    public Task<Result<UsagePolicy>> UpdateAsync(Action<UsagePolicy> change, string actor, CancellationToken ct = default) =>
        UpdateAsync(p => { change(p); return null; }, actor, ct);

    /// <summary>Changes the policy through <paramref name="change"/>, which may refuse; a refusal or a value out of bounds stores nothing.</summary>
    public async Task<Result<UsagePolicy>> UpdateAsync(Func<UsagePolicy, Problem?> change, string actor, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var tenant = await db.Tenants.AsNoTracking().OrderBy(t => t.CreatedAt).FirstOrDefaultAsync(ct);
        if (tenant is null) return Problem.Of("NoTenant");
        var policy = await db.UsagePolicies.FirstOrDefaultAsync(p => p.TenantId == tenant.Id, ct);
        var isNew = policy is null;
        policy ??= new UsagePolicy { TenantId = tenant.Id };
        if ((change(policy) ?? policy.Check()) is { } problem) return problem;
        if (isNew) db.UsagePolicies.Add(policy);
        db.Audit.Add(new AuditEntry
        {
            At = clock.GetUtcNow(), Actor = actor, Action = "usage.policy",
            Detail = $"days/active={policy.WorkingDaysPerActiveDay} mail={policy.RequireSentOrRead} monthly-head={policy.MonthlyHeadRule} lock={policy.NonUseLockDays} retention={policy.EventRetentionMonths} reminder-day={policy.ReminderDay}{(policy.ReminderPerQuarter ? "/quarter" : "/month")} days-off={Days(policy.ExtraDaysOff)} worked-days={Days(policy.ExtraWorkingDays)}",
        });
        await db.SaveChangesAsync(ct);
        return policy;
    }

    private static string Days(IEnumerable<DateOnly> days) =>
        string.Join(',', days.Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
}

/// <summary>
/// A change to the usage policy, as <c>govmail usage policy set</c>, the portal and the API give it: a missing value leaves the
/// rule as it is; a non-use lock day count or reminder day of 0 turns that rule off. The tenant's own days off and worked weekend
/// days are added and removed by the rules of <see cref="UsagePolicy.AddDayOff"/> and its siblings (the CLI's <c>--day-off</c>,
/// the API's <c>addDaysOff</c>, the portal's working calendar).
/// </summary>
public sealed record UsagePolicyChange
{
    public int? WorkingDaysPerActiveDay { get; init; }
    public bool? RequireSentOrRead { get; init; }
    public bool? MonthlyHeadRule { get; init; }
    public int? NonUseLockDays { get; init; }
    public int? EventRetentionMonths { get; init; }
    public int? ReminderDay { get; init; }
    public bool? ReminderPerQuarter { get; init; }
    public IReadOnlyList<DateOnly>? AddDaysOff { get; init; }
    public IReadOnlyList<DateOnly>? RemoveDaysOff { get; init; }
    public IReadOnlyList<DateOnly>? AddWorkingDays { get; init; }
    public IReadOnlyList<DateOnly>? RemoveWorkingDays { get; init; }

    /// <summary>Does it change anything?</summary>
    public bool IsEmpty => this == new UsagePolicyChange();

    /// <summary>Applies the change to <paramref name="p"/>; the first day refused is the answer (the caller then stores nothing).</summary>
    public Problem? ApplyTo(UsagePolicy p)
    {
        p.WorkingDaysPerActiveDay = WorkingDaysPerActiveDay ?? p.WorkingDaysPerActiveDay;
        p.RequireSentOrRead = RequireSentOrRead ?? p.RequireSentOrRead;
        p.MonthlyHeadRule = MonthlyHeadRule ?? p.MonthlyHeadRule;
        if (NonUseLockDays is { } lockDays) p.NonUseLockDays = lockDays == 0 ? null : lockDays;
        p.EventRetentionMonths = EventRetentionMonths ?? p.EventRetentionMonths;
        if (ReminderDay is { } day) p.ReminderDay = day == 0 ? null : day;
        p.ReminderPerQuarter = ReminderPerQuarter ?? p.ReminderPerQuarter;
        foreach (var d in RemoveDaysOff ?? []) if (p.RemoveDayOff(d) is { } problem) return problem;
        foreach (var d in RemoveWorkingDays ?? []) if (p.RemoveWorkingDay(d) is { } problem) return problem;
        foreach (var d in AddDaysOff ?? []) if (p.AddDayOff(d) is { } problem) return problem;
        foreach (var d in AddWorkingDays ?? []) if (p.AddWorkingDay(d) is { } problem) return problem;
        return null;
    }
}

/// <summary>Finds the account an address (or alias) names.</summary>
internal static class UsageAccounts
{
    public static async Task<(Guid Id, string Address)?> FindAsync(GovMailDbContext db, string address, CancellationToken ct)
    {
        var key = address.Trim().ToLowerInvariant();
        var a = await db.Accounts.AsNoTracking().Where(x => x.Address == key).Select(x => new { x.Id, x.Address }).FirstOrDefaultAsync(ct);
        if (a is not null) return (a.Id, a.Address);
        var alias = await (from al in db.Aliases.AsNoTracking()
                           join x in db.Accounts.AsNoTracking() on al.AccountId equals x.Id
                           where al.Address == key
                           select new { x.Id, x.Address }).FirstOrDefaultAsync(ct);
        return alias is null ? null : (alias.Id, alias.Address);
    }
}
