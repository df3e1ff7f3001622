namespace GovMail.Core.Audit;

/// <summary>One line of the append-only audit log (nhật ký): who did what to what, when.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>Address of the administrator, the holder, or "system".</summary>
    public required string Actor { get; set; }

    /// <summary>Stable dotted name such as <c>account.add</c>, <c>unit.move</c>.</summary>
    public required string Action { get; set; }

    public string? Target { get; set; }
    public string? Detail { get; set; }

    /// <summary>The <see cref="Hash"/> of the entry before this one in the chain ("" for the first; null for entries written before the chain).</summary>
    public string? PreviousHash { get; set; }

    /// <summary>SHA-256 of this entry's fields and <see cref="PreviousHash"/> (<see cref="AuditChain"/>), lower-case hex.</summary>
    public string? Hash { get; set; }
}
