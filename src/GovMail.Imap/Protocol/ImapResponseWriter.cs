using System.Buffers;
using System.Buffers.Text;
using System.Text;
using GovMail.Core.Mail;

namespace GovMail.Imap.Protocol;

/// <summary>
/// Turns typed IMAP responses into bytes: status responses with their codes, the untagged data responses, and the
/// primitives (atoms, numbers, strings, lists) that FETCH is built from. Strings become quoted strings when they can and
/// literals when they must; without UTF8=ACCEPT no 8-bit octet is sent outside a literal. Free text never carries a
/// line break, so a response can never inject another.
/// </summary>
public readonly struct ImapResponseWriter(IBufferWriter<byte> output, bool utf8, long appendLimit = 0)
{
    public IBufferWriter<byte> Output => output;
    public bool Utf8 => utf8;

    // Status responses

    /// <summary><c>tag OK [CODE] text</c>, or <c>* …</c> when <paramref name="tag"/> is null.</summary>
    public void Status(string? tag, ImapStatus status, ImapResponseCode code, string text, ImapCapabilities capabilities = ImapCapabilities.None)
    {
        if (tag is null) Raw("* "u8);
        else
        {
            Ascii(tag);
            Space();
        }
        Raw(status switch
        {
            ImapStatus.Ok => "OK"u8,
            ImapStatus.No => "NO"u8,
            ImapStatus.Bad => "BAD"u8,
            _ => "BYE"u8,
        });
        Space();
        if (code.Kind != ImapResponseCodeKind.None)
        {
            Raw("["u8);
            Code(code, capabilities);
            Raw("] "u8);
        }
        Text(text);
        EndLine();
    }

    /// <summary><c>+ text</c>: go ahead (a literal, an AUTHENTICATE step, IDLE).</summary>
    public void Continuation(string text)
    {
        Raw("+ "u8);
        Text(text);
        EndLine();
    }

    private void Code(ImapResponseCode code, ImapCapabilities capabilities)
    {
        switch (code.Kind)
        {
            case ImapResponseCodeKind.Alert: Raw("ALERT"u8); break;
            case ImapResponseCodeKind.Capability: Raw("CAPABILITY"u8); CapabilityList(capabilities); break;
            case ImapResponseCodeKind.ReadOnly: Raw("READ-ONLY"u8); break;
            case ImapResponseCodeKind.ReadWrite: Raw("READ-WRITE"u8); break;
            case ImapResponseCodeKind.TryCreate: Raw("TRYCREATE"u8); break;
            case ImapResponseCodeKind.UidValidity: Raw("UIDVALIDITY "u8); Number(code.Number); break;
            case ImapResponseCodeKind.UidNext: Raw("UIDNEXT "u8); Number(code.Number); break;
            case ImapResponseCodeKind.Unseen: Raw("UNSEEN "u8); Number(code.Number); break;
            case ImapResponseCodeKind.HighestModSeq: Raw("HIGHESTMODSEQ "u8); Number(code.Number); break;
            case ImapResponseCodeKind.PermanentFlags:
                Raw(code.Number != 0 ? "PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)"u8 : "PERMANENTFLAGS ()"u8);
                break;
            case ImapResponseCodeKind.AppendUid:
                Raw("APPENDUID "u8);
                Number(code.Number);
                Space();
                SequenceSet.Write(output, code.SourceUids!);
                break;
            case ImapResponseCodeKind.CopyUid:
                Raw("COPYUID "u8);
                Number(code.Number);
                Space();
                SequenceSet.Write(output, code.SourceUids!);
                Space();
                SequenceSet.Write(output, code.TargetUids!);
                break;
            case ImapResponseCodeKind.Closed: Raw("CLOSED"u8); break;
            case ImapResponseCodeKind.AuthenticationFailed: Raw("AUTHENTICATIONFAILED"u8); break;
            case ImapResponseCodeKind.AuthorizationFailed: Raw("AUTHORIZATIONFAILED"u8); break;
            case ImapResponseCodeKind.PrivacyRequired: Raw("PRIVACYREQUIRED"u8); break;
            case ImapResponseCodeKind.ContactAdmin: Raw("CONTACTADMIN"u8); break;
            case ImapResponseCodeKind.NonExistent: Raw("NONEXISTENT"u8); break;
            case ImapResponseCodeKind.AlreadyExists: Raw("ALREADYEXISTS"u8); break;
            case ImapResponseCodeKind.UseAttr: Raw("USEATTR"u8); break;
            case ImapResponseCodeKind.HasChildren: Raw("HASCHILDREN"u8); break;
            case ImapResponseCodeKind.Cannot: Raw("CANNOT"u8); break;
            case ImapResponseCodeKind.OverQuota: Raw("OVERQUOTA"u8); break;
            case ImapResponseCodeKind.TooBig: Raw("TOOBIG"u8); break;
            case ImapResponseCodeKind.Limit: Raw("LIMIT"u8); break;
            case ImapResponseCodeKind.Parse: Raw("PARSE"u8); break;
            case ImapResponseCodeKind.ClientBug: Raw("CLIENTBUG"u8); break;
            case ImapResponseCodeKind.ServerBug: Raw("SERVERBUG"u8); break;
            case ImapResponseCodeKind.NoPerm: Raw("NOPERM"u8); break;
            case ImapResponseCodeKind.Unavailable: Raw("UNAVAILABLE"u8); break;
            case ImapResponseCodeKind.BadCharset: Raw("BADCHARSET (UTF-8 US-ASCII)"u8); break;
            case ImapResponseCodeKind.ExpungeIssued: Raw("EXPUNGEISSUED"u8); break;
            case ImapResponseCodeKind.UnknownCte: Raw("UNKNOWN-CTE"u8); break;
            case ImapResponseCodeKind.Modified:
                Raw("MODIFIED "u8);
                SequenceSet.Write(output, code.SourceUids!);
                break;
        }
    }

    // Untagged data responses

    /// <summary><c>* CAPABILITY …</c></summary>
    public void Capability(ImapCapabilities capabilities)
    {
        Raw("* CAPABILITY"u8);
        CapabilityList(capabilities);
        EndLine();
    }

    private void CapabilityList(ImapCapabilities capabilities)
    {
        foreach (var (capability, name) in ImapCapabilityNames.All)
        {
            if ((capabilities & capability) == 0) continue;
            Space();
            Raw(name);
            if (capability == ImapCapabilities.AppendLimit) Number(appendLimit);
        }
    }

    public void Exists(int count) => CountResponse(count, "EXISTS"u8);
    public void Recent(int count) => CountResponse(count, "RECENT"u8);
    public void Expunge(int sequence) => CountResponse(sequence, "EXPUNGE"u8);

    private void CountResponse(long n, ReadOnlySpan<byte> name)
    {
        Raw("* "u8);
        Number(n);
        Space();
        Raw(name);
        EndLine();
    }

    /// <summary><c>* FLAGS (…)</c>: the system flags and the keywords in use.</summary>
    public void FlagsResponse(IReadOnlyList<string> keywords)
    {
        Raw("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft"u8);
        foreach (var keyword in keywords)
        {
            Space();
            Ascii(keyword);
        }
        Raw(")"u8);
        EndLine();
    }

    /// <summary>
    /// <c>* LIST (attributes) "/" name</c> (or LSUB), with <c>("CHILDINFO" ("SUBSCRIBED"))</c> when a RECURSIVEMATCH
    /// found subscribed mailboxes below it (RFC 5258 section 3.5, RFC 9051 section 6.3.9).
    /// </summary>
    public void List(bool lsub, MailboxAttributes attributes, string name, bool childInfoSubscribed = false)
    {
        Raw(lsub ? "* LSUB ("u8 : "* LIST ("u8);
        MailboxAttributeList(attributes);
        Raw(") \"/\" "u8);
        Mailbox(name);
        if (childInfoSubscribed) Raw(" (\"CHILDINFO\" (\"SUBSCRIBED\"))"u8);
        EndLine();
    }

    private void MailboxAttributeList(MailboxAttributes attributes)
    {
        var first = true;
        foreach (var (attribute, text) in MailboxAttributeNames.All)
        {
            if ((attributes & attribute) == 0) continue;
            if (!first) Space();
            Raw(text);
            first = false;
        }
    }

    /// <summary><c>* STATUS name (MESSAGES n …)</c> with the items asked for.</summary>
    public void StatusResponse(string name, StatusItems items, GovMail.Storage.Mail.MailboxStatus status)
    {
        Raw("* STATUS "u8);
        Mailbox(name);
        Raw(" ("u8);
        var first = true;
        static void Item(ImapResponseWriter w, ReadOnlySpan<byte> label, long value, ref bool first)
        {
            if (!first) w.Space();
            w.Raw(label);
            w.Space();
            w.Number(value);
            first = false;
        }
        if ((items & StatusItems.Messages) != 0) Item(this, "MESSAGES"u8, status.Messages, ref first);
        if ((items & StatusItems.Recent) != 0) Item(this, "RECENT"u8, 0, ref first);
        if ((items & StatusItems.UidNext) != 0) Item(this, "UIDNEXT"u8, status.UidNext, ref first);
        if ((items & StatusItems.UidValidity) != 0) Item(this, "UIDVALIDITY"u8, status.UidValidity, ref first);
        if ((items & StatusItems.Unseen) != 0) Item(this, "UNSEEN"u8, status.Unseen, ref first);
        if ((items & StatusItems.Deleted) != 0) Item(this, "DELETED"u8, status.Deleted, ref first);
        if ((items & StatusItems.Size) != 0) Item(this, "SIZE"u8, status.Size, ref first);
        if ((items & StatusItems.HighestModSeq) != 0) Item(this, "HIGHESTMODSEQ"u8, status.HighestModSeq, ref first);
        Raw(")"u8);
        EndLine();
    }

    /// <summary><c>* SORT n n n</c>: numbers in the order sorted (RFC 5256).</summary>
    public void Sort(IReadOnlyList<uint> numbers)
    {
        Raw("* SORT"u8);
        foreach (var n in numbers)
        {
            Space();
            Number(n);
        }
        EndLine();
    }

    /// <summary><c>* SEARCH n n n</c>, with <c>(MODSEQ m)</c> at the end when the search had a MODSEQ key (RFC 7162 section 3.1.5).</summary>
    public void Search(IReadOnlyList<uint> numbers, long highestModSeq = 0)
    {
        Raw("* SEARCH"u8);
        foreach (var n in numbers)
        {
            Space();
            Number(n);
        }
        if (highestModSeq > 0 && numbers.Count > 0)
        {
            Raw(" (MODSEQ "u8);
            Number(highestModSeq);
            Raw(")"u8);
        }
        EndLine();
    }

    /// <summary>
    /// <c>* ESEARCH (TAG "t") [UID] MIN n MAX n COUNT n ALL set [MODSEQ m]</c> (RFC 4731): MIN, MAX and ALL only when
    /// something matched; <paramref name="ascending"/> are the numbers found, in order.
    /// </summary>
    public void ESearch(string tag, bool uid, GovMail.Imap.Commands.SearchReturn returns, IReadOnlyList<uint> ascending, long highestModSeq = 0)
    {
        Raw("* ESEARCH (TAG "u8);
        String(tag);
        Raw(")"u8);
        if (uid) Raw(" UID"u8);
        var any = ascending.Count > 0;
        if (any && (returns & GovMail.Imap.Commands.SearchReturn.Min) != 0)
        {
            Raw(" MIN "u8);
            Number(ascending[0]);
        }
        if (any && (returns & GovMail.Imap.Commands.SearchReturn.Max) != 0)
        {
            Raw(" MAX "u8);
            Number(ascending[^1]);
        }
        if ((returns & GovMail.Imap.Commands.SearchReturn.Count) != 0)
        {
            Raw(" COUNT "u8);
            Number(ascending.Count);
        }
        if (any && (returns & GovMail.Imap.Commands.SearchReturn.All) != 0)
        {
            Raw(" ALL "u8);
            SequenceSet.Write(output, ascending);
        }
        if (any && highestModSeq > 0)
        {
            Raw(" MODSEQ "u8);
            Number(highestModSeq);
        }
        EndLine();
    }

    /// <summary><c>* ENABLED …</c> with what the command turned on.</summary>
    public void Enabled(IReadOnlyList<string> capabilities)
    {
        Raw("* ENABLED"u8);
        foreach (var capability in capabilities)
        {
            Space();
            Ascii(capability);
        }
        EndLine();
    }

    /// <summary><c>* VANISHED [(EARLIER)] uid-set</c> (RFC 7162 section 3.2.10); nothing when the set is empty.</summary>
    public void Vanished(IReadOnlyList<uint> ascendingUids, bool earlier)
    {
        if (ascendingUids.Count == 0) return;
        Raw(earlier ? "* VANISHED (EARLIER) "u8 : "* VANISHED "u8);
        SequenceSet.Write(output, ascendingUids);
        EndLine();
    }

    /// <summary><c>MODSEQ (n)</c>, a FETCH item.</summary>
    public void ModSeq(long modSeq)
    {
        Raw("MODSEQ ("u8);
        Number(modSeq);
        Raw(")"u8);
    }

    /// <summary><c>* ID ("name" "GovMail" …)</c></summary>
    public void Id(IReadOnlyList<(string Name, string Value)> fields)
    {
        Raw("* ID ("u8);
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) Space();
            String(fields[i].Name);
            Space();
            String(fields[i].Value);
        }
        Raw(")"u8);
        EndLine();
    }

    /// <summary>One personal namespace with no prefix and <c>/</c> between levels; no other users', no shared.</summary>
    public void Namespace()
    {
        Raw("* NAMESPACE ((\"\" \"/\")) NIL NIL"u8);
        EndLine();
    }

    /// <summary><c>* QUOTAROOT mailbox ""</c>: every mailbox of an account shares the account's one quota root.</summary>
    public void QuotaRoot(string mailbox)
    {
        Raw("* QUOTAROOT "u8);
        Mailbox(mailbox);
        Raw(" \"\""u8);
        EndLine();
    }

    /// <summary><c>* QUOTA "" (STORAGE used limit)</c> in units of 1024 octets (RFC 9208).</summary>
    public void Quota(long usedBytes, long limitBytes)
    {
        Raw("* QUOTA \"\" (STORAGE "u8);
        Number((usedBytes + 1023) / 1024);
        Space();
        Number(limitBytes / 1024);
        Raw(")"u8);
        EndLine();
    }

    // Primitives

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        var span = output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        output.Advance(bytes.Length);
    }

    public void Space() => Raw(" "u8);
    public void Nil() => Raw("NIL"u8);
    public void EndLine() => Raw("\r\n"u8);

    public void Number(long n)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(n, span, out var written);
        output.Advance(written);
    }

    /// <summary>Text known to be ASCII (an atom, a tag, a keyword).</summary>
    public void Ascii(string text)
    {
        var span = output.GetSpan(text.Length);
        var written = Encoding.ASCII.GetBytes(text, span);
        output.Advance(written);
    }

    /// <summary>Free text after a status: UTF-8 (RFC 9051 resp-text), control characters made spaces.</summary>
    public void Text(string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var written = Encoding.UTF8.GetBytes(text, span);
        foreach (ref var b in span[..written])
            if (b < 0x20 || b == 0x7F) b = (byte)' ';
        output.Advance(written);
    }

    /// <summary>A string or NIL: quoted when it can be, a literal when it holds line breaks (or 8-bit octets the client did not enable).</summary>
    public void String(string? value)
    {
        if (value is null)
        {
            Nil();
            return;
        }
        if (CanQuote(value)) Quoted(value);
        else Literal(value);
    }

    /// <summary>A mailbox name in the client's encoding (modified UTF-7, or UTF-8 after ENABLE UTF8=ACCEPT).</summary>
    public void Mailbox(string name) => String(MailboxName.ToWire(name, utf8));

    private bool CanQuote(string value)
    {
        if (value.Length > 1024) return false;
        foreach (var c in value)
        {
            if (c is '\r' or '\n' or '\0') return false;
            if (c >= 0x80 && !utf8) return false;
        }
        return true;
    }

    private void Quoted(string value)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length) * 2 + 2);
        var written = 0;
        span[written++] = (byte)'"';
        Span<byte> one = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.Value is '"' or '\\') span[written++] = (byte)'\\';
            var n = rune.EncodeToUtf8(one);
            one[..n].CopyTo(span[written..]);
            written += n;
        }
        span[written++] = (byte)'"';
        output.Advance(written);
    }

    private void Literal(string value)
    {
        var bytes = Encoding.UTF8.GetByteCount(value);
        LiteralHeader(bytes);
        var span = output.GetSpan(bytes);
        Encoding.UTF8.GetBytes(value, span);
        output.Advance(bytes);
    }

    /// <summary><c>{n}</c> CRLF: the octets that follow are sent as they are.</summary>
    public void LiteralHeader(long length, bool binary = false)
    {
        // literal8 (RFC 3516) for content that may hold NUL octets.
        Raw(binary ? "~{"u8 : "{"u8);
        Number(length);
        Raw("}\r\n"u8);
    }

    /// <summary>A flag list: <c>(\Seen \Flagged $Label1)</c>.</summary>
    public void FlagList(MessageFlags flags, string? keywords)
    {
        Raw("("u8);
        var first = true;
        static void Flag(ImapResponseWriter w, ReadOnlySpan<byte> name, ref bool first)
        {
            if (!first) w.Space();
            w.Raw(name);
            first = false;
        }
        if ((flags & MessageFlags.Answered) != 0) Flag(this, "\\Answered"u8, ref first);
        if ((flags & MessageFlags.Flagged) != 0) Flag(this, "\\Flagged"u8, ref first);
        if ((flags & MessageFlags.Deleted) != 0) Flag(this, "\\Deleted"u8, ref first);
        if ((flags & MessageFlags.Seen) != 0) Flag(this, "\\Seen"u8, ref first);
        if ((flags & MessageFlags.Draft) != 0) Flag(this, "\\Draft"u8, ref first);
        if (!string.IsNullOrEmpty(keywords))
        {
            if (!first) Space();
            Ascii(keywords);
        }
        Raw(")"u8);
    }
}

