namespace GovMail.Core.Directory;

/// <summary>
/// An organisation unit (đơn vị): an agency such as a Sở or a UBND quận/huyện at the top, and below it
/// departments, divisions and communes, as a tree.
/// </summary>
public sealed class OrgUnit
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public Guid? ParentId { get; set; }

    /// <summary>Full Vietnamese name, e.g. "Phòng Tổ chức – Pháp chế".</summary>
    public required string Name { get; set; }

    public UnitKind Kind { get; set; }

    /// <summary>The head of the unit (thủ trưởng / trưởng phòng), graded down with the unit's low users.</summary>
    public Guid? HeadAccountId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Guess a unit's kind from its Vietnamese name when an import file does not say.</summary>
    public static UnitKind GuessKind(string name, bool isTopLevel)
    {
        var folded = Text.VietnameseText.Fold(name).ToLowerInvariant();
        if (folded.StartsWith("ubnd xa", StringComparison.Ordinal) || folded.StartsWith("ubnd thi tran", StringComparison.Ordinal)
            || folded.StartsWith("uy ban nhan dan xa", StringComparison.Ordinal) || folded.StartsWith("uy ban nhan dan thi tran", StringComparison.Ordinal)
            || folded.StartsWith("ubnd phuong", StringComparison.Ordinal) || folded.StartsWith("uy ban nhan dan phuong", StringComparison.Ordinal))
            return UnitKind.Commune;
        if (isTopLevel) return UnitKind.Agency;
        if (folded.StartsWith("phong", StringComparison.Ordinal) || folded.StartsWith("van phong", StringComparison.Ordinal)
            || folded.StartsWith("thanh tra", StringComparison.Ordinal))
            return UnitKind.Department;
        return UnitKind.Division;
    }
}

/// <summary>What kind of unit an <see cref="OrgUnit"/> is.</summary>
public enum UnitKind
{
    /// <summary>Cơ quan: a Sở, a UBND quận/huyện, a centre directly under a Sở.</summary>
    Agency,
    /// <summary>Phòng / ban: a department of an agency.</summary>
    Department,
    /// <summary>Bộ phận / tổ / đơn vị sự nghiệp: a division or a public service unit.</summary>
    Division,
    /// <summary>UBND xã / phường / thị trấn.</summary>
    Commune,
}
