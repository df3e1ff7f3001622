namespace GovMail.Core.Directory;

/// <summary>A mail domain owned by a tenant, e.g. <c>tphcm.gov.vn</c>.</summary>
public sealed class MailDomain
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }

    /// <summary>Lower-case domain name.</summary>
    public required string Name { get; set; }

    public bool IsPrimary { get; set; }
}
