using System.Diagnostics;
using System.Net;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace GovMail.Bench.Imap;

public sealed record WorkloadResult(int Clients, TimeSpan Elapsed, IReadOnlyDictionary<string, long> Operations,
    IReadOnlyDictionary<string, double> MeanMs, long Errors, IReadOnlyList<string> ErrorSamples)
{
    public long Total => Operations.Values.Sum();
    public double PerSecond => Total / Elapsed.TotalSeconds;
}

/// <summary>
/// The mixed workload: C MailKit clients, each logged in to an account of its own over imaps, loop for S seconds over
/// SELECT INBOX; FETCH envelope, flags, size and UID of the 20 newest messages; FETCH BODY.PEEK[] of one of them; STORE
/// +FLAGS/-FLAGS \Flagged on one; APPEND a 4 KB letter; UID SEARCH FROM "cuong" SINCE a date; STORE \Deleted and UID EXPUNGE
/// of the letter appended. Each is one operation (seven per round); the count of each is reported.
/// </summary>
public static class Workload
{
    public static readonly string[] Names = ["select", "fetch envelopes", "fetch body", "flag", "append", "search", "expunge"];

    public static ImapClient NewClient() => new() { ServerCertificateValidationCallback = (_, _, _, _) => true, CheckCertificateRevocation = false };

    /// <summary>Fills each account's INBOX with <paramref name="messages"/> letters over APPEND (all accounts in parallel).</summary>
    public static async Task PreloadAsync(IPEndPoint server, IReadOnlyList<BenchAccount> accounts, int messages, int size, CancellationToken ct)
    {
        await Task.WhenAll(accounts.Select(async (account, a) =>
        {
            using var client = NewClient();
            await client.ConnectAsync(server.Address.ToString(), server.Port, SecureSocketOptions.SslOnConnect, ct);
            await client.AuthenticateAsync(account.Address, account.Password, ct);
            for (var i = 0; i < messages; i++)
            {
                using var letter = MimeMessage.Load(new MemoryStream(Letters.Make(a * messages + i, size)));
                await client.Inbox.AppendAsync(new AppendRequest(letter, i % 3 == 0 ? MessageFlags.Seen : MessageFlags.None), ct);
            }
            await client.DisconnectAsync(true, ct);
        }));
    }

    public static async Task<WorkloadResult> RunAsync(IPEndPoint server, IReadOnlyList<BenchAccount> accounts, int size, TimeSpan duration, CancellationToken ct)
    {
        var counts = new long[Names.Length];
        var ticks = new long[Names.Length];
        long errors = 0;
        var samples = new List<string>();
        var clients = new List<ImapClient>();
        foreach (var account in accounts)
        {
            var client = NewClient();
            await client.ConnectAsync(server.Address.ToString(), server.Port, SecureSocketOptions.SslOnConnect, ct);
            await client.AuthenticateAsync(account.Address, account.Password, ct);
            clients.Add(client);
        }
        var since = new DateTime(2026, 11, 1);
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(clients.Select(async (client, c) =>
        {
            var random = new Random(c);
            var n = 0;
            while (Stopwatch.GetTimestamp() < end && !ct.IsCancellationRequested)
            {
                var step = 0;
                var t = Stopwatch.GetTimestamp();
                void Done(int i)
                {
                    var now = Stopwatch.GetTimestamp();
                    Interlocked.Increment(ref counts[i]);
                    Interlocked.Add(ref ticks[i], now - t);
                    t = now;
                }
                try
                {
                    var inbox = client.Inbox;
                    await inbox.OpenAsync(FolderAccess.ReadWrite, ct);
                    Done(step++);
                    var count = inbox.Count;
                    var newest = await inbox.FetchAsync(Math.Max(0, count - 20), -1,
                        MessageSummaryItems.Envelope | MessageSummaryItems.Flags | MessageSummaryItems.Size | MessageSummaryItems.UniqueId, ct);
                    Done(step++);
                    var one = newest[random.Next(newest.Count)].UniqueId;
                    using (var body = await inbox.GetStreamAsync(one, "", ct)) await body.CopyToAsync(Stream.Null, ct);
                    Done(step++);
                    if (random.Next(2) == 0) await inbox.AddFlagsAsync(one, MessageFlags.Flagged, silent: true, ct);
                    else await inbox.RemoveFlagsAsync(one, MessageFlags.Flagged, silent: true, ct);
                    Done(step++);
                    using var letter = MimeMessage.Load(new MemoryStream(Letters.Make(1_000_000 + c * 100_000 + n++, size)));
                    var appended = await inbox.AppendAsync(letter, MessageFlags.None, ct);
                    Done(step++);
                    var found = await inbox.SearchAsync(SearchQuery.FromContains("cuong").And(SearchQuery.DeliveredAfter(since)), ct);
                    if (found.Count == 0) throw new InvalidOperationException("SEARCH found nothing");
                    Done(step++);
                    if (appended is null) throw new InvalidOperationException("APPEND gave no APPENDUID");
                    await inbox.AddFlagsAsync(appended.Value, MessageFlags.Deleted, silent: true, ct);
                    await inbox.ExpungeAsync([appended.Value], ct);
                    Done(step++);
                }
                catch (Exception e) when (e is ImapCommandException or ImapProtocolException or IOException or InvalidOperationException)
                {
                    Interlocked.Increment(ref errors);
                    lock (samples) if (samples.Count < 5) samples.Add($"{Names[Math.Min(step, Names.Length - 1)]}: {e.GetType().Name}: {e.Message}");
                    if (e is ImapProtocolException or IOException) return;
                }
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(start);
        foreach (var client in clients)
        {
            try { await client.DisconnectAsync(true, CancellationToken.None); }
            catch (Exception e) when (e is IOException or ImapProtocolException) { }
            client.Dispose();
        }
        return new WorkloadResult(clients.Count, elapsed, Names.Select((name, i) => (name, counts[i])).ToDictionary(x => x.name, x => x.Item2),
            Names.Select((name, i) => (name, counts[i] == 0 ? 0 : ticks[i] * 1000.0 / Stopwatch.Frequency / counts[i])).ToDictionary(x => x.name, x => x.Item2),
            errors, samples);
    }
}
