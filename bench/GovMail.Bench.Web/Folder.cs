using GovMail.Core.Mail;
using GovMail.Core.Text;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using MimeKit;

namespace GovMail.Bench.Web;

/// <summary>
/// Fills one INBOX with deterministic official mail the way delivery does: each message written to the blob store, parsed
/// by the same summary builder (list columns, preview, folded search text and its full-text index), delivered through the
/// mail store (group commit); then 70 % marked read and 3 % flagged through the mail store, as a reader would.
/// </summary>
internal static class Folder
{
    private static readonly string[] Families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"];
    private static readonly string[] Middles = ["Văn", "Thị", "Minh", "Đức", "Thanh"];
    private static readonly string[] Givens = ["An", "Bình", "Cường", "Dũng", "Hạnh"];
    public static int SenderCount => Families.Length * Middles.Length * Givens.Length;

    private static readonly string[] Topics =
    [
        "kế hoạch cải cách hành chính năm 2027", "rà soát hộp thư công vụ quý IV", "tiếp công dân định kỳ", "phòng chống thiên tai mùa mưa bão",
        "chuyển đổi số trong cơ quan nhà nước", "kế hoạch tổ chức Tết Nguyên đán", "thi đua khen thưởng cuối năm", "dự toán ngân sách năm 2027",
        "đào tạo bồi dưỡng cán bộ, công chức", "an toàn thông tin mạng", "kế hoạch kiểm tra công vụ", "giải quyết thủ tục hành chính trực tuyến",
        "xây dựng nông thôn mới", "quản lý trật tự đô thị", "phòng cháy chữa cháy", "công tác dân vận chính quyền",
    ];

    private static readonly string[] Sentences =
    [
        "Thực hiện chỉ đạo của Ủy ban nhân dân Thành phố, Văn phòng đề nghị các đơn vị triển khai nội dung sau.",
        "Đề nghị các phòng, ban báo cáo kết quả thực hiện trước ngày 15 hằng tháng.",
        "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị liên hệ Văn phòng để được hướng dẫn.",
        "Kính mời đồng chí dự họp vào lúc 8 giờ 00 tại phòng họp số 2, trụ sở Ủy ban nhân dân.",
        "Các đơn vị chủ động bố trí cán bộ, công chức tham gia đầy đủ, đúng thành phần.",
        "Văn bản này thay thế các văn bản trước đây có nội dung trái với hướng dẫn tại đây.",
        "Trân trọng cảm ơn sự phối hợp của các đồng chí.",
    ];

    private static readonly FormatOptions Format = new() { NewLineFormat = NewLineFormat.Dos };

    internal sealed record Filled(long MailboxId, List<uint> Uids);

    public static string Sender(int k) => $"{Families[k % Families.Length]} {Middles[k / Families.Length % Middles.Length]} {Givens[k / (Families.Length * Middles.Length) % Givens.Length]}";

    public static string SenderFolded(int k) => VietnameseText.Key(Sender(k));

    /// <summary>Letter number <paramref name="i"/> (from 1): a numbered official document about a topic, from one of the senders.</summary>
    public static MimeMessage Letter(int i, string to, DateTimeOffset date)
    {
        var k = (int)((uint)(i * 2654435761u) % (uint)SenderCount);
        var topic = Topics[i * 7 % Topics.Length];
        var m = new MimeMessage();
        m.From.Add(new MailboxAddress(Sender(k), $"nguoigui{k}@bench.gov.vn"));
        m.To.Add(MailboxAddress.Parse(to));
        m.Date = date;
        m.MessageId = $"bench-{i}@bench.gov.vn";
        m.Subject = (i % 4) switch
        {
            0 => $"Công văn số {i}/UBND-VP về {topic}",
            1 => $"Giấy mời số {i}/GM-VP họp về {topic}",
            2 => $"Báo cáo số {i}/BC-VP tình hình {topic}",
            _ => $"Thông báo số {i}/TB-VP về {topic}",
        };
        var text = string.Join("\r\n\r\n", Enumerable.Range(0, 2 + i % 5).Select(s => Sentences[(i + s * 3) % Sentences.Length]));
        var body = new TextPart("plain") { Text = $"Kính gửi đồng chí,\r\n\r\n{text}\r\n\r\nVề việc: {topic}.\r\n\r\nTrân trọng." };
        body.ContentTransferEncoding = ContentEncoding.QuotedPrintable;
        if (i % 20 != 0)
        {
            m.Body = body;
            return m;
        }
        var attachment = new MimePart("application", "pdf")
        {
            Content = new MimeContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"%PDF-1.4 văn bản số {i} " + new string('x', 4000)))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = $"Văn bản {i}.pdf",
        };
        m.Body = new Multipart("mixed") { body, attachment };
        return m;
    }

    public static async Task<Filled> FillAsync(GovMailDatabase database, IBlobStore blobs, TimeProvider clock, Guid accountId, string address, int count)
    {
        var store = new MailStore(database, clock);
        var target = new DeliveryTarget(accountId, address) { RecordAs = null };
        var start = clock.GetUtcNow().AddMinutes(-10.0 * count);
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            var date = start.AddMinutes(10.0 * i);
            var letter = Letter(i, address, date);
            var (key, size) = await blobs.PutAsync((stream, c) => letter.WriteToAsync(Format, stream, c), ct);
            MessageSummaryBuilder.Result parsed;
            await using (var read = await blobs.OpenReadAsync(key, ct)) parsed = MessageSummaryBuilder.Build(read);
            await store.DeliverAsync(new NewMessage(key, size, parsed, date), [target], ct);
            if (Interlocked.Increment(ref done) % 10_000 == 0) Console.WriteLine($"  {done:N0} delivered");
        });

        var queries = new MailboxQueries(database);
        var inbox = (await queries.ListAsync(accountId)).Single(m => m.Role == MailboxRole.Inbox);
        var uids = await queries.UidsAsync(inbox.Id);
        foreach (var chunk in uids.Where(u => u % 10 < 7).Chunk(5000))
            await store.StoreFlagsAsync(inbox.Id, chunk, new FlagChange(FlagOperation.Add, MessageFlags.Seen, []), null);
        foreach (var chunk in uids.Where(u => u % 33 == 0).Chunk(5000))
            await store.StoreFlagsAsync(inbox.Id, chunk, new FlagChange(FlagOperation.Add, MessageFlags.Flagged, []), null);
        return new Filled(inbox.Id, uids);
    }
}
