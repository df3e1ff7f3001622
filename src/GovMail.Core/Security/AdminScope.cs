using GovMail.Core.Accounts;

namespace GovMail.Core.Security;

/// <summary>What an administrator may do; each role allows some, within the unit subtree of each of its grants.</summary>
public enum Permission
{
    /// <summary>See accounts and units.</summary>
    ReadDirectory,
    /// <summary>Issue, change, lock and end accounts; transfers and departures.</summary>
    ManageAccounts,
    /// <summary>Add, move and name the heads of units.</summary>
    ManageUnits,
    /// <summary>Usage statistics and governance lists.</summary>
    ReadReports,
    /// <summary>Record HR decisions on the governance lists (hạ bậc, đề nghị hủy).</summary>
    DecideGovernance,
    /// <summary>Read the audit log.</summary>
    ReadAudit,
    /// <summary>Grant and revoke administrator roles.</summary>
    ManageRoles,
    /// <summary>Tenant-wide settings: policies, domains, DKIM, the outbound queue.</summary>
    ManagePolicy,
}

/// <summary>One role given to an account over a unit and its subtree, or over the whole tenant when <see cref="ScopeUnitId"/> is null.</summary>
public sealed class AdminRoleGrant
{
    public long Id { get; set; }
    public Guid AccountId { get; set; }
    public AdminRole Role { get; set; }
    public Guid? ScopeUnitId { get; set; }
    public required string GrantedBy { get; set; }
    public DateTimeOffset GrantedAt { get; set; }
}

/// <summary>The roles' rules (issue 6, item 4): which permissions each role carries.</summary>
public static class RolePermissions
{
    public static bool Allows(AdminRole role, Permission permission) => role switch
    {
        // Sở Thông tin và Truyền thông: everything.
        AdminRole.CityOperator => true,
        // Văn phòng Sở / UBND: their agency's accounts, lifecycle, units and reports.
        AdminRole.AgencyAdministrator => permission is Permission.ReadDirectory or Permission.ManageAccounts or Permission.ManageUnits
            or Permission.ReadReports,
        // Phòng Tổ chức – Pháp chế / Nội vụ: reports and governance decisions, read-only otherwise.
        AdminRole.HrReviewer => permission is Permission.ReadDirectory or Permission.ReadReports or Permission.DecideGovernance,
        // Read-only, with the audit log.
        AdminRole.Auditor => permission is Permission.ReadDirectory or Permission.ReadReports or Permission.ReadAudit,
        _ => false,
    };

    /// <summary>The stable name used in the CLI, JSON and the audit log.</summary>
    public static string Name(AdminRole role) => role switch
    {
        AdminRole.CityOperator => "city-operator",
        AdminRole.AgencyAdministrator => "agency-administrator",
        AdminRole.HrReviewer => "hr-reviewer",
        AdminRole.Auditor => "auditor",
        _ => "none",
    };

    public static AdminRole? Parse(string text) =>
        Enum.GetValues<AdminRole>().Cast<AdminRole?>().FirstOrDefault(r => Name(r!.Value) == text.Trim().ToLowerInvariant());
}

/// <summary>
/// An administrator's grants evaluated over the unit tree: may they do <see cref="Permission"/> to something in a unit? A grant
/// covers its unit and every unit below it; a grant without a unit covers the whole tenant. Every CLI command, web page and API
/// call asks this one rule.
/// </summary>
public sealed class AdminScope
{
    private readonly IReadOnlyList<(AdminRole Role, Guid? Unit)> _grants;
    private readonly Func<Guid, Guid?> _parentOf;

    public AdminScope(string actor, IEnumerable<(AdminRole Role, Guid? Unit)> grants, Func<Guid, Guid?> parentOf)
    {
        Actor = actor;
        _grants = grants.Where(g => g.Role != AdminRole.None).ToList();
        _parentOf = parentOf;
    }

    /// <summary>The operator at the server's own shell: every permission everywhere.</summary>
    public static AdminScope Unrestricted(string actor) => new(actor, [(AdminRole.CityOperator, null)], _ => null);

    /// <summary>The address (or shell user) the audit log names.</summary>
    public string Actor { get; }

    public IReadOnlyList<(AdminRole Role, Guid? Unit)> Grants => _grants;

    public bool IsAdministrator => _grants.Count > 0;

    /// <summary>May the permission be used over the whole tenant (tenant-wide settings, city-wide lists)?</summary>
    public bool AllowsEverywhere(Permission permission) =>
        _grants.Any(g => g.Unit is null && RolePermissions.Allows(g.Role, permission));

    /// <summary>May the permission be used on something in <paramref name="unitId"/>? A null unit means the whole tenant.</summary>
    public bool Allows(Permission permission, Guid? unitId)
    {
        if (unitId is not { } unit) return AllowsEverywhere(permission);
        foreach (var (role, scope) in _grants)
        {
            if (!RolePermissions.Allows(role, permission)) continue;
            if (scope is null) return true;
            var depth = 0;
            for (Guid? cur = unit; cur is { } id && depth < 10_000; cur = _parentOf(id), depth++)
                if (id == scope) return true;
        }
        return false;
    }

    /// <summary>The roots of the subtrees the permission reaches, or null when it reaches everywhere.</summary>
    public IReadOnlyList<Guid>? Roots(Permission permission) =>
        AllowsEverywhere(permission) ? null
            : _grants.Where(g => g.Unit is not null && RolePermissions.Allows(g.Role, permission)).Select(g => g.Unit!.Value).Distinct().ToList();
}
