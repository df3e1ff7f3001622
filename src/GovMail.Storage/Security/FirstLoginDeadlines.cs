using GovMail.Core.Accounts;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Security;

/// <summary>
/// The first-login rule's background half (seed 001: "nếu người dùng không đổi mật khẩu mới thì hộp thư sẽ bị khóa"):
/// every account still on its temporary password after its deadline is locked with the reason
/// "first-login deadline missed" (quá hạn đổi mật khẩu lần đầu). Unlocking issues a new temporary password and deadline.
/// </summary>
public sealed class FirstLoginDeadlines(GovMailDatabase database, TimeProvider clock)
{
    /// <summary>Locks every pending account whose deadline has passed; returns their addresses. Safe to run on several nodes at once.</summary>
    public async Task<IReadOnlyList<string>> LockOverdueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = database.Open();
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(ct);
        if (tenant is null) return [];
        var overdue = await db.Accounts
            .Where(a => a.State == AccountState.PendingFirstLogin && a.PasswordChangeDeadline != null && a.PasswordChangeDeadline < now)
            .OrderBy(a => a.Address).ToListAsync(ct);
        var locked = new List<string>();
        foreach (var account in overdue)
        {
            if (db.Entry(account).State == EntityState.Detached) db.Attach(account);
            if (!AccountLocks.LockIfOverdue(db, account, tenant.Policy, now)) continue;
            try
            {
                await db.SaveChangesAsync(ct);
                locked.Add(account.Address);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Changed meanwhile (the holder changed the password, or another node locked it): leave it to that change.
                db.ChangeTracker.Clear();
            }
        }
        return locked;
    }
}
