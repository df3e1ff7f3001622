using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GovMail.EndToEnd.Tests.Support;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Xunit.Abstractions;
using static GovMail.EndToEnd.Tests.Support.TenantDataFolder;

namespace GovMail.EndToEnd.Tests;

/// <summary>
/// The promise behind <c>250</c>: once the server has said it, the message survives the process dying the next instant.
/// Clients send to the real <c>govmail serve</c> while the test SIGKILLs it; after a restart on the same data folder every
/// acknowledged message is there byte for byte, and nothing stored is half a message.
/// </summary>
public sealed class DurabilityTests(ITestOutputHelper output)
{
    private const int Clients = 4;
    private const int AcknowledgedBeforeKill = 40;
    // Only a bound for a broken run; a busy machine may take a while to acknowledge the first messages.
    private static readonly TimeSpan SendingLimit = TimeSpan.FromSeconds(120);

    /// <summary>What the clients sent: Message-ID (without angle brackets) → SHA-256 of the exact bytes on the wire.</summary>
    internal sealed class Ledger
    {
        public ConcurrentDictionary<string, string> Attempted { get; } = new();
        public ConcurrentDictionary<string, string> Acknowledged { get; } = new();
    }

    [Fact]
    public async Task Every_message_acknowledged_before_a_sigkill_is_stored_whole_after_restart_and_none_is_half_written()
    {
        using var data = await CreateAsync();
        var ledger = new Ledger();
        var run = Guid.NewGuid().ToString("N")[..8];

        using (var server = await GovMailServer.StartAsync(data))
        {
            using var limit = new CancellationTokenSource(SendingLimit);
            var clients = Enumerable.Range(1, Clients)
                .Select(n => Task.Run(() => SendUntilCutOffAsync(n, run, server.MxPort, ledger, limit.Token)))
                .ToArray();
            while (ledger.Acknowledged.Count < AcknowledgedBeforeKill)
            {
                if (clients.All(c => c.IsCompleted))
                    Assert.Fail("Every client stopped before the kill:\n" +
                                string.Join("\n", clients.Select(c => c.IsCompletedSuccessfully ? c.Result?.ToString() : c.Exception?.ToString())) +
                                $"\nserver stderr: {server.Error}");
                await Task.Delay(10, limit.Token);
            }

            await server.KillAsync();
            var stops = await Task.WhenAll(clients);
            // Each client was cut off by the kill in the middle of its stream, not by the time limit.
            Assert.All(stops, stop => Assert.NotNull(stop));
            // Until it died, the server had no trouble with the load.
            Assert.Empty(server.ErrorLog);
        }
        output.WriteLine($"{ledger.Attempted.Count} messages attempted, {ledger.Acknowledged.Count} acknowledged with 250 before SIGKILL");

        using var restarted = await GovMailServer.StartAsync(data);
        var inbox = await data.InboxAsync(Binh);
        foreach (var (id, hash) in ledger.Acknowledged)
        {
            var copy = Assert.Single(inbox, c => c.Message.MessageIdHeader == id);
            Assert.True(copy.Blob is not null, $"acknowledged message {id} has lost its blob {copy.Message.BlobKey}");
            Assert.True(hash == Sha256(WithoutTraceHeaders(copy.Blob)), $"acknowledged message {id} is not what was sent");
        }

        var all = await data.AllMessagesAsync();
        foreach (var (message, blob) in all)
        {
            Assert.True(blob is not null, $"message row {message.Id} references blob {message.BlobKey}, which is missing");
            Assert.Equal(message.Size, blob.Length);
            var parsed = await MimeMessage.LoadAsync(new MemoryStream(blob));
            Assert.Equal(message.MessageIdHeader, parsed.MessageId);
            Assert.True(ledger.Attempted.TryGetValue(message.MessageIdHeader!, out var sent), $"message {message.MessageIdHeader} was never sent");
            Assert.True(sent == Sha256(WithoutTraceHeaders(blob)), $"message {message.MessageIdHeader} is stored but not whole");
        }
        Assert.Equal(all.Count, inbox.Count);
        output.WriteLine($"{inbox.Count} messages stored after restart ({inbox.Count - ledger.Acknowledged.Count} of them never acknowledged)");
        output.WriteLine(LeftBehind(data, all.Select(m => m.Message.BlobKey).ToHashSet()));

        // The restarted server takes mail again, into the same INBOX after the last UID.
        using var client = new SmtpClient { LocalDomain = "after.e2e.test", Timeout = 30_000 };
        await client.ConnectAsync("127.0.0.1", restarted.MxPort, SecureSocketOptions.None);
        var after = Letter(0, 1, run);
        await client.SendAsync(after);
        await client.DisconnectAsync(quit: true);
        var last = (await data.InboxAsync(Binh))[^1];
        Assert.Equal(after.MessageId, last.Message.MessageIdHeader);
        Assert.Equal(inbox.Count == 0 ? 1u : inbox[^1].Uid + 1, last.Uid);
        Assert.Empty(restarted.ErrorLog);
    }

