using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Jobs;

/// <summary>
/// One scheduled job's row in <c>job_leases</c>: when it is next due, and which node holds it while it runs. Several nodes
/// sharing one database take a job through <see cref="JobLeases.TryTakeAsync"/>, so each run happens on one node only.
/// </summary>
public sealed class JobLease
{
    /// <summary>The job's stable name, e.g. <c>usage.fold</c>.</summary>
    public required string Name { get; set; }

    /// <summary>The next moment the job is due; null before its first run (due at once).</summary>
    public DateTimeOffset? NextRunAt { get; set; }

    /// <summary>The node running the job now; null when nobody is.</summary>
    public string? Holder { get; set; }

    /// <summary>Until when <see cref="Holder"/> holds the job; after it another node may take it over (the holder died).</summary>
    public DateTimeOffset? LeasedUntil { get; set; }

    public DateTimeOffset? LastStartedAt { get; set; }
    public DateTimeOffset? LastFinishedAt { get; set; }

    /// <summary>The last run's failure, or null when it succeeded.</summary>
    public string? LastError { get; set; }
}

/// <summary>
/// The database side of the job runner: a job is taken by one conditional UPDATE (due, and not held by a live lease), which
/// both engines apply atomically, so of several nodes exactly one gets each run.
/// </summary>
public sealed class JobLeases(GovMailDatabase database, TimeProvider clock)
{
    /// <summary>
    /// Takes <paramref name="name"/> for <paramref name="holder"/> until now + <paramref name="lease"/> when it is due;
    /// returns false when it is not due or another node holds it. A job seen for the first time is first due at
    /// <paramref name="firstDue"/> (now when null).
    /// </summary>
    public async Task<bool> TryTakeAsync(string name, string holder, TimeSpan lease, DateTimeOffset? firstDue = null, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = database.Open();
        if (!await db.JobLeases.AnyAsync(j => j.Name == name, ct))
        {
            db.JobLeases.Add(new JobLease { Name = name, NextRunAt = firstDue });
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException) { db.ChangeTracker.Clear(); } // another node created it first
        }
        var until = now + lease;
        var taken = await db.JobLeases
            .Where(j => j.Name == name && (j.NextRunAt == null || j.NextRunAt <= now) && (j.LeasedUntil == null || j.LeasedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Holder, holder).SetProperty(j => j.LeasedUntil, until)
                .SetProperty(j => j.LastStartedAt, now), ct);
        return taken == 1;
    }

    /// <summary>Releases a job after a run and sets when it is next due; only the holder can.</summary>
    public async Task<bool> ReleaseAsync(string name, string holder, DateTimeOffset nextRunAt, string? error, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        if (error is { Length: > 1000 }) error = error[..1000];
        await using var db = database.Open();
        var released = await db.JobLeases.Where(j => j.Name == name && j.Holder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Holder, (string?)null).SetProperty(j => j.LeasedUntil, (DateTimeOffset?)null)
                .SetProperty(j => j.NextRunAt, nextRunAt).SetProperty(j => j.LastFinishedAt, now).SetProperty(j => j.LastError, error), ct);
        return released == 1;
    }

    /// <summary>Every job's row, by name.</summary>
    public async Task<IReadOnlyList<JobLease>> ListAsync(CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await db.JobLeases.AsNoTracking().OrderBy(j => j.Name).ToListAsync(ct);
    }
}
