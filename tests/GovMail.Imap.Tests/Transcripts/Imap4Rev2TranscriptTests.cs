using GovMail.Core.Mail;
using GovMail.Imap.Tests.Support;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Tests.Transcripts;

/// <summary>IMAP4rev2 (RFC 9051): offered beside IMAP4rev1, and what changes for a session that gives ENABLE IMAP4rev2.</summary>
public sealed class Imap4Rev2TranscriptTests : ServerTests
{
    private async Task<RawImapClient> EnabledAsync()
    {
        var client = await RawImapClient.LoginAsync(Server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword);
        await client.SendAsync("e1 ENABLE IMAP4rev2\r\n");
        await client.ExpectAsync("* ENABLED IMAP4rev2", "e1 OK ENABLE completed.");
        return client;
    }

    [Fact]
    public async Task Capability_lists_imap4rev2_beside_imap4rev1_and_enable_turns_it_on_once()
    {
        await using var client = await RawImapClient.LoginAsync(Server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword);
        await client.SendAsync("a1 CAPABILITY\r\na2 ENABLE IMAP4rev2\r\na3 ENABLE IMAP4rev2\r\n");
        var capability = await client.ReadLineAsync();
        Assert.StartsWith("* CAPABILITY IMAP4rev1 IMAP4rev2 ", capability);
        await client.ExpectAsync("a1 OK CAPABILITY completed.", "* ENABLED IMAP4rev2", "a2 OK ENABLE completed.", "* ENABLED", "a3 OK ENABLE completed.");
    }

    [Fact]
    public async Task Select_under_rev2_has_no_recent_nor_unseen_and_names_the_mailbox_with_list()
    {
        await Server.DeliverAsync(Fixture.Plain("Một", "1"));
        var copy = await Server.DeliverAsync(Fixture.Plain("Hai", "2"));
        var inbox = await Server.Queries.FindAsync(await Server.AccountIdAsync(ImapTestServer.An), "INBOX");
        await using var client = await EnabledAsync();
        await client.SendAsync("a1 SELECT INBOX\r\n");
        await client.ExpectAsync(
            "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
            "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.",
            "* 2 EXISTS",
            "* LIST (\\HasNoChildren) \"/\" \"INBOX\"",
            $"* OK [UIDVALIDITY {inbox!.UidValidity}] UIDs valid.",
            "* OK [UIDNEXT 3] Predicted next UID.",
            $"* OK [HIGHESTMODSEQ {copy.ModSeq}] Highest.",
            "a1 OK [READ-WRITE] SELECT completed.");
        // Opening another mailbox closes this one with [CLOSED] first (RFC 9051 section 6.3.2).
        await client.SendAsync("a2 EXAMINE Sent\r\n");
        await client.ExpectAsync("* OK [CLOSED] Previous mailbox closed.", "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)");
        var rest = await client.ReadUntilTaggedAsync("a2");
        Assert.Contains("* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent\"", rest);
        Assert.DoesNotContain(rest, l => l.Contains("RECENT") || l.Contains("UNSEEN"));
    }

    [Fact]
    public async Task Search_answers_with_esearch_and_status_takes_deleted_and_size_but_not_recent()
    {
        DeliveredCopy? copy = null;
        for (var i = 1; i <= 4; i++) copy = await Server.DeliverAsync(Fixture.Plain($"Thư {i}", $"{i}"));
        await Server.Store.StoreFlagsAsync(copy!.MailboxId, [2, 3], new FlagChange(FlagOperation.Add, MessageFlags.Deleted, []), null);
        var size = Fixture.Plain("Thư 1", "1").Length * 4;
        await using var client = await EnabledAsync();
        await client.SendAsync("a1 STATUS INBOX (MESSAGES DELETED SIZE)\r\na2 STATUS INBOX (RECENT)\r\na3 SELECT INBOX\r\n");
        await client.ExpectAsync($"* STATUS \"INBOX\" (MESSAGES 4 DELETED 2 SIZE {size})", "a1 OK STATUS completed.",
            "a2 BAD IMAP4rev2 has no RECENT status item.");
        await client.ReadUntilTaggedAsync("a3");
        await client.SendAsync("a4 SEARCH DELETED\r\na5 UID SEARCH UNDELETED\r\na6 SEARCH KEYWORD $Junk\r\na7 SEARCH RETURN (COUNT) ALL\r\n");
        await client.ExpectAsync(
            "* ESEARCH (TAG \"a4\") ALL 2:3", "a4 OK SEARCH completed.",
            "* ESEARCH (TAG \"a5\") UID ALL 1,4", "a5 OK SEARCH completed.",
            "* ESEARCH (TAG \"a6\")", "a6 OK SEARCH completed.",
            "* ESEARCH (TAG \"a7\") COUNT 4", "a7 OK SEARCH completed.");
    }

    [Fact]
    public async Task Mailbox_names_are_utf8_delete_with_children_says_haschildren_and_recursivematch_gives_childinfo()
    {
        await using var client = await EnabledAsync();
        await client.SendAsync(
            "a1 CREATE \"Công văn đến/2024\"\r\n" +
            "a2 LIST \"\" \"Công*\"\r\n" +
            "a3 DELETE \"Công văn đến\"\r\n" +
            "a4 UNSUBSCRIBE \"Công văn đến\"\r\n" +
            "a5 SUBSCRIBE \"Công văn đến/2024\"\r\n" +
            "a6 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"Công%\"\r\n" +
            "a7 LIST (SUBSCRIBED) \"\" \"Công%\"\r\n");
        await client.ExpectAsync(
            "a1 OK CREATE completed.",
            "* LIST (\\HasChildren) \"/\" \"Công văn đến\"", "* LIST (\\HasNoChildren) \"/\" \"Công văn đến/2024\"", "a2 OK LIST completed.",
            "a3 NO [HASCHILDREN] Delete the mailboxes inside it first.",
            "a4 OK UNSUBSCRIBE completed.",
            "a5 OK SUBSCRIBE completed.",
            "* LIST (\\HasChildren) \"/\" \"Công văn đến\" (\"CHILDINFO\" (\"SUBSCRIBED\"))", "a6 OK LIST completed.",
            "a7 OK LIST completed.");
    }
}
