using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Audit;
using GovMail.Core.Directory;
using GovMail.Core.Security;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Security;

/// <summary>
/// Administrator roles scoped to a subtree of units (issue 6, item 4): granting, revoking, listing, and the scope check that
/// the CLI (<c>--as</c>), and later the web pages and the API, ask before they show or change anything. The rule itself is
/// <see cref="AdminScope"/>'s; this class loads an administrator's grants and answers for an account or a unit by name.
/// </summary>
public sealed class AdminAccess(GovMailDatabase database, TimeProvider clock)
{
    public async Task<Result<AdminGrantView>> GrantAsync(string address, AdminRole role, string? unitReference, string actor,
        CancellationToken ct = default)
    {
        if (role == AdminRole.None) return Problem.Of("UnknownRole", "none");
        await using var db = database.Open();
        var account = await AccountDirectory.FindTrackedAsync(db, address, ct);
        if (account is null) return Problem.Of("AccountNotFound", address);
        if (account.State is AccountState.Closed or AccountState.Purged) return Problem.Of("AccountClosed", account.Address);
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        var byId = units.ToDictionary(u => u.Id);
        Guid? scope;
        if (role == AdminRole.CityOperator)
        {
            if (!string.IsNullOrWhiteSpace(unitReference)) return Problem.Of("CityOperatorIsTenantWide");
            scope = null;
        }
        else if (string.IsNullOrWhiteSpace(unitReference)) scope = UnitTree.AgencyOf(byId[account.UnitId], byId).Id;
        else
        {
            var unit = UnitDirectory.Resolve(units, unitReference);
            if (!unit.IsOk) return unit.Problem!;
            scope = unit.Value!.Id;
        }
        var existing = await db.AdminRoles.AsNoTracking().FirstOrDefaultAsync(g => g.AccountId == account.Id && g.Role == role && g.ScopeUnitId == scope, ct);
        if (existing is not null) return View(existing, account.Address, byId);
        var now = clock.GetUtcNow();
        var grant = new AdminRoleGrant { AccountId = account.Id, Role = role, ScopeUnitId = scope, GrantedBy = actor, GrantedAt = now };
        db.AdminRoles.Add(grant);
        var view = View(grant, account.Address, byId);
        db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "admin.grant", Target = account.Address, Detail = $"{view.Role} @ {view.Scope}" });
        await db.SaveChangesAsync(ct);
        return view;
    }

    public async Task<Result<int>> RevokeAsync(string address, AdminRole role, string? unitReference, string actor, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var account = await AccountDirectory.FindTrackedAsync(db, address, ct);
        if (account is null) return Problem.Of("AccountNotFound", address);
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        var grants = await db.AdminRoles.Where(g => g.AccountId == account.Id && g.Role == role).ToListAsync(ct);
        if (!string.IsNullOrWhiteSpace(unitReference))
        {
            var unit = UnitDirectory.Resolve(units, unitReference);
            if (!unit.IsOk) return unit.Problem!;
            grants = grants.Where(g => g.ScopeUnitId == unit.Value!.Id).ToList();
        }
        var legacy = account.Role == role;
        if (grants.Count == 0 && !legacy) return Problem.Of("RoleNotGranted", account.Address, RolePermissions.Name(role));
        db.AdminRoles.RemoveRange(grants);
        if (legacy)
        {
            account.Role = AdminRole.None;
            account.Version = Guid.NewGuid();
        }
        db.Audit.Add(new AuditEntry
        {
            At = clock.GetUtcNow(), Actor = actor, Action = "admin.revoke", Target = account.Address,
            Detail = RolePermissions.Name(role) + (unitReference is null ? "" : " @ " + unitReference),
        });
        await db.SaveChangesAsync(ct);
        return grants.Count + (legacy ? 1 : 0);
    }

    /// <summary>Every grant, with the role an account was issued with (<c>account add --role</c>) as a grant over its agency.</summary>
    public async Task<IReadOnlyList<AdminGrantView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = database.Open();
        var byId = (await db.Units.AsNoTracking().ToListAsync(ct)).ToDictionary(u => u.Id);
        var addresses = await db.Accounts.AsNoTracking().Where(a => a.Role != AdminRole.None || db.AdminRoles.Any(g => g.AccountId == a.Id))
            .ToDictionaryAsync(a => a.Id, ct);
        var views = (await db.AdminRoles.AsNoTracking().ToListAsync(ct)).Select(g => View(g, addresses[g.AccountId].Address, byId)).ToList();
        foreach (var a in addresses.Values.Where(a => a.Role != AdminRole.None))
            views.Add(View(LegacyGrant(a, byId), a.Address, byId) with { FromAccountRole = true });
        return views.OrderBy(v => v.Address, StringComparer.Ordinal).ThenBy(v => v.Role, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The scope of the administrator at <paramref name="address"/>. Refused when the account does not exist, cannot log in
    /// (locked, disabled, closed) or holds no role.
    /// </summary>
    public async Task<Result<AdminScope>> ScopeForAsync(string address, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var account = await AccountDirectory.FindTrackedAsync(db, address, ct);
        if (account is null) return Problem.Of("AccountNotFound", address);
        if (!AccountLifecycle.CanLogIn(account)) return Problem.Of("AccountCannotLogIn", account.Address, AccountLifecycle.Describe(account.State));
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        var byId = units.ToDictionary(u => u.Id);
        var grants = await db.AdminRoles.AsNoTracking().Where(g => g.AccountId == account.Id).ToListAsync(ct);
        if (account.Role != AdminRole.None) grants.Add(LegacyGrant(account, byId));
        if (grants.Count == 0) return Problem.Of("NotAnAdministrator", account.Address);
        return new AdminScope(account.Address, grants.Select(g => (g.Role, g.ScopeUnitId)),
            id => byId.TryGetValue(id, out var u) ? u.ParentId : null);
    }

    /// <summary>Why <paramref name="scope"/> may not use <paramref name="permission"/> on the account at <paramref name="address"/>, or null.</summary>
    public async Task<Problem?> CheckAccountAsync(AdminScope scope, Permission permission, string address, CancellationToken ct = default)
    {
        if (scope.AllowsEverywhere(permission)) return null;
        await using var db = database.Open();
        var account = await AccountDirectory.FindTrackedAsync(db, address, ct);
        // Out of scope reads the same as absent: an agency administrator learns nothing of another agency's accounts.
        if (account is null || !scope.Allows(permission, account.UnitId)) return Problem.Of("AccountOutOfScope", address.Trim().ToLowerInvariant(), scope.Actor);
        return null;
    }

    /// <summary>Why <paramref name="scope"/> may not use <paramref name="permission"/> on the unit <paramref name="unitReference"/> (null: tenant-wide), or null.</summary>
    public async Task<Problem?> CheckUnitAsync(AdminScope scope, Permission permission, string? unitReference, CancellationToken ct = default)
    {
        if (scope.AllowsEverywhere(permission)) return null;
        if (string.IsNullOrWhiteSpace(unitReference)) return Problem.Of("TenantWideOutOfScope", scope.Actor);
        await using var db = database.Open();
        var unit = UnitDirectory.Resolve(await db.Units.AsNoTracking().ToListAsync(ct), unitReference);
        if (!unit.IsOk || !scope.Allows(permission, unit.Value!.Id)) return Problem.Of("UnitOutOfScope", unitReference, scope.Actor);
        return null;
    }

    /// <summary>A row of an HR change file: its person, and a transfer's new unit, within the administrator's account management.</summary>
    public async Task<Problem?> CheckHrChangeAsync(AdminScope scope, string address, string? newUnit, CancellationToken ct = default) =>
        await CheckAccountAsync(scope, Permission.ManageAccounts, address, ct)
        ?? (newUnit is null ? null : await CheckUnitAsync(scope, Permission.ManageAccounts, newUnit, ct));

    /// <summary>The units (ids) in which <paramref name="scope"/> may use <paramref name="permission"/>, or null for everywhere.</summary>
    public async Task<HashSet<Guid>?> UnitsAsync(AdminScope scope, Permission permission, CancellationToken ct = default)
    {
        if (scope.Roots(permission) is not { } roots) return null;
        await using var db = database.Open();
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        var result = new HashSet<Guid>();
        foreach (var root in roots) result.UnionWith(UnitTree.Subtree(root, units));
        return result;
    }

    private static AdminRoleGrant LegacyGrant(Account a, IReadOnlyDictionary<Guid, OrgUnit> byId) => new()
    {
        AccountId = a.Id, Role = a.Role, GrantedBy = "account", GrantedAt = a.CreatedAt,
        ScopeUnitId = a.Role == AdminRole.CityOperator ? null : UnitTree.AgencyOf(byId[a.UnitId], byId).Id,
    };

    private static AdminGrantView View(AdminRoleGrant g, string address, IReadOnlyDictionary<Guid, OrgUnit> byId) =>
        new(address, RolePermissions.Name(g.Role), g.ScopeUnitId is { } u && byId.TryGetValue(u, out var unit) ? UnitTree.PathOf(unit, byId) : null,
            g.GrantedBy, g.GrantedAt);
}

/// <summary>A grant as listed: the administrator, the role, the unit path it covers (null: the whole tenant), who and when.</summary>
public sealed record AdminGrantView(string Address, string Role, string? Scope, string GrantedBy, DateTimeOffset GrantedAt)
{
    /// <summary>The role the account was issued with (<c>account add --role</c>), counted over its agency.</summary>
    public bool FromAccountRole { get; init; }
}
