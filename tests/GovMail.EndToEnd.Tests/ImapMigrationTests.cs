using System.Globalization;
using System.Text;
using GovMail.Cli.Tests.Support;
using GovMail.EndToEnd.Tests.Support;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;
using static GovMail.EndToEnd.Tests.Support.TenantDataFolder;

namespace GovMail.EndToEnd.Tests;

/// <summary>
/// <c>govmail migrate imap</c> against a real Dovecot holding a fixture mailbox, as an agency moving off its old mail system
/// would run it. The judge is IMAP itself: after the migration, every folder, message (byte for byte), flag, keyword and
/// internal date that Dovecot serves, GovMail serves too.
/// </summary>
public sealed class ImapMigrationTests
{
    private const string AnRemote = "an.nv";
    private const string AnOldPassword = "Cu#MatKhau-An1";
    private const string BinhRemote = "binh.tt";
    private const string BinhOldPassword = "Cu#MatKhau-Binh2";

    private static readonly DateTimeOffset Start = new(2024, 3, 4, 8, 15, 0, TimeSpan.FromHours(7));

    [Fact]
    public async Task Every_folder_message_flag_and_date_arrives_byte_exact_with_the_accounts_own_password()
    {
        using var data = await CreateAsync();
        await using var dovecot = await DovecotServer.StartAsync(new Dictionary<string, string> { [AnRemote] = AnOldPassword, [BinhRemote] = BinhOldPassword });
        using (var old = await dovecot.ConnectAsync(AnRemote, AnOldPassword)) await FillFixtureAsync(old);
        var accounts = await AccountsFileAsync(data, $"# chuyển hộp thư Sở TT&TT\n{An},{AnRemote},{AnOldPassword}\n");

        var run = await MigrateAsync(data, dovecot, accounts);

        Assert.True(run.ExitCode == 0, Show(run));
        Assert.Contains(An, run.Out);
        using var server = await GovMailServer.StartAsync(data);
        var compared = await CompareAsync(dovecot, AnRemote, AnOldPassword, server, An);
        Assert.Equal(12, compared.Messages);
        Assert.Contains("Công văn đến/2024", compared.Folders);
        Assert.Contains("Sent", compared.Folders);
        Assert.Contains("Trống", compared.Folders);
        await server.StopAsync();
    }

