using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using GovMail.Bench.Imap;
using GovMail.Bench.Smtp;

// IMAP (issue 4): (a) N connections logged in and in IDLE, memory of the server per connection; (b) a mixed workload from C
// parallel MailKit clients, operations per second. GovMail (`govmail serve`) and Dovecot (Debian dovecot-imapd) in the same
// run, both over implicit TLS on loopback. Writes the figures to docs/performance.md.
//
//   dotnet run -c Release --project bench/GovMail.Bench.Imap -- [--connections 10000] [--clients 8] [--seconds 30]
//       [--messages 200] [--accounts 20] [--targets govmail,dovecot] [--no-idle] [--no-workload] [--no-build] [--no-doc] [--keep]
//
// bench/imap/run.sh wraps this; bench/README.md explains the set-up and what is measured.

if (BenchArguments.Start(args, BenchOptions.Usage, out BenchOptions o) is { } exit) return exit;

var repo = Repo.Root();
var work = o.WorkDir ?? Path.Combine(Path.GetTempPath(), $"govmail-bench-imap-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
Directory.CreateDirectory(work);
var accounts = Enumerable.Range(1, o.Accounts).Select(i => new BenchAccount($"cv{i:D3}@{Bench.Domain}", $"Bench#{i:D3}-Sen-Hồng")).ToList();
var machine = Machine.Describe(work, ProcFs.DeviceOf(work));
Console.WriteLine($"IMAP: {o.Connections:N0} connections in IDLE; workload {o.Clients} clients × {o.Seconds} s over {o.Messages} messages each; work folder {work}");
Console.WriteLine($"machine: {machine}");

foreach (var (checkout, wanted) in new[] { (repo, o.Targets.Contains("govmail")), (o.Baseline ?? "", o.Baseline is not null) })
    if (wanted && await GovMailProgram.PrepareAsync(checkout, o.Build) is { } notReady)
    {
        Console.Error.WriteLine(notReady);
        return 1;
    }

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var targets = new List<IImapTarget>();
var prepared = new List<Prepared>();
try
{
    foreach (var key in o.Targets)
    {
        IImapTarget target = key switch
        {
            "govmail" => new GovMailTarget(key, repo, GovMailProgram.DllIn(repo), work, o.GovMailEnv),
            "baseline" => new GovMailTarget(key, o.Baseline!, GovMailProgram.DllIn(o.Baseline!), work, o.BaselineEnv),
            _ => new DovecotTarget(Path.Combine(repo, "scripts", "dovecot-instance"), work),
        };
        targets.Add(target);
        Console.WriteLine();
        Console.WriteLine($"== {target.Name}");
        prepared.Add(await Bench.PrepareAsync(target, accounts, o, cancel.Token));
    }
    // (b) the mixed workload in rounds, the targets taking turns (the first of a round alternates), so that whatever else the
    // machine does in the meantime falls on both alike; each target's median run is reported.
    if (o.Workload)
    {
        Console.WriteLine();
        foreach (var p in prepared) await Bench.WarmUpAsync(p, o, cancel.Token);
        for (var round = 0; round < o.Runs; round++)
            foreach (var p in round % 2 == 0 ? prepared : Enumerable.Reverse(prepared))
                await Bench.RunWorkloadAsync(p, round, o, cancel.Token);
    }
}
catch (Exception e) when (e is not OperationCanceledException)
{
    Console.Error.WriteLine(e);
    foreach (var g in targets.OfType<GovMailTarget>()) Console.Error.WriteLine($"(server log: {g.LogFile})");
    return 1;
}
finally
{
    foreach (var target in targets) await target.DisposeAsync();
}
var results = prepared.Select(p => p.Result()).ToList();

Console.WriteLine();
var table = Bench.Table(results, o);
Console.WriteLine(table);
if (o.WriteDoc && o.Targets.Order().SequenceEqual(["dovecot", "govmail"]))
    Bench.WriteDoc(repo, o, machine, results, table);
else if (o.WriteDoc)
    Console.WriteLine("docs/performance.md not written (it needs GovMail and Dovecot, and no baseline)");
if (!o.Keep)
{
    try { Directory.Delete(work, recursive: true); }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Console.Error.WriteLine($"could not remove {work}: {e.Message}"); }
}
else Console.WriteLine($"kept {work}");
return 0;

