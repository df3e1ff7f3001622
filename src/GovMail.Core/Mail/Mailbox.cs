namespace GovMail.Core.Mail;

/// <summary>A folder of an account (hộp thư con): INBOX, Sent, Drafts… or one the user made, such as "Công văn đến".</summary>
public sealed class Mailbox
{
    public long Id { get; set; }
    public Guid AccountId { get; set; }

    /// <summary>Full name with '/' as the hierarchy separator, in Unicode (IMAP encodes it on the wire).</summary>
    public required string Name { get; set; }

    public MailboxRole Role { get; set; }

    /// <summary>IMAP UIDVALIDITY: changes only if UIDs of this mailbox are ever reassigned.</summary>
    public uint UidValidity { get; set; }

    /// <summary>The UID the next message will get.</summary>
    public uint UidNext { get; set; } = 1;

    /// <summary>The highest MODSEQ given to any change in this mailbox (CONDSTORE).</summary>
    public long HighestModSeq { get; set; } = 1;

    public bool Subscribed { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The special use of a mailbox (RFC 6154); the web shows each with a Vietnamese label.</summary>
public enum MailboxRole
{
    None,
    /// <summary>Hộp thư đến.</summary>
    Inbox,
    /// <summary>Thư đã gửi.</summary>
    Sent,
    /// <summary>Thư nháp.</summary>
    Drafts,
    /// <summary>Thùng rác.</summary>
    Trash,
    /// <summary>Thư rác.</summary>
    Junk,
    /// <summary>Lưu trữ.</summary>
    Archive,
}

/// <summary>The mailboxes every account gets when it is issued.</summary>
public static class StandardMailboxes
{
    public static readonly IReadOnlyList<(string Name, MailboxRole Role)> All =
    [
        ("INBOX", MailboxRole.Inbox),
        ("Sent", MailboxRole.Sent),
        ("Drafts", MailboxRole.Drafts),
        ("Trash", MailboxRole.Trash),
        ("Junk", MailboxRole.Junk),
        ("Archive", MailboxRole.Archive),
    ];
}
