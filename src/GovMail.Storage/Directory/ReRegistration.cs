using GovMail.Core.Accounts;
using GovMail.Core.Text;
using GovMail.Core.Usage;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Directory;

/// <summary>
/// The re-registration bars (<see cref="ReRegistrationBar"/>): recorded when the HR reviewer applies a cancellation
/// proposal, lifted when they exempt it, and checked by every account issue (single add and staff-list import).
/// </summary>
public static class ReRegistration
{
    /// <summary>The bar in force that <paramref name="account"/> (about to be issued) matches, or null.</summary>
    public static async Task<ReRegistrationBar?> FindBarAsync(GovMailDbContext db, Account account, CancellationToken ct)
    {
        var key = VietnameseText.Key(account.DisplayName);
        var staff = account.StaffNumber?.Trim();
        var candidates = await db.ReRegistrationBars.AsNoTracking()
            .Where(b => b.LiftedAt == null && (b.Address == account.Address || b.NameKey == key || (staff != null && b.StaffNumber == staff)))
            .OrderByDescending(b => b.RecordedAt).ToListAsync(ct);
        return candidates.FirstOrDefault(b => b.Matches(staff, account.DisplayName, account.UnitId, account.Address));
    }

    /// <summary>Records (or renews) the bar for <paramref name="account"/> from the cancellation list of <paramref name="quarter"/>.</summary>
    public static async Task<ReRegistrationBar> RecordAsync(GovMailDbContext db, Account account, string quarter, string actor,
        DateTimeOffset now, CancellationToken ct)
    {
        var bar = await db.ReRegistrationBars.FirstOrDefaultAsync(b => b.AccountId == account.Id && b.Quarter == quarter, ct);
        if (bar is null)
        {
            bar = new ReRegistrationBar
            {
                AccountId = account.Id, Address = account.Address, DisplayName = account.DisplayName, NameKey = "", Quarter = quarter,
                RecordedBy = actor,
            };
            db.ReRegistrationBars.Add(bar);
        }
        bar.Address = account.Address;
        bar.DisplayName = account.DisplayName;
        bar.NameKey = VietnameseText.Key(account.DisplayName);
        bar.StaffNumber = account.StaffNumber?.Trim();
        bar.UnitId = account.UnitId;
        bar.RecordedAt = now;
        bar.RecordedBy = actor;
        bar.LiftedAt = null;
        bar.LiftedBy = null;
        bar.LiftReason = null;
        return bar;
    }

    /// <summary>Lifts the bar from <paramref name="quarter"/>'s list on <paramref name="accountId"/>, if there is one in force.</summary>
    public static async Task<ReRegistrationBar?> LiftAsync(GovMailDbContext db, Guid accountId, string quarter, string actor, string? reason,
        DateTimeOffset now, CancellationToken ct)
    {
        var bar = await db.ReRegistrationBars.FirstOrDefaultAsync(b => b.AccountId == accountId && b.Quarter == quarter && b.LiftedAt == null, ct);
        if (bar is null) return null;
        bar.LiftedAt = now;
        bar.LiftedBy = actor;
        bar.LiftReason = reason;
        return bar;
    }

    /// <summary>Every bar, newest first; only those in force unless <paramref name="includeLifted"/>.</summary>
    public static async Task<IReadOnlyList<ReRegistrationBar>> ListAsync(GovMailDatabase database, bool includeLifted, CancellationToken ct)
    {
        await using var db = database.Open();
        return await db.ReRegistrationBars.AsNoTracking().Where(b => includeLifted || b.LiftedAt == null)
            .OrderByDescending(b => b.RecordedAt).ThenBy(b => b.Address).ToListAsync(ct);
    }
}
