using System.Globalization;
using System.Text;
using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Audit;
using GovMail.Core.Time;
using GovMail.Core.Usage;
using GovMail.Reports.Exemptions;
using GovMail.Reports.Periods;
using GovMail.Reports.Rollup;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using MimeKit.Utils;

namespace GovMail.Reports.Reminders;

/// <summary>What one reminder run did: the period, the last day judged, who was reminded and who got a summary.</summary>
public sealed record ReminderRun(UsagePeriod Period, DateOnly Through, IReadOnlyList<string> Reminded, IReadOnlyList<string> Summaries,
    bool AlreadyDone);

/// <summary>
/// The automatic reminder mail (issue 5 §5, seed 001 mục 7): once per period, on the policy's reminder day, every active or
/// not-yet-activated individual and collective mailbox whose period so far (judged pro rata up to yesterday, exemptions
/// honoured) would be listed — low use, not used or not activated — gets a reminder mail in Vietnamese, and the person
/// answerable for them a summary: the head of their unit (the nearest unit above with a head, as for the head-of-unit rule),
/// or, when no unit above has one, the agency administrators of the nearest unit that has any. Accounts judged on fewer than
/// <see cref="UsagePolicy.WorkingDaysPerActiveDay"/> working days so far are not reminded yet (too early to judge).
/// <para>
/// Each reminder is recorded as a <see cref="UsageReminder"/> by "system" (so it counts in the governance lists) before its
/// mail is filed; a run is marked done in the audit log (<c>usage.remind.run</c>) and each summary too
/// (<c>usage.remind.summary</c>), so nobody is mailed twice for the same period, even when a run is repeated after a crash.
/// </para>
/// </summary>
public sealed class ReminderMail(GovMailDatabase database, IBlobStore blobs, TimeProvider clock, MailboxNotifications? notifications = null)
{
    private const string RunAction = "usage.remind.run";
    private const string SummaryAction = "usage.remind.summary";
    private static readonly CultureInfo Vi = Messages.Vietnamese;

    /// <summary>Sends the policy's reminders when today is on or after the reminder day of the period; null when off or not due.</summary>
    public async Task<ReminderRun?> RunDueAsync(CancellationToken ct = default)
    {
        var policy = await new UsagePolicies(database, clock).GetAsync(ct);
        if (policy.ReminderPeriodOn(VietnamTime.Today(clock.GetUtcNow())) is not { } period) return null;
        var run = await SendAsync(period, ct);
        return run.IsOk ? run.Value : throw new InvalidOperationException(run.Problem!.Message(Messages.English));
    }

    /// <summary>Sends the reminders about <paramref name="period"/> now, unless they were sent already.</summary>
    public async Task<Result<ReminderRun>> SendAsync(UsagePeriod period, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var today = VietnamTime.Today(now);
        if (today <= period.FirstDay) return Problem.Of("PeriodNotStarted", period.Name());
        await new UsageFolder(database, clock).FoldAsync(ct);
        var key = period.ToString();
        var through = today.AddDays(-1) < period.LastDay ? today.AddDays(-1) : period.LastDay;

        await using var db = database.Open();
        if (await db.Audit.AsNoTracking().AnyAsync(a => a.Action == RunAction && a.Target == key, ct))
            return new ReminderRun(period, through, [], [], true);
        var loaded = await UsageFacts.LoadAsync(database, db, period.Months[0], period.Months[^1], ct);
        if (!loaded.IsOk) return loaded.Problem!;
        var facts = loaded.Value!;
        var domain = await db.Domains.AsNoTracking().OrderByDescending(d => d.IsPrimary).Select(d => d.Name).FirstAsync(ct);
        var from = new MailboxAddress(Messages.Get("ReminderMailFrom", Vi), "postmaster@" + domain);
        var mail = new LocalMail(database, blobs, clock) { Notifications = notifications };

        var reminded = (await db.UsageReminders.AsNoTracking().Where(r => r.Period == key && r.SentBy == AuditActor.System)
            .Select(r => r.AccountId).ToListAsync(ct)).ToHashSet();
        var verdicts = new Dictionary<Guid, UsageVerdict>();
        var sent = new List<string>();
        var minimum = Math.Max(1, facts.Policy.WorkingDaysPerActiveDay);
        foreach (var a in facts.Accounts.Values.OrderBy(a => a.Address, StringComparer.Ordinal))
        {
            if (!a.IsJudged || a.State is not (AccountState.Active or AccountState.PendingFirstLogin)) continue;
            var v = facts.VerdictSoFar(a, period, today);
            if (v is null || !v.IsListed || v.WorkingDays < minimum) continue;
            verdicts[a.Id] = v;
            if (!reminded.Add(a.Id)) continue;
            // Recorded first: a crash between the two loses one mail rather than sending it twice.
            db.UsageReminders.Add(new UsageReminder { AccountId = a.Id, At = now, Period = key, SentBy = AuditActor.System, Note = UsageNames.Describe(v.Class) });
            db.Audit.Add(new AuditEntry { At = now, Actor = AuditActor.System, Action = "usage.remind", Target = a.Address, Detail = $"{key} {UsageNames.Describe(v.Class)}" });
            await db.SaveChangesAsync(ct);
            var body = Messages.Format("ReminderMailBody", Vi,
            [
                a.DisplayName, through, a.Address, v.Tally.ActiveWorkingDays, v.WorkingDays, period.Name(Vi), v.RequiredDays,
                UsageNames.Label(v.Class, Vi), today,
            ]);
            await mail.FileAsync(Compose(from, [a], Messages.Format("ReminderMailSubject", Vi, [period.Name(Vi)]), body, now, domain),
                [new DeliveryTarget(a.Id, a.Address) { RecordAs = null }], ct);
            sent.Add(a.Address);
        }

        var summaries = await SummariesAsync(db, facts, period, reminded, verdicts, through, from, domain, mail, ct);
        db.Audit.Add(new AuditEntry { At = now, Actor = AuditActor.System, Action = RunAction, Target = key, Detail = $"{sent.Count} reminded, {summaries.Count} summaries" });
        await db.SaveChangesAsync(ct);
        return new ReminderRun(period, through, sent, summaries, false);
    }

