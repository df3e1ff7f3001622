using System.Buffers;
using System.Text;
using GovMail.Core.Mail;
using GovMail.Imap.Protocol;

namespace GovMail.Imap.Tests.Protocol;

public sealed class ImapResponseWriterTests
{
    private static string Write(Action<ImapResponseWriter> write, bool utf8 = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new ImapResponseWriter(buffer, utf8, appendLimit: 52428800));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Status_responses_carry_their_code_and_never_a_line_break_in_the_text()
    {
        Assert.Equal("a1 OK [READ-WRITE] SELECT completed.\r\n", Write(w => w.Status("a1", ImapStatus.Ok, ImapResponseCodeKind.ReadWrite, "SELECT completed.")));
        Assert.Equal("* OK [UIDVALIDITY 3857529045] UIDs valid.\r\n", Write(w => w.Status(null, ImapStatus.Ok, ImapResponseCode.UidValidity(3857529045), "UIDs valid.")));
        Assert.Equal("a2 NO [ALERT] một  hai\r\n", Write(w => w.Status("a2", ImapStatus.No, ImapResponseCodeKind.Alert, "một\r\nhai")));
        Assert.Equal("c OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n",
            Write(w => w.Status("c", ImapStatus.Ok, ImapResponseCode.CopyUid(38505, [304, 319, 320], [3956, 3957, 3958]), "Done")));
        Assert.Equal("* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.\r\n",
            Write(w => w.Status(null, ImapStatus.Ok, ImapResponseCode.PermanentFlags(true), "Flags permitted.")));
    }

    [Fact]
    public void Capabilities_are_listed_in_order_with_the_append_limit()
    {
        Assert.Equal("* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED IDLE APPENDLIMIT=52428800\r\n",
            Write(w => w.Capability(ImapCapabilities.Imap4Rev1 | ImapCapabilities.StartTls | ImapCapabilities.LoginDisabled | ImapCapabilities.Idle |
                ImapCapabilities.AppendLimit)));
    }

    [Fact]
    public void Strings_are_quoted_when_they_can_be_and_literals_when_they_must()
    {
        Assert.Equal("\"a \\\"b\\\" \\\\c\"", Write(w => w.String("a \"b\" \\c")));
        Assert.Equal("NIL", Write(w => w.String(null)));
        Assert.Equal("{5}\r\na\r\nbc", Write(w => w.String("a\r\nbc")));
        // Without UTF8=ACCEPT, 8-bit text only travels in a literal; with it, quoted.
        Assert.Equal("{8}\r\nCông ty", Write(w => w.String("Công ty")));
        Assert.Equal("\"Công ty\"", Write(w => w.String("Công ty"), utf8: true));
    }

    [Fact]
    public void Mailbox_names_go_out_in_the_client_encoding()
    {
        Assert.Equal("* LIST (\\HasNoChildren \\Sent) \"/\" \"Th&AbA- &AREA4w- g&Hu0-i\"\r\n",
            Write(w => w.List(false, MailboxAttributes.HasNoChildren | MailboxAttributes.Sent, "Thư đã gửi")));
        Assert.Equal("* LIST (\\HasNoChildren) \"/\" \"Công văn đến\"\r\n",
            Write(w => w.List(false, MailboxAttributes.HasNoChildren, "Công văn đến"), utf8: true));
    }

    [Fact]
    public void Flag_lists_and_quota_are_written_as_the_rfcs_show()
    {
        Assert.Equal("(\\Answered \\Seen $Label1 DaXuLy)", Write(w => w.FlagList(MessageFlags.Seen | MessageFlags.Answered, "$Label1 DaXuLy")));
        Assert.Equal("()", Write(w => w.FlagList(MessageFlags.None, null)));
        Assert.Equal("* QUOTA \"\" (STORAGE 2 5242880)\r\n", Write(w => w.Quota(1025, 5L * 1024 * 1024 * 1024)));
        Assert.Equal("* SEARCH 2 84 882\r\n", Write(w => w.Search([2, 84, 882])));
        Assert.Equal("* SEARCH\r\n", Write(w => w.Search([])));
    }
}
