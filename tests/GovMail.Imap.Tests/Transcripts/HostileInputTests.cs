using System.Text;
using System.Text.RegularExpressions;
using GovMail.Imap.Tests.Support;
using Xunit.Abstractions;

namespace GovMail.Imap.Tests.Transcripts;

/// <summary>
/// Commands bent out of shape (characters dropped, brackets, quotes, huge and negative numbers, wildcards, NUL and Vietnamese
/// octets put in, words repeated or swapped), a few thousand of them from a fixed seed, on one logged-in connection: every
/// line gets its answer and the connection stays in step (a NOOP after each one is answered OK), the server logs no error,
/// and the mail is still there, byte for byte. A failure names the seed and the line, so it can be replayed.
/// </summary>
public sealed partial class HostileInputTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int LinesPerSeed = 1000;

    /// <summary>Valid commands of the selected state; none waits for more input (APPEND, IDLE, AUTHENTICATE) or ends the session.</summary>
    private static readonly string[] Corpus =
    [
        "FETCH 1:* (FLAGS UID RFC822.SIZE INTERNALDATE ENVELOPE)",
        "FETCH 2 (BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (SUBJECT FROM DATE)])",
        "UID FETCH 1:* (BODY.PEEK[1.MIME] BODY.PEEK[TEXT]<0.100> BINARY.PEEK[1] BINARY.SIZE[1])",
        "FETCH 1,3:4 (FLAGS) (CHANGEDSINCE 1)",
        "UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)",
        "SEARCH OR FROM \"hành chính\" SUBJECT \"công văn\" NOT SEEN",
        "UID SEARCH RETURN (MIN MAX COUNT ALL) SINCE 1-Jan-2024 BEFORE 1-Jan-2030 LARGER 10 SMALLER 100000",
        "SEARCH CHARSET UTF-8 TEXT \"cong van\" BODY \"báo cáo\" HEADER Message-ID \"tphcm\"",
        "SEARCH UID 1:3,5 KEYWORD $Important UNKEYWORD $Junk MODSEQ 1",
        "SEARCH RETURN (SAVE) FLAGGED",
        "UID SORT (REVERSE DATE SUBJECT) UTF-8 ALL",
        "SORT (DISPLAYFROM SIZE ARRIVAL) UTF-8 SEEN",
        "THREAD REFERENCES UTF-8 ALL",
        "THREAD ORDEREDSUBJECT UTF-8 SUBJECT \"Báo cáo\"",
        "STORE 1:2 +FLAGS (\\Seen $Important)",
        "UID STORE 1:* -FLAGS.SILENT (\\Flagged)",
        "STORE 3 FLAGS (\\Answered \\Draft)",
        "STORE 1 (UNCHANGEDSINCE 1) +FLAGS (\\Flagged)",
        "COPY 1:2 \"Lưu trữ\"",
        "UID COPY 3 Archive",
        "LIST \"\" \"*\"",
        "LIST (SPECIAL-USE) \"\" \"*\" RETURN (STATUS (MESSAGES UNSEEN SIZE))",
        "LSUB \"\" \"%\"",
        "STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ SIZE)",
        "CREATE \"Dự án/Chuyển đổi số\"",
        "CREATE Báo-cáo (USE (\\Archive))",
        "RENAME \"Dự án\" \"Dự án 2026\"",
        "SUBSCRIBE \"Lưu trữ\"",
        "UNSUBSCRIBE \"Lưu trữ\"",
        "EXAMINE INBOX (CONDSTORE)",
        "SELECT INBOX (QRESYNC (1 5 1:5))",
        "SELECT INBOX",
        "CHECK",
        "NAMESPACE",
        "GETQUOTAROOT INBOX",
        "GETQUOTA \"\"",
        "ID (\"name\" \"Thunderbird\" \"version\" \"128.0\")",
        "ENABLE CONDSTORE UTF8=ACCEPT",
        "CAPABILITY",
        "UNSELECT",
    ];

    /// <summary>What a mutation puts into a line.</summary>
    private static readonly string[] Pieces =
    [
        "(", ")", "((", "))", "[", "]", "<", ">", "\"", "\\", "\\\"", "{", "}", "*", ":", ",", "%", "~", " ", "  ", "\t", "\0",
        "0", "-1", "4294967295", "4294967296", "99999999999999999999", "1:*", "*:*", "0:0", "$", "NIL", "()", "\"\"",
        "BODY[", "BODY[1.2.3.4.5.6.7.8.9]", "<0.>", "<4294967295.4294967295>", "HEADER.FIELDS (", "OR", "NOT", "NOT NOT NOT",
        "công văn", "Đ", "\u00ff", "\U0001F4E7", "&AMQ-", "&", "&-", "=?utf-8?b?", "UTF-8", "CHARSET", "CHANGEDSINCE",
    ];

    /// <summary>Commands that would wait for more input or leave the session; a mutation that makes one is sent unmutated.</summary>
    [GeneratedRegex(@"\b(APPEND|IDLE|AUTHENTICATE|LOGIN|LOGOUT|STARTTLS|COMPRESS|UNAUTHENTICATE|DONE|EXPUNGE|MOVE|DELETE)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Unsafe();

    /// <summary>A literal announced at the end of a line (its octets would follow).</summary>
    [GeneratedRegex(@"~?\{[^}]*\}$")]
    private static partial Regex LiteralAtEnd();

    private ImapTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ImapTestServer.StartAsync(o => o.MaxBadCommands = int.MaxValue);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(20261201)]
    [InlineData(7)]
    [InlineData(1434)]
    public async Task Thousands_of_malformed_commands_are_each_answered_and_lose_no_mail(int seed)
    {
        var messages = new List<byte[]> { Fixture.CongVan1434 };
        for (var i = 1; i <= 4; i++) messages.Add(Fixture.Plain($"Báo cáo tuần {i}", $"Nội dung báo cáo công văn số {i}"));
        foreach (var message in messages) await _server.DeliverAsync(message);

        var mutator = new CommandMutator(Pieces, seed);
        var answered = new Dictionary<string, int>();
        await using (var client = await RawImapClient.LoginAsync(_server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword))
        {
            await client.SendAsync("s0 SELECT INBOX\r\n");
            Assert.StartsWith("s0 OK", (await client.ReadUntilTaggedAsync("s0"))[^1]);
            for (var n = 1; n <= LinesPerSeed; n++)
            {
                var (original, mutated) = mutator.Next(Corpus);
                // Never a line that waits for more input or leaves the state; a literal announced at its end is made plain text.
                var line = Unsafe().IsMatch(mutated) || mutated.Trim().Length == 0 ? original
                    : LiteralAtEnd().IsMatch(mutated) ? mutated + " x" : mutated;
                var tag = $"f{n}";
                await client.SendAsync(Encoding.UTF8.GetBytes($"{tag} {line}\r\nz{n} NOOP\r\n"));
                var answer = await client.ReadUntilTaggedAsync($"z{n}");
                var replay = $"seed {seed}, line {n}: {tag} {line.Replace("\0", "\\0")}\n" + string.Join("\n", answer);
                Assert.True(answer[^1].StartsWith($"z{n} OK", StringComparison.Ordinal), replay);
                // The line itself was answered: tagged, or untagged BAD when its tag could not be read.
                Assert.True(answer.Any(l => Regex.IsMatch(l, $"^{tag} (OK|NO|BAD) ") || l.StartsWith("* BAD ", StringComparison.Ordinal)), replay);
                var status = answer.Select(l => Regex.Match(l, $"^(?:{tag}|\\*) (OK|NO|BAD) ")).FirstOrDefault(m => m.Success)?.Groups[1].Value ?? "?";
                answered[status] = answered.GetValueOrDefault(status) + 1;
                Assert.DoesNotContain(answer, l => l.StartsWith("* BYE", StringComparison.Ordinal));
                Assert.DoesNotContain(answer, l => l.StartsWith("+ ", StringComparison.Ordinal));
                if (n % 50 == 0)
                {
                    await client.SendAsync($"r{n} SELECT INBOX\r\n");
                    Assert.StartsWith($"r{n} OK", (await client.ReadUntilTaggedAsync($"r{n}"))[^1]);
                }
            }
        }

        output.WriteLine($"seed {seed}: " + string.Join(", ", answered.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}")));

        // A new connection finds every message whole (UID order is delivery order).
        await using var reader = await RawImapClient.LoginAsync(_server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword);
        await reader.SendAsync("e1 EXAMINE INBOX\r\n");
        Assert.Contains($"* {messages.Count} EXISTS", await reader.ReadUntilTaggedAsync("e1"));
        for (var i = 0; i < messages.Count; i++)
        {
            await reader.SendAsync($"b{i} UID FETCH {i + 1} BODY.PEEK[]\r\n");
            var first = await reader.ReadLineAsync();
            Assert.EndsWith($"BODY[] {{{messages[i].Length}}}", first);
            Assert.Equal(messages[i], await reader.ReadBytesAsync(messages[i].Length));
            Assert.StartsWith($"b{i} OK", (await reader.ReadUntilTaggedAsync($"b{i}"))[^1]);
        }
    }
}