public sealed record Memory(long RssKb, long PssKb, int Processes);

/// <summary>One timed workload run: what the clients counted, and the server's CPU and the load average over it.</summary>
public sealed record WorkloadRun(WorkloadResult Workload, double CpuSeconds, double LoadAverage)
{
    public double CpuMsPerOperation => Workload.Total == 0 ? double.NaN : CpuSeconds * 1000 / Workload.Total;
}

public sealed record TargetResult(
    string Key, string Name, string Description,
    int Requested, int Idle, int IdleFailed, IReadOnlyList<string> IdleFailures, TimeSpan OpenTime,
    Memory Before, Memory After, double IdleCpuSeconds, double LoadIdle,
    IReadOnlyList<WorkloadRun> Runs)
{
    public double RssPerConnectionKb => Idle == 0 ? double.NaN : (After.RssKb - Before.RssKb) / (double)Idle;
    public double PssPerConnectionKb => Idle == 0 ? double.NaN : (After.PssKb - Before.PssKb) / (double)Idle;

    /// <summary>The run with the median operations per second (of an even count, the lower middle one).</summary>
    public WorkloadRun? Median => Runs.Count == 0 ? null : Runs.OrderBy(r => r.Workload.PerSecond).ElementAt((Runs.Count - 1) / 2);
}

/// <summary>A target started, preloaded and through the IDLE measurement; its workload runs are added round by round.</summary>
public sealed class Prepared(IImapTarget target, IPEndPoint server, IReadOnlyList<BenchAccount> workloadAccounts, Func<IReadOnlyList<WorkloadRun>, TargetResult> result)
{
    public IImapTarget Target => target;
    public IPEndPoint Server => server;
    public IReadOnlyList<BenchAccount> WorkloadAccounts => workloadAccounts;
    public List<WorkloadRun> Runs { get; } = [];
    public TargetResult Result() => result(Runs);
}

public static class Bench
{
    public const string Domain = "bench.gov.vn";
    public const int Size = 4096;

    public static int FileLimit(int connections) => Math.Max(4096, connections * 2 + 1024);

    public static Memory Measure(IImapTarget target)
    {
        var pids = target.Processes();
        return new Memory(pids.Sum(p => ProcFs.StatusKb(p, "VmRSS")), pids.Sum(ProcFs.PssKb), pids.Count);
    }

    public static async Task<Prepared> PrepareAsync(IImapTarget target, IReadOnlyList<BenchAccount> accounts, BenchOptions o, CancellationToken ct)
    {
        var connections = target.Key == "dovecot" ? o.DovecotConnections : o.Connections;
        var server = await target.StartAsync(accounts, connections, ct);
        Console.WriteLine($"{target.Description}, imaps on {server}");
        var workloadAccounts = accounts.Take(o.Clients).ToList();
        var preload = Stopwatch.StartNew();
        await Workload.PreloadAsync(server, workloadAccounts, o.Messages, Size, ct);
        Console.WriteLine($"preloaded {o.Messages} messages into {workloadAccounts.Count} INBOXes in {preload.Elapsed.TotalSeconds:F1} s");

        // (a) N connections in IDLE. A warm-up of 200 connections first (opened and closed), so what is measured is the
        // connections, not the code paths run for the first time.
        int idle = 0, idleFailed = 0;
        List<string> failures = [];
        var openTime = TimeSpan.Zero;
        Memory before = Measure(target), after = before;
        double idleCpu = 0, loadIdle = ProcFs.LoadAverage();
        if (o.Idle)
        {
            await using (var warm = new IdleLoad()) await warm.OpenAsync(server, accounts, 0, Math.Min(200, connections), 32, ct);
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            before = Measure(target);
            var cpu0 = ProcFs.CpuSeconds(target.Processes());
            await using var load = new IdleLoad();
            openTime = await load.OpenAsync(server, accounts, 0, connections, o.Parallel, ct);
            idle = load.Open;
            idleFailed = load.Failed;
            failures = load.FailureSamples;
            Console.WriteLine($"in IDLE: {idle:N0} of {connections:N0} in {openTime.TotalSeconds:F1} s" +
                              (idleFailed > 0 ? $"; {idleFailed} failed: {string.Join(" | ", failures)}" : ""));
            // Settled: the handshakes' garbage had time to go, the sessions sit in IDLE.
            await Task.Delay(TimeSpan.FromSeconds(o.Settle), ct);
            after = Measure(target);
            idleCpu = ProcFs.CpuSeconds(target.Processes()) - cpu0;
            loadIdle = ProcFs.LoadAverage();
            Console.WriteLine($"memory before {before.RssKb:N0} kB RSS / {before.PssKb:N0} kB PSS ({before.Processes} processes), " +
                              $"after {after.RssKb:N0} kB RSS / {after.PssKb:N0} kB PSS ({after.Processes} processes): " +
                              $"{(after.RssKb - before.RssKb) / (double)Math.Max(1, idle):F1} kB RSS, " +
                              $"{(after.PssKb - before.PssKb) / (double)Math.Max(1, idle):F1} kB PSS per connection; load average {loadIdle:F2}");
        }

        return new Prepared(target, server, workloadAccounts, runs => new TargetResult(target.Key, target.Name, target.Description,
            connections, idle, idleFailed, failures, openTime, before, after, idleCpu, loadIdle, runs));
    }

