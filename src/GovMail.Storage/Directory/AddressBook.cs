using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Audit;
using GovMail.Core.Directory;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Directory;

/// <summary>
/// Every address the tenant answers for: accounts, aliases and distribution groups share one name space,
/// and the address of a closed account stays reserved for the quarantine period.
/// </summary>
public sealed class AddressBook(GovMailDatabase database, TimeProvider clock)
{
    /// <summary>All local parts in use (or quarantined) on a domain, for address generation.</summary>
    internal static async Task<HashSet<string>> TakenLocalPartsAsync(GovMailDbContext db, string domain, CancellationToken ct)
    {
        var suffix = "@" + domain;
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in await db.Accounts.AsNoTracking().Where(a => a.Address.EndsWith(suffix)).Select(a => a.Address).ToListAsync(ct))
            taken.Add(a[..a.IndexOf('@')]);
        foreach (var a in await db.Aliases.AsNoTracking().Where(a => a.Address.EndsWith(suffix)).Select(a => a.Address).ToListAsync(ct))
            taken.Add(a[..a.IndexOf('@')]);
        foreach (var a in await db.Groups.AsNoTracking().Where(g => g.Address != null && g.Address.EndsWith(suffix)).Select(g => g.Address!).ToListAsync(ct))
            taken.Add(a[..a.IndexOf('@')]);
        return taken;
    }

    /// <summary>Why <paramref name="address"/> cannot be given out now, or null when it is free.</summary>
    internal static async Task<Problem?> CheckFreeAsync(GovMailDbContext db, string address, DateTimeOffset now, CancellationToken ct)
    {
        var owner = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Address == address, ct);
        if (owner is not null)
        {
            if (owner.State is AccountState.Closed or AccountState.Purged && owner.ClosedAt is { } closed)
            {
                var tenant = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == owner.TenantId, ct);
                var until = closed.AddDays(tenant.Policy.AddressQuarantineDays);
                if (now < until) return Problem.Of("AddressQuarantined", address, until);
                return null; // the caller releases it (see ReleaseQuarantinedAsync)
            }
            return Problem.Of("AddressTaken", address);
        }
        if (await db.Aliases.AnyAsync(a => a.Address == address, ct) || await db.Groups.AnyAsync(g => g.Address == address, ct))
            return Problem.Of("AddressTaken", address);
        return null;
    }

    /// <summary>Renames the record of a closed account whose quarantine is over, so its address can be issued again.</summary>
    internal static async Task ReleaseQuarantinedAsync(GovMailDbContext db, string address, CancellationToken ct)
    {
        // Only a closed record is renamed: an open account that took the address since the caller's check (a concurrent add)
        // keeps it, and the caller's insert then fails on the unique index instead of renaming a mailbox in use.
        var old = await db.Accounts.FirstOrDefaultAsync(a => a.Address == address
            && (a.State == AccountState.Closed || a.State == AccountState.Purged) && a.ClosedAt != null, ct);
        if (old is null) return;
        old.Address = $"{old.LocalPart}.closed-{old.Id.ToString("N")[..8]}@{old.Domain}";
        old.Version = Guid.NewGuid();
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Is the domain one of the tenant's?</summary>
    internal static Task<bool> IsOwnDomainAsync(GovMailDbContext db, string domain, CancellationToken ct) =>
        db.Domains.AnyAsync(d => d.Name == domain, ct);

    public async Task<Result<Alias>> AddAliasAsync(string aliasAddress, string accountAddress, string actor, CancellationToken ct = default)
    {
        if (AddressGenerator.ParseAddress(aliasAddress) is not { } parsed) return Problem.Of("InvalidAddress", aliasAddress);
        var alias = $"{parsed.Local}@{parsed.Domain}";
        await using var db = database.Open();
        if (!await IsOwnDomainAsync(db, parsed.Domain, ct)) return Problem.Of("ForeignDomain", parsed.Domain);
        var target = accountAddress.Trim().ToLowerInvariant();
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Address == target, ct);
        if (account is null) return Problem.Of("AccountNotFound", accountAddress);
        var now = clock.GetUtcNow();
        if (await CheckFreeAsync(db, alias, now, ct) is { } taken) return taken;
        await ReleaseQuarantinedAsync(db, alias, ct);
        var row = new Alias { TenantId = account.TenantId, Address = alias, AccountId = account.Id, CreatedAt = now };
        db.Aliases.Add(row);
        db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "alias.add", Target = alias, Detail = account.Address });
        await db.SaveChangesAsync(ct);
        return row;
    }

    public async Task<Result<string>> RemoveAliasAsync(string aliasAddress, string actor, CancellationToken ct = default)
    {
        var alias = aliasAddress.Trim().ToLowerInvariant();
        await using var db = database.Open();
        var row = await db.Aliases.FirstOrDefaultAsync(a => a.Address == alias, ct);
        if (row is null) return Problem.Of("AliasNotFound", aliasAddress);
        db.Aliases.Remove(row);
        db.Audit.Add(new AuditEntry { At = clock.GetUtcNow(), Actor = actor, Action = "alias.remove", Target = alias });
        await db.SaveChangesAsync(ct);
        return alias;
    }

    /// <summary>Aliases, with the address each delivers to.</summary>
    public async Task<IReadOnlyList<(string Alias, string Account)>> ListAliasesAsync(CancellationToken ct = default)
    {
        await using var db = database.Open();
        var rows = await (from a in db.Aliases.AsNoTracking()
                          join acc in db.Accounts.AsNoTracking() on a.AccountId equals acc.Id
                          orderby a.Address
                          select new { a.Address, Account = acc.Address }).ToListAsync(ct);
        return rows.Select(r => (r.Address, r.Account)).ToList();
    }

    /// <summary>Creates an explicit distribution group, or gives a unit's automatic group its address.</summary>
    public async Task<Result<DistributionGroup>> AddGroupAsync(string groupAddress, string name, string? unitReference, string actor,
        CancellationToken ct = default)
    {
        if (AddressGenerator.ParseAddress(groupAddress) is not { } parsed) return Problem.Of("InvalidAddress", groupAddress);
        var address = $"{parsed.Local}@{parsed.Domain}";
        await using var db = database.Open();
        if (!await IsOwnDomainAsync(db, parsed.Domain, ct)) return Problem.Of("ForeignDomain", parsed.Domain);
        var now = clock.GetUtcNow();
        if (await CheckFreeAsync(db, address, now, ct) is { } taken) return taken;
        await ReleaseQuarantinedAsync(db, address, ct);
        DistributionGroup group;
        if (!string.IsNullOrWhiteSpace(unitReference))
        {
            var unit = UnitDirectory.Resolve(await db.Units.AsNoTracking().ToListAsync(ct), unitReference);
            if (!unit.IsOk) return unit.Problem!;
            group = await db.Groups.FirstAsync(g => g.UnitId == unit.Value!.Id, ct);
            if (group.Address is not null) return Problem.Of("UnitGroupHasAddress", unit.Value!.Name, group.Address);
            group.Address = address;
        }
        else
        {
            var tenant = await db.Tenants.AsNoTracking().FirstAsync(ct);
            name = Core.Text.VietnameseText.CleanName(name);
            if (name.Length == 0) return Problem.Of("GroupNameRequired");
            group = new DistributionGroup { TenantId = tenant.Id, Address = address, Name = name, CreatedAt = now };
            db.Groups.Add(group);
        }
        db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "group.add", Target = address, Detail = group.Name });
        await db.SaveChangesAsync(ct);
        return group;
    }

    public async Task<Result<DistributionGroup>> AddMemberAsync(string groupAddress, string accountAddress, string actor,
        CancellationToken ct = default)
    {
        await using var db = database.Open();
        var ga = groupAddress.Trim().ToLowerInvariant();
        var group = await db.Groups.Include(g => g.Members).FirstOrDefaultAsync(g => g.Address == ga, ct);
        if (group is null) return Problem.Of("GroupNotFound", groupAddress);
        if (group.IsAutomatic) return Problem.Of("GroupIsAutomatic", group.Address);
        var aa = accountAddress.Trim().ToLowerInvariant();
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Address == aa, ct);
        if (account is null) return Problem.Of("AccountNotFound", accountAddress);
        if (group.Members.Any(m => m.AccountId == account.Id)) return group;
        group.Members.Add(new GroupMember { GroupId = group.Id, AccountId = account.Id });
        db.Audit.Add(new AuditEntry { At = clock.GetUtcNow(), Actor = actor, Action = "group.add-member", Target = group.Address, Detail = account.Address });
        await db.SaveChangesAsync(ct);
        return group;
    }

    /// <summary>Is the address an account, an alias or a group of this tenant?</summary>
    public async Task<bool> IsKnownAsync(string address, CancellationToken ct = default)
    {
        var a = address.Trim().ToLowerInvariant();
        await using var db = database.Open();
        return await db.Accounts.AnyAsync(x => x.Address == a, ct) || await db.Aliases.AnyAsync(x => x.Address == a, ct)
            || await db.Groups.AnyAsync(g => g.Address == a, ct);
    }

    /// <summary>
    /// The accounts a message to <paramref name="address"/> reaches: the account itself, an alias's account, or the
    /// active members of a group (for a unit's automatic group, the accounts of the unit and, if asked, its sub-units).
    /// Closed, purged and disabled accounts receive nothing through groups.
    /// </summary>
    public async Task<IReadOnlyList<Account>> ResolveRecipientsAsync(string address, CancellationToken ct = default)
    {
        var a = address.Trim().ToLowerInvariant();
        await using var db = database.Open();
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(x => x.Address == a, ct);
        if (account is not null)
            return account.State is AccountState.Closed or AccountState.Purged ? [] : [account];
        var alias = await db.Aliases.AsNoTracking().FirstOrDefaultAsync(x => x.Address == a, ct);
        if (alias is not null)
            return await db.Accounts.AsNoTracking().Where(x => x.Id == alias.AccountId
                && x.State != AccountState.Closed && x.State != AccountState.Purged).ToListAsync(ct);
        var group = await db.Groups.AsNoTracking().Include(g => g.Members).FirstOrDefaultAsync(g => g.Address == a, ct);
        if (group is null) return [];
        List<Guid> ids;
        if (group.UnitId is { } unitId)
        {
            var units = await db.Units.AsNoTracking().ToListAsync(ct);
            var scope = group.IncludeSubunits ? UnitTree.Subtree(unitId, units) : [unitId];
            ids = await db.Accounts.AsNoTracking().Where(x => scope.Contains(x.UnitId)).Select(x => x.Id).ToListAsync(ct);
        }
        else ids = group.Members.Select(m => m.AccountId).ToList();
        return await db.Accounts.AsNoTracking()
            .Where(x => ids.Contains(x.Id) && (x.State == AccountState.Active || x.State == AccountState.PendingFirstLogin || x.State == AccountState.Locked))
            .OrderBy(x => x.Address).ToListAsync(ct);
    }
}
