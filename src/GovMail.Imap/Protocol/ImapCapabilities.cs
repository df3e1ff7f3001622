namespace GovMail.Imap.Protocol;

/// <summary>What the server offers in CAPABILITY; which ones depends on the moment (before or after TLS, before or after login).</summary>
[Flags]
public enum ImapCapabilities : long
{
    None = 0,
    Imap4Rev1 = 1L << 0,
    StartTls = 1L << 1,
    /// <summary>LOGIN (and AUTHENTICATE) refused until STARTTLS (RFC 3501 section 6.2.3).</summary>
    LoginDisabled = 1L << 2,
    AuthPlain = 1L << 3,
    SaslIr = 1L << 4,
    LiteralPlus = 1L << 5,
    Id = 1L << 6,
    Enable = 1L << 7,
    Idle = 1L << 8,
    Namespace = 1L << 9,
    Unselect = 1L << 10,
    UidPlus = 1L << 11,
    Move = 1L << 12,
    SpecialUse = 1L << 13,
    ListExtended = 1L << 14,
    ListStatus = 1L << 15,
    Quota = 1L << 16,
    QuotaResStorage = 1L << 17,
    /// <summary>APPENDLIMIT=n with the largest message APPEND takes (RFC 7889).</summary>
    AppendLimit = 1L << 18,
    Utf8Accept = 1L << 19,
    Children = 1L << 20,
    StatusSize = 1L << 21,
    /// <summary>RFC 7162: MODSEQ per message, CHANGEDSINCE, UNCHANGEDSINCE.</summary>
    CondStore = 1L << 22,
    /// <summary>RFC 7162: SELECT (QRESYNC …) and VANISHED.</summary>
    QResync = 1L << 23,
    /// <summary>RFC 4731: SEARCH RETURN (MIN MAX ALL COUNT).</summary>
    ESearch = 1L << 24,
    /// <summary>RFC 5256: SORT.</summary>
    Sort = 1L << 25,
    /// <summary>RFC 5957: SORT by DISPLAYFROM and DISPLAYTO.</summary>
    SortDisplay = 1L << 26,
    ThreadOrderedSubject = 1L << 27,
    ThreadReferences = 1L << 28,
    /// <summary>RFC 3516: FETCH BINARY[part], BINARY.SIZE, literal8.</summary>
    Binary = 1L << 29,
    /// <summary>RFC 7888: non-synchronizing literals up to 4096 octets (offered instead of LITERAL+, never with it).</summary>
    LiteralMinus = 1L << 30,
    /// <summary>RFC 6154: CREATE name (USE (\Archive)).</summary>
    CreateSpecialUse = 1L << 31,
    /// <summary>RFC 5182: SEARCH RETURN (SAVE) and <c>$</c>.</summary>
    SearchRes = 1L << 32,
    /// <summary>RFC 9051: the session may switch to IMAP4rev2 with ENABLE IMAP4rev2.</summary>
    Imap4Rev2 = 1L << 33,
    /// <summary>RFC 8437: UNAUTHENTICATE back to the not-authenticated state, on the same connection.</summary>
    Unauthenticate = 1L << 34,
}

/// <summary>The names of <see cref="ImapCapabilities"/> as CAPABILITY lists them, in that order.</summary>
internal static class ImapCapabilityNames
{
    public static readonly (ImapCapabilities Capability, byte[] Name)[] All =
    [
        (ImapCapabilities.Imap4Rev1, "IMAP4rev1"u8.ToArray()),
        (ImapCapabilities.Imap4Rev2, "IMAP4rev2"u8.ToArray()),
        (ImapCapabilities.StartTls, "STARTTLS"u8.ToArray()),
        (ImapCapabilities.LoginDisabled, "LOGINDISABLED"u8.ToArray()),
        (ImapCapabilities.AuthPlain, "AUTH=PLAIN"u8.ToArray()),
        (ImapCapabilities.Unauthenticate, "UNAUTHENTICATE"u8.ToArray()),
        (ImapCapabilities.SaslIr, "SASL-IR"u8.ToArray()),
        (ImapCapabilities.LiteralPlus, "LITERAL+"u8.ToArray()),
        (ImapCapabilities.LiteralMinus, "LITERAL-"u8.ToArray()),
        (ImapCapabilities.Id, "ID"u8.ToArray()),
        (ImapCapabilities.Enable, "ENABLE"u8.ToArray()),
        (ImapCapabilities.Idle, "IDLE"u8.ToArray()),
        (ImapCapabilities.Namespace, "NAMESPACE"u8.ToArray()),
        (ImapCapabilities.Unselect, "UNSELECT"u8.ToArray()),
        (ImapCapabilities.UidPlus, "UIDPLUS"u8.ToArray()),
        (ImapCapabilities.Move, "MOVE"u8.ToArray()),
        (ImapCapabilities.Children, "CHILDREN"u8.ToArray()),
        (ImapCapabilities.SpecialUse, "SPECIAL-USE"u8.ToArray()),
        (ImapCapabilities.CreateSpecialUse, "CREATE-SPECIAL-USE"u8.ToArray()),
        (ImapCapabilities.ListExtended, "LIST-EXTENDED"u8.ToArray()),
        (ImapCapabilities.ListStatus, "LIST-STATUS"u8.ToArray()),
        (ImapCapabilities.StatusSize, "STATUS=SIZE"u8.ToArray()),
        (ImapCapabilities.CondStore, "CONDSTORE"u8.ToArray()),
        (ImapCapabilities.QResync, "QRESYNC"u8.ToArray()),
        (ImapCapabilities.Binary, "BINARY"u8.ToArray()),
        (ImapCapabilities.ESearch, "ESEARCH"u8.ToArray()),
        (ImapCapabilities.SearchRes, "SEARCHRES"u8.ToArray()),
        (ImapCapabilities.Sort, "SORT"u8.ToArray()),
        (ImapCapabilities.SortDisplay, "SORT=DISPLAY"u8.ToArray()),
        (ImapCapabilities.ThreadOrderedSubject, "THREAD=ORDEREDSUBJECT"u8.ToArray()),
        (ImapCapabilities.ThreadReferences, "THREAD=REFERENCES"u8.ToArray()),
        (ImapCapabilities.Quota, "QUOTA"u8.ToArray()),
        (ImapCapabilities.QuotaResStorage, "QUOTA=RES-STORAGE"u8.ToArray()),
        (ImapCapabilities.Utf8Accept, "UTF8=ACCEPT"u8.ToArray()),
        (ImapCapabilities.AppendLimit, "APPENDLIMIT="u8.ToArray()),
    ];
}
