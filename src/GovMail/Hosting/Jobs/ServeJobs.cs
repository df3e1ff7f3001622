using GovMail.Cli;
using GovMail.Core.Audit;
using GovMail.Reports.Exemptions;
using GovMail.Reports.Reminders;
using GovMail.Reports.Rollup;
using GovMail.Storage.Blobs;
using GovMail.Storage.Mail;
using GovMail.Storage.Security;
using Microsoft.Extensions.Logging;

namespace GovMail.Hosting.Jobs;

/// <summary>
/// The jobs <c>govmail serve</c> runs (docs/architecture.md, "Scheduled jobs"). Times are Asia/Ho_Chi_Minh; each run happens on
/// one node even when several share a database. Another job is one more <c>.Add(…)</c> line here. Mail the jobs file (reminders)
/// is announced on the notification bus IMAP IDLE listens on.
/// </summary>
public static class ServeJobs
{
    public static JobRunner Create(CliContext ctx, ILogger log, MailboxNotifications? notifications = null)
    {
        var db = ctx.Database;
        var clock = ctx.Clock;
        var policies = new UsagePolicies(db, clock);
        return new JobRunner(db, clock, log)
            // Usage events into daily and monthly rows, so reports and the web read fresh rows.
            .Add("usage.fold", JobSchedule.Every(TimeSpan.FromMinutes(5)), async ct => await new UsageFolder(db, clock).FoldAsync(ct))
            // Raw events past the policy's retention (default 13 months), once folded.
            .Add("usage.prune", JobSchedule.DailyAt(2, 30), async ct =>
                await new UsageFolder(db, clock).PruneAsync((await policies.GetAsync(ct)).EventRetentionMonths, ct))
            // On PostgreSQL, the monthly partitions of usage_events for this month and the next two (docs/scale-out.md).
            .Add("usage.partitions", JobSchedule.Every(TimeSpan.FromHours(12)), async ct =>
                await Storage.Usage.UsageEventPartitions.EnsureAheadAsync(db, clock, ct))
            // The non-use lock, when the tenant turned it on.
            .Add("usage.non-use-lock", JobSchedule.DailyAt(3, 0), async ct =>
            {
                if ((await policies.GetAsync(ct)).NonUseLockDays is null) return;
                await new NonUseLocks(db, clock, ctx.Hasher).LockAsync(AuditActor.System, null, false, ct);
            })
            // The reminder mail, on the policy's reminder day (off by default).
            .Add("usage.reminders", JobSchedule.DailyAt(8, 0), async ct =>
                await new ReminderMail(db, ctx.Blobs, clock, notifications).RunDueAsync(ct))
            // Accounts still on their temporary password after the first-login deadline (the end of that day in Vietnam).
            .Add("security.first-login-lock", JobSchedule.Every(TimeSpan.FromMinutes(15)), async ct =>
                await new FirstLoginDeadlines(db, clock).LockOverdueAsync(ct))
            // What a crash left behind a day ago or more: blobs never committed, half-written blobs, spool files.
            .Add("mail.orphan-cleanup", JobSchedule.DailyAt(4, 0), async ct =>
            {
                var removed = await new OrphanCleanup(db, ctx.Blobs, ctx.Options.SpoolDirectory, clock).RunAsync(ct);
                if (removed != new OrphanCleanupResult(0, 0, 0))
                    log.LogInformation("Orphan cleanup removed {Blobs} blobs, {Temporary} temporary files and {Spool} spool files",
                        removed.Blobs, removed.TemporaryFiles, removed.SpoolFiles);
            })
            // Trash and Junk past their retention days, and the mail of accounts purged after their retention period.
            .Add("mail.retention", JobSchedule.DailyAt(3, 30), async ct =>
            {
                var purged = await new MailRetention(db, ctx.Blobs, clock, notifications)
                    .RunAsync(ctx.Options.Retention.TrashDays, ctx.Options.Retention.JunkDays, ct);
                if (!purged.Nothing)
                    log.LogInformation("Retention purge removed {Trash} messages from Trash, {Junk} from Junk and {Unheld} of purged accounts",
                        purged.TrashMessages, purged.JunkMessages, purged.UnheldMessages);
            })
            // Lifecycle changes decided for a later date (a departure's disable and close), old addresses past their alias
            // period, closed accounts past retention (purged).
            .Add("lifecycle.scheduled", JobSchedule.Every(TimeSpan.FromMinutes(15)), async ct =>
                await new Storage.Lifecycle.LifecycleWorkflows(db, clock, ctx.Hasher).RunDueAsync(ct));
    }
}
