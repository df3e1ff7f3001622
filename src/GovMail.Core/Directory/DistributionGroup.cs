namespace GovMail.Core.Directory;

/// <summary>
/// A distribution group (nhóm thư). A unit's automatic group has <see cref="UnitId"/> set: its members are the
/// unit's accounts at the time of delivery, never a stored list.
/// </summary>
public sealed class DistributionGroup
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }

    /// <summary>Full lower-case address, or null while the group has none yet.</summary>
    public string? Address { get; set; }

    public required string Name { get; set; }

    /// <summary>Set for the automatic group of a unit.</summary>
    public Guid? UnitId { get; set; }

    /// <summary>For a unit group: also deliver to accounts of the unit's sub-units.</summary>
    public bool IncludeSubunits { get; set; }

    public List<GroupMember> Members { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }

    public bool IsAutomatic => UnitId is not null;
}

/// <summary>An explicit member of a non-automatic group.</summary>
public sealed class GroupMember
{
    public Guid GroupId { get; set; }
    public Guid AccountId { get; set; }
}
