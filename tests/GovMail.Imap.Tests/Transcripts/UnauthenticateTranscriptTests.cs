using GovMail.Imap.Tests.Support;

namespace GovMail.Imap.Tests.Transcripts;

/// <summary>UNAUTHENTICATE (RFC 8437): back to the not-authenticated state on the same TLS connection, then a new login.</summary>
public sealed class UnauthenticateTranscriptTests : ServerTests
{
    [Fact]
    public async Task Unauthenticate_forgets_the_user_and_what_was_enabled_and_leaves_deleted_messages_in_place()
    {
        await Server.DeliverAsync(Fixture.Plain("Công văn số 12", "Nội dung."));
        await using var client = await RawImapClient.ConnectAsync(Server.Imaps, tls: true);
        var greeting = await client.ReadLineAsync();
        Assert.DoesNotContain("UNAUTHENTICATE", greeting);
        await client.SendAsync("a0 UNAUTHENTICATE\r\n");
        await client.ExpectAsync("a0 BAD Log in first.");

        await client.SendAsync($"a1 LOGIN {ImapTestServer.An} \"{ImapTestServer.AnPassword}\"\r\n");
        Assert.Contains(" UNAUTHENTICATE ", (await client.ReadUntilTaggedAsync("a1"))[^1]);
        await client.SendAsync("a2 ENABLE UTF8=ACCEPT CONDSTORE\r\n");
        await client.ExpectAsync("* ENABLED UTF8=ACCEPT CONDSTORE", "a2 OK ENABLE completed.");
        await client.SendAsync("a3 SELECT INBOX\r\n");
        Assert.Contains("* 1 EXISTS", await client.ReadUntilTaggedAsync("a3"));
        await client.SendAsync("a4 STORE 1 +FLAGS.SILENT (\\Deleted)\r\n");
        Assert.Equal("a4 OK STORE completed.", (await client.ReadUntilTaggedAsync("a4"))[^1]);

        await client.SendAsync("a5 UNAUTHENTICATE\r\n");
        await client.ExpectAsync("a5 OK UNAUTHENTICATE completed.");
        // Not authenticated any more: no mailbox commands, AUTH=PLAIN offered again, no second UNAUTHENTICATE.
        await client.SendAsync("a6 SELECT INBOX\r\na7 CAPABILITY\r\na8 UNAUTHENTICATE\r\n");
        await client.ExpectAsync("a6 BAD Log in first.");
        var capability = await client.ReadLineAsync();
        Assert.Contains(" AUTH=PLAIN ", capability);
        Assert.DoesNotContain("UNAUTHENTICATE", capability);
        await client.ExpectAsync("a7 OK CAPABILITY completed.", "a8 BAD Log in first.");

        // A new login goes through the account policy again (Chi's account is locked)…
        await client.SendAsync($"a9 LOGIN {ImapTestServer.Chi} \"{ImapTestServer.ChiPassword}\"\r\n");
        Assert.StartsWith("a9 NO ", (await client.ReadUntilTaggedAsync("a9"))[^1]);
        // …and the first user starts afresh: what was ENABLEd is off again, INBOX was left without expunging, as UNSELECT does.
        await client.SendAsync($"a10 LOGIN {ImapTestServer.An} \"{ImapTestServer.AnPassword}\"\r\n");
        Assert.EndsWith("] Logged in.", (await client.ReadUntilTaggedAsync("a10"))[^1]);
        await client.SendAsync("a11 ENABLE UTF8=ACCEPT\r\n");
        await client.ExpectAsync("* ENABLED UTF8=ACCEPT", "a11 OK ENABLE completed.");
        await client.SendAsync("a14 SELECT INBOX\r\n");
        Assert.Contains("* 1 EXISTS", await client.ReadUntilTaggedAsync("a14"));
        await client.SendAsync("a15 FETCH 1 (FLAGS)\r\n");
        Assert.Matches(@"^\* 1 FETCH \(FLAGS \(\\Deleted( \\Recent)?\)\)$", (await client.ReadUntilTaggedAsync("a15"))[0]);
    }
}
