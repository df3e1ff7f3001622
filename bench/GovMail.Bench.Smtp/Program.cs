using System.Diagnostics;
using System.Globalization;
using System.Net;
using GovMail.Bench.Smtp;

// SMTP ingest (issue 3): N messages of 10 KB over M parallel sessions to K local recipients, timed until every message is
// stored, against the real `govmail serve` and then against Postfix + Dovecot (Debian packages, LMTP to Maildir, default
// fsync) in the same run. Writes the figures and the ratio to docs/performance.md.
//
//   dotnet run -c Release --project bench/GovMail.Bench.Smtp -- [--messages 20000] [--sessions 16] [--size 10240]
//       [--recipients 100] [--warmup N] [--targets govmail,postfix] [--rounds 1] [--no-build] [--no-doc] [--keep] [--work DIR]
//       [--attach "perf record -g -p {pid} -o /tmp/perf.data"] [--govmail-env NAME=VALUE]
//
// bench/smtp/run.sh wraps this; bench/README.md explains the set-up and what is measured.

if (BenchArguments.Start(args, BenchOptions.Usage, out BenchOptions options) is { } exit) return exit;

var repo = Repo.Root();
var work = options.WorkDir ?? Path.Combine(Path.GetTempPath(), $"govmail-bench-smtp-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
Directory.CreateDirectory(work);
const string domain = "bench.gov.vn";
var recipients = Enumerable.Range(1, options.Recipients).Select(i => $"user{i:D4}@{domain}").ToList();
var messages = new MessageFactory(recipients, options.Size, DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture));
var device = ProcFs.DeviceOf(work);
var machine = Machine.Describe(work, device);

Console.WriteLine($"SMTP ingest: {options.Messages:N0} messages of {messages.Size:N0} octets over {options.Sessions} sessions to " +
                  $"{options.Recipients} recipients (+{options.Warmup:N0} warm-up), work folder {work}");
Console.WriteLine($"machine: {machine}");

var dll = GovMailProgram.DllIn(repo);
if (options.Targets.Contains("govmail") && await GovMailProgram.PrepareAsync(repo, options.Build) is { } notReady)
{
    Console.Error.WriteLine(notReady);
    return 1;
}

var runs = new List<TargetResult>();
var script = Path.Combine(repo, "bench", "smtp", "postfix-dovecot.sh");
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
for (var round = 1; round <= options.Rounds; round++)
{
    var roundWork = options.Rounds == 1 ? work : Path.Combine(work, $"round-{round}");
    foreach (var name in options.Targets)
    {
        ITarget target = name == "govmail"
            ? new GovMailTarget(repo, dll, roundWork, domain, recipients, options.GovMailEnv)
            : new PostfixDovecotTarget(script, roundWork, domain, recipients);
        Console.WriteLine();
        Console.WriteLine($"== {target.Name}{(options.Rounds > 1 ? $", round {round} of {options.Rounds}" : "")}");
        try
        {
            runs.Add(await BenchRun.RunAsync(target, name, options, messages, device, cancel.Token) with { Round = round });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Console.Error.WriteLine($"{target.Name}: {e.Message}");
            if (target is GovMailTarget g) Console.Error.WriteLine($"(server log: {g.LogFile})");
            await target.DisposeAsync();
            return 1;
        }
    }
}

// With several rounds, each target is represented by its median round (by messages stored per second).
var results = options.Targets
    .Select(t => runs.Where(r => r.Key == t).OrderBy(r => r.StoredPerSecond).ElementAt((options.Rounds - 1) / 2))
    .ToList();
Console.WriteLine();
if (options.Rounds > 1)
    foreach (var t in options.Targets)
        Console.WriteLine($"{runs.First(r => r.Key == t).Name}: " + string.Join(", ", runs.Where(r => r.Key == t).Select(r => $"{r.StoredPerSecond:N0}/s")) +
                          " (median round shown)");
Report.PrintTable(results, messages.Size, options);
if (options.WriteDoc && results.Count == 2 && options.Attach is null)
    PerformanceDoc.Write(repo, options, messages.Size, machine, results, runs);
else if (options.WriteDoc)
    Console.WriteLine("docs/performance.md not written (it needs both targets and no --attach)");

