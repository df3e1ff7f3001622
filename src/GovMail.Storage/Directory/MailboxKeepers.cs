using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Audit;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Directory;

/// <summary>One keeper of a collective mailbox, as listed.</summary>
public sealed record KeeperView(string Mailbox, string Keeper, string KeeperName, string AssignedBy, DateTimeOffset AssignedAt);

/// <summary>
/// The keepers of the units' collective mailboxes (seed 003: a person is assigned to keep the unit's mailbox). An
/// administrator assigns and removes them; each change goes to the audit log. The login side is in
/// <see cref="Security.LoginService"/>.
/// </summary>
public sealed class MailboxKeepers(GovMailDatabase database, TimeProvider clock)
{
    public async Task<Result<KeeperView>> AssignAsync(string mailboxAddress, string keeperAddress, string actor, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var pair = await PairAsync(db, mailboxAddress, keeperAddress, ct);
        if (!pair.IsOk) return pair.Problem!;
        var (mailbox, keeper) = pair.Value;
        if (mailbox.Kind != AccountKind.Collective) return Problem.Of("KeeperNeedsCollectiveMailbox", mailbox.Address);
        if (keeper.Kind != AccountKind.Individual) return Problem.Of("KeeperMustBePerson", keeper.Address);
        if (mailbox.State is AccountState.Closed or AccountState.Purged) return Problem.Of("AccountClosed", mailbox.Address);
        if (keeper.State is AccountState.Closed or AccountState.Purged or AccountState.Disabled)
            return Problem.Of("AccountClosed", keeper.Address);
        if (await db.MailboxKeepers.AnyAsync(k => k.MailboxAccountId == mailbox.Id && k.KeeperAccountId == keeper.Id, ct))
            return Problem.Of("KeeperAlreadyAssigned", keeper.Address, mailbox.Address);
        var now = clock.GetUtcNow();
        db.MailboxKeepers.Add(new MailboxKeeper { MailboxAccountId = mailbox.Id, KeeperAccountId = keeper.Id, AssignedBy = actor, AssignedAt = now });
        db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "mailbox.keeper.assign", Target = mailbox.Address, Detail = keeper.Address });
        await db.SaveChangesAsync(ct);
        return new KeeperView(mailbox.Address, keeper.Address, keeper.DisplayName, actor, now);
    }

    public async Task<Result<string>> RemoveAsync(string mailboxAddress, string keeperAddress, string actor, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var pair = await PairAsync(db, mailboxAddress, keeperAddress, ct);
        if (!pair.IsOk) return pair.Problem!;
        var (mailbox, keeper) = pair.Value;
        var row = await db.MailboxKeepers.FirstOrDefaultAsync(k => k.MailboxAccountId == mailbox.Id && k.KeeperAccountId == keeper.Id, ct);
        if (row is null) return Problem.Of("NotKeeper", keeper.Address, mailbox.Address);
        db.MailboxKeepers.Remove(row);
        db.Audit.Add(new AuditEntry { At = clock.GetUtcNow(), Actor = actor, Action = "mailbox.keeper.remove", Target = mailbox.Address, Detail = keeper.Address });
        await db.SaveChangesAsync(ct);
        return keeper.Address;
    }

    /// <summary>The keepers of one collective mailbox, or with <paramref name="address"/> null every assignment.</summary>
    public async Task<Result<IReadOnlyList<KeeperView>>> ListAsync(string? address, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var rows = db.MailboxKeepers.AsNoTracking();
        if (address is not null)
        {
            var account = await AccountDirectory.FindTrackedAsync(db, address, ct);
            if (account is null) return Problem.Of("AccountNotFound", address);
            rows = rows.Where(k => k.MailboxAccountId == account.Id || k.KeeperAccountId == account.Id);
        }
        var list = await (from k in rows
                          join m in db.Accounts on k.MailboxAccountId equals m.Id
                          join p in db.Accounts on k.KeeperAccountId equals p.Id
                          select new KeeperView(m.Address, p.Address, p.DisplayName, k.AssignedBy, k.AssignedAt)).ToListAsync(ct);
        return list.OrderBy(v => v.Mailbox, StringComparer.Ordinal).ThenBy(v => v.Keeper, StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether <paramref name="keeperId"/> keeps <paramref name="mailboxId"/>.</summary>
    internal static Task<bool> KeepsAsync(GovMailDbContext db, Guid mailboxId, Guid keeperId, CancellationToken ct) =>
        db.MailboxKeepers.AnyAsync(k => k.MailboxAccountId == mailboxId && k.KeeperAccountId == keeperId, ct);

    private static async Task<Result<(Account Mailbox, Account Keeper)>> PairAsync(GovMailDbContext db, string mailboxAddress, string keeperAddress,
        CancellationToken ct)
    {
        var mailbox = await AccountDirectory.FindTrackedAsync(db, mailboxAddress, ct);
        if (mailbox is null) return Problem.Of("AccountNotFound", mailboxAddress);
        var keeper = await AccountDirectory.FindTrackedAsync(db, keeperAddress, ct);
        if (keeper is null) return Problem.Of("AccountNotFound", keeperAddress);
        return (mailbox, keeper);
    }
}