    [Fact]
    public async Task An_interrupted_run_resumes_and_a_later_run_copies_only_the_new_mail_with_a_master_login()
    {
        using var data = await CreateAsync();
        await using var dovecot = await DovecotServer.StartAsync(new Dictionary<string, string> { [AnRemote] = AnOldPassword, [BinhRemote] = BinhOldPassword });
        const int many = 240;
        using (var old = await dovecot.ConnectAsync(BinhRemote, BinhOldPassword))
        {
            await FillFixtureAsync(old);
            await old.Inbox.AppendAsync(Enumerable.Range(1, many).Select(i => (IAppendRequest)new AppendRequest(Letter(i, 6000), MessageFlags.Seen, Start.AddHours(i))).ToList());
            await old.DisconnectAsync(true);
        }
        var total = 12 + many;
        // With a master login the file needs no passwords: only who is who.
        var accounts = await AccountsFileAsync(data, $"{Binh};{BinhRemote}\n");
        var masterPassword = Path.Combine(data.Path, "..", Path.GetFileName(data.Path) + "-master.txt");
        await File.WriteAllTextAsync(masterPassword, DovecotServer.MasterPassword + "\n");
        string[] master = ["--master-user", DovecotServer.MasterUser, "--master-password-file", masterPassword];
        try
        {
            // 1. A run cut short on purpose (--limit): exactly that many copied, and it says how to go on.
            var limited = await MigrateAsync(data, dovecot, accounts, [.. master, "--limit", "10", "--json"]);
            Assert.True(limited.ExitCode == 0, Show(limited));
            var report = System.Text.Json.JsonDocument.Parse(limited.Out).RootElement;
            Assert.True(report.GetProperty("limitReached").GetBoolean());
            Assert.Equal(10, report.GetProperty("accounts")[0].GetProperty("copied").GetInt64());

            // 2. A run killed (SIGKILL) in the middle of copying.
            using (var killed = GovMailProcess.Start(["migrate", "imap", "--from", dovecot.Url, "--accounts", accounts, "--insecure", .. master, "--data", data.Path], data.Path))
            {
                var seen = await WaitForProgressAsync(killed, TimeSpan.FromSeconds(120));
                killed.Kill();
                Assert.True(seen < total, $"the run was not interrupted in the middle ({seen} of {total} reported):\n{killed.Error}");
            }

            // 3. The next run finishes the job: only what was missing is copied, nothing twice.
            var resumed = await MigrateAsync(data, dovecot, accounts, [.. master, "--json"]);
            Assert.True(resumed.ExitCode == 0, Show(resumed));
            var resumedAccount = System.Text.Json.JsonDocument.Parse(resumed.Out).RootElement.GetProperty("accounts")[0];
            Assert.True(resumedAccount.GetProperty("alreadyCopied").GetInt64() >= 10);
            Assert.Equal(total, resumedAccount.GetProperty("alreadyCopied").GetInt64() + resumedAccount.GetProperty("copied").GetInt64());

            // 4. New mail at the old server during the changeover: a later run copies just that.
            using (var old = await dovecot.ConnectAsync(BinhRemote, BinhOldPassword))
            {
                await old.Inbox.AppendAsync(Letter(9001, 2000), MessageFlags.None, Start.AddDays(30));
                var folder = old.GetFolder("Công văn đến");
                await folder.AppendAsync(Letter(9002, 3000), MessageFlags.Flagged, Start.AddDays(31));
                await old.DisconnectAsync(true);
            }
            var incremental = await MigrateAsync(data, dovecot, accounts, [.. master, "--json"]);
            Assert.True(incremental.ExitCode == 0, Show(incremental));
            var incrementalAccount = System.Text.Json.JsonDocument.Parse(incremental.Out).RootElement.GetProperty("accounts")[0];
            Assert.Equal(2, incrementalAccount.GetProperty("copied").GetInt64());
            Assert.Equal(total, incrementalAccount.GetProperty("alreadyCopied").GetInt64());

            using var server = await GovMailServer.StartAsync(data);
            var compared = await CompareAsync(dovecot, BinhRemote, BinhOldPassword, server, Binh);
            Assert.Equal(total + 2, compared.Messages);
            await server.StopAsync();
        }
        finally
        {
            File.Delete(masterPassword);
        }
    }

    [Fact]
    public async Task A_bad_accounts_file_is_refused_line_by_line_before_anything_is_copied_and_a_wrong_password_is_reported()
    {
        using var data = await CreateAsync();
        await using var dovecot = await DovecotServer.StartAsync(new Dictionary<string, string> { [AnRemote] = AnOldPassword });
        using (var old = await dovecot.ConnectAsync(AnRemote, AnOldPassword)) await FillFixtureAsync(old);

        var bad = await AccountsFileAsync(data, $"{An},{AnRemote},{AnOldPassword}\nkhông-phải-địa-chỉ\n{Binh},{BinhRemote}\n{An},{AnRemote},x\n");
        var refused = await MigrateAsync(data, dovecot, bad);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Dòng 2", refused.Err);
        Assert.Contains("Dòng 3", refused.Err);
        Assert.Contains("Dòng 4", refused.Err);
        Assert.Empty(await data.InboxAsync(An));

        var wrong = await AccountsFileAsync(data, $"{An},{AnRemote},sai-mat-khau\n");
        var failed = await MigrateAsync(data, dovecot, wrong);
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("từ chối đăng nhập", failed.Out);
        Assert.Empty(await data.InboxAsync(An));
        Assert.DoesNotContain("   at ", failed.Err);
    }

