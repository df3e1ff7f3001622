using GovMail.Core;
using GovMail.Core.Audit;
using GovMail.Core.Directory;
using GovMail.Core.Lifecycle;
using GovMail.Core.Progress;
using GovMail.Core.Security;
using GovMail.Storage.Database;

namespace GovMail.Storage.Lifecycle;

/// <summary>
/// Applies an HR change file: every row through its workflow in one transaction. All or nothing: when any row is bad, every bad
/// row comes back with its number and reason and nothing is written; a dry run does the same work and then rolls it back.
/// </summary>
public sealed class HrChangeImporter(GovMailDatabase database, TimeProvider clock, PasswordHasher hasher)
{
    /// <summary>Counts the rows applied (the command line shows it).</summary>
    public IProgressCounter Progress { get; init; } = NoProgress.Instance;

    /// <param name="allowed">Asked for each row's account before it is changed (an administrator's scope); null allows all.</param>
    public async Task<HrChangePlan> ApplyAsync(IReadOnlyList<HrChangeRow> rows, bool dryRun, string actor, string? sourceName,
        Func<string, string?, CancellationToken, Task<Problem?>>? allowed = null, CancellationToken ct = default,
        IReadOnlyCollection<string>? publicMailDomains = null)
    {
        var (changes, checkProblems) = HrChangeCheck.Check(rows);
        var problems = checkProblems.ToList();
        var done = new List<(HrChange Change, LifecycleResult Result)>();
        var workflows = new LifecycleWorkflows(database, clock, hasher);
        await using var session = await LifecycleSession.OpenAsync(database, clock.GetUtcNow(), ct);
        Progress.Begin(Messages.Format("ProgressApplyingHrChanges", null, [sourceName ?? ""]), changes.Count);
        foreach (var change in changes)
        {
            Progress.Advance();
            var address = change.Address.Contains('@') ? change.Address : change.Address + "@" + session.Tenant.PrimaryDomain.Name;
            if (allowed is not null && await allowed(address, change.NewUnit, ct) is { } refused)
            {
                problems.Add(new StaffListProblem(change.RowNumber, refused));
                continue;
            }
            var result = change.Kind switch
            {
                LifecycleKind.Transfer => await workflows.TransferInAsync(session, new TransferRequest(address, change.NewUnit!)
                {
                    NewAddress = change.NewAddress, KeepOldAddressUntil = change.KeepOldUntil, Reason = change.Reason,
                }, actor, ct),
                LifecycleKind.Cancellation => await workflows.CancelInAsync(session, new CancelRequest(address)
                {
                    Effective = change.Effective, Reason = change.Reason,
                }, actor, ct),
                _ => await workflows.DepartInAsync(session, new DepartureRequest(address, change.Kind)
                {
                    Effective = change.Effective, ForwardTo = change.ForwardTo,
                    ForwardDays = change.ForwardDays ?? DeparturePlan.DefaultForwardDays, Reason = change.Reason,
                    PublicMailDomains = publicMailDomains ?? OfficialUse.PublicMailDomains.ToList(),
                }, actor, ct),
            };
            if (result.IsOk) done.Add((change, result.Value!));
            else problems.Add(new StaffListProblem(change.RowNumber, result.Problem!));
        }
        var plan = new HrChangePlan(done.Select(d => new HrChangeDone(d.Change.RowNumber, d.Change.Kind, d.Change.Address, d.Result)).ToList(),
            problems.OrderBy(p => p.RowNumber).ToList(), Applied: !dryRun && problems.Count == 0);
        if (!plan.Applied) return plan; // disposing the session rolls back whatever the rows did
        session.Db.Audit.Add(new AuditEntry
        {
            At = session.Now, Actor = actor, Action = "account.hr-changes", Target = sourceName,
            Detail = string.Join("; ", done.GroupBy(d => d.Change.Kind).Select(g => $"{LifecycleRules.Name(g.Key)} {g.Count()}")),
        });
        await session.CommitAsync(ct);
        return plan;
    }
}

/// <summary>One row carried out (or, in a dry run, that would be).</summary>
public sealed record HrChangeDone(int RowNumber, LifecycleKind Kind, string Address, LifecycleResult Result);

/// <summary>What an HR change file did or would do, and every bad row. <see cref="Applied"/> is false for dry runs and refused files.</summary>
public sealed record HrChangePlan(IReadOnlyList<HrChangeDone> Done, IReadOnlyList<StaffListProblem> Problems, bool Applied);
