using GovMail.Smtp.Protocol;

namespace GovMail.Smtp.Tests.Protocol;

public sealed class SmtpReplyWriterTests
{
    [Fact]
    public void A_one_line_reply_has_code_enhanced_code_and_text()
    {
        Assert.Equal("550 5.7.1 Relaying denied / Không cho phép chuyển tiếp thư\r\n", SmtpReplyWriter.Format(SmtpReplies.RelayDenied, utf8: true));
    }

    [Fact]
    public void Without_smtputf8_Vietnamese_is_folded_to_ascii()
    {
        Assert.Equal("550 5.7.1 Relaying denied / Khong cho phep chuyen tiep thu\r\n", SmtpReplyWriter.Format(SmtpReplies.RelayDenied, utf8: false));
        Assert.Equal("553 5.1.3 ? ? Dia chi\r\n", SmtpReplyWriter.Format(new SmtpReply(553, "5.1.3", "→ 中 Địa chỉ"), utf8: false));
    }

    [Fact]
    public void A_multiline_reply_repeats_code_and_enhanced_code_on_each_line()
    {
        var reply = new SmtpReply(452, "4.2.2", "Mailbox full\nTry later\r\nThank you");
        Assert.Equal("452-4.2.2 Mailbox full\r\n452-4.2.2 Try later\r\n452 4.2.2 Thank you\r\n", SmtpReplyWriter.Format(reply, utf8: false));
    }

    [Fact]
    public void Control_characters_cannot_inject_a_line()
    {
        var reply = new SmtpReply(550, "5.1.1", "No such user <a\rb\0c>");
        Assert.Equal("550 5.1.1 No such user <a b c>\r\n", SmtpReplyWriter.Format(reply, utf8: true));
    }

    [Fact]
    public void Replies_without_enhanced_code_and_empty_challenges()
    {
        Assert.Equal("220 mx.govmail.test ESMTP GovMail\r\n", SmtpReplyWriter.Format(SmtpReplies.Greeting("mx.govmail.test"), utf8: false));
        Assert.Equal("334 \r\n", SmtpReplyWriter.Format(SmtpReplies.AuthEmptyChallenge, utf8: false));
    }
}
