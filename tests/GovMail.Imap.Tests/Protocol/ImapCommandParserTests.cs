using System.Text;
using GovMail.Core.Mail;
using GovMail.Imap.Commands;
using GovMail.Imap.Protocol;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Tests.Protocol;

public sealed class ImapCommandParserTests
{
    private static ImapParseResult Parse(string command, bool utf8 = false) => ImapCommandParser.Parse(Encoding.UTF8.GetBytes(command), utf8);

    private static T Command<T>(string command, bool utf8 = false) where T : ImapCommand
    {
        var result = Parse(command, utf8);
        Assert.True(result.Command is not null, $"expected a command, got BAD: {result.Error}");
        return Assert.IsType<T>(result.Command);
    }

    [Fact]
    public void Login_takes_atoms_quoted_strings_and_literals()
    {
        var login = Command<LoginCommand>("a1 LOGIN an@tphcm.gov.vn \"Sen \\\"H\\\\ng\\\"\"\r\n");
        Assert.Equal(("a1", "an@tphcm.gov.vn", "Sen \"H\\ng\""), (login.Tag, login.User, login.Password));

        login = Command<LoginCommand>("a2 login {15}\r\nan@tphcm.gov.vn {17+}\r\nMật-khẩu-2026\r\n");
        Assert.Equal(("an@tphcm.gov.vn", "Mật-khẩu-2026"), (login.User, login.Password));
        Assert.DoesNotContain("Mật", login.ToString());
    }

    [Theory]
    [InlineData("a1 LOGIN\r\n", "Missing arguments.")]
    [InlineData("a1 LOGIN an\r\n", "Missing arguments.")]
    [InlineData("a1 LOGIN an pw extra\r\n", "Unexpected characters at the end of the command.")]
    [InlineData("a1 LOGIN \"an pw\r\n", "Unterminated quoted string.")]
    [InlineData("a1 FROBNICATE\r\n", "Unknown command.")]
    [InlineData("a1 FETCH 1:x FLAGS\r\n", "Invalid sequence set.")]
    [InlineData("a1 FETCH 1 (FLAGS BOGUS)\r\n", "Unknown FETCH item.")]
    [InlineData("a1 SELECT &Jjo!-\r\n", "Invalid mailbox name (not modified UTF-7).")]
    [InlineData("a1 STORE 1 +FLAGS (\\Recent)\r\n", "\\Recent cannot be set.")]
    [InlineData("a1 SEARCH SINCE 31-Feb-2024\r\n", "Invalid date.")]
    [InlineData("a1 UID FROB 1\r\n", "Unknown UID command.")]
    public void Mistakes_are_reported_with_their_tag_and_a_reason(string command, string reason)
    {
        var result = Parse(command);
        Assert.Null(result.Command);
        Assert.Equal("a1", result.Tag);
        Assert.Equal(reason, result.Error);
        Assert.Equal(ImapStatus.Bad, result.ErrorStatus);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("+ LOGIN a b\r\n")]
    [InlineData("a1\r\n")]
    public void A_line_without_a_tag_and_command_has_no_tag(string command)
    {
        var result = Parse(command);
        Assert.Null(result.Command);
        Assert.True(result.Tag is null || command.StartsWith("a1", StringComparison.Ordinal));
    }

    [Fact]
    public void Mailbox_names_are_decoded_from_modified_utf7_unless_utf8_was_enabled()
    {
        Assert.Equal("Công văn đến", Command<MailboxCommand>("s SELECT \"C&APQ-ng v&AQM-n &AREevw-n\"\r\n").Mailbox);
        Assert.Equal("INBOX", Command<MailboxCommand>("s EXAMINE inbox\r\n").Mailbox);
        Assert.Equal("Công văn đến", Command<MailboxCommand>("s CREATE \"Công văn đến\"\r\n", utf8: true).Mailbox);
        Assert.Equal("Tom &- Jerry", Command<MailboxCommand>("s CREATE \"Tom &- Jerry\"\r\n", utf8: true).Mailbox);
    }

