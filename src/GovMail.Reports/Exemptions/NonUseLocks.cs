using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Security;
using GovMail.Core.Time;
using GovMail.Reports.Rollup;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Reports.Exemptions;

/// <summary>An account idle long enough to be locked for non-use, and its last active day.</summary>
public sealed record IdleAccount(string Address, DateOnly LastActiveOn, int IdleDays);

/// <summary>
/// The tenant option of issue 5 §6: lock accounts with no activity for <see cref="Core.Usage.UsagePolicy.NonUseLockDays"/>
/// days, with the lock reason "non-use" (seed 001 mục 7: such a lock also grades the person down). Only active individual
/// and collective mailboxes are locked; a person exempt today is left alone.
/// </summary>
public sealed class NonUseLocks(GovMailDatabase database, TimeProvider clock, PasswordHasher hasher)
{
    /// <summary>The accounts idle for at least <paramref name="days"/> days (the policy's span when null).</summary>
    public async Task<Result<IReadOnlyList<IdleAccount>>> IdleAsync(int? days = null, CancellationToken ct = default)
    {
        await new UsageFolder(database, clock).FoldAsync(ct);
        await using var db = database.Open();
        var span = days ?? (await UsagePolicies.GetAsync(db, ct)).NonUseLockDays;
        if (span is not { } d || d <= 0) return Problem.Of("NonUseLockOff");
        var today = VietnamTime.Today(clock.GetUtcNow());
        var cutoff = today.AddDays(-d);
        var accounts = await db.Accounts.AsNoTracking()
            .Where(a => a.State == AccountState.Active && a.Kind != AccountKind.Service)
            .Select(a => new { a.Id, a.Address, a.IssuedOn, a.FirstLoginAt }).ToListAsync(ct);
        var last = await db.UsageAccountSummaries.AsNoTracking().ToDictionaryAsync(s => s.AccountId, s => s.LastActiveOn, ct);
        var exempt = (await db.UsageExemptions.AsNoTracking().Where(e => e.From <= today && e.To >= today).Select(e => e.AccountId).ToListAsync(ct))
            .ToHashSet();
        var idle = new List<IdleAccount>();
        foreach (var a in accounts)
        {
            if (exempt.Contains(a.Id)) continue;
            var lastActive = a.IssuedOn;
            if (a.FirstLoginAt is { } fl && VietnamTime.Today(fl) > lastActive) lastActive = VietnamTime.Today(fl);
            if (last.TryGetValue(a.Id, out var l) && l > lastActive) lastActive = l;
            if (lastActive <= cutoff) idle.Add(new IdleAccount(a.Address, lastActive, today.DayNumber - lastActive.DayNumber));
        }
        return idle.OrderBy(i => i.Address, StringComparer.Ordinal).ToList();
    }

    /// <summary>Locks every idle account for non-use; returns those locked (or that would be, with <paramref name="dryRun"/>).</summary>
    public async Task<Result<IReadOnlyList<IdleAccount>>> LockAsync(string actor, int? days = null, bool dryRun = false, CancellationToken ct = default)
    {
        var idle = await IdleAsync(days, ct);
        if (!idle.IsOk || dryRun) return idle;
        var accounts = new AccountDirectory(database, clock, hasher);
        var locked = new List<IdleAccount>();
        foreach (var a in idle.Value!)
            if ((await accounts.ApplyAsync(a.Address, AccountAction.Lock, actor, null, LockReason.NonUse, ct)).IsOk) locked.Add(a);
        return locked;
    }
}
