namespace GovMail.Core.Mail;

/// <summary>
/// One received message body, stored once as an immutable blob however many local mailboxes hold it, with what IMAP and
/// the web serve most cached beside it so they never re-parse the message.
/// </summary>
public sealed class StoredMessage
{
    /// <summary>Time-ordered (UUIDv7), so new rows land at the end of the primary key's B-tree instead of anywhere in it.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Name of the blob in the blob store.</summary>
    public required string BlobKey { get; set; }

    /// <summary>Size in octets of the stored message (RFC822.SIZE), trace headers included.</summary>
    public long Size { get; set; }

    /// <summary>When the server accepted it (the default INTERNALDATE).</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    public string? Subject { get; set; }
    public string? FromAddress { get; set; }
    public string? FromName { get; set; }
    public DateTimeOffset? SentDate { get; set; }
    public string? MessageIdHeader { get; set; }

    /// <summary>Octets of the header block, so BODY[HEADER] and BODY[TEXT] are ranges of the blob.</summary>
    public long HeaderLength { get; set; }

    /// <summary>The cached envelope and body structure (JSON, see GovMail.Storage.Mail.MessageSummary).</summary>
    public required string Summary { get; set; }

    /// <summary>Headers and text folded for search (diacritics removed, lower case), bounded in length.</summary>
    public string? SearchText { get; set; }

    public bool HasAttachments { get; set; }
    public string? Preview { get; set; }
}
