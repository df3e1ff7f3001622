using System.Buffers;
using System.Globalization;
using System.Text;
using GovMail.Core.Mail;
using GovMail.Imap.Commands;
using SortKey = GovMail.Imap.Commands.SortKey;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Protocol;

/// <summary>
/// Turns one complete command (as <see cref="ImapCommandFramer"/> delimits it: lines, literals, final CRLF) into a typed
/// <see cref="ImapCommand"/>, following the grammar of RFC 3501 / RFC 9051 and the extensions the server offers.
/// </summary>
public static class ImapCommandParser
{
    /// <summary>How deep SEARCH keys may nest (NOT, OR, parentheses).</summary>
    public const int MaxSearchDepth = 32;

    public static ImapParseResult Parse(ReadOnlySequence<byte> command, bool utf8)
    {
        if (command.IsSingleSegment) return Parse(command.FirstSpan, utf8);
        var rented = ArrayPool<byte>.Shared.Rent((int)command.Length);
        try
        {
            command.CopyTo(rented);
            return Parse(rented.AsSpan(0, (int)command.Length), utf8);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static ImapParseResult Parse(ReadOnlySpan<byte> command, bool utf8)
    {
        var reader = new ImapReader(command);
        string? tag = null;
        try
        {
            tag = Encoding.ASCII.GetString(reader.Tag());
            reader.Space();
            var name = reader.Atom();
            return new ImapParseResult(ParseCommand(ref reader, tag, name, utf8), tag, null);
        }
        catch (ImapSyntaxException e)
        {
            return new ImapParseResult(null, tag, e.Message);
        }
        catch (UnsupportedException e)
        {
            return new ImapParseResult(null, tag, e.Message, e.Status, e.Code);
        }
    }

    /// <summary>The tag of a command that cannot be parsed whole (too long, an oversized literal), or null.</summary>
    public static string? TryReadTag(ReadOnlySpan<byte> start)
    {
        var reader = new ImapReader(start);
        try
        {
            var tag = reader.Tag();
            return reader.Peek == (byte)' ' ? Encoding.ASCII.GetString(tag) : null;
        }
        catch (ImapSyntaxException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether the literal announced at <paramref name="markerStart"/> (the last thing in <paramref name="prefix"/>) is
    /// the message of an APPEND, which is streamed to a blob instead of being held in memory with the command.
    /// </summary>
    public static bool IsAppendMessageLiteral(ReadOnlySpan<byte> prefix, int markerStart)
    {
        var reader = new ImapReader(prefix);
        try
        {
            reader.Tag();
            reader.Space();
            if (!Ascii.EqualsIgnoreCase(reader.Atom(), "APPEND"u8)) return false;
            reader.Space();
            // The mailbox name itself is this literal.
            if (reader.Position >= markerStart) return false;
            reader.AString();
            return reader.Position < markerStart;
        }
        catch (ImapSyntaxException)
        {
            return false;
        }
    }

    /// <summary>Parses <c>tag APPEND mailbox [(flags)] ["date-time"] {size}</c>: everything before the message.</summary>
    public static ImapParseResult ParseAppend(ReadOnlySequence<byte> prefix, bool utf8)
    {
        var bytes = prefix.ToArray();
        var reader = new ImapReader(bytes);
        string? tag = null;
        try
        {
            tag = Encoding.ASCII.GetString(reader.Tag());
            reader.Space();
            if (!Ascii.EqualsIgnoreCase(reader.Atom(), "APPEND"u8)) throw new ImapSyntaxException("Not an APPEND.");
            reader.Space();
            var mailbox = Mailbox(ref reader, utf8);
            reader.Space();
            var flags = MessageFlags.None;
            IReadOnlyList<string> keywords = [];
            if (reader.Peek == (byte)'(')
            {
                (flags, keywords) = FlagList(ref reader);
                reader.Space();
            }
            DateTimeOffset? date = null;
            if (reader.Peek == (byte)'"')
            {
                date = DateTimeArgument(ref reader);
                reader.Space();
            }
            if (reader.Peek is not ((byte)'{' or (byte)'~')) throw new ImapSyntaxException("APPEND needs the message as a literal.");
            reader.TryByte((byte)'~');
            reader.Expect((byte)'{', "Expected a literal.");
            var size = reader.Number64();
            var nonSync = reader.TryByte((byte)'+') || reader.TryByte((byte)'-');
            reader.Expect((byte)'}', "Bad literal marker.");
            reader.TryByte((byte)'\r');
            reader.Expect((byte)'\n', "A literal marker must end the line.");
            return new ImapParseResult(new AppendCommand(tag, mailbox, flags, keywords, date, size, nonSync), tag, null);
        }
        catch (ImapSyntaxException e)
        {
            return new ImapParseResult(null, tag, e.Message);
        }
    }

    private static ImapCommand ParseCommand(ref ImapReader reader, string tag, ReadOnlySpan<byte> name, bool utf8)
    {
        Span<char> upper = stackalloc char[16];
        if (name.Length > upper.Length) throw new UnsupportedException("Unknown command.");
        for (var i = 0; i < name.Length; i++) upper[i] = char.ToUpperInvariant((char)name[i]);
        ReadOnlySpan<char> verb = upper[..name.Length];
        switch (verb)
        {
            case "CAPABILITY": return Simple(ref reader, tag, ImapCommandKind.Capability);
            case "NOOP": return Simple(ref reader, tag, ImapCommandKind.Noop);
            case "LOGOUT": return Simple(ref reader, tag, ImapCommandKind.Logout);
            case "STARTTLS": return Simple(ref reader, tag, ImapCommandKind.StartTls);
            case "NAMESPACE": return Simple(ref reader, tag, ImapCommandKind.Namespace);
            case "CHECK": return Simple(ref reader, tag, ImapCommandKind.Check);
            case "CLOSE": return Simple(ref reader, tag, ImapCommandKind.Close);
            case "UNSELECT": return Simple(ref reader, tag, ImapCommandKind.Unselect);
            case "UNAUTHENTICATE": return Simple(ref reader, tag, ImapCommandKind.Unauthenticate);
            case "EXPUNGE": return Simple(ref reader, tag, ImapCommandKind.Expunge);
            case "IDLE": return Simple(ref reader, tag, ImapCommandKind.Idle);
            case "LOGIN":
            {
                reader.Space();
                var user = reader.AString();
                reader.Space();
                var password = reader.AString();
                reader.ExpectEnd();
                return new LoginCommand(tag, user, password);
            }
            case "AUTHENTICATE":
            {
                reader.Space();
                var mechanism = Encoding.ASCII.GetString(reader.Atom()).ToUpperInvariant();
                string? initial = null;
                if (reader.TrySpace()) initial = Encoding.ASCII.GetString(reader.Atom());
                reader.ExpectEnd();
                return new AuthenticateCommand(tag, mechanism, initial);
            }
            case "ID": return Id(ref reader, tag);
            case "ENABLE":
            {
                var capabilities = new List<string>();
                while (reader.TrySpace()) capabilities.Add(Encoding.ASCII.GetString(reader.Atom()).ToUpperInvariant());
                if (capabilities.Count == 0) throw new ImapSyntaxException("ENABLE needs at least one capability.");
                reader.ExpectEnd();
                return new EnableCommand(tag, capabilities);
            }
            case "SELECT": return Select(ref reader, tag, ImapCommandKind.Select, utf8);
            case "EXAMINE": return Select(ref reader, tag, ImapCommandKind.Examine, utf8);
            case "CREATE": return Create(ref reader, tag, utf8);
            case "DELETE": return OneMailbox(ref reader, tag, ImapCommandKind.Delete, utf8);
            case "SUBSCRIBE": return OneMailbox(ref reader, tag, ImapCommandKind.Subscribe, utf8);
            case "UNSUBSCRIBE": return OneMailbox(ref reader, tag, ImapCommandKind.Unsubscribe, utf8);
            case "GETQUOTAROOT": return OneMailbox(ref reader, tag, ImapCommandKind.GetQuotaRoot, utf8);
            case "GETQUOTA":
            {
                reader.Space();
                var root = reader.AString();
                reader.ExpectEnd();
                return new QuotaCommand(tag, ImapCommandKind.GetQuota, root);
            }
            case "SETQUOTA":
            {
                reader.Space();
                var root = reader.AString();
                // The limits themselves are the administrator's; the command is answered NO whatever it asks.
                return new QuotaCommand(tag, ImapCommandKind.SetQuota, root);
            }
            case "RENAME":
            {
                reader.Space();
                var from = Mailbox(ref reader, utf8);
                reader.Space();
                var to = Mailbox(ref reader, utf8);
                reader.ExpectEnd();
                return new RenameCommand(tag, from, to);
            }
            case "LIST": return List(ref reader, tag, ImapCommandKind.List, utf8);
            case "LSUB": return List(ref reader, tag, ImapCommandKind.Lsub, utf8);
            case "STATUS":
            {
                reader.Space();
                var mailbox = Mailbox(ref reader, utf8);
                reader.Space();
                var items = StatusItemList(ref reader);
                reader.ExpectEnd();
                return new StatusCommand(tag, mailbox, items);
            }
            case "APPEND": throw new ImapSyntaxException("APPEND needs the message as a literal.");
            case "FETCH": return Fetch(ref reader, tag, uid: false);
            case "STORE": return Store(ref reader, tag, uid: false);
            case "SEARCH": return Search(ref reader, tag, uid: false);
            case "SORT": return Sort(ref reader, tag, uid: false);
            case "THREAD": return Thread(ref reader, tag, uid: false);
            case "COPY": return Copy(ref reader, tag, ImapCommandKind.Copy, uid: false, utf8);
            case "MOVE": return Copy(ref reader, tag, ImapCommandKind.Move, uid: false, utf8);
            case "UID":
            {
                reader.Space();
                var sub = reader.Atom();
                if (Ascii.EqualsIgnoreCase(sub, "FETCH"u8)) return Fetch(ref reader, tag, uid: true);
                if (Ascii.EqualsIgnoreCase(sub, "STORE"u8)) return Store(ref reader, tag, uid: true);
                if (Ascii.EqualsIgnoreCase(sub, "SEARCH"u8)) return Search(ref reader, tag, uid: true);
                if (Ascii.EqualsIgnoreCase(sub, "SORT"u8)) return Sort(ref reader, tag, uid: true);
                if (Ascii.EqualsIgnoreCase(sub, "THREAD"u8)) return Thread(ref reader, tag, uid: true);
                if (Ascii.EqualsIgnoreCase(sub, "COPY"u8)) return Copy(ref reader, tag, ImapCommandKind.Copy, uid: true, utf8);
                if (Ascii.EqualsIgnoreCase(sub, "MOVE"u8)) return Copy(ref reader, tag, ImapCommandKind.Move, uid: true, utf8);
                if (Ascii.EqualsIgnoreCase(sub, "EXPUNGE"u8))
                {
                    reader.Space();
                    var set = reader.SequenceSet();
                    reader.ExpectEnd();
                    return new UidExpungeCommand(tag, set) { Uid = true };
                }
                throw new UnsupportedException("Unknown UID command.");
            }
            default:
                throw new UnsupportedException("Unknown command.");
        }
    }

    private static SimpleCommand Simple(ref ImapReader reader, string tag, ImapCommandKind kind)
    {
        reader.ExpectEnd();
        return new SimpleCommand(tag, kind);
    }

    private static MailboxCommand OneMailbox(ref ImapReader reader, string tag, ImapCommandKind kind, bool utf8)
    {
        reader.Space();
        var mailbox = Mailbox(ref reader, utf8);
        reader.ExpectEnd();
        return new MailboxCommand(tag, kind, mailbox);
    }

    /// <summary><c>CREATE mailbox [SP "(" "USE" SP "(" [use-attr *(SP use-attr)] ")" ")"]</c> (RFC 4466, RFC 6154).</summary>
    private static MailboxCommand Create(ref ImapReader reader, string tag, bool utf8)
    {
        reader.Space();
        var mailbox = Mailbox(ref reader, utf8);
        List<string>? uses = null;
        if (reader.TrySpace())
        {
            reader.Expect((byte)'(', "Expected a list of CREATE parameters.");
            var first = true;
            while (!reader.TryByte((byte)')'))
            {
                if (!first) reader.Space();
                first = false;
                if (!Ascii.EqualsIgnoreCase(reader.Atom(), "USE"u8)) throw new ImapSyntaxException("Unknown CREATE parameter.");
                if (uses is not null) throw new ImapSyntaxException("USE given twice.");
                reader.Space();
                reader.Expect((byte)'(', "Expected a list of special-use attributes.");
                uses = [];
                while (!reader.TryByte((byte)')'))
                {
                    if (uses.Count > 0) reader.Space();
                    reader.Expect((byte)'\\', "A special-use attribute starts with \\.");
                    uses.Add("\\" + Encoding.ASCII.GetString(reader.Atom()));
                    if (uses.Count > 16) throw new ImapSyntaxException("Too many special-use attributes.");
                }
            }
            if (first) throw new ImapSyntaxException("Empty list of CREATE parameters.");
        }
        reader.ExpectEnd();
        return new MailboxCommand(tag, ImapCommandKind.Create, mailbox) { Uses = uses };
    }

    private static MailboxCommand Select(ref ImapReader reader, string tag, ImapCommandKind kind, bool utf8)
    {
        reader.Space();
        var mailbox = Mailbox(ref reader, utf8);
        var condStore = false;
        QResyncParameters? qresync = null;
        if (reader.TrySpace())
        {
            reader.Expect((byte)'(', "Expected a list of SELECT parameters.");
            var first = true;
            while (!reader.TryByte((byte)')'))
            {
                if (!first) reader.Space();
                first = false;
                var name = reader.Atom();
                if (Ascii.EqualsIgnoreCase(name, "CONDSTORE"u8)) condStore = true;
                else if (Ascii.EqualsIgnoreCase(name, "QRESYNC"u8))
                {
                    reader.Space();
                    qresync = QResync(ref reader);
                }
                else throw new ImapSyntaxException("Unknown SELECT parameter.");
            }
            if (first) throw new ImapSyntaxException("Empty list of SELECT parameters.");
        }
        reader.ExpectEnd();
        return new MailboxCommand(tag, kind, mailbox) { CondStore = condStore, QResync = qresync };
    }

    /// <summary><c>(uidvalidity mod-sequence-value [known-uids [(known-sequence-set known-uid-set)]])</c></summary>
    private static QResyncParameters QResync(ref ImapReader reader)
    {
        reader.Expect((byte)'(', "Expected the QRESYNC parameters.");
        var validity = reader.Number();
        if (validity == 0) throw new ImapSyntaxException("Invalid UIDVALIDITY.");
        reader.Space();
        var modSeq = ModSeqValue(ref reader, zeroAllowed: false);
        SequenceSet? known = null;
        if (reader.TrySpace())
        {
            if (reader.Peek != (byte)'(')
            {
                known = reader.SequenceSet();
                reader.TrySpace();
            }
            if (reader.TryByte((byte)'('))
            {
                // The sequence match data only helps servers that forget expunges; read it and go on.
                reader.SequenceSet();
                reader.Space();
                reader.SequenceSet();
                reader.Expect((byte)')', "Expected ) after the sequence match data.");
            }
        }
        reader.Expect((byte)')', "Expected ) after the QRESYNC parameters.");
        return new QResyncParameters(validity, modSeq, known);
    }

    /// <summary>mod-sequence-value = 1*DIGIT up to 2^63 - 1 (mod-sequence-valzer when zero is allowed).</summary>
    private static long ModSeqValue(ref ImapReader reader, bool zeroAllowed)
    {
        var value = reader.Number64();
        if (value < 0 || (value == 0 && !zeroAllowed)) throw new ImapSyntaxException("Invalid mod-sequence value.");
        return value;
    }

    private static string Mailbox(ref ImapReader reader, bool utf8) =>
        MailboxName.FromWire(reader.AString(), utf8) ?? throw new ImapSyntaxException("Invalid mailbox name (not modified UTF-7).");

    private static IdCommand Id(ref ImapReader reader, string tag)
    {
        reader.Space();
        var fields = new List<(string, string?)>();
        if (reader.TryByte((byte)'('))
        {
            while (!reader.TryByte((byte)')'))
            {
                if (fields.Count > 0) reader.Space();
                var name = reader.String();
                reader.Space();
                var value = reader.NString();
                if (fields.Count < 30) fields.Add((name, value));
            }
        }
        else if (reader.NString() is not null) throw new ImapSyntaxException("ID takes a list or NIL.");
        reader.ExpectEnd();
        return new IdCommand(tag, fields);
    }

    private static ListCommand List(ref ImapReader reader, string tag, ImapCommandKind kind, bool utf8)
    {
        reader.Space();
        var selection = ListSelection.None;
        var extended = false;
        if (kind == ImapCommandKind.List && reader.TryByte((byte)'('))
        {
            extended = true;
            var firstOption = true;
            while (!reader.TryByte((byte)')'))
            {
                if (!firstOption) reader.Space();
                firstOption = false;
                var option = reader.Atom();
                if (Ascii.EqualsIgnoreCase(option, "SUBSCRIBED"u8)) selection |= ListSelection.Subscribed;
                else if (Ascii.EqualsIgnoreCase(option, "SPECIAL-USE"u8)) selection |= ListSelection.SpecialUse;
                else if (Ascii.EqualsIgnoreCase(option, "RECURSIVEMATCH"u8)) selection |= ListSelection.RecursiveMatch;
                else if (Ascii.EqualsIgnoreCase(option, "REMOTE"u8)) { }
                else throw new ImapSyntaxException("Unknown LIST selection option.");
            }
            if (selection == ListSelection.RecursiveMatch) throw new ImapSyntaxException("RECURSIVEMATCH needs another selection option.");
            reader.Space();
        }
        var reference = reader.AString();
        if (!utf8 && !ModifiedUtf7.TryDecode(reference, out reference)) throw new ImapSyntaxException("Invalid reference name.");
        reader.Space();
        var patterns = new List<string>();
        if (kind == ImapCommandKind.List && reader.TryByte((byte)'('))
        {
            extended = true;
            while (!reader.TryByte((byte)')'))
            {
                if (patterns.Count > 0) reader.Space();
                patterns.Add(Pattern(ref reader, utf8));
            }
            if (patterns.Count == 0) throw new ImapSyntaxException("Empty pattern list.");
        }
        else
        {
            patterns.Add(Pattern(ref reader, utf8));
        }

        var returns = ListReturn.None;
        var statusItems = StatusItems.None;
        if (kind == ImapCommandKind.List && reader.TrySpace())
        {
            if (!Ascii.EqualsIgnoreCase(reader.Atom(), "RETURN"u8)) throw new ImapSyntaxException("Expected RETURN.");
            extended = true;
            reader.Space();
            reader.Expect((byte)'(', "Expected a list of return options.");
            var first = true;
            while (!reader.TryByte((byte)')'))
            {
                if (!first) reader.Space();
                first = false;
                var option = reader.Atom();
                if (Ascii.EqualsIgnoreCase(option, "SUBSCRIBED"u8)) returns |= ListReturn.Subscribed;
                else if (Ascii.EqualsIgnoreCase(option, "CHILDREN"u8)) returns |= ListReturn.Children;
                else if (Ascii.EqualsIgnoreCase(option, "SPECIAL-USE"u8)) returns |= ListReturn.SpecialUse;
                else if (Ascii.EqualsIgnoreCase(option, "STATUS"u8))
                {
                    reader.Space();
                    returns |= ListReturn.Status;
                    statusItems = StatusItemList(ref reader);
                }
                else throw new ImapSyntaxException("Unknown LIST return option.");
            }
        }
        reader.ExpectEnd();
        return new ListCommand(tag, kind, reference, patterns)
        {
            Selection = selection,
            Return = returns,
            StatusItems = statusItems,
            Extended = extended,
        };
    }

    private static string Pattern(ref ImapReader reader, bool utf8)
    {
        var pattern = reader.ListMailbox();
        if (!utf8 && !ModifiedUtf7.TryDecode(pattern, out pattern)) throw new ImapSyntaxException("Invalid mailbox pattern (not modified UTF-7).");
        return pattern.Normalize(NormalizationForm.FormC);
    }

    private static StatusItems StatusItemList(ref ImapReader reader)
    {
        reader.Expect((byte)'(', "Expected a list of status items.");
        var items = StatusItems.None;
        var first = true;
        while (!reader.TryByte((byte)')'))
        {
            if (!first) reader.Space();
            first = false;
            var item = reader.Atom();
            if (Ascii.EqualsIgnoreCase(item, "MESSAGES"u8)) items |= StatusItems.Messages;
            else if (Ascii.EqualsIgnoreCase(item, "RECENT"u8)) items |= StatusItems.Recent;
            else if (Ascii.EqualsIgnoreCase(item, "UIDNEXT"u8)) items |= StatusItems.UidNext;
            else if (Ascii.EqualsIgnoreCase(item, "UIDVALIDITY"u8)) items |= StatusItems.UidValidity;
            else if (Ascii.EqualsIgnoreCase(item, "UNSEEN"u8)) items |= StatusItems.Unseen;
            else if (Ascii.EqualsIgnoreCase(item, "DELETED"u8)) items |= StatusItems.Deleted;
            else if (Ascii.EqualsIgnoreCase(item, "SIZE"u8)) items |= StatusItems.Size;
            else if (Ascii.EqualsIgnoreCase(item, "HIGHESTMODSEQ"u8)) items |= StatusItems.HighestModSeq;
            else throw new ImapSyntaxException("Unknown status item.");
        }
        if (items == StatusItems.None) throw new ImapSyntaxException("Empty status item list.");
        return items;
    }

    private static CopyCommand Copy(ref ImapReader reader, string tag, ImapCommandKind kind, bool uid, bool utf8)
    {
        reader.Space();
        var set = reader.SequenceSet();
        reader.Space();
        var mailbox = Mailbox(ref reader, utf8);
        reader.ExpectEnd();
        return new CopyCommand(tag, kind, set, mailbox) { Uid = uid };
    }

    // FETCH

    private static FetchCommand Fetch(ref ImapReader reader, string tag, bool uid)
    {
        reader.Space();
        var set = reader.SequenceSet();
        reader.Space();
        var items = FetchItems.None;
        var sections = new List<BodySection>();
        if (reader.TryByte((byte)'('))
        {
            var first = true;
            while (!reader.TryByte((byte)')'))
            {
                if (!first) reader.Space();
                first = false;
                FetchAttribute(ref reader, ref items, sections, macros: false);
            }
            if (first) throw new ImapSyntaxException("Empty FETCH item list.");
        }
        else
        {
            FetchAttribute(ref reader, ref items, sections, macros: true);
        }
        long? changedSince = null;
        var vanished = false;
        if (reader.TrySpace())
        {
            reader.Expect((byte)'(', "Expected a list of FETCH modifiers.");
            var firstModifier = true;
            while (!reader.TryByte((byte)')'))
            {
                if (!firstModifier) reader.Space();
                firstModifier = false;
                var modifier = reader.Atom();
                if (Ascii.EqualsIgnoreCase(modifier, "CHANGEDSINCE"u8))
                {
                    reader.Space();
                    changedSince = ModSeqValue(ref reader, zeroAllowed: true);
                }
                else if (Ascii.EqualsIgnoreCase(modifier, "VANISHED"u8) && uid) vanished = true;
                else throw new ImapSyntaxException("Unknown FETCH modifier.");
            }
            if (firstModifier) throw new ImapSyntaxException("Empty list of FETCH modifiers.");
            if (vanished && changedSince is null) throw new ImapSyntaxException("VANISHED needs CHANGEDSINCE.");
            // CHANGEDSINCE implies the MODSEQ item (RFC 7162 section 3.1.4.1).
            if (changedSince is not null) items |= FetchItems.ModSeq;
        }
        reader.ExpectEnd();
        if (uid) items |= FetchItems.Uid;
        return new FetchCommand(tag, set, items, sections) { Uid = uid, ChangedSince = changedSince, Vanished = vanished };
    }

    private static void FetchAttribute(ref ImapReader reader, ref FetchItems items, List<BodySection> sections, bool macros)
    {
        var word = reader.Word();
        Span<char> upper = stackalloc char[16];
        if (word.Length > upper.Length) throw new ImapSyntaxException("Unknown FETCH item.");
        for (var i = 0; i < word.Length; i++) upper[i] = char.ToUpperInvariant((char)word[i]);
        ReadOnlySpan<char> name = upper[..word.Length];
        switch (name)
        {
            case "ALL" when macros: items |= FetchItems.All; return;
            case "FAST" when macros: items |= FetchItems.Fast; return;
            case "FULL" when macros: items |= FetchItems.Full; return;
            case "UID": items |= FetchItems.Uid; return;
            case "FLAGS": items |= FetchItems.Flags; return;
            case "INTERNALDATE": items |= FetchItems.InternalDate; return;
            case "RFC822.SIZE": items |= FetchItems.Rfc822Size; return;
            case "ENVELOPE": items |= FetchItems.Envelope; return;
            case "BODYSTRUCTURE": items |= FetchItems.BodyStructure; return;
            case "MODSEQ": items |= FetchItems.ModSeq; return;
            case "RFC822":
                sections.Add(new BodySection(false, [], SectionText.Full, null, null, 0) { Name = SectionName.Rfc822 });
                return;
            case "RFC822.HEADER":
                sections.Add(new BodySection(true, [], SectionText.Header, null, null, 0) { Name = SectionName.Rfc822Header });
                return;
            case "RFC822.TEXT":
                sections.Add(new BodySection(false, [], SectionText.Text, null, null, 0) { Name = SectionName.Rfc822Text });
                return;
            case "BODY":
                if (reader.Peek != (byte)'[')
                {
                    items |= FetchItems.Body;
                    return;
                }
                sections.Add(Section(ref reader, peek: false));
                return;
            case "BINARY" or "BINARY.PEEK" or "BINARY.SIZE":
            {
                var size = name.Length == "BINARY.SIZE".Length && name[7] == 'S';
                sections.Add(BinarySection(ref reader, peek: name.Length > "BINARY".Length, size));
                return;
            }
            case "BODY.PEEK":
                if (reader.Peek != (byte)'[') throw new ImapSyntaxException("BODY.PEEK needs a section.");
                sections.Add(Section(ref reader, peek: true));
                return;
            default:
                throw new ImapSyntaxException("Unknown FETCH item.");
        }
    }

    private static BodySection Section(ref ImapReader reader, bool peek)
    {
        reader.Expect((byte)'[', "Expected a section.");
        var part = new List<int>();
        var text = SectionText.Full;
        List<string>? fields = null;
        while (reader.Peek != (byte)']')
        {
            if (char.IsAsciiDigit((char)reader.Peek))
            {
                var n = reader.Number();
                if (n == 0 || n > 10_000) throw new ImapSyntaxException("Invalid part number.");
                part.Add((int)n);
                if (part.Count > 64) throw new ImapSyntaxException("Part path too deep.");
                if (reader.TryByte((byte)'.')) continue;
                break;
            }
            var word = reader.Word();
            if (Ascii.EqualsIgnoreCase(word, "HEADER"u8)) text = SectionText.Header;
            else if (Ascii.EqualsIgnoreCase(word, "TEXT"u8)) text = SectionText.Text;
            else if (Ascii.EqualsIgnoreCase(word, "MIME"u8) && part.Count > 0) text = SectionText.Mime;
            else if (Ascii.EqualsIgnoreCase(word, "HEADER.FIELDS"u8) || Ascii.EqualsIgnoreCase(word, "HEADER.FIELDS.NOT"u8))
            {
                text = word.Length == "HEADER.FIELDS".Length ? SectionText.HeaderFields : SectionText.HeaderFieldsNot;
                reader.Space();
                reader.Expect((byte)'(', "Expected a list of header fields.");
                fields = [];
                while (!reader.TryByte((byte)')'))
                {
                    if (fields.Count > 0) reader.Space();
                    var field = reader.AString();
                    if (field.Length == 0 || field.Length > 200) throw new ImapSyntaxException("Invalid header field name.");
                    fields.Add(field);
                    if (fields.Count > 200) throw new ImapSyntaxException("Too many header fields.");
                }
                if (fields.Count == 0) throw new ImapSyntaxException("Empty list of header fields.");
            }
            else throw new ImapSyntaxException("Unknown section.");
            break;
        }
        reader.Expect((byte)']', "Expected ] after the section.");
        var (start, length) = Partial(ref reader);
        return new BodySection(peek, part, text, fields, start, length);
    }

    /// <summary><c>[part]&lt;partial&gt;</c> after BINARY, BINARY.PEEK or BINARY.SIZE (no partial): part numbers only (RFC 3516).</summary>
    private static BodySection BinarySection(ref ImapReader reader, bool peek, bool size)
    {
        reader.Expect((byte)'[', "Expected a section.");
        var part = new List<int>();
        while (reader.Peek != (byte)']')
        {
            if (part.Count > 0) reader.Expect((byte)'.', "Expected a part number.");
            if (!char.IsAsciiDigit((char)reader.Peek)) throw new ImapSyntaxException("BINARY takes part numbers only.");
            var n = reader.Number();
            if (n == 0 || n > 10_000) throw new ImapSyntaxException("Invalid part number.");
            part.Add((int)n);
            if (part.Count > 64) throw new ImapSyntaxException("Part path too deep.");
        }
        reader.Expect((byte)']', "Expected ] after the section.");
        var (start, length) = size ? (null, 0) : Partial(ref reader);
        return new BodySection(peek, part, SectionText.Full, null, start, length) { Name = size ? SectionName.BinarySize : SectionName.Binary };
    }

    /// <summary>An optional <c>&lt;start.length&gt;</c>.</summary>
    private static (long? Start, long Length) Partial(ref ImapReader reader)
    {
        if (!reader.TryByte((byte)'<')) return (null, 0);
        var start = reader.Number64();
        reader.Expect((byte)'.', "Expected <start.length>.");
        var length = reader.Number64();
        if (length == 0) throw new ImapSyntaxException("A partial fetch needs a length above zero.");
        reader.Expect((byte)'>', "Expected > after the partial range.");
        return (start, length);
    }

    // STORE

    private static StoreCommand Store(ref ImapReader reader, string tag, bool uid)
    {
        reader.Space();
        var set = reader.SequenceSet();
        reader.Space();
        long? unchangedSince = null;
        if (reader.TryByte((byte)'('))
        {
            var firstModifier = true;
            while (!reader.TryByte((byte)')'))
            {
                if (!firstModifier) reader.Space();
                firstModifier = false;
                if (!Ascii.EqualsIgnoreCase(reader.Atom(), "UNCHANGEDSINCE"u8)) throw new ImapSyntaxException("Unknown STORE modifier.");
                reader.Space();
                unchangedSince = ModSeqValue(ref reader, zeroAllowed: true);
            }
            if (firstModifier) throw new ImapSyntaxException("Empty list of STORE modifiers.");
            reader.Space();
        }
        var operation = FlagOperation.Replace;
        if (reader.TryByte((byte)'+')) operation = FlagOperation.Add;
        else if (reader.TryByte((byte)'-')) operation = FlagOperation.Remove;
        var item = reader.Word();
        bool silent;
        if (Ascii.EqualsIgnoreCase(item, "FLAGS"u8)) silent = false;
        else if (Ascii.EqualsIgnoreCase(item, "FLAGS.SILENT"u8)) silent = true;
        else throw new ImapSyntaxException("STORE changes FLAGS or FLAGS.SILENT.");
        reader.Space();
        MessageFlags flags;
        IReadOnlyList<string> keywords;
        if (reader.Peek == (byte)'(') (flags, keywords) = FlagList(ref reader);
        else
        {
            flags = MessageFlags.None;
            var list = new List<string>();
            do
            {
                Flag(ref reader, ref flags, list);
            } while (reader.TrySpace());
            keywords = list;
        }
        reader.ExpectEnd();
        return new StoreCommand(tag, set, operation, silent, flags, keywords) { Uid = uid, UnchangedSince = unchangedSince };
    }

    private static (MessageFlags, IReadOnlyList<string>) FlagList(ref ImapReader reader)
    {
        reader.Expect((byte)'(', "Expected a flag list.");
        var flags = MessageFlags.None;
        var keywords = new List<string>();
        var first = true;
        while (!reader.TryByte((byte)')'))
        {
            if (!first) reader.Space();
            first = false;
            Flag(ref reader, ref flags, keywords);
        }
        return (flags, keywords);
    }

    private static void Flag(ref ImapReader reader, ref MessageFlags flags, List<string> keywords)
    {
        if (reader.TryByte((byte)'\\'))
        {
            var name = reader.Atom();
            if (Ascii.EqualsIgnoreCase(name, "Seen"u8)) flags |= MessageFlags.Seen;
            else if (Ascii.EqualsIgnoreCase(name, "Answered"u8)) flags |= MessageFlags.Answered;
            else if (Ascii.EqualsIgnoreCase(name, "Flagged"u8)) flags |= MessageFlags.Flagged;
            else if (Ascii.EqualsIgnoreCase(name, "Deleted"u8)) flags |= MessageFlags.Deleted;
            else if (Ascii.EqualsIgnoreCase(name, "Draft"u8)) flags |= MessageFlags.Draft;
            else if (Ascii.EqualsIgnoreCase(name, "Recent"u8)) throw new ImapSyntaxException("\\Recent cannot be set.");
            else throw new ImapSyntaxException("Unknown system flag.");
            return;
        }
        var keyword = reader.Atom();
        if (keyword.Length > 100) throw new ImapSyntaxException("Keyword too long.");
        keywords.Add(Encoding.ASCII.GetString(keyword));
    }

    // SEARCH

    private static SearchCommand Search(ref ImapReader reader, string tag, bool uid)
    {
        reader.Space();
        SearchReturn? returns = null;
        if (PeekWord(ref reader, "RETURN"u8))
        {
            reader.Atom();
            reader.Space();
            returns = SearchReturnOptions(ref reader);
            reader.Space();
        }
        if (PeekWord(ref reader, "CHARSET"u8))
        {
            reader.Atom();
            reader.Space();
            Charset(ref reader);
            reader.Space();
        }
        return new SearchCommand(tag, SearchKeys(ref reader)) { Uid = uid, Return = returns };
    }

    /// <summary>The charset of SEARCH, SORT and THREAD: strings are compared as Unicode, so UTF-8 and its subset US-ASCII.</summary>
    private static void Charset(ref ImapReader reader)
    {
        var charset = reader.AString();
        if (!charset.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("US-ASCII", StringComparison.OrdinalIgnoreCase))
            throw new UnsupportedException("Unsupported charset.", ImapStatus.No, ImapResponseCodeKind.BadCharset);
    }

    /// <summary>Search keys to the end of the command, as one key (the top level is an AND).</summary>
    private static SearchKey SearchKeys(ref ImapReader reader)
    {
        var keys = new List<SearchKey>();
        do
        {
            keys.Add(SearchKeyOf(ref reader, 0));
        } while (reader.TrySpace());
        reader.ExpectEnd();
        return keys.Count == 1 ? keys[0] : new AndKey(keys);
    }

    /// <summary>SORT (criteria) charset keys (RFC 5256 section 3).</summary>
    private static SortCommand Sort(ref ImapReader reader, string tag, bool uid)
    {
        reader.Space();
        reader.Expect((byte)'(', "Expected a list of sort criteria.");
        var criteria = new List<SortKey>();
        var reverse = false;
        while (!reader.TryByte((byte)')'))
        {
            if (criteria.Count > 0 || reverse) reader.Space();
            var word = reader.Atom();
            if (Ascii.EqualsIgnoreCase(word, "REVERSE"u8))
            {
                if (reverse) throw new ImapSyntaxException("REVERSE must be followed by a sort criterion.");
                reverse = true;
                continue;
            }
            SortCriterion criterion;
            if (Ascii.EqualsIgnoreCase(word, "ARRIVAL"u8)) criterion = SortCriterion.Arrival;
            else if (Ascii.EqualsIgnoreCase(word, "CC"u8)) criterion = SortCriterion.Cc;
            else if (Ascii.EqualsIgnoreCase(word, "DATE"u8)) criterion = SortCriterion.Date;
            else if (Ascii.EqualsIgnoreCase(word, "FROM"u8)) criterion = SortCriterion.From;
            else if (Ascii.EqualsIgnoreCase(word, "SIZE"u8)) criterion = SortCriterion.Size;
            else if (Ascii.EqualsIgnoreCase(word, "SUBJECT"u8)) criterion = SortCriterion.Subject;
            else if (Ascii.EqualsIgnoreCase(word, "TO"u8)) criterion = SortCriterion.To;
            else if (Ascii.EqualsIgnoreCase(word, "DISPLAYFROM"u8)) criterion = SortCriterion.DisplayFrom;
            else if (Ascii.EqualsIgnoreCase(word, "DISPLAYTO"u8)) criterion = SortCriterion.DisplayTo;
            else throw new ImapSyntaxException("Unknown sort criterion.");
            criteria.Add(new SortKey(criterion, reverse));
            reverse = false;
        }
        if (criteria.Count == 0 || reverse) throw new ImapSyntaxException("Expected a sort criterion.");
        reader.Space();
        Charset(ref reader);
        reader.Space();
        return new SortCommand(tag, criteria, SearchKeys(ref reader)) { Uid = uid };
    }

    /// <summary>THREAD algorithm charset keys (RFC 5256 section 4).</summary>
    private static ThreadCommand Thread(ref ImapReader reader, string tag, bool uid)
    {
        reader.Space();
        var name = reader.Atom();
        ThreadAlgorithm algorithm;
        if (Ascii.EqualsIgnoreCase(name, "ORDEREDSUBJECT"u8)) algorithm = ThreadAlgorithm.OrderedSubject;
        else if (Ascii.EqualsIgnoreCase(name, "REFERENCES"u8)) algorithm = ThreadAlgorithm.References;
        else throw new ImapSyntaxException("Unknown threading algorithm.");
        reader.Space();
        Charset(ref reader);
        reader.Space();
        return new ThreadCommand(tag, algorithm, SearchKeys(ref reader)) { Uid = uid };
    }

    /// <summary><c>(MIN MAX ALL COUNT SAVE)</c>; an empty list means ALL (RFC 4731 section 3.1), SAVE alone returns nothing (RFC 5182).</summary>
    private static SearchReturn SearchReturnOptions(ref ImapReader reader)
    {
        reader.Expect((byte)'(', "Expected a list of search return options.");
        var returns = SearchReturn.None;
        var first = true;
        while (!reader.TryByte((byte)')'))
        {
            if (!first) reader.Space();
            first = false;
            var option = reader.Atom();
            if (Ascii.EqualsIgnoreCase(option, "MIN"u8)) returns |= SearchReturn.Min;
            else if (Ascii.EqualsIgnoreCase(option, "MAX"u8)) returns |= SearchReturn.Max;
            else if (Ascii.EqualsIgnoreCase(option, "ALL"u8)) returns |= SearchReturn.All;
            else if (Ascii.EqualsIgnoreCase(option, "COUNT"u8)) returns |= SearchReturn.Count;
            else if (Ascii.EqualsIgnoreCase(option, "SAVE"u8)) returns |= SearchReturn.Save;
            else throw new ImapSyntaxException("Unknown search return option.");
        }
        return first ? SearchReturn.All : returns;
    }

    private static bool PeekWord(ref ImapReader reader, ReadOnlySpan<byte> word)
    {
        var copy = reader;
        try
        {
            return Ascii.EqualsIgnoreCase(copy.Atom(), word) && copy.Peek == (byte)' ';
        }
        catch (ImapSyntaxException)
        {
            return false;
        }
    }

    private static SearchKey SearchKeyOf(ref ImapReader reader, int depth)
    {
        if (depth > MaxSearchDepth) throw new ImapSyntaxException("Search keys nested too deeply.");
        if (reader.TryByte((byte)'('))
        {
            var keys = new List<SearchKey>();
            do
            {
                keys.Add(SearchKeyOf(ref reader, depth + 1));
            } while (reader.TrySpace());
            reader.Expect((byte)')', "Expected ) after the search keys.");
            return keys.Count == 1 ? keys[0] : new AndKey(keys);
        }
        if (reader.Peek is (byte)'*' or (byte)'$' || char.IsAsciiDigit((char)reader.Peek)) return new SetKey(reader.SequenceSet(), Uid: false);

        var word = reader.Atom();
        Span<char> upper = stackalloc char[16];
        if (word.Length > upper.Length) throw new ImapSyntaxException("Unknown search key.");
        for (var i = 0; i < word.Length; i++) upper[i] = char.ToUpperInvariant((char)word[i]);
        ReadOnlySpan<char> key = upper[..word.Length];
        switch (key)
        {
            case "ALL": return AllKey.Instance;
            case "OLD": return AllKey.Instance;
            case "NEW": return NoneKey.Instance;
            case "RECENT": return NoneKey.Instance;
            case "SEEN": return new FlagKey(MessageFlags.Seen, true);
            case "UNSEEN": return new FlagKey(MessageFlags.Seen, false);
            case "ANSWERED": return new FlagKey(MessageFlags.Answered, true);
            case "UNANSWERED": return new FlagKey(MessageFlags.Answered, false);
            case "DELETED": return new FlagKey(MessageFlags.Deleted, true);
            case "UNDELETED": return new FlagKey(MessageFlags.Deleted, false);
            case "FLAGGED": return new FlagKey(MessageFlags.Flagged, true);
            case "UNFLAGGED": return new FlagKey(MessageFlags.Flagged, false);
            case "DRAFT": return new FlagKey(MessageFlags.Draft, true);
            case "UNDRAFT": return new FlagKey(MessageFlags.Draft, false);
            case "KEYWORD":
                reader.Space();
                return new KeywordKey(Encoding.ASCII.GetString(reader.Atom()), true);
            case "UNKEYWORD":
                reader.Space();
                return new KeywordKey(Encoding.ASCII.GetString(reader.Atom()), false);
            case "BEFORE": return new DateKey(DateField.Internal, DateComparison.Before, SearchDate(ref reader));
            case "ON": return new DateKey(DateField.Internal, DateComparison.On, SearchDate(ref reader));
            case "SINCE": return new DateKey(DateField.Internal, DateComparison.Since, SearchDate(ref reader));
            case "SENTBEFORE": return new DateKey(DateField.Sent, DateComparison.Before, SearchDate(ref reader));
            case "SENTON": return new DateKey(DateField.Sent, DateComparison.On, SearchDate(ref reader));
            case "SENTSINCE": return new DateKey(DateField.Sent, DateComparison.Since, SearchDate(ref reader));
            case "LARGER":
                reader.Space();
                return new SizeKey(true, reader.Number64());
            case "SMALLER":
                reader.Space();
                return new SizeKey(false, reader.Number64());
            case "FROM": return HeaderOf(ref reader, "From");
            case "TO": return HeaderOf(ref reader, "To");
            case "CC": return HeaderOf(ref reader, "Cc");
            case "BCC": return HeaderOf(ref reader, "Bcc");
            case "SUBJECT": return HeaderOf(ref reader, "Subject");
            case "HEADER":
            {
                reader.Space();
                var field = reader.AString();
                if (field.Length == 0) throw new ImapSyntaxException("HEADER needs a field name.");
                return HeaderOf(ref reader, field);
            }
            case "TEXT":
                reader.Space();
                return new TextKey(false, reader.AString());
            case "BODY":
                reader.Space();
                return new TextKey(true, reader.AString());
            case "UID":
                reader.Space();
                return new SetKey(reader.SequenceSet(), Uid: true);
            case "NOT":
                reader.Space();
                return new NotKey(SearchKeyOf(ref reader, depth + 1));
            case "OR":
            {
                reader.Space();
                var left = SearchKeyOf(ref reader, depth + 1);
                reader.Space();
                var right = SearchKeyOf(ref reader, depth + 1);
                return new OrKey(left, right);
            }
            case "MODSEQ":
            {
                reader.Space();
                if (reader.Peek == (byte)'"')
                {
                    // An entry name and type (per-flag MODSEQ); this server keeps one MODSEQ per message.
                    reader.String();
                    reader.Space();
                    reader.Atom();
                    reader.Space();
                }
                return new ModSeqKey(ModSeqValue(ref reader, zeroAllowed: true));
            }
            default:
                throw new ImapSyntaxException("Unknown search key.");
        }
    }

    private static HeaderKey HeaderOf(ref ImapReader reader, string field)
    {
        reader.Space();
        return new HeaderKey(field, reader.AString());
    }

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>date = date-text / DQUOTE date-text DQUOTE, date-text = day "-" month "-" year (<c>1-Feb-1994</c>).</summary>
    private static DateOnly SearchDate(ref ImapReader reader)
    {
        reader.Space();
        var text = reader.Peek == (byte)'"' ? reader.String() : Encoding.ASCII.GetString(reader.Atom());
        var parts = text.Split('-');
        if (parts.Length != 3 || parts[0].Length is < 1 or > 2 || parts[2].Length != 4 ||
            !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var day) ||
            !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var year))
            throw new ImapSyntaxException("Invalid date (expected d-Mon-yyyy).");
        var month = Array.FindIndex(Months, m => m.Equals(parts[1], StringComparison.OrdinalIgnoreCase)) + 1;
        if (month == 0 || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month)) throw new ImapSyntaxException("Invalid date.");
        return new DateOnly(year, month, day);
    }

    /// <summary>date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE.</summary>
    private static DateTimeOffset DateTimeArgument(ref ImapReader reader)
    {
        var text = reader.String();
        if (text.Length != 26 ||
            !System.DateTime.TryParseExact(text[..20].TrimStart(), ["d-MMM-yyyy HH:mm:ss", "dd-MMM-yyyy HH:mm:ss"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var local) ||
            text[20] != ' ' || text[21] is not ('+' or '-') ||
            !int.TryParse(text.AsSpan(22, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours) ||
            !int.TryParse(text.AsSpan(24, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || hours > 14 || minutes > 59)
            throw new ImapSyntaxException("Invalid date-time (expected \"dd-Mon-yyyy hh:mm:ss +zzzz\").");
        var offset = new TimeSpan(hours, minutes, 0);
        return new DateTimeOffset(local, text[21] == '-' ? -offset : offset);
    }

    /// <summary>A command the server understands but does not offer, or refuses with NO (an unknown charset).</summary>
    private sealed class UnsupportedException(string message, ImapStatus status = ImapStatus.Bad, ImapResponseCodeKind code = ImapResponseCodeKind.None)
        : Exception(message)
    {
        public ImapStatus Status { get; } = status;
        public ImapResponseCode Code { get; } = code;
    }
}

/// <summary>A parsed command, or why not: a BAD (or NO) response with the command's tag when it could be read.</summary>
public readonly record struct ImapParseResult(ImapCommand? Command, string? Tag, string? Error, ImapStatus ErrorStatus = ImapStatus.Bad,
    ImapResponseCode ErrorCode = default);
