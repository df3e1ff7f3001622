using System.Text;
using GovMail.Core.Mail;
using GovMail.Imap.Tests.Support;
using GovMail.Storage.Mail;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Imap.Tests.Transcripts;

/// <summary>SELECT, LIST, STATUS, FETCH, STORE, APPEND and IDLE as exact exchanges.</summary>
public sealed class MailboxTranscriptTests : IAsyncLifetime
{
    private ImapTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ImapTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<RawImapClient> LoginAsync() => RawImapClient.LoginAsync(_server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword);

    [Fact]
    public async Task List_shows_special_use_children_subscriptions_and_status()
    {
        await _server.DeliverAsync(Fixture.Plain("Một", "1"));
        await using var client = await LoginAsync();
        await client.SendAsync("a1 CREATE \"C&APQ-ng v&AQM-n &AREevw-n/2024\"\r\n");
        await client.ExpectAsync("a1 OK CREATE completed.");
        await client.SendAsync("a2 LIST \"\" *\r\n");
        await client.ExpectAsync(
            "* LIST (\\HasNoChildren \\Archive) \"/\" \"Archive\"",
            "* LIST (\\HasChildren) \"/\" \"C&APQ-ng v&AQM-n &AREevw-n\"",
            "* LIST (\\HasNoChildren) \"/\" \"C&APQ-ng v&AQM-n &AREevw-n/2024\"",
            "* LIST (\\HasNoChildren \\Drafts) \"/\" \"Drafts\"",
            "* LIST (\\HasNoChildren) \"/\" \"INBOX\"",
            "* LIST (\\HasNoChildren \\Junk) \"/\" \"Junk\"",
            "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent\"",
            "* LIST (\\HasNoChildren \\Trash) \"/\" \"Trash\"",
            "a2 OK LIST completed.");
        await client.SendAsync("a3 LIST \"\" %\r\n");
        Assert.Equal(8, (await client.ReadUntilTaggedAsync("a3")).Count);
        await client.SendAsync("a4 LIST \"\" \"\"\r\n");
        await client.ExpectAsync("* LIST (\\Noselect) \"/\" \"\"", "a4 OK LIST completed.");
        await client.SendAsync("a5 LIST (SPECIAL-USE) \"\" * RETURN (STATUS (MESSAGES UNSEEN))\r\n");
        await client.ExpectAsync(
            "* LIST (\\HasNoChildren \\Archive) \"/\" \"Archive\"", "* STATUS \"Archive\" (MESSAGES 0 UNSEEN 0)",
            "* LIST (\\HasNoChildren \\Drafts) \"/\" \"Drafts\"", "* STATUS \"Drafts\" (MESSAGES 0 UNSEEN 0)",
            "* LIST (\\HasNoChildren \\Junk) \"/\" \"Junk\"", "* STATUS \"Junk\" (MESSAGES 0 UNSEEN 0)",
            "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent\"", "* STATUS \"Sent\" (MESSAGES 0 UNSEEN 0)",
            "* LIST (\\HasNoChildren \\Trash) \"/\" \"Trash\"", "* STATUS \"Trash\" (MESSAGES 0 UNSEEN 0)",
            "a5 OK LIST completed.");
        await client.SendAsync("a6 UNSUBSCRIBE Junk\r\na7 LSUB \"\" J*\r\na8 LIST (SUBSCRIBED) \"\" INBOX\r\n");
        await client.ExpectAsync("a6 OK UNSUBSCRIBE completed.", "a7 OK LSUB completed.",
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"INBOX\"", "a8 OK LIST completed.");
        await client.SendAsync("a9 STATUS INBOX (MESSAGES UIDNEXT UNSEEN SIZE RECENT)\r\n");
        var size = Fixture.Plain("Một", "1").Length;
        var status = await client.ReadUntilTaggedAsync("a9");
        Assert.Equal([$"* STATUS \"INBOX\" (MESSAGES 1 RECENT 0 UIDNEXT 2 UNSEEN 1 SIZE {size})", "a9 OK STATUS completed."], status);
    }

