using GovMail.Core.Security;

namespace GovMail.Core.Directory;

/// <summary>The rules a tenant sets for all of its accounts. Defaults follow the directives in shared/seeds.</summary>
public sealed class TenantPolicy
{
    public PasswordPolicy Password { get; set; } = new();

    /// <summary>Failed-login counting, temporary locks and slowing of guessing clients.</summary>
    public LoginLockoutPolicy Lockout { get; set; } = new();

    /// <summary>Days a newly issued account has to log in and change its temporary password (seed 001: 21/05 to 23/05).</summary>
    public int FirstLoginWindowDays { get; set; } = 3;

    /// <summary>Mailbox quota given to new accounts (seed 004: 5 GB each).</summary>
    public long DefaultQuotaBytes { get; set; } = 5L * 1024 * 1024 * 1024;

    /// <summary>Days a closed account's data is kept before it is purged.</summary>
    public int ClosedRetentionDays { get; set; } = 365;

    /// <summary>Days after closing during which the address may not be issued again.</summary>
    public int AddressQuarantineDays { get; set; } = 730;

    /// <summary>Which mail from the Internet that fails SPF/DMARC goes to Junk instead of INBOX (default: DMARC quarantine).</summary>
    public InboundQuarantine InboundQuarantine { get; set; } = InboundQuarantine.Dmarc;

    /// <summary>
    /// Whether a holder's own profile changes (display name, title, phone) wait for an administrator of their unit to approve
    /// them (issue 7: thay đổi hồ sơ cần quản trị duyệt); off by default.
    /// </summary>
    public bool ProfileChangesNeedApproval { get; set; }

    /// <summary>Whether a message with these inbound check results goes to Junk under this policy.</summary>
    public bool Quarantines(bool dmarcQuarantine, bool spfFail) => InboundQuarantine switch
    {
        InboundQuarantine.Dmarc => dmarcQuarantine,
        InboundQuarantine.DmarcAndSpf => dmarcQuarantine || spfFail,
        _ => false,
    };

    /// <summary>When a temporary password issued at <paramref name="issuedAt"/> must have been changed: the end of the window's last day.</summary>
    public DateTimeOffset FirstLoginDeadline(DateTimeOffset issuedAt) => Time.VietnamTime.EndOfWindow(issuedAt, FirstLoginWindowDays);
}
