namespace GovMail.Core.Directory;

/// <summary>A city or province running GovMail (thành phố / tỉnh), with its mail domains and its policies.</summary>
public sealed class Tenant
{
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <summary>The organisation's name, e.g. "Ủy ban nhân dân Thành phố Hồ Chí Minh".</summary>
    public required string Name { get; set; }

    /// <summary>IANA time zone in which periods, deadlines and reports are computed.</summary>
    public string TimeZoneId { get; set; } = "Asia/Ho_Chi_Minh";

    public TenantPolicy Policy { get; set; } = new();

    public List<MailDomain> Domains { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public MailDomain PrimaryDomain => Domains.FirstOrDefault(d => d.IsPrimary) ?? Domains.First();
}
