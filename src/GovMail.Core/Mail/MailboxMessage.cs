namespace GovMail.Core.Mail;

/// <summary>A message as it sits in one mailbox: its UID there, flags, keywords and modification sequence.</summary>
public sealed class MailboxMessage
{
    public long Id { get; set; }
    public long MailboxId { get; set; }
    public Guid MessageId { get; set; }
    public uint Uid { get; set; }
    public long ModSeq { get; set; }
    public MessageFlags Flags { get; set; }

    /// <summary>User keywords (IMAP flags without a backslash), space separated.</summary>
    public string? Keywords { get; set; }

    public DateTimeOffset InternalDate { get; set; }
    public long Size { get; set; }

    /// <summary>When the message entered this mailbox (delivered, appended, copied or moved): Trash and Junk are emptied by this age.</summary>
    public DateTimeOffset SavedAt { get; set; }
}

/// <summary>The IMAP system flags.</summary>
[Flags]
public enum MessageFlags
{
    None = 0,
    Seen = 1,
    Answered = 2,
    Flagged = 4,
    Deleted = 8,
    Draft = 16,
}
