namespace GovMail.Core.Usage;

/// <summary>
/// One use of the mailbox as the directives count it (sử dụng hộp thư): a login, a message sent, received or read, a webmail
/// session. The usage room folds these into one row per account per day.
/// </summary>
public sealed class UsageEvent
{
    public long Id { get; set; }
    public Guid? AccountId { get; set; }

    /// <summary>The address as given (kept also for failed logins to unknown accounts).</summary>
    public required string Address { get; set; }

    public DateTimeOffset At { get; set; }
    public UsageKind Kind { get; set; }
    public UsageProtocol Protocol { get; set; }
    public string? RemoteAddress { get; set; }

    /// <summary>The keeper who acted for a collective mailbox (<see cref="Accounts.MailboxKeeper"/>); null when the holder acted.</summary>
    public Guid? KeeperAccountId { get; set; }
}

public enum UsageKind
{
    Login,
    LoginFailed,
    Sent,
    Received,
    Read,
    Webmail,
}

public enum UsageProtocol
{
    Imap,
    Pop3,
    Smtp,
    Web,
    ActiveSync,
    Other,
}
