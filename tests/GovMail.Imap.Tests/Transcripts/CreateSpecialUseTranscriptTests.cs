using GovMail.Imap.Tests.Support;

namespace GovMail.Imap.Tests.Transcripts;

/// <summary>CREATE-SPECIAL-USE (RFC 6154 section 3): a mailbox made with its special use, and the uses refused with [USEATTR].</summary>
public sealed class CreateSpecialUseTranscriptTests : ServerTests
{
    [Fact]
    public async Task Create_with_use_archive_makes_an_archive_mailbox_and_refuses_other_uses_with_useattr()
    {
        await using var client = await RawImapClient.LoginAsync(Server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword);
        await client.SendAsync(
            "a1 CREATE \"L&AbA-u tr&Hu8- 2024\" (USE (\\Archive))\r\n" +
            "a2 LIST (SPECIAL-USE) \"\" \"L*\"\r\n" +
            // The RFC's own example: this server keeps no virtual \All mailbox.
            "t1 CREATE MySpecial (USE (\\Drafts \\Sent))\r\n" +
            "t2 CREATE Everything (USE (\\All))\r\n" +
            "t3 CREATE \"Sent 2\" (USE (\\Sent))\r\n" +
            "t4 CREATE Colour (USE (\\Purple))\r\n" +
            "t5 CREATE Plain (USE ())\r\n" +
            "t6 CREATE Odd (COLOR (red))\r\n" +
            "t7 LIST \"\" \"*\"\r\n" +
            "t8 DELETE \"L&AbA-u tr&Hu8- 2024\"\r\n" +
            "t9 DELETE Archive\r\n");
        await client.ExpectAsync(
            "a1 OK CREATE completed.",
            "* LIST (\\HasNoChildren \\Archive) \"/\" \"L&AbA-u tr&Hu8- 2024\"",
            "a2 OK LIST completed.",
            "t1 NO [USEATTR] A mailbox can have only one special use.",
            "t2 NO [USEATTR] That special use is not supported.",
            "t3 NO [USEATTR] You already have the mailbox for \\Sent.",
            "t4 NO [USEATTR] That special use is not supported.",
            "t5 OK CREATE completed.",
            "t6 BAD Unknown CREATE parameter.");
        var list = await client.ReadUntilTaggedAsync("t7");
        Assert.DoesNotContain(list, l => l.Contains("MySpecial") || l.Contains("Everything") || l.Contains("Sent 2") || l.Contains("Colour"));
        Assert.Contains("* LIST (\\HasNoChildren) \"/\" \"Plain\"", list);
        // An archive folder the user made can go again; the one every account is issued with stays.
        await client.ExpectAsync("t8 OK DELETE completed.", "t9 NO [CANNOT] INBOX, Sent, Drafts, Trash, Junk and Archive cannot be deleted.");
    }
}