    /// <summary>A workload run that is not counted, so that what is timed is not code run for the first time.</summary>
    public static async Task WarmUpAsync(Prepared p, BenchOptions o, CancellationToken ct)
    {
        if (o.WarmupSeconds == 0) return;
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var warm = await Workload.RunAsync(p.Server, p.WorkloadAccounts, Size, TimeSpan.FromSeconds(o.WarmupSeconds), ct);
        Console.WriteLine($"{p.Target.Name}: workload warm-up (not counted): {warm.Total:N0} operations in {warm.Elapsed.TotalSeconds:F1} s");
    }

    public static async Task RunWorkloadAsync(Prepared p, int round, BenchOptions o, CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var cpu0 = ProcFs.CpuSeconds(p.Target.Processes());
        var workload = await Workload.RunAsync(p.Server, p.WorkloadAccounts, Size, TimeSpan.FromSeconds(o.Seconds), ct);
        var run = new WorkloadRun(workload, ProcFs.CpuSeconds(p.Target.Processes()) - cpu0, ProcFs.LoadAverage());
        p.Runs.Add(run);
        Console.WriteLine($"{p.Target.Name} run {round + 1}/{o.Runs}: {workload.Total:N0} operations in {workload.Elapsed.TotalSeconds:F1} s = {workload.PerSecond:N0}/s, " +
                          $"server CPU {run.CpuMsPerOperation:F2} ms/operation " +
                          $"({string.Join(", ", workload.Operations.Select(kv => $"{kv.Key} {kv.Value:N0} × {workload.MeanMs[kv.Key]:F1} ms"))}); {workload.Errors} errors" +
                          (workload.Errors > 0 ? ": " + string.Join(" | ", workload.ErrorSamples) : "") + $"; load average {run.LoadAverage:F2}");
    }

