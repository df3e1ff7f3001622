namespace GovMail.Core.Security;

/// <summary>
/// One failed login (wrong user name or password) from any protocol, kept for the lockout window so that failures count
/// across protocols and nodes. <see cref="AccountId"/> is cleared when the account's counter is reset (a successful login,
/// or the lock the failures caused); the row still counts toward its client address.
/// </summary>
public sealed class LoginFailure
{
    public long Id { get; set; }

    /// <summary>The user name as typed, lower-cased.</summary>
    public required string User { get; set; }

    public Guid? AccountId { get; set; }

    /// <summary>The client's IP address, or "" when unknown.</summary>
    public required string RemoteAddress { get; set; }

    public Usage.UsageProtocol Protocol { get; set; }
    public DateTimeOffset At { get; set; }
}
