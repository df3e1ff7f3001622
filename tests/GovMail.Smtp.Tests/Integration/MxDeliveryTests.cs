using System.Text;
using GovMail.Core.Usage;
using GovMail.Smtp.Tests.Support;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using MailKit.Net.Smtp;
using MimeKit;
using static GovMail.Smtp.Tests.Integration.SmtpHostTestBed;

namespace GovMail.Smtp.Tests.Integration;

/// <summary>
/// Mail from the Internet on port 25 through the real pipeline: what the database and the blob store hold afterwards.
/// </summary>
public sealed class MxDeliveryTests
{
    /// <summary>
    /// The fields the server puts on top: Return-Path, the inbound checks' Authentication-Results (nothing is published for
    /// the sender's domain in the test DNS, so every method says none) and Received.
    /// </summary>
    private static string Trace(string mailFrom, string id, string? forRecipient, string protocol = "ESMTP", bool hasFrom = true) =>
        $"Return-Path: <{mailFrom}>\r\n" +
        $"Authentication-Results: {HostName};\r\n\tspf=none smtp.mailfrom={mailFrom[(mailFrom.IndexOf('@') + 1)..]};\r\n\tdkim=none;\r\n" +
        (hasFrom ? $"\tdmarc=none header.from={mailFrom[(mailFrom.IndexOf('@') + 1)..]}\r\n" : "\tdmarc=permerror\r\n") +
        "Received: from client.example ([127.0.0.1])\r\n" +
        $"\tby {HostName} (GovMail) with {protocol} id {id}" + (forRecipient is null ? "" : $"\r\n\tfor <{forRecipient}>") +
        $"; {StartDate}\r\n";

    private static byte[] Concat(string trace, byte[] original) => [.. Encoding.UTF8.GetBytes(trace), .. original];

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Mx_delivers_to_a_user_as_uid_1_of_the_inbox_with_return_path_and_received_on_the_original_bytes(DatabaseProvider provider)
    {
        await using var bed = await StartAsync(provider);
        var letter = Letter(OutsideSender, Binh, "Giấy mời họp giao ban tuần", "Kính mời đồng chí dự họp lúc 14 giờ.\r\n");

        string reply;
        using (var client = await bed.ConnectAsync(SmtpListenerKind.Mx))
        {
            reply = await client.SendAsync(letter);
            await client.DisconnectAsync(quit: true);
        }

        var id = QueuedId(reply);
        var copy = Assert.Single(await bed.InboxAsync(Binh));
        Assert.Equal(1u, copy.Uid);
        Assert.Equal(Concat(Trace(OutsideSender, id, Binh), WireBytes(letter)), copy.Blob);
        Assert.Equal(copy.Blob.Length, copy.Message.Size);
        Assert.Equal("Giấy mời họp giao ban tuần", copy.Message.Subject);
        Assert.Equal(OutsideSender, copy.Message.FromAddress);
        Assert.Equal(letter.MessageId, copy.Message.MessageIdHeader);
        Assert.Equal(copy.Message.Size, await bed.UsedBytesAsync(Binh));
        var received = Assert.Single(await bed.UsageEventsAsync());
        Assert.Equal((Binh, UsageKind.Received, UsageProtocol.Smtp, "127.0.0.1"), (received.Address, received.Kind, received.Protocol, received.RemoteAddress));
        Assert.Equal(1, bed.BlobCount());
        Assert.Empty(await bed.OutboundAsync());
    }

    [Fact]
    public async Task Mx_delivers_mail_for_an_alias_into_the_accounts_inbox()
    {
        await using var bed = await StartAsync();
        var letter = Letter(OutsideSender, AnAlias, "Gửi anh An", "Nội dung.\r\n");

        using var client = await bed.ConnectAsync(SmtpListenerKind.Mx);
        var id = QueuedId(await client.SendAsync(letter));

        var copy = Assert.Single(await bed.InboxAsync(An));
        Assert.Equal(1u, copy.Uid);
        Assert.Equal(Concat(Trace(OutsideSender, id, AnAlias), WireBytes(letter)), copy.Blob);
        Assert.Empty(await bed.InboxAsync(Binh));
    }

