using GovMail.Imap.Commands;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Fetch;

/// <summary>Where a section lies in the stored message: a range of octets, and whether its header fields must be filtered.</summary>
public readonly record struct SectionRange(long Start, long End)
{
    public long Length => End - Start;
}

/// <summary>
/// Finds <c>BODY[section]</c> in a stored message from the part offsets cached at delivery (RFC 3501 section 6.4.5):
/// part numbers descend into multiparts and encapsulated messages; HEADER and TEXT belong to the message or to a
/// message/rfc822 part; MIME is a part's own header. Null when the message has no such part.
/// </summary>
public static class SectionLocator
{
    public static SectionRange? Locate(BodySection section, MessageSummary summary, long headerLength, long messageLength)
    {
        var message = new EnclosedMessage(0, headerLength, summary.Body, messageLength);
        if (!TryWalk(section.Part, ref message, out var part)) return null;

        switch (section.Text)
        {
            case SectionText.Full:
                return part is null ? new SectionRange(0, messageLength) : new SectionRange(part.ContentBegin, part.End);
            case SectionText.Mime:
                return part is null ? null : new SectionRange(part.Begin, part.ContentBegin);
            default:
                if (part is not null)
                {
                    if (!IsMessage(part) || part.MessageBody is not { } inner) return null;
                    message = EnclosedMessage.Of(part, inner);
                }
                return section.Text == SectionText.Text
                    ? new SectionRange(message.HeaderEnd, message.End)
                    : new SectionRange(message.HeaderStart, message.HeaderEnd);
        }
    }

    /// <summary>The part a part path names (null for the empty path: the message itself); false when there is no such part.</summary>
    public static bool TryFindPart(IReadOnlyList<int> path, MessageSummary summary, out PartSummary? part)
    {
        var message = new EnclosedMessage(0, 0, summary.Body, 0);
        return TryWalk(path, ref message, out part);
    }

    /// <summary>Descends <paramref name="path"/> from <paramref name="message"/>, which becomes the innermost message passed.</summary>
    private static bool TryWalk(IReadOnlyList<int> path, ref EnclosedMessage message, out PartSummary? part)
    {
        part = null;
        foreach (var number in path)
        {
            PartSummary container;
            if (part is null) container = message.Body;
            else if (IsMessage(part) && part.MessageBody is { } inner)
            {
                message = EnclosedMessage.Of(part, inner);
                container = inner;
            }
            else container = part;

            if (container.Parts is { } children)
            {
                if (number > children.Count) return false;
                part = children[number - 1];
            }
            else if (number == 1) part = container;
            else return false;
        }
        return true;
    }

    /// <summary>The range after a partial fetch (<c>&lt;start.length&gt;</c>): clipped to the section, empty past its end.</summary>
    public static SectionRange Partial(SectionRange range, BodySection section)
    {
        if (section.PartialStart is not { } start) return range;
        var from = Math.Min(range.End, range.Start + start);
        var to = Math.Min(range.End, from + section.PartialLength);
        return new SectionRange(from, to);
    }

    private static bool IsMessage(PartSummary part) =>
        string.Equals(part.Type, "message", StringComparison.OrdinalIgnoreCase) && string.Equals(part.Subtype, "rfc822", StringComparison.OrdinalIgnoreCase);

    /// <summary>A message (the stored one, or one inside a message/rfc822 part): its header range, its body part, its end.</summary>
    private readonly record struct EnclosedMessage(long HeaderStart, long HeaderEnd, PartSummary Body, long End)
    {
        public static EnclosedMessage Of(PartSummary part, PartSummary body) => new(part.ContentBegin, body.ContentBegin, body, part.End);
    }
}
