using GovMail.Imap.Tests.Support;

namespace GovMail.Imap.Tests.Transcripts;

/// <summary>LITERAL- (RFC 7888 section 4): non-synchronizing literals up to 4096 octets, a larger one refused and read past.</summary>
public sealed class LiteralMinusTranscriptTests : IAsyncLifetime
{
    private ImapTestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await ImapTestServer.StartAsync(o => o.NonSynchronizingLiterals = NonSynchronizingLiterals.LiteralMinus);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Literal_minus_is_advertised_instead_of_literal_plus()
    {
        await using var client = await RawImapClient.ConnectAsync(_server.Imaps, tls: true);
        var greeting = await client.ReadLineAsync();
        Assert.Contains(" LITERAL- ", greeting);
        Assert.DoesNotContain("LITERAL+", greeting);
    }

    [Fact]
    public async Task Non_synchronizing_literals_up_to_4096_octets_are_taken_and_larger_ones_refused_with_toobig()
    {
        await using var client = await RawImapClient.LoginAsync(_server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword);
        var note = new string('a', 4096);
        const string id = "* ID (\"name\" \"GovMail\" \"vendor\" \"GovMail\")";
        await client.SendAsync($"a1 ID (\"note\" {{4096+}}\r\n{note})\r\n");
        await client.ExpectAsync(id, "a1 OK ID completed.");

        // 4097 octets: sent without waiting, so the server reads past them and the rest of the command, then refuses it.
        await client.SendAsync($"a2 ID (\"note\" {{4097+}}\r\n{note}b)\r\na3 NOOP\r\n");
        await client.ExpectAsync(
            "a2 BAD [TOOBIG] Non-synchronizing literals above 4096 octets are not accepted (LITERAL-); send it as a synchronizing literal.",
            "a3 OK NOOP completed.");
        // The same size as a synchronizing literal is fine.
        await client.SendAsync("a4 ID (\"note\" {4097}\r\n");
        await client.ExpectAsync("+ Ready for literal data.");
        await client.SendAsync($"{note}b)\r\n");
        await client.ExpectAsync(id, "a4 OK ID completed.");

        // An APPEND message is a literal too: above the limit it must be synchronizing, and nothing is stored.
        var message = SearchExtensionTranscriptTests.Letter("Thư dài", 5, "an@tphcm.gov.vn", "long");
        var big = new byte[message.Length + 5000];
        message.CopyTo(big, 0);
        Array.Fill(big, (byte)'x', message.Length, 4998);
        big[^2] = (byte)'\r';
        big[^1] = (byte)'\n';
        await client.SendAsync($"a5 APPEND INBOX {{{big.Length}+}}\r\n");
        await client.SendAsync(big);
        await client.SendAsync("\r\na6 STATUS INBOX (MESSAGES)\r\n");
        await client.ExpectAsync(
            "a5 BAD [TOOBIG] Non-synchronizing literals above 4096 octets are not accepted (LITERAL-); send it as a synchronizing literal.",
            "* STATUS \"INBOX\" (MESSAGES 0)", "a6 OK STATUS completed.");
    }
}
