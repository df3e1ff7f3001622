namespace GovMail.Core.Security;

/// <summary>
/// An administrator's second factor (xác thực hai lớp): a TOTP secret (RFC 6238, 30-second steps, 6 digits) stored encrypted,
/// and the last step accepted so that a code cannot be used twice.
/// </summary>
public sealed class TotpEnrollment
{
    public Guid AccountId { get; set; }

    /// <summary>The secret, encrypted with the installation's secret key (AES-GCM), base64.</summary>
    public required string ProtectedSecret { get; set; }

    public DateTimeOffset EnrolledAt { get; set; }

    /// <summary>When a first code was accepted (the authenticator app works); null until then.</summary>
    public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary>The 30-second step of the last accepted code; a code of this step or an earlier one is refused.</summary>
    public long LastUsedStep { get; set; }
}