    public static string Table(IReadOnlyList<TargetResult> results, BenchOptions o)
    {
        var s = new StringBuilder();
        if (o.Idle)
        {
            s.AppendLine("(a) connections logged in (LOGIN, SELECT INBOX) and in IDLE (imaps)");
            s.AppendLine();
            s.AppendLine("| | in IDLE | time to open | processes | RSS before → after | per connection (RSS) | PSS before → after | per connection (PSS) | load average |");
            s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in results)
                s.AppendLine(CultureInfo.InvariantCulture,
                    $"| {r.Name} | {r.Idle:N0}{(r.IdleFailed > 0 ? $" ({r.IdleFailed:N0} failed)" : "")} | {r.OpenTime.TotalSeconds:F0} s | {r.Before.Processes} → {r.After.Processes} | " +
                    $"{r.Before.RssKb / 1024.0:N0} → {r.After.RssKb / 1024.0:N0} MB | **{r.RssPerConnectionKb:F1} kB** | " +
                    $"{r.Before.PssKb / 1024.0:N0} → {r.After.PssKb / 1024.0:N0} MB | **{r.PssPerConnectionKb:F1} kB** | {r.LoadIdle:F2} |");
            s.AppendLine();
        }
        if (o.Workload)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"(b) mixed workload, {o.Clients} MailKit clients, {o.Runs} runs of {o.Seconds} s per server taking turns, " +
                                                      $"{o.Messages} messages of 4 KB in each INBOX; the median run of each server; each operation: count (mean latency)");
            s.AppendLine();
            s.AppendLine("| | operations/s (median) | all runs | " + string.Join(" | ", Workload.Names) + " | errors | server CPU per operation | load average |");
            s.AppendLine("|---|---:|---:|" + string.Concat(Workload.Names.Select(_ => "---:|")) + "---:|---:|---:|");
            foreach (var r in results.Where(r => r.Median is not null))
            {
                var m = r.Median!;
                var perOperation = string.Join(" | ", Workload.Names.Select(n => string.Create(CultureInfo.InvariantCulture, $"{m.Workload.Operations[n]:N0} ({m.Workload.MeanMs[n]:F1} ms)")));
                var all = string.Join(", ", r.Runs.Select(x => x.Workload.PerSecond.ToString("N0", CultureInfo.InvariantCulture)));
                s.AppendLine(CultureInfo.InvariantCulture,
                    $"| {r.Name} | **{m.Workload.PerSecond:N0}** | {all} | {perOperation} | {r.Runs.Sum(x => x.Workload.Errors)} | {m.CpuMsPerOperation:F2} ms | {m.LoadAverage:F2} |");
            }
        }
        return s.ToString();
    }

    public static void WriteDoc(string repo, BenchOptions o, string machine, IReadOnlyList<TargetResult> results, string table)
    {
        var path = Path.Combine(repo, "docs", "performance.md");
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Performance\n";
        var g = results.First(r => r.Key == "govmail");
        var d = results.First(r => r.Key == "dovecot");
        var section = new StringBuilder()
            .AppendLine("<!-- imap-bench:start -->")
            .AppendLine("## IMAP: connections in IDLE and a mixed workload, GovMail against Dovecot (issue 4)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC with `{o.CommandLine()}` (bench/README.md, section \"IMAP\").")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- Machine: {machine}. The machine is shared with other developers' builds and tests: the load average at each measurement is in the tables.")
            .AppendLine(CultureInfo.InvariantCulture, $"- {g.Name}: {g.Description}.")
            .AppendLine(CultureInfo.InvariantCulture, $"- {d.Name}: {d.Description}.")
            .AppendLine("- Both over implicit TLS (993-style) on loopback, the same client program; (a) one server after the other, (b) in rounds, the servers taking turns (both running, one at work).")
            .AppendLine()
            .Append(table)
            .AppendLine()
            .AppendLine("Per connection = (memory with every connection in IDLE − memory before, after a warm-up of 200 connections) ÷ connections. " +
                        "RSS is summed over the server's processes (for Dovecot it counts each shared page once per process); PSS splits shared pages " +
                        "among the processes that map them, so for Dovecot's many processes PSS is the fairer figure. GovMail is one process, where the two agree.")
            .AppendLine(CultureInfo.InvariantCulture,
                $"Targets: (a) under 64 kB per connection for GovMail — {(g.Idle > 0 ? (g.RssPerConnectionKb < 64 ? "met" : "**missed**") : "not measured")}" +
                $" ({g.RssPerConnectionKb:F1} kB RSS); (b) at least Dovecot's operations per second — " +
                $"{(g.Median is { } gm && d.Median is { } dm ? (gm.Workload.PerSecond >= dm.Workload.PerSecond ? "met" : "**missed**") + $" (median {gm.Workload.PerSecond:N0}/s against {dm.Workload.PerSecond:N0}/s)" : "not measured")}.")
            .AppendLine("<!-- imap-bench:end -->");
        const string startMarker = "<!-- imap-bench:start -->", endMarker = "<!-- imap-bench:end -->";
        var start = text.IndexOf(startMarker, StringComparison.Ordinal);
        var end = text.IndexOf(endMarker, StringComparison.Ordinal);
        text = start >= 0 && end > start
            ? text[..start] + section.ToString().TrimEnd('\n', '\r') + text[(end + endMarker.Length)..]
            : text.TrimEnd() + "\n\n" + section;
        File.WriteAllText(path, text);
        Console.WriteLine($"wrote the IMAP section of {path}");
    }
}