    [Fact]
    public void Fetch_items_sections_and_partials_are_typed()
    {
        var fetch = Command<FetchCommand>("f UID FETCH 1:* (FLAGS BODY.PEEK[1.2.HEADER.FIELDS (Subject \"From\")]<0.100> BODY[2.MIME] RFC822.HEADER BODY[])\r\n");
        Assert.True(fetch.Uid);
        Assert.Equal(FetchItems.Flags | FetchItems.Uid, fetch.Items);
        Assert.Equal(4, fetch.Sections.Count);
        var fields = fetch.Sections[0];
        Assert.Equal((true, SectionText.HeaderFields, 0L, 100L), (fields.Peek, fields.Text, fields.PartialStart ?? -1, fields.PartialLength));
        Assert.Equal([1, 2], fields.Part);
        Assert.Equal(["Subject", "From"], fields.Fields!);
        Assert.Equal((false, SectionText.Mime), (fetch.Sections[1].Peek, fetch.Sections[1].Text));
        Assert.Equal(SectionName.Rfc822Header, fetch.Sections[2].Name);
        Assert.Equal((false, SectionText.Full, 0), (fetch.Sections[3].Peek, fetch.Sections[3].Text, fetch.Sections[3].Part.Count));
        Assert.True(fetch.SetsSeen);

        Assert.Equal(FetchItems.Full, Command<FetchCommand>("f FETCH 2,4:5 full\r\n").Items);
        Assert.Equal(FetchItems.Body, Command<FetchCommand>("f FETCH 1 BODY\r\n").Items);
        Assert.False(Parse("f FETCH 1 (ALL)\r\n").Command is not null, "macros stand alone, not in a list");
    }

    [Fact]
    public void Store_knows_add_remove_silent_and_keywords()
    {
        var store = Command<StoreCommand>("s UID STORE 4:2 +FLAGS.SILENT (\\Seen \\Flagged $Label1 DaXuLy)\r\n");
        Assert.Equal((FlagOperation.Add, true, MessageFlags.Seen | MessageFlags.Flagged), (store.Operation, store.Silent, store.Flags));
        Assert.Equal(["$Label1", "DaXuLy"], store.Keywords);
        Assert.Equal("2:4", store.Set.ToString());

        store = Command<StoreCommand>("s STORE 1 -FLAGS \\Deleted\r\n");
        Assert.Equal((FlagOperation.Remove, false, MessageFlags.Deleted), (store.Operation, store.Silent, store.Flags));
        Assert.Equal(FlagOperation.Replace, Command<StoreCommand>("s STORE 1 FLAGS ()\r\n").Operation);
    }

    [Fact]
    public void Search_keys_nest_with_or_not_and_parentheses()
    {
        var search = Command<SearchCommand>("s SEARCH CHARSET UTF-8 OR (FROM \"Thịnh\" UNSEEN) NOT SUBJECT {10}\r\ncông văn SINCE 1-Apr-2024 LARGER 100 UID 1:*\r\n");
        var and = Assert.IsType<AndKey>(search.Key);
        Assert.Equal(4, and.Keys.Count);
        var or = Assert.IsType<OrKey>(and.Keys[0]);
        var left = Assert.IsType<AndKey>(or.Left);
        Assert.Equal(new HeaderKey("From", "Thịnh"), left.Keys[0]);
        Assert.Equal(new FlagKey(MessageFlags.Seen, false), left.Keys[1]);
        Assert.Equal(new NotKey(new HeaderKey("Subject", "công văn")), or.Right);
        Assert.Equal(new DateKey(DateField.Internal, DateComparison.Since, new DateOnly(2024, 4, 1)), and.Keys[1]);
        Assert.Equal(new SizeKey(true, 100), and.Keys[2]);
        Assert.True(Assert.IsType<SetKey>(and.Keys[3]).Uid);

        var text = Command<SearchCommand>("s UID SEARCH TEXT \"cong van\"\r\n");
        Assert.Equal(new TextKey(false, "cong van"), text.Key);
        Assert.Equal(ImapStatus.No, Parse("s SEARCH CHARSET KOI8-R ALL\r\n").ErrorStatus);
        Assert.Equal(ImapResponseCodeKind.BadCharset, Parse("s SEARCH CHARSET KOI8-R ALL\r\n").ErrorCode.Kind);
        Assert.Equal("Search keys nested too deeply.", Parse("s SEARCH " + string.Concat(Enumerable.Repeat("NOT ", 40)) + "ALL\r\n").Error);
    }