    [Fact]
    public async Task A_maildir_export_of_the_old_server_and_an_mbox_file_import_into_the_same_folders_flags_and_dates()
    {
        using var data = await CreateAsync();
        await using var dovecot = await DovecotServer.StartAsync(new Dictionary<string, string> { [AnRemote] = AnOldPassword });
        using (var old = await dovecot.ConnectAsync(AnRemote, AnOldPassword)) await FillFixtureAsync(old);

        var maildir = await GovMailProcess.RunAsync(["migrate", "maildir", dovecot.MaildirOf(AnRemote), "--account", An, "--data", data.Path], data.Path);
        Assert.True(maildir.ExitCode == 0, Show(maildir));
        // Run again: nothing is copied twice.
        var again = await GovMailProcess.RunAsync(["migrate", "maildir", dovecot.MaildirOf(AnRemote), "--account", An, "--json", "--data", data.Path], data.Path);
        Assert.True(again.ExitCode == 0, Show(again));
        Assert.Equal(0, again.Json.GetProperty("accounts")[0].GetProperty("copied").GetInt64());

        var mbox = Path.Combine(data.Path, "luu-tru.mbox");
        await File.WriteAllTextAsync(mbox,
            "From hanhchinh@old.tphcm.gov.vn Tue Mar  5 08:15:00 2024\n" + Mboxed(Letter(101, 300), "RO") +
            "\nFrom vanthu@old.tphcm.gov.vn Wed Mar 13 16:40:05 2024\n" + Mboxed(Letter(102, 300), "O") +
            "\nFrom vanthu@old.tphcm.gov.vn Thu Mar 14 09:00:00 2024\n" + Mboxed(Letter(103, 300), "RO", "AF"));
        var imported = await GovMailProcess.RunAsync(["migrate", "mbox", mbox, "--account", An, "--folder", "Lưu trữ cũ", "--data", data.Path], data.Path);
        Assert.True(imported.ExitCode == 0, Show(imported));

        using var server = await GovMailServer.StartAsync(data);
        var compared = await CompareAsync(dovecot, AnRemote, AnOldPassword, server, An, ignore: "Lưu trữ cũ");
        Assert.Equal(12, compared.Messages);

        using var now = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, CheckCertificateRevocation = false };
        await now.ConnectAsync("127.0.0.1", server.ImapsPort, SecureSocketOptions.SslOnConnect);
        await now.AuthenticateAsync(An, Password);
        var archive = await now.GetFolderAsync("Lưu trữ cũ");
        await archive.OpenAsync(FolderAccess.ReadOnly);
        var got = await archive.FetchAsync(0, -1, MessageSummaryItems.Flags | MessageSummaryItems.InternalDate | MessageSummaryItems.Envelope);
        Assert.Equal(["migrate-101@old.tphcm.gov.vn", "migrate-102@old.tphcm.gov.vn", "migrate-103@old.tphcm.gov.vn"], got.Select(m => m.Envelope!.MessageId));
        Assert.Equal(MessageFlags.Seen, got[0].Flags & ~MessageFlags.Recent);
        Assert.Equal(MessageFlags.None, got[1].Flags & ~MessageFlags.Recent);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Answered | MessageFlags.Flagged, got[2].Flags & ~MessageFlags.Recent);
        Assert.Equal(new DateTimeOffset(2024, 3, 13, 16, 40, 5, TimeSpan.Zero), got[1].InternalDate!.Value.ToUniversalTime());
        await now.DisconnectAsync(true);
        await server.StopAsync();
    }

    /// <summary>A message as an mbox holds it: with the Status (and X-Status) headers mail readers write, LF line ends.</summary>
    private static string Mboxed(MimeMessage message, string status, string? xStatus = null)
    {
        message.Headers.Add("Status", status);
        if (xStatus is not null) message.Headers.Add("X-Status", xStatus);
        using var buffer = new MemoryStream();
        message.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Unix }, buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// What an official's old mailbox holds: INBOX with read, answered, flagged and keyword-marked mail in Vietnamese (one
    /// with an attachment, one 8-bit), Sent, a folder "Công văn đến" with a child "2024", and an empty folder.
    /// </summary>
    private static async Task FillFixtureAsync(ImapClient old)
    {
        var root = old.GetFolder(old.PersonalNamespaces[0]);
        var inbox = old.Inbox;
        await inbox.AppendAsync(Letter(1, 800), MessageFlags.Seen, Start);
        await inbox.AppendAsync(Letter(2, 800), MessageFlags.Seen | MessageFlags.Answered, Start.AddDays(1));
        await inbox.AppendAsync(Letter(3, 800), MessageFlags.Flagged, Start.AddDays(2));
        await inbox.AppendAsync(new AppendRequest(Letter(4, 1500), MessageFlags.Seen, ["$Label1", "KhanCap"]) { InternalDate = Start.AddDays(3) });
        await inbox.AppendAsync(WithAttachment(5), MessageFlags.None, Start.AddDays(4));
        await inbox.AppendAsync(EightBit(6), MessageFlags.Seen | MessageFlags.Deleted, Start.AddDays(5));
        var sent = (await root.CreateAsync("Sent", true))!;
        await sent.AppendAsync(Letter(7, 500), MessageFlags.Seen, Start.AddDays(6));
        await sent.AppendAsync(Letter(8, 500), MessageFlags.Seen, Start.AddDays(7));
        var official = (await root.CreateAsync("Công văn đến", true))!;
        await official.AppendAsync(Letter(9, 2500), MessageFlags.Seen, Start.AddDays(8));
        await official.AppendAsync(Letter(10, 2500), MessageFlags.None, Start.AddDays(9));
        var year = (await official.CreateAsync("2024", true))!;
        await year.AppendAsync(Letter(11, 900), MessageFlags.Seen | MessageFlags.Flagged, Start.AddDays(10));
        await year.AppendAsync(Letter(12, 900), MessageFlags.Draft, Start.AddDays(11));
        await root.CreateAsync("Trống", true);
    }

    private static MimeMessage Letter(int n, int size)
    {
        var m = new MimeMessage();
        m.From.Add(new MailboxAddress("Phòng Hành chính", "hanhchinh@old.tphcm.gov.vn"));
        m.To.Add(new MailboxAddress("Trần Thị Bình", "binh.tt@old.tphcm.gov.vn"));
        m.Subject = $"Công văn số {n}/STTTT-VP về việc rà soát hộp thư";
        m.MessageId = $"migrate-{n}@old.tphcm.gov.vn";
        m.Date = Start.AddHours(n);
        var text = new StringBuilder();
        while (text.Length < size) text.AppendLine($"Kính gửi các phòng, đơn vị: đề nghị báo cáo tình hình sử dụng thư điện tử công vụ (thư {n}).");
        m.Body = new TextPart("plain") { Text = text.ToString() };
        return m;
    }

    private static MimeMessage WithAttachment(int n)
    {
        var m = Letter(n, 300);
        var body = new BodyBuilder { TextBody = "Gửi kèm danh sách cán bộ." };
        body.Attachments.Add("Danh sách cán bộ.csv", Encoding.UTF8.GetBytes("STT,Họ và tên\n1,Nguyễn Văn An\n"));
        m.Body = body.ToMessageBody();
        return m;
    }

    private static MimeMessage EightBit(int n)
    {
        var m = Letter(n, 200);
        m.Body = new TextPart("plain") { Text = "Thư 8 bit: Đồng chí vui lòng kiểm tra.", ContentTransferEncoding = ContentEncoding.EightBit };
        return m;
    }

    private static string Show(CliResult r) => $"exit code {r.ExitCode}\n--- stdout ---\n{r.Out}\n--- stderr ---\n{r.Err}";

    private static async Task<string> AccountsFileAsync(TenantDataFolder data, string text)
    {
        var path = Path.Combine(data.Path, "accounts-" + Guid.NewGuid().ToString("N")[..6] + ".csv");
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    private static Task<CliResult> MigrateAsync(TenantDataFolder data, DovecotServer dovecot, string accounts, string[]? more = null) =>
        GovMailProcess.RunAsync(["migrate", "imap", "--from", dovecot.Url, "--accounts", accounts, "--insecure", .. more ?? [], "--data", data.Path], data.Path);

    /// <summary>Waits for a progress line (plain lines: standard error is not a terminal) that shows copying under way; returns the count it shows.</summary>
    private static async Task<int> WaitForProgressAsync(GovMailProcess process, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            foreach (var line in process.Error.Split('\n').Reverse())
            {
                // "tran.thi.binh@tphcm.gov.vn: 37/242 (15%), còn khoảng 00:00:04"
                var colon = line.IndexOf(": ", StringComparison.Ordinal);
                var slash = line.IndexOf('/', colon + 1);
                if (colon < 0 || slash < 0) continue;
                if (int.TryParse(line[(colon + 2)..slash].Replace(".", "").Replace(",", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var done) && done > 0)
                    return done;
            }
            Assert.True(await process.WaitForExitAsync(TimeSpan.FromMilliseconds(50)) is null, "migrate ended before it could be interrupted:\n" + process.Error);
        }
        throw new TimeoutException("no progress line:\n" + process.Error);
    }

    private sealed record Comparison(int Messages, IReadOnlyList<string> Folders);

    /// <summary>Reads every folder at both servers over IMAP and asserts they hold the same messages, bytes, flags, keywords and dates.</summary>
    private static async Task<Comparison> CompareAsync(DovecotServer dovecot, string remoteUser, string remotePassword, GovMailServer server, string address,
        string? ignore = null)
    {
        using var old = await dovecot.ConnectAsync(remoteUser, remotePassword);
        using var now = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, CheckCertificateRevocation = false };
        await now.ConnectAsync("127.0.0.1", server.ImapsPort, SecureSocketOptions.SslOnConnect);
        await now.AuthenticateAsync(address, Password);

        var oldFolders = await old.GetFoldersAsync(old.PersonalNamespaces[0]);
        var newFolders = (await now.GetFoldersAsync(now.PersonalNamespaces[0])).Where(f => f.FullName != ignore).ToDictionary(f => f.FullName);
        var messages = 0;
        var names = new List<string>();
        foreach (var source in oldFolders)
        {
            var name = source.FullName.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? "INBOX" : source.FullName.Replace(source.DirectorySeparator, '/');
            names.Add(name);
            Assert.True(newFolders.TryGetValue(name, out var target), $"folder {name} missing in GovMail; it has {string.Join(", ", newFolders.Keys)}");
            await source.OpenAsync(FolderAccess.ReadOnly);
            await target.OpenAsync(FolderAccess.ReadOnly);
            Assert.True(source.Count == target.Count, $"{name}: {source.Count} messages at the old server, {target.Count} in GovMail");
            if (source.Count > 0)
            {
                const MessageSummaryItems items = MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate | MessageSummaryItems.Size;
                var was = await source.FetchAsync(0, -1, items);
                var got = await target.FetchAsync(0, -1, items);
                for (var i = 0; i < was.Count; i++)
                {
                    var (a, b) = (was[i], got[i]);
                    var where = $"{name} message {i + 1}";
                    Assert.True((a.Flags & ~MessageFlags.Recent) == (b.Flags & ~MessageFlags.Recent), $"{where}: flags {a.Flags} became {b.Flags}");
                    Assert.True(a.Keywords.SetEquals(b.Keywords), $"{where}: keywords {string.Join(' ', a.Keywords)} became {string.Join(' ', b.Keywords)}");
                    Assert.Equal(a.InternalDate!.Value.ToUniversalTime(), b.InternalDate!.Value.ToUniversalTime());
                    Assert.Equal(a.Size, b.Size);
                    Assert.Equal(await BytesAsync(source, a.UniqueId), await BytesAsync(target, b.UniqueId));
                    messages++;
                }
            }
            await source.CloseAsync();
            await target.CloseAsync();
        }
        // Nothing else arrived: GovMail's own folders that the old server lacks (Drafts, Trash, Junk, Archive) stay empty.
        foreach (var (name, extra) in newFolders.Where(f => !names.Contains(f.Key)))
        {
            await extra.OpenAsync(FolderAccess.ReadOnly);
            Assert.True(extra.Count == 0, $"{name} holds {extra.Count} messages the old server does not have");
            await extra.CloseAsync();
        }
        await old.DisconnectAsync(true);
        await now.DisconnectAsync(true);
        return new Comparison(messages, names);
    }

    private static async Task<byte[]> BytesAsync(IMailFolder folder, UniqueId uid)
    {
        await using var stream = await folder.GetStreamAsync(uid, string.Empty);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
