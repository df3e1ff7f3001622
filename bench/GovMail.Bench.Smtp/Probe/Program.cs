using System.Diagnostics;
using System.Globalization;
using System.Net;
using GovMail.Bench.Smtp;
using GovMail.Smtp;
using GovMail.Smtp.Delivery;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Mail;
using Microsoft.Extensions.Logging.Abstractions;

// Where GovMail's SMTP ingest time goes. Calls, in-process, the code `govmail serve` runs for each message on port 25: the RCPT
// policy check (DirectorySmtpPolicy) and the DATA sink (MailDelivery), and each step inside them alone, on a data folder made
// by the real `govmail init` and `govmail account import`. Each step runs with 1 caller (its own cost) and with C concurrent
// callers (what 16 SMTP sessions make of it). No network, no SMTP parsing, no logging: what is left is storage.
//
//   dotnet run -c Release --project bench/GovMail.Bench.Smtp/Probe -- [--messages 2000] [--concurrency 1,16] [--markdown]

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var messages = 2000;
int[] concurrency = [1, 16];
var markdown = false;
string? work = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--messages": messages = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--concurrency": concurrency = args[++i].Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray(); break;
        case "--markdown": markdown = true; break;
        case "--work": work = args[++i]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

var repo = new DirectoryInfo(Environment.CurrentDirectory);
while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "GovMail.slnx"))) repo = repo.Parent;
if (repo is null) { Console.Error.WriteLine("run from inside the repository"); return 2; }
var dll = Path.Combine(repo.FullName, "src", "GovMail", "bin", "Release", "net10.0", "govmail.dll");
if (!File.Exists(dll)) { Console.Error.WriteLine($"{dll} missing: dotnet build -c Release src/GovMail"); return 1; }
work ??= Path.Combine(Path.GetTempPath(), $"govmail-smtp-probe-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
var data = Path.Combine(work, "data");
Directory.CreateDirectory(work);

// --- The data folder, made by the real program.
const string domain = "bench.gov.vn";
var recipients = Enumerable.Range(1, 100).Select(i => $"user{i:D4}@{domain}").ToList();
async Task Cli(params string[] a)
{
    var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    psi.ArgumentList.Add(dll);
    foreach (var x in a) psi.ArgumentList.Add(x);
    psi.ArgumentList.Add("--data");
    psi.ArgumentList.Add(data);
    psi.Environment["GOVMAIL__SECURITY__PASSWORDHASHMEMORYKIB"] = "1024";
    using var p = Process.Start(psi)!;
    var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
    await p.WaitForExitAsync();
    if (p.ExitCode != 0) throw new InvalidOperationException($"govmail {string.Join(' ', a)}: {output}");
}
await Cli("init", "--domain", domain, "--name", "Probe");
var csv = Path.Combine(work, "accounts.csv");
string[] family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"];
string[] given = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Linh", "Minh", "Nam"];
await File.WriteAllLinesAsync(csv, new[] { "STT,Họ và tên,Chức danh,Phòng ban,Cơ quan,Điện thoại,Địa chỉ hộp thư" }
    .Concat(recipients.Select((r, i) => $"{i + 1},{family[i % 10]} Văn {given[i / 10 % 10]},Chuyên viên,Phòng A,Sở Nội vụ,09{i:D8},{r}")));
await Cli("account", "import", csv);

// --- The objects `govmail serve` wires for port 25 (src/GovMail/Hosting/SmtpHost.cs).
var clock = TimeProvider.System;
var database = new GovMailDatabase(DatabaseSettings.SqliteIn(data));
var fileBlobs = new FileBlobStore(Path.Combine(data, "blobs"));
var timedBlobs = new TimedBlobStore(fileBlobs);
var delivery = new MailDelivery(database, timedBlobs, clock, "mail." + domain, NullLogger<MailDelivery>.Instance);
var policy = new DirectorySmtpPolicy(database, clock);
var addressBook = new AddressBook(database, clock);
var store = new MailStore(database, clock);
var accountIds = new Dictionary<string, Guid>();
foreach (var r in recipients) accountIds[r] = (await addressBook.ResolveRecipientsAsync(r)).Single().Id;

var factory = new MessageFactory(recipients, 10_240, "probe");
var buffer = new byte[factory.BufferSize];
var length = factory.Write(0, buffer) - 3; // without CRLF.CRLF
var message = buffer[..length];
var parsed = MessageSummaryBuilder.Build(new MemoryStream(message));
var maxConcurrency = concurrency.Max();
var spools = Enumerable.Range(0, maxConcurrency).Select(i => Path.Combine(work, $"spool-{i}.eml")).ToArray();
foreach (var s in spools) await File.WriteAllBytesAsync(s, message);

SmtpEnvelope Envelope(string rcpt) => new("vanthu@sonoivu.hanoi.gov.vn", [new SmtpRecipient(rcpt, null, null)], SmtpListenerKind.Mx,
    IPAddress.Loopback, "bench-client", false, null, false, false, null, null);

var writeGate = new SemaphoreSlim(1, 1);
var steps = new List<(string Name, Func<long, int, Task> Run)>
{
    ("whole message: RCPT policy + DATA sink", async (i, t) =>
    {
        var rcpt = factory.RecipientOf(i);
        if (await policy.CheckRecipientAsync(rcpt, SmtpListenerKind.Mx, null, length, default) is { } no) throw new InvalidOperationException(no.Text);
        var reply = await delivery.DeliverAsync(Envelope(rcpt), spools[t], length, default);
        if (!reply.IsPositive) throw new InvalidOperationException(reply.Text);
    }),
    ("RCPT: DirectorySmtpPolicy.CheckRecipientAsync", async (i, _) =>
    {
        if (await policy.CheckRecipientAsync(factory.RecipientOf(i), SmtpListenerKind.Mx, null, length, default) is { } no)
            throw new InvalidOperationException(no.Text);
    }),
    ("  LocalDomains.LoadAsync", async (_, _) => await LocalDomains.LoadAsync(database, default)),
    ("  AddressBook.ResolveRecipientsAsync", async (i, _) => await addressBook.ResolveRecipientsAsync(factory.RecipientOf(i))),
    ("  MailStore.UsedBytesAsync", async (i, _) => await store.UsedBytesAsync(accountIds[factory.RecipientOf(i)])),
    ("DATA: MailDelivery.DeliverAsync", async (i, t) =>
    {
        var reply = await delivery.DeliverAsync(Envelope(factory.RecipientOf(i)), spools[t], length, default);
        if (!reply.IsPositive) throw new InvalidOperationException(reply.Text);
    }),
    ("  FileBlobStore.PutAsync (write, fsync, rename, fsync dirs)", async (_, _) =>
        await fileBlobs.PutAsync((s, c) => s.WriteAsync(message, c).AsTask(), default)),
    ("  FileBlobStore.PutAsync copying the spool file, as MailDelivery does", async (_, t) =>
        await fileBlobs.PutAsync(async (s, c) =>
        {
            await using var source = new FileStream(spools[t], FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
            await source.CopyToAsync(s, 64 * 1024, c);
        }, default)),
    ("  MessageSummaryBuilder.Build (parse)", (_, _) => { MessageSummaryBuilder.Build(new MemoryStream(message)); return Task.CompletedTask; }),
    ("  MailStore.DeliverAsync (the transaction)", async (i, _) =>
    {
        var rcpt = factory.RecipientOf(i);
        await store.DeliverAsync(new NewMessage(Guid.NewGuid().ToString("N"), length, parsed, clock.GetUtcNow()),
            [new DeliveryTarget(accountIds[rcpt], rcpt) { RemoteAddress = "127.0.0.1" }]);
    }),
    // One message to 16 recipients in one transaction: what the per-transaction costs come to when shared (divide by 16).
    ("  MailStore.DeliverAsync, one message to 16 recipients (one transaction)", async (i, _) =>
    {
        var targets = Enumerable.Range(0, 16).Select(k => factory.RecipientOf(i * 16 + k))
            .Select(r => new DeliveryTarget(accountIds[r], r) { RemoteAddress = "127.0.0.1" }).ToList();
        await store.DeliverAsync(new NewMessage(Guid.NewGuid().ToString("N"), length, parsed, clock.GetUtcNow()), targets);
    }),
    // Not what the server does today: the same transaction with the callers queued on an async lock in the process instead of
    // on SQLite's busy handler (which sleeps 1 to 100 ms between tries and blocks a thread while it sleeps).
    ("  MailStore.DeliverAsync behind an in-process async lock (experiment)", async (i, _) =>
    {
        var rcpt = factory.RecipientOf(i);
        await writeGate.WaitAsync();
        try
        {
            await store.DeliverAsync(new NewMessage(Guid.NewGuid().ToString("N"), length, parsed, clock.GetUtcNow()),
                [new DeliveryTarget(accountIds[rcpt], rcpt) { RemoteAddress = "127.0.0.1" }]);
        }
        finally { writeGate.Release(); }
    }),
};

// Warm-up: every step a few hundred times on one caller, so the JIT has settled before anything is timed.
foreach (var (_, run) in steps)
    for (var i = 0; i < 300; i++) await run(i, 0);

var rows = new List<string[]>();
long index = 1000;
foreach (var c in concurrency)
{
    foreach (var (name, run) in steps)
    {
        var latencies = new double[messages];
        timedBlobs.Reset();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        var first = index;
        var tasks = Enumerable.Range(0, c).Select(t => Task.Run(async () =>
        {
            for (var k = t; k < messages; k += c)
            {
                var at = Stopwatch.GetTimestamp();
                await run(first + k, t);
                latencies[k] = Stopwatch.GetElapsedTime(at).TotalMilliseconds;
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        var wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds;
        index += messages;
        Array.Sort(latencies);
        var blobNote = timedBlobs.Count > 0 ? $" (of which blob put {timedBlobs.TotalMs / timedBlobs.Count:F1} ms)" : "";
        rows.Add([name, c.ToString(CultureInfo.InvariantCulture), $"{messages / wall:N0}", $"{latencies.Average():F2}{blobNote}",
            $"{latencies[messages / 2]:F2}", $"{latencies[(int)(messages * 0.99)]:F2}", $"{cpu / messages:F2}"]);
        Console.Error.WriteLine(string.Join(" | ", rows[^1]));
    }
}

string[] header = ["step", "callers", "per second", "mean ms", "p50 ms", "p99 ms", "CPU ms each"];
Console.WriteLine();
if (markdown)
{
    Console.WriteLine("| " + string.Join(" | ", header) + " |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (var r in rows) Console.WriteLine("| " + string.Join(" | ", r.Select((v, i) => i == 0 ? v.Trim().Replace("  ", "") : v)) + " |");
}
else
{
    var all = new List<string[]> { header };
    all.AddRange(rows);
    var widths = Enumerable.Range(0, header.Length).Select(i => all.Max(r => r[i].Length)).ToArray();
    foreach (var r in all) Console.WriteLine(string.Join("  ", r.Select((v, i) => i == 0 ? v.PadRight(widths[i]) : v.PadLeft(widths[i]))));
}
Directory.Delete(work, recursive: true);
return 0;

/// <summary>The blob store the server uses, timed.</summary>
internal sealed class TimedBlobStore(IBlobStore inner) : IBlobStore
{
    private long _ticks;
    private int _count;
    public int Count => _count;
    public double TotalMs => _ticks * 1000.0 / Stopwatch.Frequency;
    public void Reset() { _ticks = 0; _count = 0; }

    public async Task<(string Key, long Size)> PutAsync(Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await inner.PutAsync(write, ct);
        Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - start);
        Interlocked.Increment(ref _count);
        return result;
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken ct) => inner.OpenReadAsync(key, ct);
    public Task<bool> ExistsAsync(string key, CancellationToken ct) => inner.ExistsAsync(key, ct);
    public Task DeleteAsync(string key, CancellationToken ct) => inner.DeleteAsync(key, ct);
    public IAsyncEnumerable<BlobEntry> ListAsync(CancellationToken ct) => inner.ListAsync(ct);
    public Task CopyInAsync(string key, Stream content, CancellationToken ct) => inner.CopyInAsync(key, content, ct);
    public Task<int> RemoveAbandonedWritesAsync(DateTimeOffset cutoff, CancellationToken ct) => inner.RemoveAbandonedWritesAsync(cutoff, ct);
}
