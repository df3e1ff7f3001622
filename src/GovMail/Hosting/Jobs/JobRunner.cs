using GovMail.Core.Time;
using GovMail.Storage.Database;
using GovMail.Storage.Jobs;
using Microsoft.Extensions.Logging;

namespace GovMail.Hosting.Jobs;

/// <summary>When a job is due: every fixed span, or daily at a local time in Asia/Ho_Chi_Minh.</summary>
public abstract record JobSchedule
{
    /// <summary>Every <paramref name="interval"/>; the first run is due at once.</summary>
    public static JobSchedule Every(TimeSpan interval) =>
        interval > TimeSpan.Zero ? new Interval(interval) : throw new ArgumentOutOfRangeException(nameof(interval));

    /// <summary>Daily at <paramref name="hour"/>:<paramref name="minute"/> Vietnam time; the first run is the next such moment.</summary>
    public static JobSchedule DailyAt(int hour, int minute = 0) => new Daily(new TimeOnly(hour, minute));

    /// <summary>The first moment the job is due when it was never run.</summary>
    public abstract DateTimeOffset FirstDue(DateTimeOffset now);

    /// <summary>The next moment the job is due after a run that started at <paramref name="started"/>.</summary>
    public abstract DateTimeOffset NextAfter(DateTimeOffset started);

    private sealed record Interval(TimeSpan Span) : JobSchedule
    {
        public override DateTimeOffset FirstDue(DateTimeOffset now) => now;
        public override DateTimeOffset NextAfter(DateTimeOffset started) => started + Span;
        public override string ToString() => $"every {Span}";
    }

    private sealed record Daily(TimeOnly At) : JobSchedule
    {
        public override DateTimeOffset FirstDue(DateTimeOffset now) => NextAfter(now);

        public override DateTimeOffset NextAfter(DateTimeOffset started)
        {
            var local = VietnamTime.ToLocal(started);
            var today = DateOnly.FromDateTime(local.DateTime);
            var at = Local(today);
            return at > started ? at : Local(today.AddDays(1));
        }

        private DateTimeOffset Local(DateOnly day)
        {
            var wall = day.ToDateTime(At);
            return new DateTimeOffset(wall, VietnamTime.Zone.GetUtcOffset(wall)).ToUniversalTime();
        }

        public override string ToString() => $"daily at {At:HH\\:mm} Asia/Ho_Chi_Minh";
    }
}

/// <summary>
/// The scheduled jobs of <c>govmail serve</c> (folding usage events, pruning, non-use locks, reminders, …). Each pass asks the
/// database for every job that is due (<see cref="JobLeases"/>): when several nodes share one PostgreSQL, exactly one of them
/// takes each run, and a node that dies mid-run loses its lease after <see cref="Lease"/>. Time comes from the
/// <see cref="TimeProvider"/>, so tests drive it. Adding a job is one <see cref="Add"/> call.
/// </summary>
public sealed class JobRunner(GovMailDatabase database, TimeProvider clock, ILogger log, string? node = null)
{
    private readonly List<(string Name, JobSchedule Schedule, Func<CancellationToken, Task> Run)> _jobs = [];
    private readonly JobLeases _leases = new(database, clock);

    /// <summary>This node's name in the lease table.</summary>
    public string Node { get; } = node ?? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>How often the runner looks for due jobs.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a node holds a job it runs before another may take it over (longer than any run).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromHours(2);

    public IReadOnlyList<string> Jobs => _jobs.Select(j => j.Name).ToList();

    /// <summary>Adds a job; names are stable, they key the lease table.</summary>
    public JobRunner Add(string name, JobSchedule schedule, Func<CancellationToken, Task> run)
    {
        if (_jobs.Any(j => j.Name == name)) throw new ArgumentException($"job {name} added twice", nameof(name));
        _jobs.Add((name, schedule, run));
        return this;
    }

    /// <summary>One pass: runs every due job this node could take; returns their names.</summary>
    public async Task<IReadOnlyList<string>> RunDueAsync(CancellationToken ct = default)
    {
        var ran = new List<string>();
        foreach (var (name, schedule, run) in _jobs)
        {
            ct.ThrowIfCancellationRequested();
            var now = clock.GetUtcNow();
            if (!await _leases.TryTakeAsync(name, Node, Lease, schedule.FirstDue(now), ct)) continue;
            string? error = null;
            try
            {
                await run(ct);
                log.LogInformation("Job {Job} done on {Node}", name, Node);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Shutting down: release the job so it runs again when due rather than after the lease.
                await _leases.ReleaseAsync(name, Node, now, "cancelled", CancellationToken.None);
                throw;
            }
            catch (Exception e)
            {
                error = e.Message;
                log.LogError(e, "Job {Job} failed on {Node}", name, Node);
            }
            await _leases.ReleaseAsync(name, Node, schedule.NextAfter(now), error, CancellationToken.None);
            ran.Add(name);
        }
        return ran;
    }

    /// <summary>Runs passes every <see cref="Tick"/> until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await RunDueAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be briefly unavailable; try again next tick.
                log.LogError(e, "Job runner pass failed on {Node}", Node);
            }
            try { await Task.Delay(Tick, clock, ct); }
            catch (OperationCanceledException) { return; }
        }
    }
}
