namespace GovMail.Core.Accounts;

/// <summary>
/// A holder's change of their own profile waiting for an administrator of their unit (yêu cầu thay đổi hồ sơ chờ duyệt), when the
/// tenant's policy asks for approval (<see cref="Directory.TenantPolicy.ProfileChangesNeedApproval"/>). The values are the ones
/// the holder asked for, already checked; approving applies them with the administrator as actor.
/// </summary>
public sealed class ProfileChangeRequest
{
    public long Id { get; set; }
    public Guid AccountId { get; set; }

    public required string DisplayName { get; set; }
    public string? Title { get; set; }
    public string? Phone { get; set; }

    public DateTimeOffset RequestedAt { get; set; }
    public ProfileChangeStatus Status { get; set; } = ProfileChangeStatus.Pending;

    /// <summary>The administrator who approved or rejected it, when and why.</summary>
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? Reason { get; set; }
}

public enum ProfileChangeStatus
{
    Pending,
    Approved,
    Rejected,
    /// <summary>Replaced by a newer request of the holder before anyone decided.</summary>
    Withdrawn,
}
