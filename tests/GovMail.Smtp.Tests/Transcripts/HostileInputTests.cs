using System.Text;
using System.Text.RegularExpressions;
using GovMail.Smtp.Tests.Support;
using Xunit.Abstractions;

namespace GovMail.Smtp.Tests.Transcripts;

/// <summary>
/// Envelope commands bent out of shape (characters dropped, brackets, quotes, NUL, Vietnamese octets, huge sizes, overlong
/// lines put in, words repeated or swapped), a few thousand from a fixed seed, on one MX connection: each line gets exactly
/// one reply and the session stays in step (a NOOP after each is answered 250), nothing is delivered by them, the server
/// logs no error, and a real message sent afterwards arrives whole. A failure names the seed and the line to replay.
/// </summary>
public sealed partial class HostileInputTests(ITestOutputHelper output)
{
    private const int LinesPerSeed = 1000;

    /// <summary>Valid commands of an SMTP session that neither carry content (DATA, BDAT) nor change the connection (STARTTLS, AUTH, QUIT).</summary>
    private static readonly string[] Corpus =
    [
        "EHLO client.example",
        "HELO client.example",
        "EHLO [192.0.2.10]",
        "MAIL FROM:<sender@example.org>",
        "MAIL FROM:<sender@example.org> SIZE=2048 BODY=8BITMIME",
        "MAIL FROM:<người.gửi@example.org> SMTPUTF8 RET=HDRS ENVID=QQ314159",
        "MAIL FROM:<>",
        "RCPT TO:<an@govmail.test>",
        "RCPT TO:<an@govmail.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;an@govmail.test",
        "RCPT TO:<@relay.example.org:an@govmail.test>",
        "RCPT TO:<Postmaster>",
        "RCPT TO:<someone@example.com>",
        "RSET",
        "NOOP",
        "VRFY an",
        "EXPN staff",
        "HELP",
        "HELP MAIL",
    ];

    private static readonly string[] Pieces =
    [
        "<", ">", "<<", ">>", "\"", "\\", ":", "@", "@@", "[", "]", "(", ")", ",", "=", " ", "  ", "\t", "\0", "%", "!",
        "0", "-1", "99999999999999999999", "SIZE=", "SIZE=18446744073709551616", "BODY=BINARYMIME", "SMTPUTF8", "NOTIFY=NEVER,SUCCESS",
        "ORCPT=", "ORCPT=rfc822;", "+2B", "+ZZ", "RET=", "ENVID=", "xtext+", "công văn", "Đ", "\u00ff", "\U0001F4E7", "\u200b",
        new string('a', 300), new string('x', 1100), "an@govmail.test", "example.org", "MAIL FROM:", "RCPT TO:",
    ];

    /// <summary>What must not be sent mutated: content, TLS, login and goodbye.</summary>
    [GeneratedRegex(@"^\s*(DATA|BDAT|STARTTLS|AUTH|QUIT)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Unsafe();

    [GeneratedRegex(@"^[245][0-9]{2}[ -]")]
    private static partial Regex ReplyCode();

    [Theory]
    [InlineData(20261201)]
    [InlineData(25)]
    [InlineData(587)]
    public async Task Thousands_of_malformed_commands_are_each_answered_once_and_deliver_nothing(int seed)
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxBadCommands = int.MaxValue);
        var mutator = new CommandMutator(Pieces, seed);
        var answered = new Dictionary<char, int>();
        await using (var client = await RawSmtpClient.ConnectAsync(server.Mx))
        {
            await client.GreetAsync();
            for (var n = 1; n <= LinesPerSeed; n++)
            {
                var (original, mutated) = mutator.Next(Corpus);
                // Content, TLS, login and goodbye are not sent bent: the line would stop being one command.
                var line = Unsafe().IsMatch(mutated) ? original : mutated;
                await client.SendAsync(Encoding.UTF8.GetBytes(line + "\r\nNOOP\r\n"));
                var reply = await client.ReadReplyAsync();
                var noop = await client.ReadReplyAsync();
                var replay = $"seed {seed}, line {n}: {line.Replace("\0", "\\0")}\n{reply}{noop}";
                Assert.Matches(ReplyCode(), reply);
                Assert.False(reply.StartsWith("421", StringComparison.Ordinal), replay);
                Assert.True(noop.StartsWith("250 ", StringComparison.Ordinal), replay);
                answered[reply[0]] = answered.GetValueOrDefault(reply[0]) + 1;
            }
        }
        output.WriteLine($"seed {seed}: " + string.Join(", ", answered.OrderBy(p => p.Key).Select(p => $"{p.Key}xx {p.Value}")));
        Assert.Empty(server.Sink.Messages);

        // The server still delivers a message whole after all that.
        await using (var client = await RawSmtpClient.ConnectAsync(server.Mx))
        {
            await client.GreetAsync();
            await client.CommandAsync("MAIL FROM:<sender@example.org>", Replies.SenderOk);
            await client.CommandAsync("RCPT TO:<an@govmail.test>", Replies.RecipientOk);
            await client.CommandAsync("DATA", Replies.StartData);
            const string message = "From: sender@example.org\r\nTo: an@govmail.test\r\nSubject: Sau khi thử\r\n\r\nNội dung còn nguyên.\r\n";
            await client.SendAsync(message + ".\r\n");
            await client.ExpectAsync(Replies.Delivered);
            await client.CommandAsync("QUIT", Replies.Closing);
        }
        Assert.Equal("From: sender@example.org\r\nTo: an@govmail.test\r\nSubject: Sau khi thử\r\n\r\nNội dung còn nguyên.\r\n",
            Encoding.UTF8.GetString(server.Sink.Single().Content));
        var errors = server.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error).Select(e => e.Message).ToList();
        Assert.True(errors.Count == 0, "the server logged errors:\n" + string.Join("\n", errors));
    }
}