if (!options.Keep)
{
    try { Directory.Delete(work, recursive: true); }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Console.Error.WriteLine($"could not remove {work}: {e.Message}"); }
}
else Console.WriteLine($"kept {work}");
return 0;

/// <summary>Everything one target's run measured.</summary>
public sealed record TargetResult(
    string Key,
    string Name,
    string Description,
    LoadResult Load,
    long Stored,
    TimeSpan StoredElapsed,
    bool TimedOut,
    long PeakRssKb,
    long PeakPssKb,
    long MainPeakRssKb,
    int PeakProcesses,
    double ServerCpuSeconds,
    double ClientCpuSeconds,
    DiskCounters Disk,
    long ServerWriteBytes,
    long ServerWriteCalls,
    double LoadBefore,
    double LoadAfter)
{
    public int Round { get; init; } = 1;
    public double StoredPerSecond => Load.Accepted / StoredElapsed.TotalSeconds;
    public double AcceptedPerSecond => Load.Accepted / Load.Elapsed.TotalSeconds;
    public double Percentile(double p) => BenchRun.Percentile(Load.LatenciesMs, p);
}

public static class BenchRun
{
    public static async Task<TargetResult> RunAsync(ITarget target, string key, BenchOptions o, MessageFactory messages, string? device,
        CancellationToken ct)
    {
        try
        {
            var endpoint = await target.StartAsync(ct);
            Console.WriteLine($"{target.Description}, SMTP on {endpoint}");
            var sampler = new MemorySampler(target.Processes);
            if (o.Warmup > 0)
            {
                var w = await SmtpLoad.RunAsync(endpoint, messages, 0, o.Warmup, o.Sessions, ct);
                var (_, warmStored, warmTimedOut) = await WaitStoredAsync(target, w.Accepted, w.StartTimestamp, o.Timeout, ct);
                Console.WriteLine($"warm-up: {w.Accepted:N0} accepted, {warmStored:N0} stored{(warmTimedOut ? " (timed out)" : "")}" +
                                  $"{(w.Refused > 0 ? $", {w.Refused} refused: {string.Join(" | ", w.RefusalSamples)}" : "")}");
                if (w.Accepted == 0) throw new InvalidOperationException("the warm-up delivered nothing");
            }

            var before = target.CountStored();
            var cpu0 = ProcFs.CpuSeconds(target.Processes());
            var disk0 = ProcFs.Disk(device);
            var client0 = Process.GetCurrentProcess().TotalProcessorTime;
            var io0 = sampler.Io();
            var load0 = ProcFs.LoadAverage();
            Process? attached = null;
            if (o.Attach is not null && (o.AttachTo == "both" || o.AttachTo == key))
                attached = Attach(o.Attach, target.Processes());

            var load = await SmtpLoad.RunAsync(endpoint, messages, o.Warmup, o.Messages, o.Sessions, ct);
            Console.WriteLine($"sent: {load.Accepted:N0} accepted, {load.Refused:N0} refused in {load.Elapsed.TotalSeconds:F2} s" +
                              $"{(load.Refused > 0 ? ": " + string.Join(" | ", load.RefusalSamples) : "")}");
            var (elapsed, stored, timedOut) = await WaitStoredAsync(target, before + load.Accepted, load.StartTimestamp, o.Timeout, ct);
            var cpu1 = ProcFs.CpuSeconds(target.Processes());
            var disk1 = ProcFs.Disk(device);
            var client1 = Process.GetCurrentProcess().TotalProcessorTime;
            var io1 = sampler.Io();
            var load1 = ProcFs.LoadAverage();
            if (attached is not null) await DetachAsync(attached);
            Console.WriteLine($"stored: {stored - before:N0} in {elapsed.TotalSeconds:F2} s{(timedOut ? " (TIMED OUT)" : "")}");

            await sampler.DisposeAsync();
            await target.DisposeAsync();
            return new TargetResult(key, target.Name, target.Description, load, stored - before, elapsed, timedOut,
                sampler.PeakRssKb, sampler.PeakPssKb, target.MainPeakRssKb, sampler.PeakProcesses, cpu1 - cpu0,
                (client1 - client0).TotalSeconds, disk1 - disk0, io1.WriteBytes - io0.WriteBytes, io1.WriteCalls - io0.WriteCalls,
                load0, load1);
        }
        finally
        {
            await target.DisposeAsync();
        }
    }

