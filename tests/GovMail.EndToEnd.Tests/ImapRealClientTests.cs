using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using GovMail.EndToEnd.Tests.Support;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using static GovMail.EndToEnd.Tests.Support.TenantDataFolder;

namespace GovMail.EndToEnd.Tests;

/// <summary>
/// IMAP clients that nobody here wrote (Python's imaplib, mutt, mbsync) against <c>govmail serve</c> as an operator runs it,
/// on its implicit-TLS port with the self-signed certificate <c>serve</c> made. Mail arrives over SMTP or APPEND; MailKit
/// is the independent judge of what the server holds afterwards.
/// </summary>
public sealed class ImapRealClientTests(ServedTenant served) : IClassFixture<ServedTenant>
{
    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Python's standard library: IMAP4_SSL on 993 (no certificate check), LOGIN, SELECT, SEARCH, FETCH.</summary>
    private const string ImaplibScript = """
        import email, imaplib, ssl, sys
        from email import policy

        host, port, user, password, token = sys.argv[1:6]
        context = ssl._create_unverified_context()
        with imaplib.IMAP4_SSL(host, int(port), ssl_context=context, timeout=30) as imap:
            print("login:", imap.login(user, password)[0])
            typ, data = imap.select("INBOX")
            print("select:", typ, int(data[0]))
            typ, data = imap.uid("SEARCH", "HEADER", "Message-ID", '"%s"' % token)
            uids = data[0].split()
            print("search:", typ, len(uids))
            typ, data = imap.uid("FETCH", uids[0], "(RFC822.SIZE FLAGS BODY.PEEK[])")
            print("fetch:", typ)
            raw = data[0][1]
            print("size:", len(raw))
            message = email.message_from_bytes(raw, policy=policy.default)
            print("subject:", message["Subject"])
            print("from:", message["From"])
            print("body:", message.get_content().strip())
            print("logout:", imap.logout()[0])
        """;

    [Fact]
    public async Task Python_imaplib_logs_in_over_993_selects_searches_and_fetches_a_message_delivered_over_smtp()
    {
        var python = ExternalProgram.Require("python3", "python3");
        var token = Guid.NewGuid().ToString("N")[..10];
        const string subject = "Công văn số 1434/SVHTT-VP về rà soát hộp thư công vụ";
        const string body = "Kính gửi đồng chí Bình,\nĐề nghị rà soát tình hình sử dụng hộp thư Quý I.\nTrân trọng.";
        await DeliverOverSmtpAsync(Binh, subject, body, $"imaplib-{token}@e2e.tphcm.gov.vn");

        var run = await python.RunAsync(
            ["-c", ImaplibScript, "127.0.0.1", Port(served.Server.ImapsPort), Binh, Password, token],
            new Dictionary<string, string> { ["PYTHONUTF8"] = "1", ["PYTHONIOENCODING"] = "utf-8" });

        Assert.True(run.ExitCode == 0, run.Transcript);
        Assert.Contains("login: OK", run.Output);
        Assert.Contains("search: OK 1", run.Output);
        Assert.Contains("fetch: OK", run.Output);
        Assert.Contains($"subject: {subject}\n", run.Output);
        Assert.Contains($"from: Nguyễn Văn An <{An}>", run.Output);
        Assert.Contains("body: " + body, run.Output.ReplaceLineEndings("\n"));
        var stored = Assert.Single(await served.Data.InboxAsync(Binh), c => c.Message.MessageIdHeader == $"imaplib-{token}@e2e.tphcm.gov.vn");
        Assert.Contains($"size: {stored.Blob!.Length}\n", run.Output);
        Assert.Empty(served.Server.ErrorLog);
    }