    /// <summary>One summary per answerable person who has not had one for the period, listing every person reminded under them.</summary>
    private async Task<List<string>> SummariesAsync(GovMailDbContext db, UsageFacts facts, UsagePeriod period, IReadOnlySet<Guid> reminded,
        IReadOnlyDictionary<Guid, UsageVerdict> verdicts, DateOnly through, MailboxAddress from, string domain, LocalMail mail, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var key = period.ToString();
        var units = facts.Units.ToDictionary(u => u.Id, u => new GovernanceUnit(u.Id, u.ParentId, u.HeadAccountId, u.Name));
        var admins = (await db.Accounts.AsNoTracking()
                .Where(a => a.Role == AdminRole.AgencyAdministrator && a.State == AccountState.Active)
                .Select(a => new { a.Id, a.UnitId }).ToListAsync(ct))
            .ToLookup(a => a.UnitId, a => a.Id);
        var done = (await db.Audit.AsNoTracking().Where(a => a.Action == SummaryAction && a.Detail == key).Select(a => a.Target).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);

        var byRecipient = new Dictionary<Guid, (Guid Unit, List<ReportedAccount> People)>();
        foreach (var id in reminded)
        {
            if (!facts.Accounts.TryGetValue(id, out var person)) continue;
            foreach (var (recipient, unit) in Answerable(person, units, admins))
            {
                if (!byRecipient.TryGetValue(recipient, out var entry)) byRecipient[recipient] = entry = (unit, []);
                entry.People.Add(person);
            }
        }

        var sent = new List<string>();
        foreach (var (recipientId, (unitId, people)) in byRecipient)
        {
            if (!facts.Accounts.TryGetValue(recipientId, out var head) || head.State is AccountState.Closed or AccountState.Purged or AccountState.Disabled)
                continue;
            if (done.Contains(head.Address)) continue;
            var lines = new StringBuilder();
            var n = 0;
            foreach (var p in people.OrderBy(p => p.Department ?? "", StringComparer.Ordinal).ThenBy(p => p.DisplayName, StringComparer.Ordinal))
            {
                var v = verdicts.GetValueOrDefault(p.Id);
                lines.AppendLine(Messages.Format("ReminderSummaryLine", Vi,
                    [++n, p.DisplayName, p.Address, p.Title ?? "", p.UnitPath, v?.Tally.ActiveWorkingDays ?? 0, v?.WorkingDays ?? 0]));
            }
            var unitName = units[unitId].Name;
            var body = Messages.Format("ReminderSummaryBody", Vi,
                [head.DisplayName, VietnamTime.Today(now), people.Count, unitName, period.Name(Vi), through, lines.ToString().TrimEnd()]);
            db.Audit.Add(new AuditEntry { At = now, Actor = AuditActor.System, Action = SummaryAction, Target = head.Address, Detail = key });
            await db.SaveChangesAsync(ct);
            await mail.FileAsync(Compose(from, [head], Messages.Format("ReminderSummarySubject", Vi, [period.Name(Vi), unitName]), body, now, domain),
                [new DeliveryTarget(head.Id, head.Address) { RecordAs = null }], ct);
            sent.Add(head.Address);
        }
        sent.Sort(StringComparer.Ordinal);
        return sent;
    }

    /// <summary>The head answerable for <paramref name="person"/>, else the agency administrators of the nearest unit above that has any.</summary>
    private static IEnumerable<(Guid Recipient, Guid Unit)> Answerable(ReportedAccount person, IReadOnlyDictionary<Guid, GovernanceUnit> units,
        ILookup<Guid, Guid> admins)
    {
        if (GovernanceRules.ResponsibleHead(person.Id, person.UnitId, units) is { } head) return [(head.Head, head.Unit)];
        var seen = new HashSet<Guid>();
        for (var id = (Guid?)person.UnitId; id is { } u && units.TryGetValue(u, out var unit) && seen.Add(u); id = unit.ParentId)
        {
            var found = admins[u].Where(a => a != person.Id).ToList();
            if (found.Count > 0) return found.Select(a => (a, u));
        }
        return [];
    }

    private static MimeMessage Compose(MailboxAddress from, IEnumerable<ReportedAccount> to, string subject, string body, DateTimeOffset now,
        string domain)
    {
        var message = new MimeMessage { Subject = subject, Date = now, MessageId = MimeUtils.GenerateMessageId(domain) };
        message.From.Add(from);
        foreach (var a in to) message.To.Add(new MailboxAddress(a.DisplayName, a.Address));
        message.Headers.Add("Auto-Submitted", "auto-generated");
        var text = new TextPart("plain");
        text.SetText(Encoding.UTF8, body);
        message.Body = text;
        return message;
    }
}
