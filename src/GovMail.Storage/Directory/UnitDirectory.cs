using GovMail.Core;
using GovMail.Core.Audit;
using GovMail.Core.Directory;
using GovMail.Core.Text;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Directory;

/// <summary>The tree of organisation units: agencies, departments, divisions, communes.</summary>
public sealed class UnitDirectory(GovMailDatabase database, TimeProvider clock)
{
    public const string PathSeparator = " / ";

    /// <summary>Every unit of the tenant with its path and depth, in tree order.</summary>
    public async Task<IReadOnlyList<UnitNode>> ListAsync(CancellationToken ct = default)
    {
        await using var db = database.Open();
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        var heads = await db.Accounts.AsNoTracking()
            .Where(a => db.Units.Any(u => u.HeadAccountId == a.Id))
            .ToDictionaryAsync(a => a.Id, a => a.Address, ct);
        var counts = await db.Accounts.AsNoTracking()
            .Where(a => a.State != Core.Accounts.AccountState.Closed && a.State != Core.Accounts.AccountState.Purged)
            .GroupBy(a => a.UnitId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return UnitTree.Flatten(units, u => new UnitNode(u, "", 0,
            u.HeadAccountId is { } h && heads.TryGetValue(h, out var addr) ? addr : null,
            counts.GetValueOrDefault(u.Id)));
    }

    /// <summary>
    /// Finds a unit by a reference the user typed: a path of names separated by '/' ("UBND huyện Bình Chánh / Phòng Nội vụ")
    /// or a single name. Names compare case-insensitively, then ignoring diacritics. A name that several units share is
    /// refused with the paths to choose from.
    /// </summary>
    public async Task<Result<OrgUnit>> ResolveAsync(string reference, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        return Resolve(units, reference);
    }

    internal static Result<OrgUnit> Resolve(IReadOnlyList<OrgUnit> units, string reference)
    {
        var parts = reference.Split('/', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(VietnameseText.CleanName).ToArray();
        if (parts.Length == 0) return Problem.Of("UnitNameRequired");
        var byId = units.ToDictionary(u => u.Id);

        // Candidates matching the last name, then keep those whose ancestors match the earlier names in order.
        var candidates = Match(units, parts[^1]);
        candidates = candidates.Where(u => AncestorsMatch(u, parts[..^1], byId)).ToList();
        return candidates.Count switch
        {
            1 => Result<OrgUnit>.Ok(candidates[0]),
            0 => Problem.Of("UnitNotFound", reference),
            _ => Problem.Of("UnitAmbiguous", reference,
                string.Join("; ", candidates.Select(c => UnitTree.PathOf(c, byId)).Order(StringComparer.Ordinal))),
        };
    }

    private static List<OrgUnit> Match(IEnumerable<OrgUnit> units, string name)
    {
        var exact = units.Where(u => string.Equals(u.Name, name, StringComparison.CurrentCultureIgnoreCase)).ToList();
        if (exact.Count > 0) return exact;
        var key = VietnameseText.Key(name);
        return units.Where(u => VietnameseText.Key(u.Name) == key).ToList();
    }

    private static bool AncestorsMatch(OrgUnit unit, string[] ancestors, Dictionary<Guid, OrgUnit> byId)
    {
        var current = unit;
        for (var i = ancestors.Length - 1; i >= 0; i--)
        {
            // An ancestor name may skip levels: walk up until it matches.
            var found = false;
            while (current.ParentId is { } pid && byId.TryGetValue(pid, out var parent))
            {
                current = parent;
                if (Match([parent], ancestors[i]).Count == 1) { found = true; break; }
            }
            if (!found) return false;
        }
        return true;
    }

    public async Task<Result<OrgUnit>> AddAsync(string name, string? parentReference, UnitKind? kind, string actor,
        CancellationToken ct = default)
    {
        name = VietnameseText.CleanName(name);
        if (name.Length == 0) return Problem.Of("UnitNameRequired");
        if (name.Length > 200 || name.Contains('/')) return Problem.Of("UnitNameInvalid", name);
        await using var db = database.Open();
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(ct);
        if (tenant is null) return Problem.Of("NoTenant");
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        OrgUnit? parent = null;
        if (!string.IsNullOrWhiteSpace(parentReference))
        {
            var p = Resolve(units, parentReference);
            if (!p.IsOk) return p.Problem!;
            parent = p.Value;
        }
        if (units.Any(u => u.ParentId == parent?.Id && VietnameseText.Key(u.Name) == VietnameseText.Key(name)))
            return Problem.Of("UnitExists", name);

        var now = clock.GetUtcNow();
        var unit = new OrgUnit
        {
            TenantId = tenant.Id,
            ParentId = parent?.Id,
            Name = name,
            Kind = kind ?? OrgUnit.GuessKind(name, parent is null),
            CreatedAt = now,
        };
        db.Units.Add(unit);
        db.Groups.Add(new DistributionGroup { TenantId = tenant.Id, Name = name, UnitId = unit.Id, IncludeSubunits = true, CreatedAt = now });
        db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "unit.add", Target = name, Detail = parent?.Name });
        await db.SaveChangesAsync(ct);
        return unit;
    }

