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

    /// <summary>
    /// The highest MODSEQ of an expunge dropped from the bounded expunge log (0: none). A QRESYNC client that last
    /// synchronised before it cannot be told exactly what vanished, only which of its UIDs no longer exist.
    /// </summary>
    public long ExpungeLogPrunedModSeq { get; set; }
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

    /// <summary>
    /// Whether an account has at most one mailbox with this role: delivery and the web find INBOX, Sent, Drafts, Trash and
    /// Junk by their role. Archive folders a user makes may be many (Lưu trữ 2024, Lưu trữ 2025).
    /// </summary>
    public static bool IsOnePerAccount(MailboxRole role) => role is not (MailboxRole.None or MailboxRole.Archive);

    /// <summary>Whether a mailbox is one of those every account is issued with (which cannot be deleted).</summary>
    public static bool IsStandard(string name, MailboxRole role)
    {
        foreach (var (n, r) in All)
            if (r == role && n == name) return true;
        return false;
    }
}
