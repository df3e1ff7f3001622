using System.Text;
using GovMail.Smtp.Protocol;

namespace GovMail.Smtp.Tests.Protocol;

public sealed class SmtpCommandParserTests
{
    private static SmtpParseResult Parse(string line) => SmtpCommandParser.Parse(Encoding.UTF8.GetBytes(line));

    private static SmtpCommand Command(string line) => Parse(line).Command ?? throw new Xunit.Sdk.XunitException($"'{line}' did not parse: {Parse(line).Error}");

    [Theory]
    [InlineData("helo x", SmtpCommandKind.Helo)]
    [InlineData("EhLo x", SmtpCommandKind.Ehlo)]
    [InlineData("DATA", SmtpCommandKind.Data)]
    [InlineData("rset", SmtpCommandKind.Rset)]
    [InlineData("NOOP anything at all", SmtpCommandKind.Noop)]
    [InlineData("QUIT", SmtpCommandKind.Quit)]
    [InlineData("VRFY someone", SmtpCommandKind.Vrfy)]
    [InlineData("EXPN list", SmtpCommandKind.Expn)]
    [InlineData("HELP", SmtpCommandKind.Help)]
    [InlineData("starttls", SmtpCommandKind.StartTls)]
    [InlineData("DATA  ", SmtpCommandKind.Data)]
    public void Verbs_are_recognised_in_any_case(string line, SmtpCommandKind kind) => Assert.Equal(kind, Command(line).Kind);

    [Theory]
    [InlineData("")]
    [InlineData("MAILX FROM:<a@b>")]
    [InlineData("GET / HTTP/1.1")]
    [InlineData("STARTTLZ")]
    public void Unknown_verbs_get_500_5_5_1(string line)
    {
        var result = Parse(line);
        Assert.Null(result.Kind);
        Assert.Equal((500, "5.5.1"), (result.Error!.Code, result.Error.Enhanced));
    }

    [Theory]
    [InlineData("MAIL FROM:<an@govmail.test>", "an@govmail.test")]
    [InlineData("MAIL FROM: <an@govmail.test>", "an@govmail.test")]
    [InlineData("MAIL FROM:<\"Lê Văn\\\" A\"@govmail.test>", "\"Lê Văn\\\" A\"@govmail.test")]
    [InlineData("MAIL FROM:<@a.example,@b.example:an@govmail.test>", "an@govmail.test")]
    [InlineData("MAIL FROM:<an@[192.0.2.1]>", "an@[192.0.2.1]")]
    [InlineData("MAIL FROM:<an@[IPv6:2001:db8::1]>", "an@[IPv6:2001:db8::1]")]
    [InlineData("MAIL FROM:<first.last+tag@sub-domain.govmail.test>", "first.last+tag@sub-domain.govmail.test")]
    public void Sender_addresses_are_read_as_sent(string line, string address)
    {
        var path = Command(line).Path!;
        Assert.Equal(address, path.Address);
        Assert.False(path.IsNull);
    }

    [Fact]
    public void The_null_sender_is_allowed_only_in_mail()
    {
        Assert.True(Command("MAIL FROM:<>").Path!.IsNull);
        Assert.Equal("5.1.3", Parse("RCPT TO:<>").Error!.Enhanced);
    }

    [Fact]
    public void Postmaster_without_a_domain_is_a_valid_recipient_but_not_a_sender()
    {
        Assert.Equal("Postmaster", Command("RCPT TO:<Postmaster>").Path!.Address);
        Assert.Equal("5.1.7", Parse("MAIL FROM:<Postmaster>").Error!.Enhanced);
    }

    [Fact]
    public void Utf8_addresses_are_decoded_and_flagged()
    {
        var path = Command("RCPT TO:<đông@bộ-nội-vụ.gov.vn>").Path!;
        Assert.Equal("đông@bộ-nội-vụ.gov.vn", path.Address);
        Assert.True(path.IsNonAscii);
        Assert.False(Command("RCPT TO:<dong@bo-noi-vu.gov.vn>").Path!.IsNonAscii);
    }

    [Fact]
    public void Invalid_utf8_in_an_address_is_a_syntax_error()
    {
        var line = Encoding.ASCII.GetBytes("RCPT TO:<x@y>");
        var bad = new byte[line.Length + 1];
        line.AsSpan(0, 9).CopyTo(bad);
        bad[9] = 0xC3;
        line.AsSpan(9).CopyTo(bad.AsSpan(10));
        Assert.Equal("5.1.3", SmtpCommandParser.Parse(bad).Error!.Enhanced);
    }

    [Theory]
    [InlineData("MAIL FROM:<a@@b.example>")]
    [InlineData("MAIL FROM:<a.@b.example>")]
    [InlineData("MAIL FROM:<.a@b.example>")]
    [InlineData("MAIL FROM:<a@b..example>")]
    [InlineData("MAIL FROM:<a@-b.example>")]
    [InlineData("MAIL FROM:<a@b-.example>")]
    [InlineData("MAIL FROM:<a b@example>")]
    [InlineData("MAIL FROM:<a@example")]
    [InlineData("MAIL FROM:<a@example>x")]
    [InlineData("MAIL FROM:<\"unterminated@example>")]
    [InlineData("MAIL FROM:<@route.example>")]
    public void Malformed_sender_addresses_get_501_5_1_7(string line)
    {
        var error = Parse(line).Error!;
        Assert.Equal((501, "5.1.7"), (error.Code, error.Enhanced));
    }

    [Fact]
    public void A_path_longer_than_256_octets_is_refused()
    {
        Assert.NotNull(Parse($"RCPT TO:<{new string('a', 64)}@{new string('b', 180)}.example>").Command);
        Assert.Equal("5.1.3", Parse($"RCPT TO:<{new string('a', 64)}@{new string('b', 200)}.example>").Error!.Enhanced);
    }

