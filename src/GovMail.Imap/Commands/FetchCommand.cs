using GovMail.Imap.Protocol;

namespace GovMail.Imap.Commands;

/// <summary>FETCH set items: the simple items as flags, the body sections in the order asked.</summary>
public sealed record FetchCommand(string Tag, SequenceSet Set, FetchItems Items, IReadOnlyList<BodySection> Sections) : ImapCommand(Tag, ImapCommandKind.Fetch)
{
    /// <summary>The CHANGEDSINCE modifier (RFC 7162 section 3.1.4): only messages whose MODSEQ is above it.</summary>
    public long? ChangedSince { get; init; }

    /// <summary>The VANISHED modifier of UID FETCH (QRESYNC): also tell which UIDs of the set were expunged since <see cref="ChangedSince"/>.</summary>
    public bool Vanished { get; init; }

    /// <summary>Whether any section sets \Seen (BODY[…] without PEEK, RFC822, RFC822.TEXT).</summary>
    public bool SetsSeen
    {
        get
        {
            foreach (var s in Sections)
                if (!s.Peek) return true;
            return false;
        }
    }

    /// <summary>Whether answering needs the message's blob key and cached summary, not just its row.</summary>
    public bool NeedsContent => Sections.Count > 0 || (Items & (FetchItems.Envelope | FetchItems.BodyStructure | FetchItems.Body)) != 0;
}

/// <summary>The FETCH items that are not body sections.</summary>
[Flags]
public enum FetchItems
{
    None = 0,
    Uid = 1 << 0,
    Flags = 1 << 1,
    InternalDate = 1 << 2,
    Rfc822Size = 1 << 3,
    Envelope = 1 << 4,
    BodyStructure = 1 << 5,
    /// <summary>BODY without a section: the body structure without extension data.</summary>
    Body = 1 << 6,
    ModSeq = 1 << 7,

    Fast = Flags | InternalDate | Rfc822Size,
    All = Fast | Envelope,
    Full = All | Body,
}

/// <summary>What part of a message a section names (RFC 3501 section 6.4.5).</summary>
public enum SectionText
{
    /// <summary>The whole message (<c>BODY[]</c>) or the whole part (<c>BODY[2]</c>).</summary>
    Full,
    Header,
    HeaderFields,
    HeaderFieldsNot,
    Text,
    Mime,
}

/// <summary>How a section is named in the response: <c>BODY[…]</c>, or the RFC 822 forms that stand for one.</summary>
public enum SectionName
{
    Body,
    Rfc822,
    Rfc822Header,
    Rfc822Text,
    /// <summary><c>BINARY[part]</c> (RFC 3516): the part with its content-transfer-encoding undone.</summary>
    Binary,
    /// <summary><c>BINARY.SIZE[part]</c>: the size of what BINARY would return.</summary>
    BinarySize,
}

/// <summary>
/// One <c>BODY[section]&lt;partial&gt;</c> (or <c>BODY.PEEK</c>, <c>RFC822</c>, <c>RFC822.HEADER</c>, <c>RFC822.TEXT</c>).
/// <see cref="Part"/> is the part path (<c>2.1</c> is [2, 1]), empty for the message itself.
/// </summary>
public sealed record BodySection(bool Peek, IReadOnlyList<int> Part, SectionText Text, IReadOnlyList<string>? Fields, long? PartialStart, long PartialLength)
{
    public SectionName Name { get; init; } = SectionName.Body;
}
