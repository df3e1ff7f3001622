namespace GovMail.Core.Security;

/// <summary>
/// A bearer token of one administrator for the JSON API (mã truy cập API): only its SHA-256 hash is kept, with a name the
/// administrator chose and the first characters to recognise it by. The API acts with the administrator's own roles and scope.
/// </summary>
public sealed class AdminApiToken
{
    public long Id { get; set; }
    public Guid AccountId { get; set; }
    public required string Name { get; set; }

    /// <summary>The token's first characters (<c>gm_ab12cd</c>), shown in lists; not enough to use it.</summary>
    public required string Prefix { get; set; }

    /// <summary>SHA-256 of the whole token, lowercase hex.</summary>
    public required string Hash { get; set; }

    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
}
