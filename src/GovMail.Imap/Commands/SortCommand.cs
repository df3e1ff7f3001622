namespace GovMail.Imap.Commands;

/// <summary>SORT (criteria) charset keys (RFC 5256); the UID form answers with UIDs.</summary>
public sealed record SortCommand(string Tag, IReadOnlyList<SortKey> Criteria, SearchKey Search) : ImapCommand(Tag, ImapCommandKind.Sort);

/// <summary>THREAD algorithm charset keys (RFC 5256).</summary>
public sealed record ThreadCommand(string Tag, ThreadAlgorithm Algorithm, SearchKey Search) : ImapCommand(Tag, ImapCommandKind.Thread);

/// <summary>One sort criterion, optionally REVERSE.</summary>
public readonly record struct SortKey(SortCriterion Criterion, bool Reverse);

/// <summary>The sort criteria of RFC 5256 section 3, and DISPLAYFROM / DISPLAYTO of RFC 5957.</summary>
public enum SortCriterion
{
    /// <summary>INTERNALDATE.</summary>
    Arrival,
    /// <summary>The mailbox (local part) of the first Cc address.</summary>
    Cc,
    /// <summary>The sent date (Date header), or INTERNALDATE when there is none.</summary>
    Date,
    From,
    Size,
    /// <summary>The base subject (RFC 5256 section 2.1).</summary>
    Subject,
    To,
    /// <summary>The display name of the first From address, or its address when it has none (RFC 5957).</summary>
    DisplayFrom,
    DisplayTo,
}

public enum ThreadAlgorithm
{
    OrderedSubject,
    References,
}
