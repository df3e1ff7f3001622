using System.Text;
using System.Text.RegularExpressions;
using GovMail.Imap.Tests.Support;

namespace GovMail.Imap.Tests.Transcripts;

/// <summary>
/// Messages built to break parsers (multiparts nested hundreds deep, boundaries missing or empty, broken base64 and
/// quoted-printable, unknown charsets and encoded words, a header line of 20,000 octets, NUL and bare CR/LF, messages inside
/// messages, no body, no headers) are delivered as SMTP delivers them and then fetched every way a client asks: each answer
/// is OK (or NO where RFC 3516 says so), the connection stays, BODY[] gives back every octet, and the server logs no error.
/// </summary>
public sealed partial class HostileMessageTests : IAsyncLifetime
{
    private ImapTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ImapTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Messages_built_to_break_parsers_are_stored_whole_and_fetched_every_way()
    {
        var messages = HostileMessages.All().ToList();
        foreach (var (_, bytes) in messages) await _server.DeliverAsync(bytes);

        await using var client = await RawImapClient.LoginAsync(_server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword);
        await client.SendAsync("s1 SELECT INBOX\r\n");
        Assert.Contains($"* {messages.Count} EXISTS", await client.ReadUntilTaggedAsync("s1"));
        var commands = new[]
        {
            "FETCH 1:* (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)", "FETCH 1:* (BODY)",
            "FETCH 1:* (BODY.PEEK[HEADER] BODY.PEEK[HEADER.FIELDS (SUBJECT FROM DATE)] BODY.PEEK[TEXT]<0.200>)",
            "FETCH 1:* (BODY.PEEK[1] BODY.PEEK[1.MIME] BODY.PEEK[2.1.1] BODY.PEEK[1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1])",
            "SEARCH TEXT \"công văn\"", "SEARCH BODY \"đáy\"", "SEARCH FROM \"example\" HEADER Subject \"nul\"",
            "SORT (SUBJECT FROM DATE) UTF-8 ALL", "THREAD REFERENCES UTF-8 ALL",
        };
        for (var i = 0; i < commands.Length; i++)
        {
            await client.SendAsync($"c{i} {commands[i]}\r\n");
            var answer = await client.ReadUntilTaggedAsync($"c{i}");
            Assert.True(answer[^1].StartsWith($"c{i} OK", StringComparison.Ordinal), $"{commands[i]}: {answer[^1]}");
        }
        // BINARY decodes: an encoding it cannot undo is NO [UNKNOWN-CTE] (RFC 3516), never BAD or a closed connection.
        for (var n = 1; n <= messages.Count; n++)
        {
            await client.SendAsync($"b{n} FETCH {n} (BINARY.PEEK[1] BINARY.SIZE[1])\r\n");
            var answer = await client.ReadUntilTaggedAsync($"b{n}");
            Assert.Matches(UnknownCteOrOk(), answer[^1]);
        }

        // Every octet comes back as it was delivered.
        for (var n = 1; n <= messages.Count; n++)
        {
            var (name, bytes) = messages[n - 1];
            await client.SendAsync($"w{n} UID FETCH {n} BODY.PEEK[]\r\n");
            var first = await client.ReadLineAsync();
            Assert.True(first!.EndsWith($"BODY[] {{{bytes.Length}}}", StringComparison.Ordinal), $"{name}: {first}");
            var back = await client.ReadBytesAsync(bytes.Length);
            Assert.True(bytes.SequenceEqual(back), name);
            Assert.StartsWith($"w{n} OK", (await client.ReadUntilTaggedAsync($"w{n}"))[^1]);
        }
    }

    [GeneratedRegex(@"^b[0-9]+ (OK|NO \[UNKNOWN-CTE\])")]
    private static partial Regex UnknownCteOrOk();
}
