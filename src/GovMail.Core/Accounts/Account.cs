namespace GovMail.Core.Accounts;

/// <summary>A mailbox on the government domain and the person or unit it belongs to (tài khoản thư điện tử).</summary>
public sealed class Account
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }

    /// <summary>Full lower-case address, e.g. <c>ldthinh@tphcm.gov.vn</c>.</summary>
    public required string Address { get; set; }

    /// <summary>Display name in full Vietnamese (tên thể hiện).</summary>
    public required string DisplayName { get; set; }

    /// <summary>Job title (chức danh / tiêu đề), e.g. "Chuyên viên".</summary>
    public string? Title { get; set; }

    public Guid UnitId { get; set; }
    public string? Phone { get; set; }

    /// <summary>Staff number (mã cán bộ) from the agency's staff list.</summary>
    public string? StaffNumber { get; set; }

    public AccountKind Kind { get; set; }
    public AdminRole Role { get; set; }
    public long QuotaBytes { get; set; }

    public AccountState State { get; set; } = AccountState.PendingFirstLogin;
    public LockReason? LockReason { get; set; }

    /// <summary>When a temporary lock (too many failed logins) opens again by itself; null for locks an administrator lifts.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>Argon2id hash in PHC string form.</summary>
    public string PasswordHash { get; set; } = "";

    /// <summary>The password must be changed before anything else; see <see cref="PasswordChangeDeadline"/>.</summary>
    public bool MustChangePassword { get; set; }

    /// <summary>After this moment an unchanged temporary password locks the account.</summary>
    public DateTimeOffset? PasswordChangeDeadline { get; set; }

    public DateTimeOffset? PasswordChangedAt { get; set; }

    /// <summary>The date the mailbox was issued (may predate the record, for accounts brought from an older system).</summary>
    public DateOnly IssuedOn { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? FirstLoginAt { get; set; }
    public DateTimeOffset? LastLoginAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Optimistic concurrency token, bumped on every change.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();

    public string LocalPart => Address[..Address.IndexOf('@')];
    public string Domain => Address[(Address.IndexOf('@') + 1)..];
}

/// <summary>What an account is for.</summary>
public enum AccountKind
{
    /// <summary>Cá nhân: one official.</summary>
    Individual,
    /// <summary>Tập thể: a unit's collective mailbox, read by its keepers.</summary>
    Collective,
    /// <summary>Dịch vụ: a system that sends or receives mail.</summary>
    Service,
}

/// <summary>Administrative role of an account; scoped to its unit's subtree except for the city operator.</summary>
public enum AdminRole
{
    None,
    /// <summary>Sở Thông tin và Truyền thông: everything.</summary>
    CityOperator,
    /// <summary>Văn phòng Sở / Văn phòng UBND: their agency.</summary>
    AgencyAdministrator,
    /// <summary>Phòng Tổ chức – Pháp chế / Phòng Nội vụ: reports and evaluation decisions.</summary>
    HrReviewer,
    /// <summary>Read-only, audit log.</summary>
    Auditor,
}