    [Theory]
    [InlineData("MAIL FROM:a@b.example")]
    [InlineData("MAIL TO:<a@b.example>")]
    [InlineData("MAIL")]
    public void A_mail_command_without_from_and_brackets_gets_the_syntax_hint(string line) =>
        Assert.Same(SmtpReplies.MailSyntax, Parse(line).Error);

    [Fact]
    public void Mail_parameters_are_parsed()
    {
        var parameters = Command("MAIL FROM:<a@b.example> size=12345 BODY=8bitmime SMTPUTF8 RET=hdrs ENVID=QQ+2B1 AUTH=<>").MailParameters;
        Assert.Equal(12345, parameters.Size);
        Assert.Equal(SmtpBodyType.EightBitMime, parameters.Body);
        Assert.True(parameters.SmtpUtf8);
        Assert.Equal("HDRS", parameters.Return);
        Assert.Equal("QQ+2B1", parameters.EnvelopeId);
        Assert.Equal("<>", parameters.Auth);
        Assert.Equal(SmtpBodyType.SevenBit, Command("MAIL FROM:<a@b.example> BODY=7BIT").MailParameters.Body);
        Assert.Equal(SmtpBodyType.BinaryMime, Command("MAIL FROM:<a@b.example> BODY=BINARYMIME").MailParameters.Body);
    }

    [Theory]
    [InlineData("MAIL FROM:<a@b.example> SIZE=", "501", "SIZE")]
    [InlineData("MAIL FROM:<a@b.example> SIZE=-1", "501", "SIZE")]
    [InlineData("MAIL FROM:<a@b.example> SIZE=9999999999999999999", "501", "SIZE")]
    [InlineData("MAIL FROM:<a@b.example> BODY=9BIT", "501", "BODY")]
    [InlineData("MAIL FROM:<a@b.example> SMTPUTF8=yes", "501", "SMTPUTF8")]
    [InlineData("MAIL FROM:<a@b.example> RET=ALL", "501", "RET")]
    [InlineData("MAIL FROM:<a@b.example> ENVID=a+zz", "501", "ENVID")]
    [InlineData("MAIL FROM:<a@b.example> SIZE=1 SIZE=2", "501", "SIZE")]
    [InlineData("MAIL FROM:<a@b.example> XFORWARD=1", "555", "XFORWARD")]
    [InlineData("RCPT TO:<a@b.example> NOTIFY=NEVER,SUCCESS", "501", "NOTIFY")]
    [InlineData("RCPT TO:<a@b.example> NOTIFY=SUCCESS,", "501", "NOTIFY")]
    [InlineData("RCPT TO:<a@b.example> ORCPT=rfc822", "501", "ORCPT")]
    [InlineData("RCPT TO:<a@b.example> SIZE=1", "555", "SIZE")]
    public void Bad_parameters_name_the_parameter(string line, string code, string name)
    {
        var error = Parse(line).Error!;
        Assert.Equal(code, error.Code.ToString());
        Assert.Contains(name, error.Text);
    }

    [Fact]
    public void Rcpt_parameters_are_parsed_and_notify_is_upper_cased()
    {
        var parameters = Command("RCPT TO:<a@b.example> NOTIFY=success,delay ORCPT=rfc822;a+2Bb@b.example").RecipientParameters;
        Assert.Equal("SUCCESS,DELAY", parameters.Notify);
        Assert.Equal("rfc822;a+2Bb@b.example", parameters.OriginalRecipient);
        Assert.Equal("NEVER", Command("RCPT TO:<a@b.example> NOTIFY=never").RecipientParameters.Notify);
    }

    [Fact]
    public void Bdat_takes_a_size_and_an_optional_last()
    {
        var chunk = Command("BDAT 1000");
        Assert.Equal((1000L, false), (chunk.ChunkSize, chunk.IsLastChunk));
        var last = Command("bdat 0 last");
        Assert.Equal((0L, true), (last.ChunkSize, last.IsLastChunk));
        Assert.Equal(SmtpCommandKind.Bdat, Parse("BDAT -5").Kind);
        Assert.Same(SmtpReplies.BdatSyntax, Parse("BDAT 5 FIRST").Error);
        Assert.Same(SmtpReplies.BdatSyntax, Parse("BDAT").Error);
    }

    [Fact]
    public void Auth_takes_a_mechanism_and_an_optional_initial_response()
    {
        var plain = Command("auth plain AGFuAHNlY3JldA==");
        Assert.Equal(("PLAIN", "AGFuAHNlY3JldA=="), (plain.Mechanism, plain.InitialResponse));
        var login = Command("AUTH LOGIN");
        Assert.Equal(("LOGIN", null), (login.Mechanism, login.InitialResponse));
        Assert.Same(SmtpReplies.AuthSyntax, Parse("AUTH").Error);
        Assert.Same(SmtpReplies.AuthSyntax, Parse("AUTH PLAIN a b").Error);
    }

    [Fact]
    public void Helo_keeps_the_client_name_and_commands_without_arguments_refuse_them()
    {
        Assert.Equal("client.example", Command("EHLO client.example").Argument);
        Assert.Equal("[192.0.2.1]", Command("HELO [192.0.2.1]").Argument);
        Assert.Same(SmtpReplies.HeloSyntax, Parse("HELO").Error);
        Assert.Same(SmtpReplies.NoParametersAllowed, Parse("QUIT now").Error);
        Assert.Same(SmtpReplies.NoParametersAllowed, Parse("STARTTLS please").Error);
    }
}