    [Fact]
    public async Task Mx_delivers_to_a_unit_group_one_shared_blob_for_every_active_member_of_the_unit_and_its_teams()
    {
        await using var bed = await StartAsync();
        var letter = Letter(OutsideSender, OfficeGroup, "Thông báo lịch nghỉ lễ", "Gửi toàn thể Văn phòng Sở.\r\n");

        using var client = await bed.ConnectAsync(SmtpListenerKind.Mx);
        var id = QueuedId(await client.SendAsync(letter));

        var expected = Concat(Trace(OutsideSender, id, OfficeGroup), WireBytes(letter));
        var copies = new List<InboxCopy>();
        foreach (var member in new[] { An, Binh, Cuong })
        {
            var copy = Assert.Single(await bed.InboxAsync(member));
            Assert.Equal(1u, copy.Uid);
            Assert.Equal(expected, copy.Blob);
            copies.Add(copy);
        }
        Assert.Single(copies.Select(c => c.Message.Id).Distinct());
        Assert.Equal(1, bed.BlobCount());
        Assert.Equal(1, await bed.MessageRowCountAsync());
        // Disabled: left the department. Pending first login: not a member of the office.
        Assert.Empty(await bed.InboxAsync(Dung));
        Assert.Empty(await bed.InboxAsync(Em));
        var events = await bed.UsageEventsAsync();
        Assert.Equal(new[] { An, Binh, Cuong }.Order(), events.Where(e => e.Kind == UsageKind.Received).Select(e => e.Address).Order());
    }

    [Fact]
    public async Task Mx_delivers_to_the_group_of_the_department_created_by_init_every_active_account_of_every_unit_below_it()
    {
        await using var bed = await StartAsync();
        const string wholeDepartment = "toanso@tphcm.gov.vn";
        var group = await new AddressBook(bed.Database, bed.Clock).AddGroupAsync(wholeDepartment, "", Organisation, Actor);
        Assert.True(group.IsOk, group.Problem?.ToString());

        using var client = await bed.ConnectAsync(SmtpListenerKind.Mx);
        await client.SendAsync(Letter(OutsideSender, wholeDepartment, "Gửi toàn Sở", "Kính gửi toàn thể cán bộ.\r\n"));

        var reached = (await bed.UsageEventsAsync()).Where(e => e.Kind == UsageKind.Received).Select(e => e.Address).Order();
        Assert.Equal(new[] { Actor, An, Binh, Cuong, Em }.Order(), reached);
        Assert.Empty(await bed.InboxAsync(Dung));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Concurrent_messages_to_the_same_people_listed_in_different_orders_are_all_accepted(DatabaseProvider provider)
    {
        await using var bed = await StartAsync(provider);
        const int perClient = 15;
        string[][] orders = [[An, Binh, Cuong], [Cuong, Binh, An], [Binh, An, Cuong]];

        var refusals = await Task.WhenAll(orders.Select(async order =>
        {
            var refused = new List<string>();
            using var client = await bed.ConnectAsync(SmtpListenerKind.Mx);
            for (var i = 0; i < perClient; i++)
            {
                var letter = Letter(OutsideSender, order[0], $"Thư {i}", "Gửi ba người.\r\n");
                foreach (var other in order.Skip(1)) letter.To.Add(MailboxAddress.Parse(other));
                try { await client.SendAsync(letter); }
                catch (SmtpCommandException e) { refused.Add(e.Message); }
            }
            return refused;
        }));

        Assert.Empty(refusals.SelectMany(r => r));
        foreach (var person in new[] { An, Binh, Cuong })
            Assert.Equal(Enumerable.Range(1, orders.Length * perClient).Select(uid => (uint)uid), (await bed.InboxAsync(person)).Select(c => c.Uid));
    }

    [Fact]
    public async Task Mx_delivers_an_smtputf8_message_with_vietnamese_headers_byte_exact()
    {
        await using var bed = await StartAsync();
        const string raw =
            "From: Sở Văn hóa và Thể thao <van.thu@svhtt.hanoi.gov.vn>\r\n" +
            "To: Trần Thị Bình <tran.thi.binh@tphcm.gov.vn>\r\n" +
            "Subject: Công văn số 1434/SVHTT-VP\r\n" +
            "Date: Thu, 21 May 2026 07:45:00 +0700\r\n" +
            "Message-ID: <1434.svhtt-vp@svhtt.hanoi.gov.vn>\r\n" +
            "MIME-Version: 1.0\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Transfer-Encoding: 8bit\r\n" +
            "\r\n" +
            "Kính gửi: Sở Thông tin và Truyền thông thành phố Hồ Chí Minh.\r\n" +
            "Về việc phối hợp tổ chức Ngày Sách và Văn hóa đọc Việt Nam.\r\n" +
            ".Dòng này bắt đầu bằng dấu chấm.\r\n" +
            "Trân trọng./.\r\n";
        var original = Encoding.UTF8.GetBytes(raw);
        var letter = await MimeMessage.LoadAsync(new MemoryStream(original));
        var international = FormatOptions.Default.Clone();
        international.International = true;
        international.NewLineFormat = NewLineFormat.Dos;
        Assert.Equal(original, WireBytes(letter, international));

        using var client = await bed.ConnectAsync(SmtpListenerKind.Mx);
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.UTF8));
        var id = QueuedId(await client.SendAsync(international, letter));