public sealed class BenchOptions : BenchArguments
{
    public int Connections { get; private set; } = 10_000;
    /// <summary>Dovecot runs a process or two per connection (about 2 MB PSS each): 10,000 would not fit in this machine's memory.</summary>
    public int DovecotConnections { get; private set; } = -1;
    public int Parallel { get; private set; } = 64;
    public int Clients { get; private set; } = 8;
    public int Seconds { get; private set; } = 30;
    public int Messages { get; private set; } = 200;
    public int Accounts { get; private set; } = 20;
    public int Settle { get; private set; } = 10;
    public int WarmupSeconds { get; private set; } = 10;
    public int Runs { get; private set; } = 3;
    /// <summary>Another checkout (a git worktree of the build before a change) whose Release build runs as a third target.</summary>
    public string? Baseline { get; private set; }
    /// <summary>The baseline's environment instead of --govmail-env's (a runtime knob measured against the same build).</summary>
    public Dictionary<string, string> BaselineEnv { get; } = [];
    public bool Idle { get; private set; } = true;
    public bool Workload { get; private set; } = true;
    public List<string> Targets { get; private set; } = ["govmail", "dovecot"];

    public const string Usage =
        "usage: dotnet run -c Release --project bench/GovMail.Bench.Imap -- [--connections N=10000] [--dovecot-connections D=min(N,2000)]\n" +
        "         [--parallel P=64 (handshakes at once)]\n" +
        "         [--clients C=8] [--seconds S=30] [--messages M=200 (per workload INBOX)] [--accounts K=20] [--settle SECONDS=10]\n" +
        "         [--warmup SECONDS=10 (workload run first, not counted)] [--runs R=3 (timed workload runs per server, the median reported)]\n" +
        "         [--targets govmail,dovecot] [--no-idle] [--no-workload] [--no-build] [--no-doc] [--keep] [--work DIR]\n" +
        "         [--govmail-env NAME=VALUE]… [--baseline CHECKOUT (another checkout's govmail in the same rounds, for A/B)]\n" +
        "         [--baseline-env NAME=VALUE]… (the baseline's environment; --govmail-env is not applied to it)";

    protected override string Project => "GovMail.Bench.Imap";

    protected override bool Read(Cursor args)
    {
        switch (args.Current)
        {
            case "--connections": Connections = args.Int(1); break;
            case "--dovecot-connections": DovecotConnections = args.Int(1); break;
            case "--parallel": Parallel = args.Int(1); break;
            case "--clients": Clients = args.Int(1); break;
            case "--seconds": Seconds = args.Int(1); break;
            case "--messages": Messages = args.Int(20); break;
            case "--accounts": Accounts = args.Int(1); break;
            case "--settle": Settle = args.Int(0); break;
            case "--warmup": WarmupSeconds = args.Int(0); break;
            case "--runs": Runs = args.Int(1); break;
            case "--baseline": Baseline = Path.GetFullPath(args.Next()); break;
            case "--baseline-env":
                var kv = args.Next().Split('=', 2);
                if (kv.Length != 2) throw new ArgumentException("--baseline-env takes NAME=VALUE");
                BaselineEnv[kv[0]] = kv[1];
                break;
            case "--no-idle": Idle = false; break;
            case "--no-workload": Workload = false; break;
            case "--targets": Targets = ReadTargets(args.Next(), t => t is "govmail" or "dovecot" ? t : null); break;
            default: return false;
        }
        return true;
    }

    protected override void Validate()
    {
        if (DovecotConnections < 0) DovecotConnections = Math.Min(Connections, 2000);
        if (Baseline is not null && !Targets.Contains("baseline")) Targets.Insert(0, "baseline");
        if (Clients > Accounts) throw new ArgumentException("--clients cannot exceed --accounts (each client has an account of its own)");
    }
}
