namespace GovMail.Core.Accounts;

/// <summary>Where an account stands in its life. Changes only through <see cref="AccountLifecycle"/>.</summary>
public enum AccountState
{
    /// <summary>Issued; the holder has not yet logged in and changed the temporary password (chờ đăng nhập lần đầu).</summary>
    PendingFirstLogin,
    /// <summary>In use (đang hoạt động).</summary>
    Active,
    /// <summary>Locked for a <see cref="LockReason"/> (bị khóa).</summary>
    Locked,
    /// <summary>The holder left the agency; no login, mail still kept (ngừng sử dụng).</summary>
    Disabled,
    /// <summary>Cancelled (hủy): data kept for the retention period, address quarantined.</summary>
    Closed,
    /// <summary>A closed account whose data has been deleted; the record stays for the quarantine and the audit.</summary>
    Purged,
}

/// <summary>Why an account was locked.</summary>
public enum LockReason
{
    /// <summary>The temporary password was not changed within the first-login window.</summary>
    FirstLoginDeadlineMissed,
    /// <summary>Too many failed logins.</summary>
    TooManyFailedLogins,
    /// <summary>An administrator locked it.</summary>
    Administrator,
    /// <summary>Locked for not using the mailbox (seed 001 point 7).</summary>
    NonUse,
}
