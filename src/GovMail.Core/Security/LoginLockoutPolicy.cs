namespace GovMail.Core.Security;

/// <summary>
/// A tenant's rule against password guessing (chống dò mật khẩu): failed logins are counted per account and per client
/// address over a sliding window, across every protocol; too many toward one account lock it for a while, and each
/// further failure from the same client address waits longer before its refusal is sent.
/// </summary>
public sealed class LoginLockoutPolicy
{
    /// <summary>Failed logins toward one account within <see cref="WindowMinutes"/> that lock it; 0 turns locking off.</summary>
    public int MaxFailedLogins { get; set; } = 10;

    public int WindowMinutes { get; set; } = 15;

    /// <summary>How long the account stays locked before it opens again by itself.</summary>
    public int LockoutMinutes { get; set; } = 30;

    /// <summary>The longest wait before a refusal to a client address that keeps failing; 0 turns slowing off.</summary>
    public int DelayCapSeconds { get; set; } = 10;

    /// <summary>Failures from one client address that cost nothing (a mistyped password or two).</summary>
    public const int FreeFailuresPerAddress = 3;

    public DateTimeOffset WindowStart(DateTimeOffset now) => now.AddMinutes(-WindowMinutes);

    public bool LocksAfter(int failuresTowardAccount) => MaxFailedLogins > 0 && failuresTowardAccount >= MaxFailedLogins;

    public DateTimeOffset LockedUntil(DateTimeOffset now) => now.AddMinutes(LockoutMinutes);

    /// <summary>
    /// The wait before refusing the <paramref name="failuresFromAddress"/>-th failure from one client address in the window:
    /// nothing for the first few, then 1 s, 2 s, 4 s… up to <see cref="DelayCapSeconds"/>.
    /// </summary>
    public TimeSpan DelayFor(int failuresFromAddress)
    {
        var extra = failuresFromAddress - FreeFailuresPerAddress;
        if (extra <= 0 || DelayCapSeconds <= 0) return TimeSpan.Zero;
        var seconds = extra >= 31 ? DelayCapSeconds : Math.Min(1L << (extra - 1), DelayCapSeconds);
        return TimeSpan.FromSeconds(seconds);
    }
}
