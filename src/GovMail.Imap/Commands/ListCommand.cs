using GovMail.Imap.Protocol;

namespace GovMail.Imap.Commands;

/// <summary>
/// LIST or LSUB, with the LIST-EXTENDED selection options (<c>LIST (SUBSCRIBED) "" "*"</c>) and return options
/// (<c>RETURN (SPECIAL-USE STATUS (MESSAGES UNSEEN))</c>, RFC 5258, 6154, 5819). Patterns are already decoded to stored
/// names, wildcards kept.
/// </summary>
public sealed record ListCommand(string Tag, ImapCommandKind Kind, string Reference, IReadOnlyList<string> Patterns) : ImapCommand(Tag, Kind)
{
    public ListSelection Selection { get; init; }
    public ListReturn Return { get; init; }

    /// <summary>What RETURN (STATUS (…)) asks for, if anything.</summary>
    public StatusItems StatusItems { get; init; }

    /// <summary>An extended LIST (selection or return options) answers only in the LIST-EXTENDED way.</summary>
    public bool Extended { get; init; }
}

[Flags]
public enum ListSelection
{
    None = 0,
    Subscribed = 1,
    SpecialUse = 2,
    RecursiveMatch = 4,
}

[Flags]
public enum ListReturn
{
    None = 0,
    Subscribed = 1,
    Children = 2,
    SpecialUse = 4,
    Status = 8,
}