    /// <summary>Polls the store until it holds <paramref name="expected"/> messages; the time is counted from the start of sending.</summary>
    private static async Task<(TimeSpan Elapsed, long Stored, bool TimedOut)> WaitStoredAsync(ITarget target, long expected, long start,
        int timeoutSeconds, CancellationToken ct)
    {
        var until = Stopwatch.GetTimestamp() + timeoutSeconds * Stopwatch.Frequency;
        while (true)
        {
            var n = target.CountStored();
            var now = Stopwatch.GetTimestamp();
            if (n >= expected) return (Stopwatch.GetElapsedTime(start, now), n, false);
            if (now > until) return (Stopwatch.GetElapsedTime(start, now), n, true);
            await Task.Delay(target is GovMailTarget ? 10 : 25, ct);
        }
    }

    private static Process Attach(string command, IReadOnlyList<int> pids)
    {
        var text = command.Replace("{pid}", pids.FirstOrDefault().ToString(CultureInfo.InvariantCulture))
            .Replace("{pids}", string.Join(',', pids));
        Console.WriteLine($"attaching: {text}");
        var psi = new ProcessStartInfo("bash") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec " + text);
        var p = Process.Start(psi)!;
        Thread.Sleep(1500); // let perf/strace attach before the load starts
        return p;
    }

    private static async Task DetachAsync(Process p)
    {
        if (!p.HasExited) Signal(p.Id, 2);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { p.Kill(); }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Signal(int pid, int sig);

    public static double Percentile(double[] values, double p)
    {
        if (values.Length == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}

public sealed class BenchOptions : BenchArguments
{
    public int Messages { get; private set; } = 20_000;
    public int Sessions { get; private set; } = 16;
    public int Size { get; private set; } = 10_240;
    public int Recipients { get; private set; } = 100;
    public int Warmup { get; private set; } = -1;
    public List<string> Targets { get; private set; } = ["govmail", "postfix"];
    public int Timeout { get; private set; } = 900;
    public int Rounds { get; private set; } = 1;
    public string? Attach { get; private set; }
    public string AttachTo { get; private set; } = "govmail";

    public const string Usage =
        "usage: dotnet run -c Release --project bench/GovMail.Bench.Smtp -- [--messages N=20000] [--sessions M=16] [--size OCTETS=10240]\n" +
        "         [--recipients K=100] [--warmup W (default N/10, at most 1000)] [--targets govmail,postfix] [--timeout SECONDS=900]\n" +
        "         [--rounds R=1 (alternate the targets R times; the median round of each is reported)]\n" +
        "         [--no-build] [--no-doc] [--keep] [--work DIR] [--govmail-env NAME=VALUE]…\n" +
        "         [--attach \"COMMAND with {pid} or {pids}\" [--attach-to govmail|postfix|both]]   (profiling; no doc written)";

    protected override string Project => "GovMail.Bench.Smtp";

    protected override bool Read(Cursor args)
    {
        switch (args.Current)
        {
            case "--messages": Messages = args.Int(1); break;
            case "--sessions": Sessions = args.Int(1); break;
            case "--size": Size = args.Int(1024); break;
            case "--recipients": Recipients = args.Int(1); break;
            case "--warmup": Warmup = args.Int(0); break;
            case "--timeout": Timeout = args.Int(1); break;
            case "--rounds": Rounds = args.Int(1); break;
            case "--targets":
                Targets = ReadTargets(args.Next(), t => t switch
                {
                    "govmail" => "govmail",
                    "postfix" or "dovecot" or "postfix-dovecot" => "postfix",
                    _ => null,
                });
                break;
            case "--attach": Attach = args.Next(); break;
            case "--attach-to": AttachTo = args.Next(); break;
            default: return false;
        }
        return true;
    }

    protected override void Validate()
    {
        if (Warmup < 0) Warmup = Math.Min(1000, Messages / 10);
    }
}
