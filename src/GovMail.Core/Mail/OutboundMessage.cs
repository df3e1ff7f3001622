namespace GovMail.Core.Mail;

/// <summary>A message waiting in the outbound queue (hàng đợi gửi đi) for recipients on other domains.</summary>
public sealed class OutboundMessage
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string BlobKey { get; set; }
    public long Size { get; set; }

    /// <summary>The envelope sender; empty for bounces.</summary>
    public string MailFrom { get; set; } = "";

    public Guid? SenderAccountId { get; set; }
    public List<OutboundRecipient> Recipients { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public OutboundState State { get; set; }
    public string? LastError { get; set; }

    /// <summary>DSN parameters of MAIL FROM (RFC 3461).</summary>
    public string? DsnReturn { get; set; }
    public string? DsnEnvelopeId { get; set; }

    /// <summary>When a delay notice was last sent to the sender.</summary>
    public DateTimeOffset? DelayNotifiedAt { get; set; }
}

public sealed class OutboundRecipient
{
    public long Id { get; set; }
    public Guid OutboundMessageId { get; set; }
    public required string Address { get; set; }
    public OutboundState State { get; set; }
    public string? LastReply { get; set; }
    public string? DsnNotify { get; set; }
    public string? DsnOriginalRecipient { get; set; }
}

public enum OutboundState
{
    Queued,
    Delivered,
    Failed,
    Dropped,
}
