using GovMail.Core.Text;

namespace GovMail.Core.Usage;

/// <summary>
/// A person barred from being issued a mailbox again (không tái đăng ký, seed 000 khoản 1.4 and mục 3): their account was
/// listed as little used in two consecutive quarters and the HR reviewer applied the cancellation proposal. The bar keeps
/// who the person was at the time (address, name, staff number, unit), since the account itself is to be cancelled.
/// <para>
/// Matching a new account against a bar (<see cref="Matches"/>): when both carry a staff number (mã cán bộ) the staff
/// numbers decide; otherwise the same normalised full name (<see cref="VietnameseText.Key"/>: no diacritics, lower case,
/// single spaces) in the same unit; and in every case the same address.
/// </para>
/// </summary>
public sealed class ReRegistrationBar
{
    public long Id { get; set; }

    /// <summary>The account that was listed (kept as a plain id: the account may be purged later).</summary>
    public Guid AccountId { get; set; }

    public required string Address { get; set; }
    public required string DisplayName { get; set; }

    /// <summary><see cref="VietnameseText.Key"/> of <see cref="DisplayName"/>.</summary>
    public required string NameKey { get; set; }

    public string? StaffNumber { get; set; }
    public Guid UnitId { get; set; }

    /// <summary>The second of the two quarters, <c>2024-Q1</c> (the list it comes from).</summary>
    public required string Quarter { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
    public required string RecordedBy { get; set; }

    /// <summary>Set when the reviewer later exempts the cancellation line; a lifted bar no longer refuses anyone.</summary>
    public DateTimeOffset? LiftedAt { get; set; }

    public string? LiftedBy { get; set; }
    public string? LiftReason { get; set; }

    public bool IsInForce => LiftedAt is null;

    /// <summary>Whether a new account for (<paramref name="staffNumber"/>, <paramref name="displayName"/>, unit, address) is this person.</summary>
    public bool Matches(string? staffNumber, string displayName, Guid unitId, string address)
    {
        if (string.Equals(Address, address, StringComparison.OrdinalIgnoreCase)) return true;
        if (!string.IsNullOrWhiteSpace(StaffNumber) && !string.IsNullOrWhiteSpace(staffNumber))
            return string.Equals(StaffNumber.Trim(), staffNumber.Trim(), StringComparison.OrdinalIgnoreCase);
        return UnitId == unitId && NameKey == VietnameseText.Key(displayName);
    }
}