    /// <summary>Moves a unit (with its subtree) under another parent, or to the top when <paramref name="newParentReference"/> is null.</summary>
    public async Task<Result<OrgUnit>> MoveAsync(string reference, string? newParentReference, string actor, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var units = await db.Units.ToListAsync(ct);
        var u = Resolve(units, reference);
        if (!u.IsOk) return u;
        var unit = u.Value!;
        OrgUnit? parent = null;
        if (!string.IsNullOrWhiteSpace(newParentReference))
        {
            var p = Resolve(units, newParentReference);
            if (!p.IsOk) return p;
            parent = p.Value!;
            var byId = units.ToDictionary(x => x.Id);
            for (var cur = parent; cur is not null; cur = cur.ParentId is { } id ? byId[id] : null)
                if (cur.Id == unit.Id) return Problem.Of("UnitMoveCycle", unit.Name, parent.Name);
        }
        if (units.Any(x => x.Id != unit.Id && x.ParentId == parent?.Id && VietnameseText.Key(x.Name) == VietnameseText.Key(unit.Name)))
            return Problem.Of("UnitExists", unit.Name);
        unit.ParentId = parent?.Id;
        db.Audit.Add(new AuditEntry { At = clock.GetUtcNow(), Actor = actor, Action = "unit.move", Target = unit.Name, Detail = parent?.Name ?? "(top)" });
        await db.SaveChangesAsync(ct);
        return unit;
    }

    /// <summary>Names the head of a unit; the head must hold an account that is not closed.</summary>
    public async Task<Result<OrgUnit>> SetHeadAsync(string reference, string address, string actor, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var units = await db.Units.ToListAsync(ct);
        var u = Resolve(units, reference);
        if (!u.IsOk) return u;
        var normalized = address.Trim().ToLowerInvariant();
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Address == normalized, ct);
        if (account is null) return Problem.Of("AccountNotFound", address);
        if (account.State is Core.Accounts.AccountState.Closed or Core.Accounts.AccountState.Purged)
            return Problem.Of("AccountClosed", account.Address);
        u.Value!.HeadAccountId = account.Id;
        db.Audit.Add(new AuditEntry { At = clock.GetUtcNow(), Actor = actor, Action = "unit.set-head", Target = u.Value.Name, Detail = account.Address });
        await db.SaveChangesAsync(ct);
        return u;
    }
}

/// <summary>A unit as listed: with its full path, depth in the tree, head address and number of open accounts.</summary>
public sealed record UnitNode(OrgUnit Unit, string Path, int Depth, string? HeadAddress, int AccountCount);

/// <summary>Tree walking over a flat list of units.</summary>
public static class UnitTree
{
    public static string PathOf(OrgUnit unit, IReadOnlyDictionary<Guid, OrgUnit> byId)
    {
        var names = new List<string>();
        for (OrgUnit? cur = unit; cur is not null; cur = cur.ParentId is { } id && byId.TryGetValue(id, out var p) ? p : null)
            names.Add(cur.Name);
        names.Reverse();
        return string.Join(UnitDirectory.PathSeparator, names);
    }

    /// <summary>The top-level agency (cơ quan) a unit belongs to.</summary>
    public static OrgUnit AgencyOf(OrgUnit unit, IReadOnlyDictionary<Guid, OrgUnit> byId)
    {
        var cur = unit;
        while (cur.ParentId is { } id && byId.TryGetValue(id, out var p)) cur = p;
        return cur;
    }

    /// <summary>The ids of a unit and every unit below it.</summary>
    public static HashSet<Guid> Subtree(Guid root, IEnumerable<OrgUnit> units)
    {
        var children = units.Where(u => u.ParentId is not null).ToLookup(u => u.ParentId!.Value);
        var result = new HashSet<Guid> { root };
        var stack = new Stack<Guid>([root]);
        while (stack.Count > 0)
            foreach (var c in children[stack.Pop()])
                if (result.Add(c.Id)) stack.Push(c.Id);
        return result;
    }

    internal static IReadOnlyList<UnitNode> Flatten(IReadOnlyList<OrgUnit> units, Func<OrgUnit, UnitNode> make)
    {
        var byId = units.ToDictionary(u => u.Id);
        var children = units.ToLookup(u => u.ParentId);
        var result = new List<UnitNode>(units.Count);
        void Walk(Guid? parent, int depth)
        {
            foreach (var u in children[parent].OrderBy(u => u.Name, StringComparer.Create(Messages.Vietnamese, false)))
            {
                result.Add(make(u) with { Path = PathOf(u, byId), Depth = depth });
                Walk(u.Id, depth + 1);
            }
        }
        Walk(null, 0);
        return result;
    }
}
