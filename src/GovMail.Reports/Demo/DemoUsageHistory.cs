using GovMail.Core.Accounts;
using GovMail.Core.Audit;
using GovMail.Core.Time;
using GovMail.Core.Usage;
using GovMail.Reports.Rollup;
using GovMail.Storage.Database;
using GovMail.Storage.Usage;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Reports.Demo;

/// <summary>What <see cref="DemoUsageHistory.SeedAsync"/> added.</summary>
public sealed record DemoUsageResult(int Events, DateOnly From, DateOnly To, string? TwoQuartersLow);

/// <summary>
/// Usage history for <c>govmail serve --demo</c>, so that every report has content on first start: the last two complete
/// quarters and the current quarter up to yesterday. Most people are regular users, some are low, accounts still pending
/// their first login stay silent (not activated), one person is low in both complete quarters (proposed for cancellation)
/// and one is reminded. Deterministic for a given seed; does nothing the second time.
/// </summary>
public static class DemoUsageHistory
{
    private const string Marker = "usage.demo";

    public static async Task<DemoUsageResult> SeedAsync(GovMailDatabase database, TimeProvider clock, int seed = 2024,
        CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var today = VietnamTime.Today(now);
        var current = UsagePeriod.QuarterOf(today);
        var first = current.Previous.Previous;
        var from = first.FirstDay;
        var to = today.AddDays(-1);

        await using var db = database.Open();
        if (await db.Audit.AnyAsync(a => a.Action == Marker, ct)) return new DemoUsageResult(0, from, to, null);
        var accounts = await db.Accounts.AsNoTracking()
            .Where(a => a.Kind != AccountKind.Service && a.State != AccountState.Closed && a.State != AccountState.Purged)
            .OrderBy(a => a.Address)
            .Select(a => new { a.Id, a.Address, a.Kind, a.State, a.IssuedOn, a.FirstLoginAt })
            .ToListAsync(ct);
        var heads = (await db.Units.AsNoTracking().Where(u => u.HeadAccountId != null).Select(u => u.HeadAccountId!.Value).ToListAsync(ct)).ToHashSet();

        var random = new Random(seed);
        var calendar = WorkingCalendar.Vietnam;
        var days = calendar.WorkingDays(from, to).ToList();
        var twiceLow = accounts.FirstOrDefault(a => a.Kind == AccountKind.Individual && a.FirstLoginAt is not null && !heads.Contains(a.Id));
        var events = new List<UsageEvent>();
        foreach (var a in accounts)
        {
            if (a.FirstLoginAt is null || a.State == AccountState.PendingFirstLogin) continue;
            var start = VietnamTime.Today(a.FirstLoginAt.Value);
            if (a.IssuedOn > start) start = a.IssuedOn;
            // Heads and collective mailboxes are regular; of the rest, about one in six is a low user and one in twenty
            // fell silent in the last complete quarter.
            var roll = random.NextDouble();
            var low = a.Id == twiceLow?.Id || (!heads.Contains(a.Id) && a.Kind == AccountKind.Individual && roll < 0.16);
            var silentFrom = !heads.Contains(a.Id) && roll is >= 0.16 and < 0.21 ? current.Previous.FirstDay : (DateOnly?)null;
            foreach (var day in days)
            {
                if (day < start || (silentFrom is { } s && day >= s && day < current.FirstDay)) continue;
                if (random.NextDouble() >= (low ? 0.08 : 0.8)) continue;
                var at = UsagePeriod.StartOfLocalDay(day).AddHours(7).AddMinutes(random.Next(0, 600));
                var protocol = random.Next(10) switch { < 5 => UsageProtocol.Web, < 8 => UsageProtocol.Imap, _ => UsageProtocol.ActiveSync };
                Add(a.Id, a.Address, at.AddMinutes(-20), UsageKind.Received, UsageProtocol.Smtp);
                Add(a.Id, a.Address, at, protocol == UsageProtocol.Web ? UsageKind.Webmail : UsageKind.Login, protocol);
                Add(a.Id, a.Address, at.AddMinutes(3), UsageKind.Read, protocol);
                if (random.Next(3) == 0) Add(a.Id, a.Address, at.AddMinutes(15), UsageKind.Sent, UsageProtocol.Smtp);
            }
        }

        void Add(Guid id, string address, DateTimeOffset at, UsageKind kind, UsageProtocol protocol) =>
            events.Add(new UsageEvent { AccountId = id, Address = address, At = at, Kind = kind, Protocol = protocol, RemoteAddress = "10.10.0.8" });

        if (events.Count > 0) await UsageEventPartitions.EnsureAsync(db, events.Min(e => e.At), events.Max(e => e.At), ct);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var chunk in events.OrderBy(e => e.At).Chunk(5000))
        {
            db.UsageEvents.AddRange(chunk);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        // The person low twice was also reminded in the last complete quarter.
        if (twiceLow is not null)
            db.UsageReminders.Add(new UsageReminder
            {
                AccountId = twiceLow.Id, At = UsagePeriod.StartOfLocalDay(current.Previous.FirstDay.AddDays(45)).AddHours(9),
                Period = current.Previous.Months[0].ToString(), SentBy = AuditActor.System, Note = "demo",
            });
        db.Audit.Add(new AuditEntry { At = now, Actor = AuditActor.System, Action = Marker, Detail = $"{events.Count} events {from:yyyy-MM-dd}..{to:yyyy-MM-dd}" });
        await db.SaveChangesAsync(ct);

        await new UsageFolder(database, clock).FoldAsync(ct);
        return new DemoUsageResult(events.Count, from, to, twiceLow?.Address);
    }
}
