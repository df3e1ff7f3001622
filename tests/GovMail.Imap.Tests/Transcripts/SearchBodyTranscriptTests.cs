using GovMail.Imap.Tests.Support;
using GovMail.Storage.Database;

namespace GovMail.Imap.Tests.Transcripts;

/// <summary>
/// SEARCH BODY looks only in the body, TEXT in the header fields and the body (RFC 9051 section 6.4.4), both through the
/// full-text index with diacritics folded; strings of one or two characters, which the index cannot look up, the same.
/// </summary>
public abstract class SearchBodyTranscriptTests(DatabaseProvider provider) : ServerTests(provider)
{
    [Fact]
    public async Task Body_matches_only_the_body_and_text_matches_header_fields_and_body()
    {
        // 1: "giao ban" in the subject only; 2: in the body only; 3: the sender's address in the body as well.
        await Server.DeliverAsync(Fixture.Plain("Lịch họp giao ban tuần 15", "Đề nghị các phòng chuẩn bị báo cáo."));
        await Server.DeliverAsync(Fixture.Plain("Thông báo", "Cuộc họp giao ban chuyển sang chiều thứ Sáu."));
        await Server.DeliverAsync(Fixture.Plain("Liên hệ", "Mọi thắc mắc gửi về hanhchinh@tphcm.gov.vn, ký hiệu Xq."));
        await using var client = await RawImapClient.LoginAsync(Server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword);
        await client.SendAsync("s1 SELECT INBOX\r\n");
        await client.ReadUntilTaggedAsync("s1");
        await client.SendAsync(
            "b1 SEARCH BODY \"giao ban\"\r\n" +
            "b2 SEARCH TEXT \"giao ban\"\r\n" +
            "b3 SEARCH CHARSET UTF-8 BODY \"HOP GIAO BAN\"\r\n" +
            "b4 SEARCH BODY \"lich hop\"\r\n" +
            "b5 SEARCH TEXT \"lich hop\"\r\n" +
            "b6 SEARCH BODY hanhchinh@tphcm\r\n" +
            "b7 SEARCH TEXT hanhchinh@tphcm\r\n" +
            "b8 SEARCH BODY xq\r\n" +
            "b9 SEARCH BODY \"15\"\r\n" +
            "b10 SEARCH TEXT \"15\"\r\n" +
            "b11 SEARCH OR BODY thong TEXT thong\r\n" +
            "b12 SEARCH NOT BODY \"giao ban\"\r\n");
        await client.ExpectAsync(
            "* SEARCH 2", "b1 OK SEARCH completed.",
            "* SEARCH 1 2", "b2 OK SEARCH completed.",
            "* SEARCH 2", "b3 OK SEARCH completed.",
            "* SEARCH", "b4 OK SEARCH completed.",
            "* SEARCH 1", "b5 OK SEARCH completed.",
            // The sender's address is in every header, but in the body of the third letter only.
            "* SEARCH 3", "b6 OK SEARCH completed.",
            "* SEARCH 1 2 3", "b7 OK SEARCH completed.",
            "* SEARCH 3", "b8 OK SEARCH completed.",
            // Too short for the index: scanned, with the same rule.
            "* SEARCH", "b9 OK SEARCH completed.",
            "* SEARCH 1", "b10 OK SEARCH completed.",
            "* SEARCH 2", "b11 OK SEARCH completed.",
            "* SEARCH 1 3", "b12 OK SEARCH completed.");
    }
}

public sealed class SearchBodyTranscriptTestsOnSqlite() : SearchBodyTranscriptTests(DatabaseProvider.Sqlite);

public sealed class SearchBodyTranscriptTestsOnPostgres() : SearchBodyTranscriptTests(DatabaseProvider.Postgres);