    [Fact]
    public async Task Select_reports_flags_counts_uids_and_modseq()
    {
        await _server.DeliverAsync(Fixture.Plain("Một", "1"));
        var copy = await _server.DeliverAsync(Fixture.Plain("Hai", "2"));
        await using var client = await LoginAsync();
        var inbox = await _server.Queries.FindAsync(await _server.AccountIdAsync(ImapTestServer.An), "INBOX");
        await client.SendAsync("a1 SELECT inbox\r\n");
        await client.ExpectAsync(
            "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
            "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.",
            "* 2 EXISTS",
            "* 0 RECENT",
            "* OK [UNSEEN 1] First unseen.",
            $"* OK [UIDVALIDITY {inbox!.UidValidity}] UIDs valid.",
            "* OK [UIDNEXT 3] Predicted next UID.",
            $"* OK [HIGHESTMODSEQ {copy.ModSeq}] Highest.",
            "a1 OK [READ-WRITE] SELECT completed.");
        await client.SendAsync("a2 EXAMINE Nowhere\r\na3 FETCH 1 FLAGS\r\n");
        await client.ExpectAsync("a2 NO [NONEXISTENT] No such mailbox.", "a3 BAD No mailbox selected.");
        await client.SendAsync("a4 EXAMINE INBOX\r\n");
        var lines = await client.ReadUntilTaggedAsync("a4");
        Assert.Contains("* OK [PERMANENTFLAGS ()] No permanent flags permitted.", lines);
        Assert.Equal("a4 OK [READ-ONLY] EXAMINE completed.", lines[^1]);
        await client.SendAsync("a5 STORE 1 +FLAGS (\\Seen)\r\na6 FETCH 1 BODY[TEXT]\r\na7 FETCH 1 FLAGS\r\n");
        await client.ExpectAsync("a5 NO [CANNOT] The mailbox is open read-only (EXAMINE).", "* 1 FETCH (BODY[TEXT] {3}", "1", ")",
            "a6 OK FETCH completed.", "* 1 FETCH (FLAGS ())", "a7 OK FETCH completed.");
    }

    [Fact]
    public async Task Fetch_and_store_answer_with_exact_items()
    {
        var message = Fixture.CongVan1434;
        await _server.DeliverAsync(message);
        await using var client = await LoginAsync();
        await client.SendAsync("a1 SELECT INBOX\r\n");
        await client.ReadUntilTaggedAsync("a1");
        await client.SendAsync("a2 FETCH 1 (UID RFC822.SIZE FLAGS BODY.PEEK[2.MIME] BODY[2]<0.4>)\r\n");
        var mime = "Content-Type: application/pdf; name=\"cv1434.pdf\"\r\nContent-Disposition: attachment; filename*=utf-8''C%C3%B4ng%20v%C4%83n%201434.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n";
        Assert.Equal($"* 1 FETCH (UID 1 FLAGS (\\Seen) RFC822.SIZE {message.Length} BODY[2.MIME] {{{Encoding.UTF8.GetByteCount(mime)}}}", await client.ReadLineAsync());
        Assert.Equal(mime, Encoding.UTF8.GetString(await client.ReadBytesAsync(Encoding.UTF8.GetByteCount(mime))));
        // BODY[2] without PEEK set \Seen before anything was written, so FLAGS already shows it.
        await client.ExpectAsync(" BODY[2]<0> {4}");
        Assert.Equal("JVBE", Encoding.ASCII.GetString(await client.ReadBytesAsync(4)));
        await client.ExpectAsync(")", "a2 OK FETCH completed.");
        await client.SendAsync("a3 FETCH 1 FLAGS\r\n");
        await client.ExpectAsync("* 1 FETCH (FLAGS (\\Seen))", "a3 OK FETCH completed.");

        await client.SendAsync("a4 STORE 1 +FLAGS (\\Flagged DaXuLy)\r\na5 UID STORE 1 -FLAGS.SILENT (\\Seen)\r\na6 STORE 1:* FLAGS (\\Deleted)\r\n");
        await client.ExpectAsync("* 1 FETCH (FLAGS (\\Flagged \\Seen DaXuLy))", "a4 OK STORE completed.", "a5 OK STORE completed.",
            "* 1 FETCH (FLAGS (\\Deleted))", "a6 OK STORE completed.");
        await client.SendAsync("a7 UID FETCH 1 (INTERNALDATE BODY.PEEK[HEADER.FIELDS (CC)])\r\n");
        var line = await client.ReadLineAsync();
        Assert.Matches(@"^\* 1 FETCH \(UID 1 INTERNALDATE ""[ \d]\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d \+0700"" BODY\[HEADER\.FIELDS \(CC\)\] \{25\}$", line);
        await client.ExpectAsync("Cc: binh@tphcm.gov.vn", "", ")", "a7 OK FETCH completed.");
        await client.SendAsync("a8 EXPUNGE\r\n");
        await client.ExpectAsync("* 1 EXPUNGE", "a8 OK EXPUNGE completed.");
    }

