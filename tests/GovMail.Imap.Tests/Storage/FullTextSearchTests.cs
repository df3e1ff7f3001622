using System.Text;
using GovMail.Core.Mail;
using GovMail.Imap.Tests.Support;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Imap.Tests.Storage;

/// <summary>
/// SEARCH TEXT and BODY through the database's full-text index (FTS5 on SQLite, tsvector on PostgreSQL): filled at
/// delivery, emptied when a message goes, and exact: every message that holds the folded string as a substring, no other.
/// </summary>
public abstract class FullTextSearchTests(DatabaseProvider provider) : ServerTests(provider)
{
    private static byte[] Letter(string subject, string body) => Encoding.UTF8.GetBytes(
        $"From: Văn phòng UBND <vanphong@tphcm.gov.vn>\r\nTo: an@tphcm.gov.vn\r\nSubject: {subject}\r\nDate: Thu, 04 Apr 2024 10:00:00 +0700\r\n" +
        $"Message-ID: <{Guid.NewGuid():N}@tphcm.gov.vn>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n" +
        $"Content-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n");

    private async Task<long> IndexedAsync()
    {
        await using var db = Server.Database.Database.Open();
        var sql = Server.Database.Provider == DatabaseProvider.Sqlite
            ? "SELECT count(*) AS \"Value\" FROM message_search_keys"
            : "SELECT count(*) AS \"Value\" FROM messages WHERE search_vector <> ''::tsvector";
        return await db.Database.SqlQueryRaw<long>(sql).SingleAsync();
    }

    [Theory]
    [InlineData("cong van", new uint[] { 1, 2 })]
    [InlineData("công văn số 1434", new uint[] { 1 })]
    [InlineData("ong va", new uint[] { 1, 2 })]
    [InlineData("dao tao can bo", new uint[] { 1 })]
    [InlineData("đào tạo", new uint[] { 1, 3 })]
    [InlineData("1434/ubnd-vp", new uint[] { 1 })]
    [InlineData("ubnd", new uint[] { 1, 2, 3 })]
    [InlineData("vp", new uint[] { 1 })]
    [InlineData(" tao ", new uint[] { 1 })]
    [InlineData("vanphong@tphcm", new uint[] { 1, 2, 3 })]
    [InlineData("hop giao ban", new uint[] { })]
    [InlineData("\"", new uint[] { })]
    public async Task Text_search_finds_exactly_the_messages_holding_the_folded_string(string text, uint[] expected)
    {
        await Server.DeliverAsync(Letter("Công văn số 1434/UBND-VP", "Về việc đào tạo cán bộ năm 2024."));
        await Server.DeliverAsync(Letter("Trả lời công văn", "Đã nhận, UBND xin cảm ơn."));
        var third = await Server.DeliverAsync(Letter("Lịch đào tạo", "Thứ hai, phòng họp số 3 của UBND."));
        var folded = GovMail.Imap.Search.SearchEvaluator.Fold(text);
        var found = await Server.Queries.TextMatchesAsync(third.MailboxId, folded);
        Assert.Equal(expected, found.Order().ToArray());
    }

    [Fact]
    public async Task The_index_is_filled_at_delivery_and_emptied_when_the_last_copy_is_expunged()
    {
        Assert.Equal(0, await IndexedAsync());
        var one = await Server.DeliverAsync(Letter("Công văn", "Nội dung thứ nhất."));
        await Server.DeliverAsync(Letter("Thông báo", "Nội dung thứ hai."));
        Assert.Equal(2, await IndexedAsync());

        var account = await Server.AccountIdAsync(ImapTestServer.An);
        var store = Server.Store;
        await store.StoreFlagsAsync(one.MailboxId, [one.Uid], new FlagChange(FlagOperation.Add, MessageFlags.Deleted, []), null);
        await store.ExpungeAsync(one.MailboxId, account, null);
        Assert.Equal(1, await IndexedAsync());
        Assert.Empty(await Server.Queries.TextMatchesAsync(one.MailboxId, "noi dung thu nhat"));
        Assert.Single(await Server.Queries.TextMatchesAsync(one.MailboxId, "noi dung thu hai"));
    }

    [Fact]
    public async Task Imap_search_text_and_body_go_through_the_index()
    {
        await Server.DeliverAsync(Letter("Công văn số 1434/UBND-VP", "Về việc đào tạo cán bộ năm 2024."));
        await Server.DeliverAsync(Letter("Thông báo", "Lịch họp giao ban tuần."));
        await using var client = await RawImapClient.LoginAsync(Server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword);
        await client.SendAsync("s1 SELECT INBOX\r\n");
        await client.ReadUntilTaggedAsync("s1");
        await client.SendAsync("a1 SEARCH CHARSET UTF-8 TEXT \"cong van\"\r\na2 SEARCH BODY \"giao ban\"\r\na3 UID SEARCH OR BODY \"dao tao\" TEXT \"hop\"\r\n" +
            "a4 SEARCH NOT TEXT \"cán bộ\"\r\n");
        await client.ExpectAsync("* SEARCH 1", "a1 OK SEARCH completed.", "* SEARCH 2", "a2 OK SEARCH completed.",
            "* SEARCH 1 2", "a3 OK SEARCH completed.", "* SEARCH 2", "a4 OK SEARCH completed.");
    }
}

public sealed class FullTextSearchTestsOnSqlite() : FullTextSearchTests(DatabaseProvider.Sqlite);

public sealed class FullTextSearchTestsOnPostgres() : FullTextSearchTests(DatabaseProvider.Postgres);

public sealed class FullTextQueryTests
{
    [Theory]
    [InlineData("cong van", "van:*")]
    [InlineData(" cong van ", "cong & van")]
    [InlineData("so 1434/ubnd-vp", "1434 & ubnd & vp:*")]
    [InlineData("cong", null)]
    [InlineData("cong ", null)]
    [InlineData("đ", null)]
    [InlineData("xyz日本abc", "abc:*")]
    public void A_tsquery_keeps_only_words_that_cannot_be_cut(string folded, string? expected) =>
        Assert.Equal(expected, FullTextQuery.TsQuery(folded));

    [Fact]
    public void An_fts5_phrase_needs_three_characters_and_escapes_quotes()
    {
        Assert.Null(FullTextQuery.Fts5Phrase("ab"));
        Assert.Equal("\"a\"\"b\"", FullTextQuery.Fts5Phrase("a\"b"));
        Assert.Equal("\"cong van\"", FullTextQuery.Fts5Phrase("cong van"));
    }
}
