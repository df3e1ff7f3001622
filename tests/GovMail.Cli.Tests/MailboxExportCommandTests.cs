using System.IO.Compression;
using System.Text;
using GovMail.Cli.Tests.Support;
using GovMail.Core.Mail;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace GovMail.Cli.Tests;

/// <summary>
/// <c>govmail mailbox export|import</c>: an account's mail out as mbox or a zip of <c>.eml</c> files and into another account,
/// byte for byte with flags, keywords and internal dates; scoped by <c>--as</c>, audited, with progress on standard error.
/// </summary>
public sealed class MailboxExportCommandTests
{
    private const string Unit = "Phòng Nghệ thuật";
    private const string Tam = "lvtam@tphcm.gov.vn";
    private const string Lan = "ntlan@tphcm.gov.vn";
    private const string Hoa = "pthoa@tphcm.gov.vn";
    private static readonly DateTimeOffset Start = new(2024, 3, 5, 8, 15, 0, TimeSpan.FromHours(7));
    private static readonly FormatOptions Crlf = new() { NewLineFormat = NewLineFormat.Dos };

    [Theory]
    [InlineData("tam.zip", "eml")]
    [InlineData("tam.zip", "mbox")]
    public async Task Every_folder_exported_and_imported_into_another_account_comes_back_byte_exact_with_flags_keywords_and_dates(string file, string format)
    {
        using var data = new DataFolder();
        await SetUpAsync(data);
        var path = data.File(file);

        var exported = (await data.RunAsync("mailbox", "export", Tam, "-o", path, "--format", format, "--json")).Ok();
        Assert.Equal(6, exported.Json.GetProperty("messages").GetInt32());
        Assert.True(File.Exists(path));
        Assert.False(File.Exists(path + ".partial"));
        // Progress, plain lines on a non-terminal: one stage per folder with its count.
        Assert.Contains(exported.ErrorLines, l => l.StartsWith("INBOX: 3/3 (100%)", StringComparison.Ordinal));
        Assert.Contains(exported.ErrorLines, l => l.StartsWith("Công văn đến/2024: 1/1 (100%)", StringComparison.Ordinal));

        var imported = (await data.RunAsync("mailbox", "import", Lan, path, "--json")).Ok().Json.GetProperty("accounts")[0];
        Assert.Equal(6, imported.GetProperty("copied").GetInt64());
        Assert.Equal(await FoldersAsync(data, Tam), await FoldersAsync(data, Lan));

        // A rerun copies nothing twice.
        var again = (await data.RunAsync("mailbox", "import", Lan, path, "--json")).Ok().Json.GetProperty("accounts")[0];
        Assert.Equal(0, again.GetProperty("copied").GetInt64());
        Assert.Equal(await FoldersAsync(data, Tam), await FoldersAsync(data, Lan));

        var audit = (await data.RunAsync("audit", "list", "--json")).Ok().Json.EnumerateArray()
            .Select(a => (a.GetProperty("action").GetString(), a.GetProperty("target").GetString())).ToList();
        Assert.Contains(("mailbox.export", Tam), audit);
        Assert.Single(audit, a => a == ("mailbox.import", Lan));
    }

