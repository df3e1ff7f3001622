using GovMail.Hosting.Jobs;
using GovMail.Reports.Tests.Support;
using GovMail.Storage.Database;
using GovMail.Storage.Jobs;
using Microsoft.Extensions.Logging.Abstractions;

namespace GovMail.Reports.Tests.Jobs;

/// <summary>
/// The job runner of <c>govmail serve</c>: runners of two nodes on one database (the clock is the test's fake one) run each
/// due job once between them, a dead node's lease expires, daily jobs follow Asia/Ho_Chi_Minh time.
/// </summary>
public abstract class JobRunnerTests(DatabaseProvider provider) : UsageTest(provider)
{
    private int _runs;

    private JobRunner Node(string name, JobSchedule? schedule = null, Func<CancellationToken, Task>? job = null) =>
        new JobRunner(Database, Test.Clock, NullLogger.Instance, name) { Lease = TimeSpan.FromMinutes(30) }
            .Add("test.count", schedule ?? JobSchedule.Every(TimeSpan.FromMinutes(5)), job ?? (async ct =>
            {
                Interlocked.Increment(ref _runs);
                await Task.Yield();
            }));

    [Fact]
    public async Task Two_nodes_on_one_database_run_each_due_job_once()
    {
        var a = Node("node-a");
        var b = Node("node-b");
        for (var round = 1; round <= 3; round++)
        {
            var ran = await Task.WhenAll(a.RunDueAsync(), b.RunDueAsync(), a.RunDueAsync(), b.RunDueAsync());
            Assert.Equal(1, ran.Sum(r => r.Count));
            Assert.Equal(round, _runs);
            // Not due again until its interval has passed.
            Test.Clock.Advance(TimeSpan.FromMinutes(4));
            Assert.Empty((await Task.WhenAll(a.RunDueAsync(), b.RunDueAsync())).SelectMany(r => r));
            Test.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        var row = Assert.Single(await new JobLeases(Database, Test.Clock).ListAsync());
        Assert.Equal(("test.count", (string?)null, (string?)null), (row.Name, row.Holder, row.LastError));
    }

    [Fact]
    public async Task A_job_held_by_a_dead_node_is_taken_over_when_its_lease_expires()
    {
        var leases = new JobLeases(Database, Test.Clock);
        Assert.True(await leases.TryTakeAsync("test.count", "dead-node", TimeSpan.FromMinutes(30)));
        var b = Node("node-b");
        Assert.Empty(await b.RunDueAsync());
        Test.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Empty(await b.RunDueAsync());
        Test.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(["test.count"], await b.RunDueAsync());
        Assert.Equal(1, _runs);
        // The dead node cannot release what it no longer holds.
        Assert.False(await leases.ReleaseAsync("test.count", "dead-node", Test.Clock.GetUtcNow(), null));
    }

    [Fact]
    public async Task A_failed_run_is_recorded_and_the_job_runs_again_when_next_due()
    {
        var fails = true;
        var a = Node("node-a", job: ct =>
        {
            Interlocked.Increment(ref _runs);
            return fails ? throw new InvalidOperationException("database gone") : Task.CompletedTask;
        });
        Assert.Equal(["test.count"], await a.RunDueAsync());
        Assert.Equal("database gone", Assert.Single(await new JobLeases(Database, Test.Clock).ListAsync()).LastError);
        fails = false;
        Test.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(["test.count"], await a.RunDueAsync());
        Assert.Null(Assert.Single(await new JobLeases(Database, Test.Clock).ListAsync()).LastError);
        Assert.Equal(2, _runs);
    }

    [Fact]
    public async Task A_daily_job_runs_at_its_local_time_in_Ho_Chi_Minh_City()
    {
        // The clock starts at 08:00 on 10/07/2024 (+07:00): a job daily at 02:30 is first due at 02:30 on the 11th.
        var a = Node("node-a", JobSchedule.DailyAt(2, 30));
        Assert.Empty(await a.RunDueAsync());
        Test.Clock.SetUtcNow(Local(2024, 7, 11, 2, 29));
        Assert.Empty(await a.RunDueAsync());
        Test.Clock.SetUtcNow(Local(2024, 7, 11, 2, 30));
        Assert.Equal(["test.count"], await a.RunDueAsync());
        Test.Clock.SetUtcNow(Local(2024, 7, 11, 23, 59));
        Assert.Empty(await a.RunDueAsync());
        Test.Clock.SetUtcNow(Local(2024, 7, 12, 2, 31));
        Assert.Equal(["test.count"], await a.RunDueAsync());
        Assert.Equal(2, _runs);
        Assert.Equal(new DateTimeOffset(2024, 7, 12, 19, 30, 0, TimeSpan.Zero),
            Assert.Single(await new JobLeases(Database, Test.Clock).ListAsync()).NextRunAt!.Value.ToUniversalTime());
    }

    [Fact]
    public void The_serve_jobs_are_registered_by_name()
    {
        var ctx = GovMail.Cli.CliContext.Create(Path.GetTempPath(), new Dictionary<string, string?>(),
            new GovMail.Cli.CliOutput(TextWriter.Null, TextWriter.Null, false), Test.Clock);
        Assert.Equal(["usage.fold", "usage.prune", "usage.partitions", "usage.non-use-lock", "usage.reminders", "security.first-login-lock", "mail.orphan-cleanup", "mail.retention", "lifecycle.scheduled"], ServeJobs.Create(ctx, NullLogger.Instance).Jobs);
    }
}

public sealed class JobRunnerTestsOnSqlite() : JobRunnerTests(DatabaseProvider.Sqlite);

public sealed class JobRunnerTestsOnPostgres() : JobRunnerTests(DatabaseProvider.Postgres);
