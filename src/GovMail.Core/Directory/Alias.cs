namespace GovMail.Core.Directory;

/// <summary>Another address that delivers to an account (bí danh).</summary>
public sealed class Alias
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }

    /// <summary>Full lower-case address.</summary>
    public required string Address { get; set; }

    public Guid AccountId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the alias stops delivering (a transferred official's old address), or null to keep it.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}
