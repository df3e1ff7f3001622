using GovMail.Imap.Protocol;

namespace GovMail.Imap.Commands;

/// <summary>The commands the server knows.</summary>
public enum ImapCommandKind
{
    Capability,
    Noop,
    Logout,
    StartTls,
    Authenticate,
    Login,
    Id,
    Enable,
    Namespace,
    Select,
    Examine,
    Create,
    Delete,
    Rename,
    Subscribe,
    Unsubscribe,
    List,
    Lsub,
    Status,
    Append,
    Check,
    Close,
    Unselect,
    Unauthenticate,
    Expunge,
    Search,
    Fetch,
    Store,
    Copy,
    Move,
    Idle,
    GetQuota,
    GetQuotaRoot,
    SetQuota,
    Sort,
    Thread,
}

/// <summary>A parsed command: its tag, what it is and, for FETCH, STORE, SEARCH, COPY, MOVE and EXPUNGE, whether it came as UID ….</summary>
public abstract record ImapCommand(string Tag, ImapCommandKind Kind)
{
    public bool Uid { get; init; }
}

/// <summary>A command without arguments (CAPABILITY, NOOP, LOGOUT, STARTTLS, NAMESPACE, CHECK, CLOSE, UNSELECT, UNAUTHENTICATE, EXPUNGE, IDLE).</summary>
public sealed record SimpleCommand(string Tag, ImapCommandKind Kind) : ImapCommand(Tag, Kind);

/// <summary>LOGIN user password.</summary>
public sealed record LoginCommand(string Tag, string User, string Password) : ImapCommand(Tag, ImapCommandKind.Login)
{
    // The password must never reach a log through a record's generated ToString.
    public override string ToString() => $"{Tag} LOGIN {User} ***";
}

/// <summary>AUTHENTICATE mechanism [initial-response] (SASL-IR); the response is base64 or <c>=</c> for an empty one.</summary>
public sealed record AuthenticateCommand(string Tag, string Mechanism, string? InitialResponse) : ImapCommand(Tag, ImapCommandKind.Authenticate)
{
    public override string ToString() => $"{Tag} AUTHENTICATE {Mechanism}";
}

/// <summary>ID (field value …) or ID NIL (RFC 2971).</summary>
public sealed record IdCommand(string Tag, IReadOnlyList<(string Name, string? Value)> Fields) : ImapCommand(Tag, ImapCommandKind.Id);

/// <summary>ENABLE capability … (RFC 5161).</summary>
public sealed record EnableCommand(string Tag, IReadOnlyList<string> Capabilities) : ImapCommand(Tag, ImapCommandKind.Enable);

/// <summary>
/// A command on one mailbox: SELECT, EXAMINE, CREATE, DELETE, SUBSCRIBE, UNSUBSCRIBE, GETQUOTAROOT. The name is already
/// decoded to its stored form.
/// </summary>
public sealed record MailboxCommand(string Tag, ImapCommandKind Kind, string Mailbox) : ImapCommand(Tag, Kind)
{
    /// <summary>SELECT or EXAMINE with the (CONDSTORE) parameter (RFC 7162 section 3.1.8).</summary>
    public bool CondStore { get; init; }

    /// <summary>SELECT or EXAMINE with the (QRESYNC (…)) parameter: what the client knew when it last had the mailbox open.</summary>
    public QResyncParameters? QResync { get; init; }

    /// <summary>CREATE name (USE (…)): the special-use attributes asked for, as sent (<c>\Archive</c>); null without USE (RFC 6154).</summary>
    public IReadOnlyList<string>? Uses { get; init; }
}

/// <summary>
/// <c>QRESYNC (uidvalidity modseq [known-uids [(known-sequence-set known-uid-set)]])</c> (RFC 7162 section 3.2.5). The
/// sequence match data is parsed but not needed: the server keeps every expunge, so it never has to guess.
/// </summary>
public sealed record QResyncParameters(uint UidValidity, long ModSeq, SequenceSet? KnownUids);

/// <summary>RENAME from to.</summary>
public sealed record RenameCommand(string Tag, string From, string To) : ImapCommand(Tag, ImapCommandKind.Rename);

/// <summary>STATUS mailbox (items).</summary>
public sealed record StatusCommand(string Tag, string Mailbox, StatusItems Items) : ImapCommand(Tag, ImapCommandKind.Status);

/// <summary>GETQUOTA root and SETQUOTA root (…), whose limits the server does not let a user change.</summary>
public sealed record QuotaCommand(string Tag, ImapCommandKind Kind, string Root) : ImapCommand(Tag, Kind);

/// <summary>COPY or MOVE set mailbox.</summary>
public sealed record CopyCommand(string Tag, ImapCommandKind Kind, SequenceSet Set, string Mailbox) : ImapCommand(Tag, Kind);

/// <summary>UID EXPUNGE set (UIDPLUS); a plain EXPUNGE is a <see cref="SimpleCommand"/>.</summary>
public sealed record UidExpungeCommand(string Tag, SequenceSet Set) : ImapCommand(Tag, ImapCommandKind.Expunge);
