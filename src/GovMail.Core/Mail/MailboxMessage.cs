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

    /// <summary>
    /// The message's subject, at most <see cref="SortKeyLength"/> characters, copied here so a folder can be listed by subject
    /// through the (mailbox, subject, UID) index instead of sorting every message of the folder.
    /// </summary>
    public string? SortSubject { get; set; }

    /// <summary>The sender as the list shows and sorts it (the display name, else the address), cut like <see cref="SortSubject"/>.</summary>
    public string? SortSender { get; set; }

    /// <summary>Longest sort key kept (longer subjects differ from each other in their first 255 characters in practice).</summary>
    public const int SortKeyLength = 255;

    /// <summary>A sort key cut to <see cref="SortKeyLength"/> characters, never in the middle of a surrogate pair.</summary>
    public static string? SortKey(string? value)
    {
        if (value is null || value.Length <= SortKeyLength) return value;
        var length = char.IsHighSurrogate(value[SortKeyLength - 1]) ? SortKeyLength - 1 : SortKeyLength;
        return value[..length];
    }

    /// <summary>Sets both sort keys from the message they point to.</summary>
    public MailboxMessage WithSortKeys(string? subject, string? fromName, string? fromAddress)
    {
        SortSubject = SortKey(subject);
        SortSender = SortKey(fromName ?? fromAddress);
        return this;
    }
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
