using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using GovMail.Core.Mail;
using GovMail.EndToEnd.Tests.Support;
using GovMail.Smtp.Tests.Outbound;
using GovMail.Storage.Blobs;
using GovMail.Storage.Mail;
using MailKit;
using MessageFlags = MailKit.MessageFlags;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Xunit.Abstractions;
using static GovMail.EndToEnd.Tests.Support.TenantDataFolder;

namespace GovMail.EndToEnd.Tests;

/// <summary>
/// Scale-out (docs/scale-out.md): two or three real <c>govmail serve</c> processes on loopback sharing one real PostgreSQL and
/// one blob folder. A delivery on one node is heard in IDLE on another, the outbound queue is drained once by nodes draining
/// together, each scheduled job runs on one node, and when a node is killed the others carry on with nothing lost.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class ClusterTests(ITestOutputHelper output)
{
    // Bounds for a broken run only; a busy machine may take a while.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Delivery_on_node_B_is_heard_in_IDLE_on_node_A_within_a_second_and_flags_and_expunges_propagate()
    {
        await using var cluster = await GovMailCluster.CreateAsync(2);
        await cluster.StartAsync();
        await cluster.Folders[0].AddOfficialsAsync();

        using var onA = await ImapAsync(cluster[0], Binh);
        var inbox = onA.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        var heard = new Heard();
        inbox.CountChanged += (_, _) => heard.Note("count", inbox.Count);
        inbox.MessageFlagsChanged += (_, e) => heard.Note("flags", e.Flags.HasFlag(MessageFlags.Seen) ? 1 : 0);
        inbox.MessageExpunged += (_, e) => heard.Note("expunged", e.Index);

        using var done = new CancellationTokenSource();
        var idle = onA.IdleAsync(done.Token);

        // The first delivery warms both processes up; the second is the one timed.
        await SendAsync(cluster[1].MxPort, Note(1));
        await heard.WaitAsync("count", 1);
        await SendAsync(cluster[1].MxPort, Note(2));
        var acknowledged = Stopwatch.GetTimestamp();
        await heard.WaitAsync("count", 2);
        var latency = Stopwatch.GetElapsedTime(acknowledged);
        output.WriteLine($"IDLE on node A heard node B's delivery {latency.TotalMilliseconds:0} ms after B's 250");
        Assert.True(latency < TimeSpan.FromSeconds(1), $"node A heard the delivery only after {latency.TotalMilliseconds:0} ms");

        // A client of node B reads and deletes the first message: node A's IDLE hears both.
        using (var onB = await ImapAsync(cluster[1], Binh))
        {
            var inboxB = onB.Inbox;
            await inboxB.OpenAsync(FolderAccess.ReadWrite);
            var first = (await inboxB.SearchAsync(MailKit.Search.SearchQuery.All))[0];
            await inboxB.AddFlagsAsync(first, MessageFlags.Seen, silent: true);
            await heard.WaitAsync("flags", 1);
            await inboxB.AddFlagsAsync(first, MessageFlags.Deleted, silent: true);
            await inboxB.ExpungeAsync();
            await heard.WaitAsync("expunged", 0);
            await onB.DisconnectAsync(true);
        }

        await done.CancelAsync();
        await idle;
        Assert.Equal(1, inbox.Count);
        var left = await inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope);
        Assert.Equal(Note(2).MessageId, Assert.Single(left).Envelope!.MessageId);
        await onA.DisconnectAsync(true);
        Assert.Empty(cluster.ErrorLog(0, 1));
    }

    [Fact]
    public async Task Three_nodes_starting_together_migrate_once_run_each_job_once_and_drain_the_queue_with_no_duplicate()
    {
        const int Queued = 60;
        await using var sink = LoopbackSmtpSink.Start();
        await using var cluster = await GovMailCluster.CreateAsync(3, new
        {
            Transports = new Dictionary<string, string> { ["*"] = sink.Address },
            PollInterval = "00:00:01",
            BatchSize = 5,
        });

        // Three nodes on an empty database at the same moment: one migrates and creates the tenant, the others wait their turn.
        await cluster.StartAsync();
        var db = cluster.Folders[0].Database;
        await using (var context = db.Open())
        {
            Assert.Empty(await context.Database.GetPendingMigrationsAsync());
            Assert.Single(await context.Tenants.AsNoTracking().ToListAsync());
        }
        await cluster.Folders[0].AddOfficialsAsync();

        // Mail for other domains lands in the shared queue while all three relays are polling it.
        var blobs = new FileBlobStore(cluster.SharedBlobs);
        var queue = new OutboundQueue(db, TimeProvider.System);
        var ids = new List<string>();
        for (var i = 1; i <= Queued; i++)
        {
            var message = Letter(i);
            var bytes = DurabilityTests.WireBytes(message);
            var (key, size) = await blobs.PutAsync((stream, ct) => stream.WriteAsync(bytes, ct).AsTask(), default);
            await queue.EnqueueAsync(key, size, An, null, [("nhan.vien@so-tttt.dongthap.gov.vn", null, null)], null, null);
            ids.Add(message.MessageId!);
        }

        var until = DateTime.UtcNow + Patience;
        while ((await queue.ListAsync()).Any(m => m.State == OutboundState.Queued))
        {
            Assert.True(DateTime.UtcNow < until, "the nodes did not drain the queue");
            await Task.Delay(200);
        }

        var sent = await queue.ListAsync();
        Assert.All(sent, m => Assert.Equal(OutboundState.Delivered, m.State));
        var received = sink.Messages.Select(m => MimeMessage.Load(new MemoryStream(m.Data)).MessageId).ToList();
        Assert.Equal(ids.Order(), received.Order());
        var byNode = Enumerable.Range(0, 3).Select(n => DeliveredRegex().Matches(cluster[n].Output).Count).ToList();
        output.WriteLine($"messages relayed by node 1, 2, 3: {string.Join(", ", byNode)}");
        Assert.Equal(Queued, byNode.Sum());

        // Each interval job was due at the start; one node took each run (the next is minutes away).
        foreach (var job in new[] { "usage.fold", "security.first-login-lock", "lifecycle.scheduled" })
        {
            var runs = Enumerable.Range(0, 3).Sum(n => Regex.Count(cluster[n].Output, $"\"Message\":\"Job {Regex.Escape(job)} done on "));
            Assert.True(runs == 1, $"{job} ran {runs} times across the nodes");
        }
        Assert.Empty(cluster.ErrorLog(0, 1, 2));
    }

    [Fact]
    public async Task A_node_killed_while_taking_mail_leaves_every_acknowledged_message_stored_exactly_once_and_the_others_carry_on()
    {
        await using var cluster = await GovMailCluster.CreateAsync(3);
        await cluster.StartAsync();
        await cluster.Folders[0].AddOfficialsAsync();
        var ledger = new DurabilityTests.Ledger();
        var run = Guid.NewGuid().ToString("N")[..8];

        // Two clients per node, each streaming messages over one MX connection, as a load balancer would spread them.
        using var stopSurvivors = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 6).Select(c => Task.Run(async () =>
        {
            try { return await DurabilityTests.SendUntilCutOffAsync(c + 1, run, cluster[c % 3].MxPort, ledger, stopSurvivors.Token); }
            catch (OperationCanceledException) { return null; }
        })).ToArray();
        await WaitForAsync(() => ledger.Acknowledged.Count >= 30, clients, "the first 30 messages");

        await cluster[0].KillAsync();
        var killedAt = ledger.Acknowledged.Count;
        // The killed node's clients are cut off; the others keep being served.
        Assert.All(await Task.WhenAll(clients[0], clients[3]), cut => Assert.NotNull(cut));
        await WaitForAsync(() => ledger.Acknowledged.Count >= killedAt + 30, [clients[1], clients[2], clients[4], clients[5]],
            "30 more messages on the surviving nodes");
        await stopSurvivors.CancelAsync();
        Assert.All(await Task.WhenAll(clients[1], clients[2], clients[4], clients[5]), survived => Assert.Null(survived));
        output.WriteLine($"{ledger.Acknowledged.Count} messages acknowledged, {killedAt} of them before node 1 was killed");

        // Read through a surviving node's IMAP and straight from the database and the shared blob folder.
        var inbox = await cluster.Folders[1].InboxAsync(Binh);
        foreach (var (id, hash) in ledger.Acknowledged)
        {
            var copy = Assert.Single(inbox, c => c.Message.MessageIdHeader == id);
            Assert.True(copy.Blob is not null, $"acknowledged message {id} has lost its blob");
            Assert.True(hash == DurabilityTests.Sha256(DurabilityTests.WithoutTraceHeaders(copy.Blob)), $"acknowledged message {id} is not what was sent");
        }
        // A message whose client was stopped after its last byte may still be committing: the surviving node's IMAP and the
        // database agree once it is in, and no message is there twice.
        using var imap = await ImapAsync(cluster[2], Binh);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var stored = await cluster.Folders[1].InboxAsync(Binh);
            Assert.Equal(stored.Count, stored.Select(c => c.Message.MessageIdHeader).Distinct().Count());
            await imap.NoOpAsync();
            if (stored.Count == imap.Inbox.Count) break;
            Assert.True(DateTime.UtcNow < until, $"IMAP on node 3 counts {imap.Inbox.Count} messages, the database {stored.Count}");
            await Task.Delay(100);
        }
        await imap.DisconnectAsync(true);
        Assert.Empty(cluster.ErrorLog(1, 2));
    }

    [Fact]
    public async Task A_browser_signed_in_on_node_A_is_served_by_node_B_with_the_same_cookies_and_forms()
    {
        await using var cluster = await GovMailCluster.CreateAsync(2);
        await cluster.StartAsync();
        await cluster.Folders[0].AddOfficialsAsync();

        // One browser behind a load balancer with no sticky sessions: its requests go to either node, with one cookie jar.
        var cookies = new CookieContainer();
        using var toA = Browser(cluster[0], cookies);
        using var toB = Browser(cluster[1], cookies);

        // The sign-in form comes from node A (antiforgery cookie and token made there) and is posted to node B.
        var signIn = await toA.GetStringAsync("/dang-nhap");
        var posted = await toB.PostAsync("/dang-nhap", new FormUrlEncodedContent(
            [new("Address", An), new("Password", Password), new("__xsrf", XsrfToken(signIn))]));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal("/thu", posted.Headers.Location?.OriginalString);

        // The session cookie node B made opens the inbox on both nodes.
        foreach (var node in new[] { toA, toB })
        {
            var inbox = await node.GetAsync("/thu");
            Assert.Equal(HttpStatusCode.OK, inbox.StatusCode);
            Assert.Contains("Nguyễn Văn An", await inbox.Content.ReadAsStringAsync());
        }

        // A letter composed on node B (a form tied to the session) is sent through node A.
        var compose = await toB.GetStringAsync("/soan-thu");
        var sent = await toA.PostAsync("/soan-thu", new FormUrlEncodedContent(
        [
            new("To", Binh), new("Subject", "Lịch họp giao ban tuần"), new("Body", "Kính gửi chị Bình, lịch họp sáng thứ Hai."),
            new("__xsrf", XsrfToken(compose)),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Contains("da-gui=true", sent.Headers.Location?.OriginalString);
        Assert.Contains(await cluster.Folders[1].InboxAsync(Binh), c => c.Message.Subject == "Lịch họp giao ban tuần");

        // Two nodes started together on a new database made one key between them, sealed with the secret key.
        await using (var db = cluster.Folders[0].Database.Open())
        {
            var key = Assert.Single(await db.DataProtectionKeys.AsNoTracking().ToListAsync());
            Assert.Contains("<govmailEncryptedKey", key.Xml);
            Assert.DoesNotContain("<masterKey", key.Xml);
        }

        // A cookie no node made is refused by both.
        using var stranger = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{cluster[1].HttpPort}"),
        };
        stranger.DefaultRequestHeaders.Add("Cookie", "govmail-session=" + SessionCookie(cookies, cluster[0])[..60] + "AAAAAAAA");
        var refused = await stranger.GetAsync("/thu");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/dang-nhap", refused.Headers.Location?.OriginalString);
        Assert.Empty(cluster.ErrorLog(0, 1));
    }

    private static HttpClient Browser(GovMailServer node, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{node.HttpPort}"),
            Timeout = Patience,
        };

    private static string SessionCookie(CookieContainer cookies, GovMailServer node) =>
        cookies.GetCookies(new Uri($"http://127.0.0.1:{node.HttpPort}"))["govmail-session"]?.Value
        ?? throw new InvalidOperationException("no session cookie");

    private static string XsrfToken(string html) =>
        XsrfRegex().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("no antiforgery token:\n" + html);

    [GeneratedRegex("name=\"__xsrf\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex XsrfRegex();

    private static async Task WaitForAsync(Func<bool> condition, IReadOnlyList<Task<Exception?>> clients, string what)
    {
        var until = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (clients.Any(c => c.IsCompleted))
                Assert.Fail($"a client stopped before {what}: " +
                            string.Join("\n", clients.Where(c => c.IsCompleted).Select(c => c.IsCompletedSuccessfully ? c.Result?.ToString() : c.Exception?.ToString())));
            Assert.True(DateTime.UtcNow < until, $"no {what} within {Patience}");
            await Task.Delay(10);
        }
    }

    [GeneratedRegex("\"Message\":\"Message [0-9a-f-]+ attempt 1: 1 delivered")]
    private static partial Regex DeliveredRegex();

    private static async Task<ImapClient> ImapAsync(GovMailServer node, string user)
    {
        var imap = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, CheckCertificateRevocation = false };
        await imap.ConnectAsync("127.0.0.1", node.ImapsPort, SecureSocketOptions.SslOnConnect);
        await imap.AuthenticateAsync(user, Password);
        return imap;
    }

    private static async Task SendAsync(int port, MimeMessage message)
    {
        using var smtp = new SmtpClient { LocalDomain = "so-tttt.dongthap.gov.vn", Timeout = 30_000 };
        await smtp.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(true);
    }

    private static MimeMessage Note(int n) => new(
        [new MailboxAddress("Sở TT&TT Đồng Tháp", "van.thu@so-tttt.dongthap.gov.vn")], [new MailboxAddress("Trần Thị Bình", Binh)],
        $"Thông báo số {n}", new TextPart("plain") { Text = $"Thông báo số {n} gửi các sở, ngành." })
    {
        MessageId = $"thong-bao-{n}@so-tttt.dongthap.gov.vn",
        Date = new DateTimeOffset(2026, 5, 21, 9, 0, 0, TimeSpan.FromHours(7)),
    };

    private static MimeMessage Letter(int n) => new(
        [new MailboxAddress("Nguyễn Văn An", An)], [new MailboxAddress("Nhân viên", "nhan.vien@so-tttt.dongthap.gov.vn")],
        $"Công văn số {n}/STTTT", new TextPart("plain") { Text = $"Công văn số {n} của Sở Thông tin và Truyền thông." })
    {
        MessageId = $"cong-van-{n}@tphcm.gov.vn",
        Date = new DateTimeOffset(2026, 5, 21, 9, 0, 0, TimeSpan.FromHours(7)),
    };

    /// <summary>What IDLE told the client, by kind, with the value that came with it; waits are bounded by <see cref="Patience"/>.</summary>
    private sealed class Heard
    {
        private readonly Lock _lock = new();
        private readonly List<(string Kind, int Value)> _seen = [];

        public void Note(string kind, int value)
        {
            lock (_lock) _seen.Add((kind, value));
        }

        public async Task WaitAsync(string kind, int value)
        {
            var until = DateTime.UtcNow + Patience;
            while (true)
            {
                lock (_lock) if (_seen.Contains((kind, value))) return;
                if (DateTime.UtcNow > until)
                    lock (_lock) throw new TimeoutException($"IDLE never said {kind} {value}; it said: {string.Join(", ", _seen)}");
                await Task.Delay(2);
            }
        }
    }
}