    /// <summary>What the crash left on disk that no message refers to (harmless, but it takes room).</summary>
    private static string LeftBehind(TenantDataFolder data, IReadOnlySet<string> referenced)
    {
        static int Count(string dir) => Directory.Exists(dir) ? Directory.EnumerateFiles(dir).Count() : 0;
        var temporary = Path.Combine(data.BlobDirectory, "tmp");
        var unreferenced = Directory.EnumerateFiles(data.BlobDirectory, "*", SearchOption.AllDirectories)
            .Count(f => !f.StartsWith(temporary + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !referenced.Contains(Path.GetFileName(f)));
        return $"left behind: {unreferenced} blobs no message refers to, {Count(temporary)} temporary blob files, " +
               $"{Count(Path.Combine(data.Path, "spool"))} spool files";
    }

    /// <summary>
    /// One client's stream of messages over one MX connection, until the connection breaks; returns what broke it. Anything
    /// else (a refusal, a failed check) ends the test.
    /// </summary>
    internal static async Task<Exception?> SendUntilCutOffAsync(int client, string run, int port, Ledger ledger, CancellationToken ct)
    {
        using var smtp = new SmtpClient { LocalDomain = $"may{client}.e2e.test", Timeout = 30_000 };
        try
        {
            await smtp.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None, ct);
            for (var n = 1; ; n++)
            {
                var message = Letter(client, n, run);
                var id = message.MessageId!;
                var hash = Sha256(WireBytes(message));
                ledger.Attempted[id] = hash;
                await smtp.SendAsync(message, ct);
                ledger.Acknowledged[id] = hash;
                Assert.Equal(hash, Sha256(WireBytes(message))); // the client sent exactly these bytes
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or MailKit.ProtocolException
                                       or MailKit.ServiceNotConnectedException)
        {
            return e;
        }
    }

    /// <summary>Message N of a client: its own Message-ID, a seeded body of 1 to 100 KB, quoted-printable so the bytes are fixed before sending.</summary>
    internal static MimeMessage Letter(int client, int n, string run)
    {
        var random = new Random(client * 100_000 + n);
        var body = new StringBuilder();
        var lines = random.Next(20, 2000);
        for (var i = 0; i < lines; i++)
            body.Append(CultureInfo.InvariantCulture, $"Dòng {i} của thư số {n} từ máy {client}: {random.Next():x8}\r\n");
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress($"Máy {client}", $"may{client}@svhtt.hanoi.gov.vn"));
        message.To.Add(new MailboxAddress("Trần Thị Bình", Binh));
        message.Subject = $"Thư số {n} từ máy {client}";
        message.Date = new DateTimeOffset(2026, 5, 21, 8, 0, 0, TimeSpan.FromHours(7));
        message.MessageId = $"durable-{client}-{n}.{run}@e2e.tphcm.gov.vn";
        message.Body = new TextPart("plain") { Text = body.ToString(), ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        return message;
    }

    internal static byte[] WireBytes(MimeMessage message)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var stream = new MemoryStream();
        message.WriteTo(options, stream);
        return stream.ToArray();
    }

    /// <summary>
    /// The message as the client sent it: the blob without the <c>Return-Path:</c>, <c>Authentication-Results:</c> (MX
    /// inbound checks) and <c>Received:</c> the server put on top.
    /// </summary>
    internal static byte[] WithoutTraceHeaders(byte[] blob)
    {
        var offset = SkipHeader(blob, 0, "Return-Path:");
        offset = SkipHeader(blob, offset, "Authentication-Results:");
        offset = SkipHeader(blob, offset, "Received:");
        return blob[offset..];
    }

    private static int SkipHeader(byte[] blob, int offset, string name)
    {
        Assert.True(blob.AsSpan(offset).StartsWith(Encoding.ASCII.GetBytes(name)), $"expected a {name} header at octet {offset}");
        do
        {
            var lineFeed = blob.AsSpan(offset).IndexOf((byte)'\n');
            Assert.True(lineFeed >= 0, $"the {name} header does not end");
            offset += lineFeed + 1;
        }
        while (offset < blob.Length && blob[offset] is (byte)' ' or (byte)'\t');
        return offset;
    }

    internal static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));
}