    [Fact]
    public async Task Append_streams_the_literal_and_a_client_that_leaves_midway_stores_nothing()
    {
        var message = Fixture.Plain("Lưu nháp", "Nội dung nháp");
        await using (var client = await LoginAsync())
        {
            await client.SendAsync($"a1 APPEND Drafts (\\Draft) {{{message.Length}}}\r\n");
            await client.ExpectAsync("+ Ready for the message.");
            await client.SendAsync(message);
            await client.SendAsync("\r\n");
            var inbox = await _server.Queries.FindAsync(await _server.AccountIdAsync(ImapTestServer.An), "Drafts");
            await client.ExpectAsync($"a1 OK [APPENDUID {inbox!.UidValidity} 1] APPEND completed.");

            await client.SendAsync($"a2 APPEND Nowhere {{{message.Length}}}\r\n");
            await client.ExpectAsync("a2 NO [TRYCREATE] No such mailbox.");
            await client.SendAsync($"a3 APPEND Nowhere {{{message.Length}+}}\r\n");
            await client.SendAsync(message);
            await client.SendAsync("\r\na4 NOOP\r\n");
            await client.ExpectAsync("a3 NO [TRYCREATE] No such mailbox.", "a4 OK NOOP completed.");
            await client.SendAsync("a5 APPEND INBOX {60000000}\r\n");
            await client.ExpectAsync("a5 NO [TOOBIG] Message larger than APPENDLIMIT.");
        }
        var blobsBefore = Directory.GetFiles(_server.Blobs.Root, "*", SearchOption.AllDirectories).Length;
        await using (var client = await LoginAsync())
        {
            await client.SendAsync($"b1 APPEND INBOX {{{message.Length}+}}\r\n");
            await client.SendAsync(message.AsSpan(0, 20).ToArray());
        }
        // Nothing was filed: INBOX is still empty and no blob was left behind, once the server noticed.
        await using var db = _server.Database.Database.Open();
        var account = await _server.AccountIdAsync(ImapTestServer.An);
        for (var i = 0; i < 300 && _server.Server.ConnectionCount > 0; i++) await Task.Delay(20);
        Assert.Equal(0, (await _server.Queries.StatusAsync((await _server.Queries.FindAsync(account, "INBOX"))!)).Messages);
        Assert.Equal(blobsBefore, Directory.GetFiles(_server.Blobs.Root, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task Append_over_quota_is_refused_with_overquota_and_stores_nothing_until_the_quota_is_raised()
    {
        var message = Fixture.Plain("Báo cáo quý", "Nội dung báo cáo");
        var account = await _server.AccountIdAsync(ImapTestServer.An);
        await _server.SetQuotaAsync(ImapTestServer.An, message.Length + 10);
        var inbox = (await _server.Queries.FindAsync(account, "INBOX"))!;
        await using var client = await LoginAsync();
        await client.SendAsync($"a1 APPEND INBOX {{{message.Length}}}\r\n");
        await client.ExpectAsync("+ Ready for the message.");
        await client.SendAsync(message);
        await client.SendAsync("\r\n");
        await client.ExpectAsync($"a1 OK [APPENDUID {inbox.UidValidity} 1] APPEND completed.");
        var blobs = Directory.GetFiles(_server.Blobs.Root, "*", SearchOption.AllDirectories).Length;

        // Full now: refused before the message is sent (no continuation), or read past when it comes without waiting.
        await client.SendAsync($"a2 APPEND INBOX {{{message.Length}}}\r\n");
        await client.ExpectAsync("a2 NO [OVERQUOTA] Not enough room in your mailbox (quota).");
        await client.SendAsync($"a3 APPEND INBOX {{{message.Length}+}}\r\n");
        await client.SendAsync(message);
        await client.SendAsync("\r\na4 STATUS INBOX (MESSAGES)\r\n");
        await client.ExpectAsync("a3 NO [OVERQUOTA] Not enough room in your mailbox (quota).", "* STATUS \"INBOX\" (MESSAGES 1)", "a4 OK STATUS completed.");

        // Another node filled the mailbox behind this one's back: the early check cannot know, the writer refuses under its lock.
        await _server.SetQuotaAsync(ImapTestServer.An, 3L * message.Length);
        Assert.True(await _server.Store.MayHaveRoomAsync(account, message.Length));
        await using (var db = _server.Database.Database.Open())
            await db.QuotaUsage.Where(q => q.AccountId == account).ExecuteUpdateAsync(s => s.SetProperty(q => q.UsedBytes, q => q.UsedBytes + 2L * message.Length));
        await client.SendAsync($"a6 APPEND INBOX {{{message.Length}}}\r\n");
        await client.ExpectAsync("+ Ready for the message.");
        await client.SendAsync(message);
        await client.SendAsync("\r\na7 STATUS INBOX (MESSAGES)\r\n");
        await client.ExpectAsync("a6 NO [OVERQUOTA] Not enough room in your mailbox (quota).", "* STATUS \"INBOX\" (MESSAGES 1)", "a7 OK STATUS completed.");
        Assert.Equal(blobs, Directory.GetFiles(_server.Blobs.Root, "*", SearchOption.AllDirectories).Length);

        // Raised once more by the administrator: taken at once.
        await _server.SetQuotaAsync(ImapTestServer.An, 10L * message.Length);
        await client.SendAsync($"a8 APPEND INBOX {{{message.Length}}}\r\n");
        await client.ExpectAsync("+ Ready for the message.");
        await client.SendAsync(message);
        await client.SendAsync("\r\n");
        await client.ExpectAsync($"a8 OK [APPENDUID {inbox.UidValidity} 2] APPEND completed.");
    }

    [Fact]
    public async Task Own_changes_are_answered_without_repeats_and_others_changes_still_arrive()
    {
        await _server.DeliverAsync(Fixture.Plain("Một", "1"));
        var message = Fixture.Plain("Tự lưu", "Nội dung");
        await using var client = await LoginAsync();
        await using var other = await LoginAsync();
        await client.SendAsync("a1 SELECT INBOX\r\n");
        await client.ReadUntilTaggedAsync("a1");
        var inbox = await _server.Queries.FindAsync(await _server.AccountIdAsync(ImapTestServer.An), "INBOX");

        // The session's own APPEND into its selected mailbox: EXISTS once, before the tagged answer; a NOOP after it adds nothing.
        await client.SendAsync($"a2 APPEND INBOX {{{message.Length}}}\r\n");
        await client.ExpectAsync("+ Ready for the message.");
        await client.SendAsync(message);
        await client.SendAsync("\r\n");
        await client.ExpectAsync("* 2 EXISTS", $"a2 OK [APPENDUID {inbox!.UidValidity} 2] APPEND completed.");
        await client.SendAsync("a3 NOOP\r\n");
        await client.ExpectAsync("a3 OK NOOP completed.");

        // Its own STORE is answered once; a NOOP after it adds nothing.
        await client.SendAsync("a4 STORE 1 +FLAGS (\\Flagged)\r\na5 NOOP\r\n");
        await client.ExpectAsync("* 1 FETCH (FLAGS (\\Flagged))", "a4 OK STORE completed.", "a5 OK NOOP completed.");

        // Another session's change between two of its own: heard at the next command that may tell it.
        await other.SendAsync("b1 SELECT INBOX\r\n");
        await other.ReadUntilTaggedAsync("b1");
        await other.SendAsync("b2 STORE 2 +FLAGS (\\Seen)\r\n");
        await other.ReadUntilTaggedAsync("b2");
        await client.SendAsync("a6 STORE 1 -FLAGS (\\Flagged)\r\n");
        var lines = await client.ReadUntilTaggedAsync("a6");
        Assert.Contains("* 1 FETCH (FLAGS ())", lines);
        Assert.Contains("* 2 FETCH (UID 2 FLAGS (\\Seen))", lines);
        Assert.Equal("a6 OK STORE completed.", lines[^1]);

        // A delivery and another session's APPEND before its own APPEND: all three new messages announced, none twice.
        await _server.DeliverAsync(Fixture.Plain("Ba", "3"));
        await other.SendAsync($"b3 APPEND INBOX {{{message.Length}+}}\r\n");
        await other.SendAsync(message);
        await other.SendAsync("\r\n");
        await other.ReadUntilTaggedAsync("b3");
        await client.SendAsync($"a7 APPEND INBOX {{{message.Length}+}}\r\n");
        await client.SendAsync(message);
        await client.SendAsync("\r\n");
        lines = await client.ReadUntilTaggedAsync("a7");
        Assert.Equal(["* 5 EXISTS", $"a7 OK [APPENDUID {inbox.UidValidity} 5] APPEND completed."], lines);
        await client.SendAsync("a8 UID SEARCH ALL\r\n");
        await client.ExpectAsync("* SEARCH 1 2 3 4 5", "a8 OK SEARCH completed.");
    }

    [Fact]
    public async Task Idle_announces_exists_then_done_ends_it()
    {
        await using var client = await LoginAsync();
        await client.SendAsync("a1 SELECT INBOX\r\n");
        await client.ReadUntilTaggedAsync("a1");
        await client.SendAsync("a2 IDLE\r\n");
        await client.ExpectAsync("+ idling");
        await _server.DeliverAsync(Fixture.Plain("Mới", "vừa đến"));
        await client.ExpectAsync("* 1 EXISTS");
        await client.SendAsync("DONE\r\n");
        await client.ExpectAsync("a2 OK IDLE terminated.");
        await client.SendAsync("a3 IDLE\r\n");
        await client.ExpectAsync("+ idling");
        await client.SendAsync("NOT DONE\r\n");
        await client.ExpectAsync("a3 BAD Expected DONE to end IDLE.");
    }

    [Fact]
    public async Task Idle_also_announces_flag_changes_and_expunges_made_elsewhere()
    {
        var one = await _server.DeliverAsync(Fixture.Plain("Một", "1"));
        var two = await _server.DeliverAsync(Fixture.Plain("Hai", "2"));
        await using var client = await LoginAsync();
        await client.SendAsync("a1 SELECT INBOX\r\n");
        await client.ReadUntilTaggedAsync("a1");
        await client.SendAsync("a2 IDLE\r\n");
        await client.ExpectAsync("+ idling");

        var store = _server.Store;
        await store.StoreFlagsAsync(one.MailboxId, [two.Uid], new FlagChange(FlagOperation.Add, MessageFlags.Seen, []), null);
        await client.ExpectAsync("* 2 FETCH (UID 2 FLAGS (\\Seen))");
        await store.StoreFlagsAsync(one.MailboxId, [one.Uid], new FlagChange(FlagOperation.Add, MessageFlags.Deleted, []), null);
        await client.ExpectAsync("* 1 FETCH (UID 1 FLAGS (\\Deleted))");
        await store.ExpungeAsync(one.MailboxId, await _server.AccountIdAsync(ImapTestServer.An), null);
        await client.ExpectAsync("* 1 EXPUNGE");
        await client.SendAsync("DONE\r\na3 FETCH 1 UID\r\n");
        await client.ExpectAsync("a2 OK IDLE terminated.", "* 1 FETCH (UID 2)", "a3 OK FETCH completed.");
    }

    [Fact]
    public async Task Expunges_by_others_wait_until_a_command_that_may_announce_them()
    {
        var one = await _server.DeliverAsync(Fixture.Plain("Một", "1"));
        await _server.DeliverAsync(Fixture.Plain("Hai", "2"));
        await using var client = await LoginAsync();
        await client.SendAsync("a1 SELECT INBOX\r\n");
        await client.ReadUntilTaggedAsync("a1");
        var store = _server.Store;
        await store.StoreFlagsAsync(one.MailboxId, [one.Uid], new FlagChange(FlagOperation.Add, MessageFlags.Deleted, []), null);
        await store.ExpungeAsync(one.MailboxId, await _server.AccountIdAsync(ImapTestServer.An), null);

        // During FETCH the expunged message keeps its number (and simply has nothing to show); NOOP then announces it.
        await client.SendAsync("a2 FETCH 1:2 UID\r\n");
        await client.ExpectAsync("* 2 FETCH (UID 2)", "a2 OK FETCH completed.");
        await client.SendAsync("a3 NOOP\r\n");
        await client.ExpectAsync("* 1 EXPUNGE", "a3 OK NOOP completed.");
        await client.SendAsync("a4 FETCH 1 UID\r\n");
        await client.ExpectAsync("* 1 FETCH (UID 2)", "a4 OK FETCH completed.");
    }

    [Fact]
    public async Task Envelope_and_body_are_sent_as_rfc_2047_words_or_as_utf8_once_enabled()
    {
        var message = Encoding.UTF8.GetBytes(
            "From: Phòng Hành chính <hanhchinh@tphcm.gov.vn>\r\nTo: an@tphcm.gov.vn\r\nSubject: Một\r\nDate: Thu, 04 Apr 2024 10:00:00 +0700\r\n" +
            "Message-ID: <mot@tphcm.gov.vn>\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nthư\r\n");
        await _server.DeliverAsync(message);
        await using var client = await LoginAsync();
        await client.SendAsync("a1 SELECT INBOX\r\n");
        await client.ReadUntilTaggedAsync("a1");
        await client.SendAsync("a2 FETCH 1 (ENVELOPE BODY)\r\n");
        const string from = "((\"=?utf-8?B?UGjDsm5nIEjDoG5oIGNow61uaA==?=\" NIL \"hanhchinh\" \"tphcm.gov.vn\"))";
        await client.ExpectAsync(
            $"* 1 FETCH (ENVELOPE (\"Thu, 04 Apr 2024 10:00:00 +0700\" \"=?utf-8?B?TeG7mXQ=?=\" {from} {from} {from} ((NIL NIL \"an\" \"tphcm.gov.vn\")) NIL NIL NIL " +
            "\"<mot@tphcm.gov.vn>\") BODY (\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"8bit\" 6 1))",
            "a2 OK FETCH completed.");
        await client.SendAsync("a3 ENABLE UTF8=ACCEPT\r\na4 FETCH 1 (ENVELOPE RFC822.TEXT)\r\n");
        const string utf8From = "((\"Phòng Hành chính\" NIL \"hanhchinh\" \"tphcm.gov.vn\"))";
        await client.ExpectAsync("* ENABLED UTF8=ACCEPT", "a3 OK ENABLE completed.",
            $"* 1 FETCH (FLAGS (\\Seen) ENVELOPE (\"Thu, 04 Apr 2024 10:00:00 +0700\" \"Một\" {utf8From} {utf8From} {utf8From} ((NIL NIL \"an\" \"tphcm.gov.vn\")) " +
            "NIL NIL NIL \"<mot@tphcm.gov.vn>\") RFC822.TEXT {6}", "thư", ")", "a4 OK FETCH completed.");
    }

    [Fact]
    public async Task Quota_commands_show_the_one_root_of_the_account()
    {
        await using var client = await LoginAsync();
        await client.SendAsync("a1 GETQUOTAROOT INBOX\r\na2 GETQUOTA \"\"\r\na3 SETQUOTA \"\" (STORAGE 1)\r\na4 GETQUOTA \"other\"\r\n");
        await client.ExpectAsync("* QUOTAROOT \"INBOX\" \"\"", "* QUOTA \"\" (STORAGE 0 5242880)", "a1 OK GETQUOTAROOT completed.",
            "* QUOTA \"\" (STORAGE 0 5242880)", "a2 OK GETQUOTA completed.",
            "a3 NO [NOPERM] Quotas are set by the administrator.", "a4 NO [NONEXISTENT] No such quota root.");
    }
}