/// <summary>Attributes of a mailbox in LIST (RFC 3501, 3348 CHILDREN, 5258 LIST-EXTENDED, 6154 SPECIAL-USE).</summary>
[Flags]
public enum MailboxAttributes
{
    None = 0,
    NoSelect = 1 << 0,
    NonExistent = 1 << 1,
    HasChildren = 1 << 2,
    HasNoChildren = 1 << 3,
    Subscribed = 1 << 4,
    Archive = 1 << 5,
    Drafts = 1 << 6,
    Junk = 1 << 7,
    Sent = 1 << 8,
    Trash = 1 << 9,
}

internal static class MailboxAttributeNames
{
    public static readonly (MailboxAttributes Attribute, byte[] Name)[] All =
    [
        (MailboxAttributes.NoSelect, "\\Noselect"u8.ToArray()),
        (MailboxAttributes.NonExistent, "\\NonExistent"u8.ToArray()),
        (MailboxAttributes.HasChildren, "\\HasChildren"u8.ToArray()),
        (MailboxAttributes.HasNoChildren, "\\HasNoChildren"u8.ToArray()),
        (MailboxAttributes.Subscribed, "\\Subscribed"u8.ToArray()),
        (MailboxAttributes.Archive, "\\Archive"u8.ToArray()),
        (MailboxAttributes.Drafts, "\\Drafts"u8.ToArray()),
        (MailboxAttributes.Junk, "\\Junk"u8.ToArray()),
        (MailboxAttributes.Sent, "\\Sent"u8.ToArray()),
        (MailboxAttributes.Trash, "\\Trash"u8.ToArray()),
    ];
}

/// <summary>The items STATUS (and LIST RETURN (STATUS …)) can ask for.</summary>
[Flags]
public enum StatusItems
{
    None = 0,
    Messages = 1 << 0,
    Recent = 1 << 1,
    UidNext = 1 << 2,
    UidValidity = 1 << 3,
    Unseen = 1 << 4,
    Deleted = 1 << 5,
    Size = 1 << 6,
    HighestModSeq = 1 << 7,
}