    [Fact]
    public async Task Mutt_in_batch_mode_over_imaps_lists_the_inbox_and_reads_a_message_with_a_vietnamese_subject()
    {
        var mutt = ExternalProgram.Require("mutt", "mutt");
        // mutt reads mail only with a terminal: script(1) (util-linux) gives it one; the commands come from the muttrc's push.
        var script = ExternalProgram.Require("script", "bsdutils");
        var token = Guid.NewGuid().ToString("N")[..10];
        const string first = "Giấy mời họp giao ban tuần 48";
        const string second = "Công văn số 2178/UBND-VX về Ngày Sách và Văn hóa đọc";
        await DeliverOverSmtpAsync(Binh, first, "Kính mời đồng chí dự họp lúc 8 giờ sáng thứ Hai.", $"mutt-1-{token}@e2e.tphcm.gov.vn");
        await DeliverOverSmtpAsync(Binh, second, "Đề nghị các đơn vị phối hợp tổ chức.", $"mutt-2-{token}@e2e.tphcm.gov.vn");

        using var work = new TempFolder("govmail-mutt-");
        var certificate = await ServerCertificatePemAsync(work.Path);
        string list = Path.Combine(work.Path, "list.txt"), read = Path.Combine(work.Path, "read.txt"), rc = Path.Combine(work.Path, "muttrc");
        // The server's self-signed certificate is pre-accepted (certificate_file); it names the mail host, not 127.0.0.1.
        // Every message is piped (decoded) to list.txt, then the second one is opened in mutt's pager and piped to read.txt.
        await File.WriteAllTextAsync(rc, $"""
            set imap_user="{Binh}"
            set imap_pass="{Password}"
            set folder="imaps://127.0.0.1:{Port(served.Server.ImapsPort)}/"
            set spoolfile="+INBOX"
            set certificate_file="{certificate}"
            set ssl_verify_host=no
            set header_cache=""
            set message_cachedir=""
            set charset="utf-8"
            set pipe_decode=yes
            set pipe_split=yes
            set pipe_sep="\n--- next message ---\n"
            set wait_key=no
            set mail_check=0
            set timeout=10
            push "<tag-pattern>~A<enter><tag-prefix><pipe-message>cat >> {list}<enter><limit>~i mutt-2-{token}<enter><display-message><pipe-message>cat > {read}<enter><exit><quit>"

            """, new UTF8Encoding(false));

        var run = await script.RunAsync(["-qec", $"{mutt.FilePath} -n -F {rc}", "/dev/null"],
            new Dictionary<string, string> { ["TERM"] = "dumb", ["LANG"] = "C.UTF-8", ["LC_ALL"] = "C.UTF-8", ["HOME"] = work.Path });

        Assert.True(run.ExitCode == 0, run.Transcript);
        Assert.True(File.Exists(list), "mutt piped nothing\n" + run.Transcript);
        var listed = await File.ReadAllTextAsync(list);
        var inbox = await served.Data.InboxAsync(Binh);
        // Every message of the INBOX, each one once, with its subject decoded.
        Assert.Equal(inbox.Count, listed.Split("--- next message ---").Length - 1);
        Assert.Contains($"\nSubject: {first}\n", listed);
        Assert.Contains($"\nSubject: {second}\n", listed);
        var opened = await File.ReadAllTextAsync(read);
        Assert.Contains($"\nSubject: {second}\n", opened);
        Assert.Contains($"Message-ID: <mutt-2-{token}@e2e.tphcm.gov.vn>", opened, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Đề nghị các đơn vị phối hợp tổ chức.", opened);

        // Reading it in the pager marked it \Seen on the server; the one only piped was peeked, not read.
        using var imap = await ConnectImapAsync(Binh);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var flags = await imap.Inbox.FetchAsync(0, -1, MessageSummaryItems.Flags | MessageSummaryItems.Envelope);
        Assert.True(flags.Single(m => m.Envelope!.MessageId == $"mutt-2-{token}@e2e.tphcm.gov.vn").Flags!.Value.HasFlag(MessageFlags.Seen));
        Assert.False(flags.Single(m => m.Envelope!.MessageId == $"mutt-1-{token}@e2e.tphcm.gov.vn").Flags!.Value.HasFlag(MessageFlags.Seen));
        Assert.Empty(served.Server.ErrorLog);
    }

    [Fact]
    public async Task Mbsync_mirrors_500_messages_to_a_maildir_and_back_with_changes_on_both_sides_and_no_differences()
    {
        var mbsync = ExternalProgram.Require("mbsync", "isync");
        using var work = new TempFolder("govmail-mbsync-");
        var certificate = await ServerCertificatePemAsync(work.Path);
        var maildir = Path.Combine(work.Path, "mail", "INBOX");
        var rc = Path.Combine(work.Path, "mbsyncrc");
        Directory.CreateDirectory(Path.Combine(work.Path, "mail"));
        await File.WriteAllTextAsync(rc, $"""
            IMAPAccount govmail
            Host 127.0.0.1
            Port {Port(served.Server.ImapsPort)}
            User {An}
            Pass "{Password}"
            SSLType IMAPS
            CertificateFile {certificate}

            IMAPStore far
            Account govmail

            MaildirStore near
            Path {Path.Combine(work.Path, "mail")}/
            Inbox {maildir}

            Channel inbox
            Far :far:INBOX
            Near :near:INBOX
            Create Both
            Expunge Both
            SyncState *
            Sync All

            """, new UTF8Encoding(false));
        async Task SyncAsync()
        {
            var run = await mbsync.RunAsync(["-c", rc, "-V", "inbox"], new Dictionary<string, string> { ["HOME"] = work.Path });
            Assert.True(run.ExitCode == 0, run.Transcript);
        }

        // 500 letters in An's INBOX, every third one already read, every seventh flagged.
        using (var imap = await ConnectImapAsync(An))
        {
            for (var i = 0; i < 500; i++)
            {
                var flags = (i % 3 == 0 ? MessageFlags.Seen : MessageFlags.None) | (i % 7 == 0 ? MessageFlags.Flagged : MessageFlags.None);
                await imap.Inbox.AppendAsync(new AppendRequest(Letter($"server-{i}", $"Công văn số {i}/STTTT-VP", i), flags));
            }
        }

        await SyncAsync();
        var mirrored = await CompareAsync(maildir);
        Assert.Equal(500, mirrored.Count);

        // Changes on the near side: 40 flagged or read, 10 deleted, 25 new letters written into the Maildir.
        var files = MaildirFiles(maildir).OrderBy(f => f.Uid).ToList();
        foreach (var file in files.Take(40)) File.Move(file.Path, WithFlags(file.Path, file.Flags + "FS"));
        foreach (var file in files.Skip(40).Take(10)) File.Delete(file.Path);
        for (var i = 0; i < 25; i++)
        {
            // A Maildir file as a local mail program writes it: LF line ends.
            await using var file = File.Create(Path.Combine(maildir, "new", $"{1_700_000_000 + i}.e2e{i}.govmail-test"));
            await Letter($"near-{i}", $"Báo cáo tuần {i} của Phòng Hành chính", i).WriteToAsync(new FormatOptions { NewLineFormat = NewLineFormat.Unix }, file);
        }
        // Changes on the far side: 15 expunged, 20 answered, one new delivery over SMTP.
        var expungedOnServer = files.Skip(100).Take(15).Select(f => f.Uid).ToList();
        using (var imap = await ConnectImapAsync(An))
        {
            await imap.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await imap.Inbox.AddFlagsAsync(expungedOnServer.Select(u => new UniqueId(u)).ToList(), MessageFlags.Deleted, silent: true);
            await imap.Inbox.ExpungeAsync();
            await imap.Inbox.AddFlagsAsync(files.Skip(200).Take(20).Select(f => new UniqueId(f.Uid)).ToList(), MessageFlags.Answered, silent: true);
        }
        await DeliverOverSmtpAsync(An, "Thông báo lịch trực Tết Nguyên đán", "Đề nghị các đồng chí đăng ký lịch trực.", "mbsync-smtp@e2e.tphcm.gov.vn");

        await SyncAsync();
        var synced = await CompareAsync(maildir);
        Assert.Equal(500 - 10 - 15 + 25 + 1, synced.Count);
        foreach (var file in files.Take(40))
            Assert.Equal(MessageFlags.Flagged | MessageFlags.Seen, synced[file.Uid] & (MessageFlags.Flagged | MessageFlags.Seen));
        foreach (var file in files.Skip(40).Take(10)) Assert.False(synced.ContainsKey(file.Uid), $"UID {file.Uid} deleted in the Maildir is still on the server");
        foreach (var uid in expungedOnServer) Assert.False(synced.ContainsKey(uid));
        foreach (var file in files.Skip(200).Take(20)) Assert.True(synced[file.Uid].HasFlag(MessageFlags.Answered));

        // Back again: a third sync changes nothing on either side.
        var before = MaildirFiles(maildir).Select(f => Path.GetFileName(f.Path)).Order(StringComparer.Ordinal).ToList();
        await SyncAsync();
        Assert.Equal(before, MaildirFiles(maildir).Select(f => Path.GetFileName(f.Path)).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(synced, await CompareAsync(maildir));
        Assert.Empty(served.Server.ErrorLog);
    }

    /// <summary>
    /// Asserts the Maildir and An's INBOX on the server hold the same messages: the same UIDs (mbsync's <c>,U=</c>), the same
    /// flags and the same bytes. The only differences allowed are mbsync's own: it stores Maildir files with LF line ends
    /// where IMAP carries CRLF, and it adds an <c>X-TUID</c> header line to the messages it copies. Returns the server's
    /// flags by UID.
    /// </summary>
    private async Task<Dictionary<uint, MessageFlags>> CompareAsync(string maildir)
    {
        const MessageFlags Compared = MessageFlags.Seen | MessageFlags.Flagged | MessageFlags.Answered | MessageFlags.Draft | MessageFlags.Deleted;
        var near = MaildirFiles(maildir).ToDictionary(f => f.Uid);
        using var imap = await ConnectImapAsync(An);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var far = await imap.Inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags);
        Assert.Equal(far.Select(m => m.UniqueId.Id).Order(), near.Keys.Order());
        var flags = new Dictionary<uint, MessageFlags>();
        foreach (var summary in far)
        {
            var file = near[summary.UniqueId.Id];
            Assert.Equal(summary.Flags!.Value & Compared, MaildirFlags(file.Flags));
            using var stream = await imap.Inbox.GetStreamAsync(summary.UniqueId, "");
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            var serverBytes = copy.ToArray();
            var nearBytes = await File.ReadAllBytesAsync(file.Path);
            var expected = WithoutTuid(Crlf(nearBytes));
            serverBytes = WithoutTuid(serverBytes);
            if (!expected.AsSpan().SequenceEqual(serverBytes))
            {
                var at = expected.AsSpan().CommonPrefixLength(serverBytes);
                string Around(byte[] b) => Encoding.UTF8.GetString(b, Math.Max(0, at - 40), Math.Min(b.Length, at + 40) - Math.Max(0, at - 40));
                Assert.Fail($"UID {summary.UniqueId.Id}: the Maildir file {file.Path} ({nearBytes.Length} octets, LF) and the server's BODY[] " +
                            $"({serverBytes.Length} octets) differ at octet {at}:\nMaildir: {Around(expected)}\nserver:  {Around(serverBytes)}");
            }
            flags[summary.UniqueId.Id] = summary.Flags.Value & Compared;
        }
        return flags;
    }

    /// <summary>The message without the <c>X-TUID</c> header line mbsync writes into messages it copies to find them again.</summary>
    private static byte[] WithoutTuid(byte[] message)
    {
        var at = message.AsSpan().IndexOf("\r\nX-TUID: "u8);
        var headerEnd = message.AsSpan().IndexOf("\r\n\r\n"u8);
        if (at < 0 || at > headerEnd) return message;
        var lineEnd = message.AsSpan(at + 2).IndexOf("\r\n"u8) + at + 2;
        return [.. message.AsSpan(0, at), .. message.AsSpan(lineEnd)];
    }

    private static byte[] Crlf(byte[] lf)
    {
        using var output = new MemoryStream(lf.Length + lf.Length / 20);
        for (var i = 0; i < lf.Length; i++)
        {
            if (lf[i] == (byte)'\n' && (i == 0 || lf[i - 1] != (byte)'\r')) output.WriteByte((byte)'\r');
            output.WriteByte(lf[i]);
        }
        return output.ToArray();
    }

    /// <summary>A Maildir file, with the UID its copy has on the server.</summary>
    private sealed record MaildirFile(string Path, uint Uid, string Flags);

    /// <summary>
    /// The files of a Maildir (cur and new), each with the server UID mbsync paired it with: the <c>,U=</c> in a file name is
    /// the Maildir's own UID, and mbsync's state file (<c>.mbsyncstate</c>, lines "FAR-UID NEAR-UID FLAGS") pairs the two.
    /// </summary>
    private static IEnumerable<MaildirFile> MaildirFiles(string maildir)
    {
        var farByNear = new Dictionary<uint, uint>();
        var state = File.ReadAllLines(Path.Combine(maildir, ".mbsyncstate"));
        foreach (var line in state.SkipWhile(l => l.Length > 0).Skip(1))
        {
            var fields = line.Split(' ');
            uint far = uint.Parse(fields[0], CultureInfo.InvariantCulture), nearUid = uint.Parse(fields[1], CultureInfo.InvariantCulture);
            if (far > 0 && nearUid > 0) farByNear[nearUid] = far;
        }
        foreach (var sub in new[] { "cur", "new" })
        foreach (var path in Directory.EnumerateFiles(Path.Combine(maildir, sub)))
        {
            var name = Path.GetFileName(path);
            var info = name.Split(":2,", 2);
            var uid = info[0].Split(",U=", 2);
            Assert.True(uid.Length == 2, $"{name} has no UID: mbsync left a message unsynchronised");
            Assert.True(farByNear.TryGetValue(uint.Parse(uid[1], CultureInfo.InvariantCulture), out var farUid),
                $"{name} is paired with no server message in .mbsyncstate");
            yield return new MaildirFile(path, farUid, info.Length == 2 ? info[1] : "");
        }
    }

    private static string WithFlags(string path, string flags)
    {
        var dir = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(path))!, "cur");
        var name = Path.GetFileName(path).Split(":2,", 2)[0];
        return Path.Combine(dir, name + ":2," + new string(flags.Distinct().Order().ToArray()));
    }

    private static MessageFlags MaildirFlags(string letters)
    {
        var flags = MessageFlags.None;
        foreach (var c in letters)
            flags |= c switch
            {
                'S' => MessageFlags.Seen,
                'F' => MessageFlags.Flagged,
                'R' => MessageFlags.Answered,
                'D' => MessageFlags.Draft,
                'T' => MessageFlags.Deleted,
                _ => MessageFlags.None,
            };
        return flags;
    }

    private static MimeMessage Letter(string id, string subject, int n)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Lê Văn Cường", "le.van.cuong@tphcm.gov.vn"));
        message.To.Add(new MailboxAddress("Nguyễn Văn An", An));
        message.Subject = subject;
        message.MessageId = $"{id}@e2e.tphcm.gov.vn";
        message.Date = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.FromHours(7)).AddMinutes(n);
        message.Body = new TextPart("plain")
        {
            Text = $"Kính gửi đồng chí An,\nVăn bản số {n} đề nghị Phòng Hành chính báo cáo tình hình sử dụng hộp thư công vụ.\nTrân trọng.\n",
        };
        return message;
    }

    private async Task DeliverOverSmtpAsync(string to, string subject, string body, string messageId)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Nguyễn Văn An", An));
        message.To.Add(new MailboxAddress("", to));
        message.Subject = subject;
        message.MessageId = messageId;
        message.Body = new TextPart("plain") { Text = body };
        using var smtp = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true, CheckCertificateRevocation = false };
        await smtp.ConnectAsync("127.0.0.1", served.Server.SubmissionsPort, SecureSocketOptions.SslOnConnect);
        await smtp.AuthenticateAsync(An, Password);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(true);
    }

    private async Task<ImapClient> ConnectImapAsync(string user)
    {
        var imap = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, CheckCertificateRevocation = false };
        await imap.ConnectAsync("127.0.0.1", served.Server.ImapsPort, SecureSocketOptions.SslOnConnect);
        await imap.AuthenticateAsync(user, Password);
        return imap;
    }

    /// <summary>The certificate the server presents on 993, as a PEM file the client is told to trust.</summary>
    private async Task<string> ServerCertificatePemAsync(string folder)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", served.Server.ImapsPort);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        using var certificate = new System.Security.Cryptography.X509Certificates.X509Certificate2(tls.RemoteCertificate!);
        var path = Path.Combine(folder, "govmail.pem");
        await File.WriteAllTextAsync(path, certificate.ExportCertificatePem() + "\n");
        return path;
    }

    private sealed class TempFolder : IDisposable
    {
        public TempFolder(string prefix) => Path = Directory.CreateTempSubdirectory(prefix).FullName;

        public string Path { get; }

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); }
            catch (IOException) { /* a temp folder left behind is harmless */ }
        }
    }
}