        var copy = Assert.Single(await bed.InboxAsync(Binh));
        Assert.Equal(Concat(Trace(OutsideSender, id, Binh, "UTF8SMTP"), original), copy.Blob);
        Assert.Equal("Công văn số 1434/SVHTT-VP", copy.Message.Subject);
        Assert.Equal("Sở Văn hóa và Thể thao", copy.Message.FromName);
        Assert.Equal("1434.svhtt-vp@svhtt.hanoi.gov.vn", copy.Message.MessageIdHeader);
    }

    [Fact]
    public async Task Mx_refuses_to_relay_to_other_domains_and_never_queues_anything()
    {
        await using var bed = await StartAsync();
        using var client = await bed.ConnectAsync(SmtpListenerKind.Mx);

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            client.SendAsync(Letter(OutsideSender, RemoteRecipient, "Chuyển tiếp giúp", "?\r\n")));
        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, refused.ErrorCode);
        Assert.Equal(550, (int)refused.StatusCode);
        Assert.StartsWith("5.7.1 Relaying denied", refused.Message);

        // Mixed with a local recipient: the local one is taken, the other refused, nothing goes out.
        await using (var raw = await RawSmtpClient.ConnectAsync(bed.Mx))
        {
            await raw.GreetAsync();
            await raw.SendAsync($"MAIL FROM:<{OutsideSender}>\r\nRCPT TO:<{RemoteRecipient}>\r\nRCPT TO:<{Binh}>\r\nDATA\r\n");
            Assert.StartsWith("250 2.1.0", await raw.ReadReplyAsync());
            Assert.StartsWith("550 5.7.1 Relaying denied", await raw.ReadReplyAsync());
            Assert.StartsWith("250 2.1.5", await raw.ReadReplyAsync());
            Assert.StartsWith("354 ", await raw.ReadReplyAsync());
            await raw.SendAsync("Subject: relay?\r\n\r\nno\r\n.\r\n");
            Assert.StartsWith("250 2.0.0 Ok: queued as", await raw.ReadReplyAsync());
            // No AUTH on MX, so no way to become a relay there.
            await raw.SendAsync("AUTH PLAIN " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{An}\0{Password}")) + "\r\n");
            Assert.StartsWith("502 5.5.1 Authentication is not available on this port", await raw.ReadReplyAsync());
        }

        Assert.Single(await bed.InboxAsync(Binh));
        Assert.Empty(await bed.OutboundAsync());
        Assert.Equal(0, await bed.Relay.RunOnceAsync());
        Assert.Equal(0, bed.Sink.Connections);
        Assert.DoesNotContain(await bed.UsageEventsAsync(), e => e.Kind is UsageKind.Login or UsageKind.LoginFailed);
    }

    [Fact]
    public async Task Mx_refuses_an_oversize_message_with_552_5_3_4_whether_its_size_was_declared_or_not()
    {
        await using var bed = await StartAsync(configure: o => o.MaxMessageSize = 4096);
        var body = string.Concat(Enumerable.Repeat("Báo cáo tổng hợp số liệu tháng năm.\r\n", 200));

        using (var client = await bed.ConnectAsync(SmtpListenerKind.Mx))
        {
            Assert.Equal(4096u, client.MaxSize);
            var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Letter(OutsideSender, Binh, "Quá lớn", body)));
            Assert.Equal(552, (int)refused.StatusCode);
            Assert.StartsWith("5.3.4 Message size exceeds the limit of 4096 octets", refused.Message);
        }

        await using (var raw = await RawSmtpClient.ConnectAsync(bed.Mx))
        {
            await raw.GreetAsync();
            await raw.SendAsync($"MAIL FROM:<{OutsideSender}> SIZE=10000\r\n");
            Assert.StartsWith("552 5.3.4 Message size exceeds the limit of 4096 octets", await raw.ReadReplyAsync());
            // Undeclared: the whole message is read, then refused.
            await raw.SendAsync($"MAIL FROM:<{OutsideSender}>\r\nRCPT TO:<{Binh}>\r\nDATA\r\n");
            Assert.StartsWith("250 2.1.0", await raw.ReadReplyAsync());
            Assert.StartsWith("250 2.1.5", await raw.ReadReplyAsync());
            Assert.StartsWith("354 ", await raw.ReadReplyAsync());
            await raw.SendAsync("Subject: large\r\n\r\n" + body + ".\r\n");
            Assert.StartsWith("552 5.3.4 Message size exceeds the limit of 4096 octets", await raw.ReadReplyAsync());
            // The session goes on.
            await raw.SendAsync("NOOP\r\n");
            Assert.StartsWith("250 ", await raw.ReadReplyAsync());
        }

        Assert.Empty(await bed.InboxAsync(Binh));
        Assert.Equal(0, bed.BlobCount());
        Assert.Equal(0, await bed.MessageRowCountAsync());
    }

    [Fact]
    public async Task Mx_sees_directory_changes_at_once_although_it_remembers_recipients()
    {
        await using var bed = await StartAsync();
        using var client = await bed.ConnectAsync(SmtpListenerKind.Mx);
        await client.SendAsync(Letter(OutsideSender, Binh, "Thư thứ nhất", "Một.\r\n"));
        const string newAlias = "vanthu.vanphong@tphcm.gov.vn";
        var unknown = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Letter(OutsideSender, newAlias, "Chưa có", "Hai.\r\n")));
        Assert.Equal(550, (int)unknown.StatusCode);

        // Bình, just remembered as a recipient, leaves; the alias, just refused, is created.
        var disabled = await bed.Accounts.ApplyAsync(Binh, Core.Accounts.AccountAction.Disable, Actor, "chuyển công tác");
        Assert.True(disabled.IsOk, disabled.Problem?.ToString());
        var alias = await new AddressBook(bed.Database, bed.Clock).AddAliasAsync(newAlias, Cuong, Actor);
        Assert.True(alias.IsOk, alias.Problem?.ToString());

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Letter(OutsideSender, Binh, "Thư thứ hai", "Ba.\r\n")));
        Assert.Equal(550, (int)refused.StatusCode);
        Assert.StartsWith($"5.2.1 Mailbox <{Binh}> is disabled", refused.Message);
        await client.SendAsync(Letter(OutsideSender, newAlias, "Gửi văn thư", "Bốn.\r\n"));
        Assert.Single(await bed.InboxAsync(Binh));
        Assert.Single(await bed.InboxAsync(Cuong));
    }

    [Fact]
    public async Task Mx_refuses_a_recipient_whose_mailbox_is_full_at_rcpt_with_452_4_2_2()
    {
        await using var bed = await StartAsync();
        using var client = await bed.ConnectAsync(SmtpListenerKind.Mx);
        await client.SendAsync(Letter(OutsideSender, Binh, "Thư thứ nhất", "Một.\r\n"));
        var used = await bed.UsedBytesAsync(Binh);
        var quota = await bed.Accounts.UpdateAsync(Binh, new AccountUpdate { QuotaBytes = used + 100 }, Actor);
        Assert.True(quota.IsOk, quota.Problem?.ToString());

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            client.SendAsync(Letter(OutsideSender, Binh, "Thư thứ hai", string.Concat(Enumerable.Repeat("Hai.\r\n", 50)))));

        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, refused.ErrorCode);
        Assert.Equal(452, (int)refused.StatusCode);
        Assert.StartsWith($"4.2.2 Mailbox <{Binh}> is full, try again later", refused.Message);
        Assert.Single(await bed.InboxAsync(Binh));
        // Others still get mail.
        await client.SendAsync(Letter(OutsideSender, An, "Thư cho anh An", "Ba.\r\n"));
        Assert.Single(await bed.InboxAsync(An));
    }

    [Fact]
    public async Task Mx_to_a_group_delivers_to_the_members_with_room_and_tells_the_sender_whose_mailbox_is_full()
    {
        await using var bed = await StartAsync();
        using var client = await bed.ConnectAsync(SmtpListenerKind.Mx);
        await client.SendAsync(Letter(OutsideSender, Binh, "Thư thứ nhất", "Một.\r\n"));
        var quota = await bed.Accounts.UpdateAsync(Binh, new AccountUpdate { QuotaBytes = await bed.UsedBytesAsync(Binh) + 100 }, Actor);
        Assert.True(quota.IsOk, quota.Problem?.ToString());
        var letter = Letter(OutsideSender, OfficeGroup, "Lịch trực Tết", string.Concat(Enumerable.Repeat("Phân công trực Tết.\r\n", 20)));

        await client.SendAsync(letter);

        Assert.Single(await bed.InboxAsync(An));
        Assert.Single(await bed.InboxAsync(Cuong));
        Assert.Single(await bed.InboxAsync(Binh));
        // The notice goes back to the Internet sender: queued with an empty envelope sender, never bounced itself.
        var queued = Assert.Single(await bed.OutboundAsync());
        Assert.Equal("", queued.MailFrom);
        Assert.Equal(OutsideSender, Assert.Single(queued.Recipients).Address);
        var notice = await MimeMessage.LoadAsync(new MemoryStream(await bed.ReadBlobAsync(queued.BlobKey)));
        Assert.Equal("Thư không gửi được / Undelivered mail: Lịch trực Tết", notice.Subject);
        Assert.Equal(letter.MessageId, notice.InReplyTo);
        var report = Assert.IsType<MultipartReport>(notice.Body);
        var text = Assert.IsType<TextPart>(report[0]).Text;
        Assert.Contains($"{Binh} (thành viên của {OfficeGroup})", text);
        Assert.Contains("Lý do: hộp thư của người nhận đã đầy (5.2.2).", text);
        Assert.Contains("Những người nhận khác đã nhận được thư.", text);
        Assert.Contains($"{Binh} (member of {OfficeGroup})", text);
        Assert.Contains("Reason: the recipient's mailbox is full (5.2.2).", text);
        var status = Assert.IsType<MessageDeliveryStatus>(report[1]);
        var member = Assert.Single(status.StatusGroups, g => g.Contains("Final-Recipient"));
        Assert.Equal("rfc822; " + Binh, member["Final-Recipient"]);
        Assert.Equal("failed", member["Action"]);
        Assert.Equal("5.2.2", member["Status"]);
        Assert.Equal("Lịch trực Tết", Assert.IsType<TextRfc822Headers>(report[2]).Message!.Subject);
    }

    [Fact]
    public async Task Mx_refuses_a_group_at_rcpt_with_452_only_when_every_members_mailbox_is_full()
    {
        await using var bed = await StartAsync();
        foreach (var member in new[] { An, Binh, Cuong })
            Assert.True((await bed.Accounts.UpdateAsync(member, new AccountUpdate { QuotaBytes = 10 }, Actor)).IsOk);
        using var client = await bed.ConnectAsync(SmtpListenerKind.Mx);

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            client.SendAsync(Letter(OutsideSender, OfficeGroup, "Thông báo", "Nội dung.\r\n")));

        Assert.Equal(452, (int)refused.StatusCode);
        Assert.StartsWith($"4.2.2 Mailbox <{OfficeGroup}> is full", refused.Message);
        Assert.Empty(await bed.OutboundAsync());
    }

    [Fact]
    public async Task Mx_answers_a_pipelined_transaction_in_order_and_delivers_it_dot_unstuffed()
    {
        await using var bed = await StartAsync();
        await using var raw = await RawSmtpClient.ConnectAsync(bed.Mx);
        await raw.GreetAsync();

        await raw.SendAsync($"MAIL FROM:<{OutsideSender}>\r\nRCPT TO:<{Binh}>\r\nRCPT TO:<khong.co.ai@{Domain}>\r\nRCPT TO:<{Cuong}>\r\nDATA\r\n");
        Assert.StartsWith("250 2.1.0 Sender OK", await raw.ReadReplyAsync());
        Assert.StartsWith("250 2.1.5 Recipient OK", await raw.ReadReplyAsync());
        Assert.StartsWith($"550 5.1.1 No such mailbox <khong.co.ai@{Domain}>", await raw.ReadReplyAsync());
        Assert.StartsWith("250 2.1.5 Recipient OK", await raw.ReadReplyAsync());
        Assert.StartsWith("354 ", await raw.ReadReplyAsync());
        await raw.SendAsync("Subject: Pipelined\r\n\r\nDòng một.\r\n..Dòng bắt đầu bằng dấu chấm.\r\n.\r\nQUIT\r\n");
        var id = QueuedId(await raw.ReadReplyAsync());
        Assert.StartsWith("221 2.0.0", await raw.ReadReplyAsync());

        const string original = "Subject: Pipelined\r\n\r\nDòng một.\r\n.Dòng bắt đầu bằng dấu chấm.\r\n";
        foreach (var recipient in new[] { Binh, Cuong })
        {
            var copy = Assert.Single(await bed.InboxAsync(recipient));
            Assert.Equal(Concat(Trace(OutsideSender, id, forRecipient: null, hasFrom: false), Encoding.UTF8.GetBytes(original)), copy.Blob);
        }
    }

    [Fact]
    public async Task Mx_delivers_a_message_sent_in_bdat_chunks_byte_exact()
    {
        await using var bed = await StartAsync();
        await using var raw = await RawSmtpClient.ConnectAsync(bed.Mx);
        await raw.GreetAsync();
        // In BDAT nothing is dot-stuffed: a lone dot line is content, and a chunk may end in the middle of a line.
        const string first = "From: <van.thu@svhtt.hanoi.gov.vn>\r\nSubject: Chia nhỏ\r\n\r\nPhần một, dòng";
        const string second = " còn lại.\r\n.\r\n..hai chấm\r\nHết.\r\n";

        await raw.SendAsync($"MAIL FROM:<{OutsideSender}> BODY=8BITMIME\r\nRCPT TO:<{Binh}>\r\n");
        Assert.StartsWith("250 2.1.0", await raw.ReadReplyAsync());
        Assert.StartsWith("250 2.1.5", await raw.ReadReplyAsync());
        var firstLength = Encoding.UTF8.GetByteCount(first);
        await raw.ChunkAsync($"BDAT {firstLength}", first, $"250 2.0.0 {firstLength} octets received");
        await raw.SendAsync($"BDAT {Encoding.UTF8.GetByteCount(second)} LAST\r\n{second}");
        var id = QueuedId(await raw.ReadReplyAsync());

        var copy = Assert.Single(await bed.InboxAsync(Binh));
        Assert.Equal(Concat(Trace(OutsideSender, id, Binh), Encoding.UTF8.GetBytes(first + second)), copy.Blob);
        Assert.Equal("Chia nhỏ", copy.Message.Subject);
    }
}
