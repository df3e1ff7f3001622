namespace GovMail.Imap.Protocol;

/// <summary>The response codes the server sends in brackets after OK, NO, BAD or BYE (RFC 3501, 4315, 5530, 7162, 9208).</summary>
public enum ImapResponseCodeKind
{
    None,
    Alert,
    Capability,
    ReadOnly,
    ReadWrite,
    TryCreate,
    UidValidity,
    UidNext,
    Unseen,
    PermanentFlags,
    HighestModSeq,
    AppendUid,
    CopyUid,
    Closed,
    AuthenticationFailed,
    /// <summary>RFC 5530: the credentials are right but the identity may not act as the one asked for.</summary>
    AuthorizationFailed,
    PrivacyRequired,
    ContactAdmin,
    NonExistent,
    AlreadyExists,
    Cannot,
    OverQuota,
    TooBig,
    Limit,
    Parse,
    ClientBug,
    ServerBug,
    NoPerm,
    Unavailable,
    BadCharset,
    ExpungeIssued,
    /// <summary>MODIFIED set: the messages a STORE (UNCHANGEDSINCE …) left alone (RFC 7162).</summary>
    Modified,
    /// <summary>UNKNOWN-CTE: BINARY cannot undo a part's content-transfer-encoding (RFC 3516).</summary>
    UnknownCte,
    /// <summary>USEATTR: CREATE's special use cannot be given (RFC 6154 section 3).</summary>
    UseAttr,
    /// <summary>HASCHILDREN: DELETE refused because the mailbox has children (RFC 9051 section 7.1).</summary>
    HasChildren,
}

/// <summary>
/// One response code with its arguments: a number (UIDVALIDITY, UIDNEXT…), the UIDVALIDITY and UIDs of APPENDUID and
/// COPYUID, or whether PERMANENTFLAGS lists the flags (a read-write mailbox) or none.
/// </summary>
public readonly record struct ImapResponseCode(
    ImapResponseCodeKind Kind,
    long Number = 0,
    IReadOnlyList<uint>? SourceUids = null,
    IReadOnlyList<uint>? TargetUids = null)
{
    public static readonly ImapResponseCode None = default;

    public static implicit operator ImapResponseCode(ImapResponseCodeKind kind) => new(kind);

    public static ImapResponseCode UidValidity(uint value) => new(ImapResponseCodeKind.UidValidity, value);
    public static ImapResponseCode UidNext(uint value) => new(ImapResponseCodeKind.UidNext, value);
    public static ImapResponseCode Unseen(int sequence) => new(ImapResponseCodeKind.Unseen, sequence);
    public static ImapResponseCode HighestModSeq(long value) => new(ImapResponseCodeKind.HighestModSeq, value);
    public static ImapResponseCode PermanentFlags(bool writable) => new(ImapResponseCodeKind.PermanentFlags, writable ? 1 : 0);
    public static ImapResponseCode AppendUid(uint validity, uint uid) => new(ImapResponseCodeKind.AppendUid, validity, [uid]);
    public static ImapResponseCode Modified(IReadOnlyList<uint> numbers) => new(ImapResponseCodeKind.Modified, 0, numbers);
    public static ImapResponseCode CopyUid(uint validity, IReadOnlyList<uint> source, IReadOnlyList<uint> target) =>
        new(ImapResponseCodeKind.CopyUid, validity, source, target);
}

/// <summary>The status of a status response.</summary>
public enum ImapStatus
{
    Ok,
    No,
    Bad,
    Bye,
}
