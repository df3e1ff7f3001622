using System.Text.Json;
using System.Text.Json.Serialization;

namespace GovMail.Storage.Mail;

/// <summary>
/// What IMAP and the web serve of a message without reading it again: the envelope and the body structure with the byte
/// offsets of every part in the stored blob. Built once at delivery by <see cref="MessageSummaryBuilder"/>, kept as JSON.
/// </summary>
public sealed record MessageSummary(EnvelopeSummary Envelope, PartSummary Body)
{
    /// <summary>The Message-IDs of the References header, oldest first (IMAP THREAD=REFERENCES); null when there is none.</summary>
    public IReadOnlyList<string>? References { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Two levels a nested part (the part, its list of parts) and a few for an attached message's envelope.
        MaxDepth = 2 * MessageSummaryBuilder.MaxNesting + 56,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static MessageSummary FromJson(string json) =>
        JsonSerializer.Deserialize<MessageSummary>(json, Json) ?? throw new InvalidDataException("empty message summary");
}

/// <summary>The RFC 3501 ENVELOPE fields. Header values are unfolded; names are decoded Unicode.</summary>
public sealed record EnvelopeSummary(
    string? Date,
    string? Subject,
    IReadOnlyList<AddressSummary> From,
    IReadOnlyList<AddressSummary> Sender,
    IReadOnlyList<AddressSummary> ReplyTo,
    IReadOnlyList<AddressSummary> To,
    IReadOnlyList<AddressSummary> Cc,
    IReadOnlyList<AddressSummary> Bcc,
    string? InReplyTo,
    string? MessageId);

/// <summary>One address; a group is a name with <see cref="Members"/> and no mailbox.</summary>
public sealed record AddressSummary(string? Name, string? Mailbox, string? Host, IReadOnlyList<AddressSummary>? Members = null);

/// <summary>
/// One MIME part. Offsets are octets from the start of the blob: the part's headers start at <see cref="Begin"/>,
/// its content starts at <see cref="ContentBegin"/> and ends at <see cref="End"/>.
/// </summary>
public sealed record PartSummary
{
    public required string Type { get; init; }
    public required string Subtype { get; init; }
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }
    public string? ContentId { get; init; }
    public string? Description { get; init; }
    public string? TransferEncoding { get; init; }
    public string? Disposition { get; init; }
    public IReadOnlyDictionary<string, string>? DispositionParameters { get; init; }
    public IReadOnlyList<string>? Language { get; init; }
    public string? Location { get; init; }
    public string? Md5 { get; init; }
    public long Begin { get; init; }
    public long ContentBegin { get; init; }
    public long End { get; init; }

    /// <summary>Lines of the content (for text/* and message/rfc822 in BODYSTRUCTURE).</summary>
    public int Lines { get; init; }

    /// <summary>Children of a multipart.</summary>
    public IReadOnlyList<PartSummary>? Parts { get; init; }

    /// <summary>For message/rfc822: the enclosed message's envelope and body.</summary>
    public EnvelopeSummary? MessageEnvelope { get; init; }
    public PartSummary? MessageBody { get; init; }
}