    [Fact]
    public void List_reads_selection_and_return_options()
    {
        var list = Command<ListCommand>("l LIST (SUBSCRIBED) \"\" (\"*\" %) RETURN (SPECIAL-USE STATUS (MESSAGES UNSEEN))\r\n");
        Assert.True(list.Extended);
        Assert.Equal(ListSelection.Subscribed, list.Selection);
        Assert.Equal(ListReturn.SpecialUse | ListReturn.Status, list.Return);
        Assert.Equal(StatusItems.Messages | StatusItems.Unseen, list.StatusItems);
        Assert.Equal(["*", "%"], list.Patterns);

        var plain = Command<ListCommand>("l LIST \"\" C&APQ-ng*\r\n");
        Assert.False(plain.Extended);
        Assert.Equal(["Công*"], plain.Patterns);
        Assert.Equal(ImapCommandKind.Lsub, Command<ListCommand>("l LSUB \"\" *\r\n").Kind);
    }

    [Fact]
    public void Other_commands_parse_to_their_records()
    {
        Assert.Equal(StatusItems.Messages | StatusItems.UidNext | StatusItems.Size,
            Command<StatusCommand>("t STATUS INBOX (MESSAGES UIDNEXT SIZE)\r\n").Items);
        Assert.Equal(("A", "B/C"), (Command<RenameCommand>("t RENAME A B/C\r\n").From, Command<RenameCommand>("t RENAME A B/C\r\n").To));
        var move = Command<CopyCommand>("t UID MOVE 1:3 Trash\r\n");
        Assert.Equal((ImapCommandKind.Move, true, "Trash"), (move.Kind, move.Uid, move.Mailbox));
        Assert.Equal("4:7", Command<UidExpungeCommand>("t UID EXPUNGE 4:7\r\n").Set.ToString());
        Assert.Equal(["UTF8=ACCEPT"], Command<EnableCommand>("t ENABLE utf8=accept\r\n").Capabilities);
        Assert.Equal([("name", (string?)"Thunderbird"), ("version", null)], Command<IdCommand>("t ID (\"name\" \"Thunderbird\" \"version\" NIL)\r\n").Fields);
        Assert.Empty(Command<IdCommand>("t ID NIL\r\n").Fields);
        var auth = Command<AuthenticateCommand>("t AUTHENTICATE plain AGFuAHB3\r\n");
        Assert.Equal(("PLAIN", "AGFuAHB3"), (auth.Mechanism, auth.InitialResponse));
        Assert.Equal(ImapCommandKind.Idle, Command<SimpleCommand>("t idle\r\n").Kind);
        Assert.Equal("", Command<QuotaCommand>("t GETQUOTA \"\"\r\n").Root);
    }

    [Fact]
    public void Append_prefix_gives_mailbox_flags_date_and_literal_size()
    {
        var prefix = "a APPEND \"C&APQ-ng v&AQM-n &AREevw-n\" (\\Seen $Label1) \" 7-Apr-2024 14:05:09 +0700\" {310+}\r\n"u8.ToArray();
        var parsed = ImapCommandParser.ParseAppend(new System.Buffers.ReadOnlySequence<byte>(prefix), utf8: false);
        var append = Assert.IsType<AppendCommand>(parsed.Command);
        Assert.Equal(("Công văn đến", MessageFlags.Seen, 310L, true), (append.Mailbox, append.Flags, append.Size, append.NonSynchronizing));
        Assert.Equal(["$Label1"], append.Keywords);
        Assert.Equal(new DateTimeOffset(2024, 4, 7, 14, 5, 9, TimeSpan.FromHours(7)), append.InternalDate);
    }

    [Fact]
    public void Only_the_literal_after_the_mailbox_is_an_append_message()
    {
        var line = "a APPEND INBOX {12}\r\n"u8;
        Assert.True(ImapCommandParser.IsAppendMessageLiteral(line, line.IndexOf((byte)'{')));
        var mailboxLiteral = "a APPEND {5}\r\n"u8;
        Assert.False(ImapCommandParser.IsAppendMessageLiteral(mailboxLiteral, mailboxLiteral.IndexOf((byte)'{')));
        var afterMailboxLiteral = "a APPEND {5}\r\nINBOX (\\Seen) {12}\r\n"u8;
        Assert.True(ImapCommandParser.IsAppendMessageLiteral(afterMailboxLiteral, afterMailboxLiteral.LastIndexOf((byte)'{')));
        var login = "a LOGIN {5}\r\n"u8;
        Assert.False(ImapCommandParser.IsAppendMessageLiteral(login, login.IndexOf((byte)'{')));
    }
}