    [Fact]
    public async Task An_eml_zip_has_a_directory_per_folder_with_its_messages_and_a_folder_manifest()
    {
        using var data = new DataFolder();
        await SetUpAsync(data);
        var path = data.File("tam.zip");
        (await data.RunAsync("mailbox", "export", Tam, "-o", path)).Ok();

        using var zip = ZipFile.OpenRead(path);
        var manifest = zip.GetEntry("Công văn đến/folder.json");
        Assert.NotNull(manifest);
        using var json = System.Text.Json.JsonDocument.Parse(manifest.Open());
        var message = Assert.Single(json.RootElement.GetProperty("messages").EnumerateArray());
        Assert.Equal("Công văn đến", json.RootElement.GetProperty("folder").GetString());
        Assert.Equal(["\\Seen", "\\Flagged"], message.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(["CongVan"], message.GetProperty("keywords").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(Start.AddDays(3), message.GetProperty("internalDate").GetDateTimeOffset());
        Assert.NotNull(zip.GetEntry("Công văn đến/" + message.GetProperty("file").GetString()));
        Assert.NotNull(zip.GetEntry("INBOX/folder.json"));
    }

    [Fact]
    public async Task One_folder_as_an_mbox_file_keeps_its_flags_in_status_headers_only_and_imports_into_the_folder_named()
    {
        using var data = new DataFolder();
        await SetUpAsync(data);
        var path = data.File("inbox.mbox");
        (await data.RunAsync("mailbox", "export", Tam, "-o", path, "--folder", "INBOX")).Ok();

        var text = await File.ReadAllTextAsync(path);
        Assert.StartsWith("From MAILER-DAEMON Tue Mar  5 01:15:00 2024\r\nStatus: RO\r\nX-Status: A\r\n", text, StringComparison.Ordinal);
        Assert.Contains("X-Keywords: $label1 CongVan\r\n", text, StringComparison.Ordinal);
        // The body line that reads like a message separator is quoted in the file (mboxrd), and unquoted again on import.
        Assert.Contains("\r\n>From the desk of the Director", text, StringComparison.Ordinal);
        Assert.Contains("\r\n>>From an earlier reply", text, StringComparison.Ordinal);

        (await data.RunAsync("mailbox", "import", Hoa, path, "--folder", "Lưu trữ/INBOX cũ")).Ok();
        var source = (await FoldersAsync(data, Tam))["INBOX"];
        Assert.Equal(source, (await FoldersAsync(data, Hoa))["Lưu trữ/INBOX cũ"]);
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_one_line_and_another_agencys_administrator_may_not_export()
    {
        using var data = new DataFolder();
        await SetUpAsync(data);
        Assert.Contains("--folder", (await data.RunAsync("mailbox", "export", Tam, "-o", data.File("all.mbox"))).Refused(2).Err, StringComparison.Ordinal);
        Assert.Contains(".mbox", (await data.RunAsync("mailbox", "export", Tam, "-o", data.File("all.tar"))).Refused(2).Err, StringComparison.Ordinal);
        Assert.Contains("Không có", (await data.RunAsync("mailbox", "export", Tam, "-o", data.File("x.zip"), "--folder", "Không có")).Refused(1).Err, StringComparison.Ordinal);
        (await data.RunAsync("mailbox", "export", "khongco@tphcm.gov.vn", "-o", data.File("x.zip"))).Refused(1);
        var notZip = data.File("broken.zip");
        await File.WriteAllTextAsync(notZip, "not a zip");
        Assert.Contains("broken.zip", (await data.RunAsync("mailbox", "import", Lan, notZip)).Refused(1).Err, StringComparison.Ordinal);
        (await data.RunAsync("mailbox", "import", Lan, data.File("missing.mbox"))).Refused(1);

        (await data.RunAsync("unit", "add", "Sở Du lịch")).Ok();
        (await data.RunAsync("account", "add", "vp.sdl@tphcm.gov.vn", "--name", "Văn phòng Sở Du lịch", "--unit", "Sở Du lịch")).Ok();
        (await data.RunAsync("admin", "grant", "vp.sdl@tphcm.gov.vn", "--role", "agency-administrator", "--unit", "Sở Du lịch")).Ok();
        (await data.RunAsync("mailbox", "export", Tam, "-o", data.File("x.zip"), "--as", "vp.sdl@tphcm.gov.vn")).Refused(1);
        Assert.False(File.Exists(data.File("x.zip")));
    }

    /// <summary>
    /// Three accounts; Lê Văn Tám's mailbox holds INBOX (read and answered, flagged with an attachment, unread with keywords), Sent,
    /// "Công văn đến" and its child "2024", with Vietnamese subjects and dates of their own.
    /// </summary>
    internal static async Task SetUpAsync(DataFolder data, GovMailDatabase? on = null, params string[] options)
    {
        (await data.RunAsync(["init", "--domain", DataFolder.Domain, "--name", DataFolder.Organisation, .. options])).Ok();
        (await data.RunAsync(["unit", "add", "Sở Văn hóa và Thể thao", .. options])).Ok();
        (await data.RunAsync(["unit", "add", Unit, "--parent", "Sở Văn hóa và Thể thao", .. options])).Ok();
        foreach (var (address, name) in new[] { (Tam, "Lê Văn Tám"), (Lan, "Nguyễn Thị Lan"), (Hoa, "Phạm Thị Hoa") })
            (await data.RunAsync(["account", "add", address, "--name", name, "--unit", Unit, .. options])).Ok();
        var database = on ?? new GovMailDatabase(DatabaseSettings.SqliteIn(data.Path));
        var import = new MailImport(database, new FileBlobStore(Path.Combine(data.Path, "blobs")), data.Clock);
        Guid id;
        await using (var db = database.Open()) id = (await db.Accounts.SingleAsync(a => a.Address == Tam)).Id;
        async Task PutAsync(string folder, MailboxRole role, int n, MessageFlags flags, string[] keywords, MimeMessage message)
        {
            var target = await import.TargetMailboxAsync(id, folder, role, CancellationToken.None);
            var outcome = await import.CopyAsync(target, "seed", folder, 1, (uint)n, (s, ct) => message.WriteToAsync(Crlf, s, ct),
                flags, keywords, Start.AddDays(n), CancellationToken.None);
            Assert.Equal(MailboxOutcome.Done, outcome);
        }
        await PutAsync("INBOX", MailboxRole.Inbox, 0, MessageFlags.Seen | MessageFlags.Answered, ["$label1", "CongVan"],
            Letter(0, "Công văn số 12/UBND về việc triển khai chữ ký số", "Kính gửi các phòng,\nFrom the desk of the Director: đề nghị triển khai.\n>From an earlier reply\n"));
        await PutAsync("INBOX", MailboxRole.Inbox, 1, MessageFlags.Flagged, [], WithAttachment(Letter(1, "Báo cáo tháng 3 — đính kèm", "Xem tệp đính kèm.")));
        await PutAsync("INBOX", MailboxRole.Inbox, 2, MessageFlags.None, ["Khan"], Letter(2, "Giấy mời họp giao ban", "Thời gian: 8 giờ sáng thứ Hai."));
        await PutAsync("Sent", MailboxRole.Sent, 4, MessageFlags.Seen, [], Letter(4, "Trả lời: Giấy mời", "Đã nhận."));
        await PutAsync("Công văn đến", MailboxRole.None, 3, MessageFlags.Seen | MessageFlags.Flagged, ["CongVan"], Letter(3, "Quyết định bổ nhiệm", "Nội dung."));
        await PutAsync("Công văn đến/2024", MailboxRole.None, 5, MessageFlags.Deleted | MessageFlags.Draft, [], Letter(5, "Dự thảo kế hoạch năm 2024", "Bản nháp."));
    }

    private static MimeMessage Letter(int n, string subject, string text)
    {
        var message = new MimeMessage
        {
            Subject = subject,
            Date = Start.AddDays(n),
            MessageId = $"export-{n}@tphcm.gov.vn",
            Body = new TextPart("plain") { Text = text },
        };
        message.From.Add(new MailboxAddress("Văn phòng Sở", "vanphong@tphcm.gov.vn"));
        message.To.Add(new MailboxAddress("Lê Văn Tám", Tam));
        return message;
    }

    private static MimeMessage WithAttachment(MimeMessage message)
    {
        var body = new Multipart("mixed") { message.Body! };
        body.Add(new MimePart("application", "pdf")
        {
            FileName = "báo-cáo-tháng-3.pdf",
            Content = new MimeContent(new MemoryStream(Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray())),
            ContentTransferEncoding = ContentEncoding.Base64,
        });
        message.Body = body;
        return message;
    }

    /// <summary>Every folder of an account with its messages in UID order: exact bytes (as text of hex), flags, keywords, internal date.</summary>
    private static Task<SortedDictionary<string, string>> FoldersAsync(DataFolder data, string address) =>
        FoldersAsync(new GovMailDatabase(DatabaseSettings.SqliteIn(data.Path)), data.Path, address);

    internal static async Task<SortedDictionary<string, string>> FoldersAsync(GovMailDatabase database, string dataPath, string address = Tam)
    {
        var blobs = new FileBlobStore(Path.Combine(dataPath, "blobs"));
        Guid id;
        await using (var db = database.Open()) id = (await db.Accounts.SingleAsync(a => a.Address == address)).Id;
        var queries = new MailboxQueries(database);
        var folders = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var mailbox in await queries.ListAsync(id))
        {
            var text = new StringBuilder();
            foreach (var row in await queries.FetchAsync(mailbox.Id, 1, uint.MaxValue, 1000, content: true))
            {
                await using var stream = await blobs.OpenReadAsync(row.BlobKey!, CancellationToken.None);
                var bytes = new MemoryStream();
                await stream.CopyToAsync(bytes);
                text.Append($"{row.Flags}|{row.Keywords}|{row.InternalDate.UtcDateTime:O}|{Convert.ToHexString(bytes.ToArray())}\n");
            }
            folders[mailbox.Name] = text.ToString();
        }
        return folders;
    }
}
