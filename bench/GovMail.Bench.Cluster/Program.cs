using System.Globalization;
using System.Text;
using GovMail.Bench.Cluster;
using GovMail.Bench.Imap;
using GovMail.Bench.Smtp;

// Scale-out (issue 9): SMTP ingest and the IMAP mixed workload with 1, 2 and 3 `govmail serve` nodes on one PostgreSQL and
// one shared blob folder, the load spread evenly over the nodes as a balancer would. Each node count gets a new database.
//
//   dotnet run -c Release --project bench/GovMail.Bench.Cluster -- --postgres "Host=…;Username=…;Password=…;Database=…"
//       [--nodes 1,2,3] [--messages 20000] [--sessions 24] [--clients 12] [--seconds 30] [--write-docs]
//
// bench/cluster/run.sh wraps this with a throw-away PostgreSQL; bench/README.md ("Scale-out") explains what is measured.

if (BenchArguments.Start(args, ClusterOptions.Usage, out ClusterOptions o) is { } exit) return exit;

var repo = Repo.Root();
var work = o.WorkDir ?? Path.Combine(Path.GetTempPath(), $"govmail-bench-cluster-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
Directory.CreateDirectory(work);
var accounts = Enumerable.Range(1, o.Accounts).Select(i => new BenchAccount($"cv{i:D3}@{Cluster.Domain}", $"Bench#{i:D3}-Sen-Hồng")).ToList();
var machine = Machine.Describe(work, ProcFs.DeviceOf(work));
Console.WriteLine($"scale-out: nodes {string.Join(", ", o.Nodes)}; SMTP {o.Messages:N0} messages over {o.Sessions} sessions; " +
                  $"IMAP {o.Clients} clients × {o.Seconds} s; {o.Accounts} accounts; work folder {work}");
Console.WriteLine($"machine: {machine}");
if (await GovMailProgram.PrepareAsync(repo, o.Build) is { } notReady)
{
    Console.Error.WriteLine(notReady);
    return 1;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var results = new List<ClusterResult>();
foreach (var nodes in o.Nodes)
{
    Console.WriteLine();
    Console.WriteLine($"== {nodes} node{(nodes == 1 ? "" : "s")}");
    await using var cluster = new Cluster(GovMailProgram.DllIn(repo), Path.Combine(work, $"nodes{nodes}"), o.Postgres, o.GovMailEnv);
    try
    {
        results.Add(await Cluster.MeasureAsync(cluster, nodes, accounts, o, cancel.Token));
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        Console.Error.WriteLine($"{nodes} nodes: {e}");
        Console.Error.WriteLine($"(node logs under {cluster.Root})");
        return 1;
    }
}

Console.WriteLine();
var table = ClusterReport.Table(results);
Console.WriteLine(table);
if (o.WriteDocs) ClusterReport.WriteDoc(repo, o, machine, results, table);
if (!o.Keep)
{
    try { Directory.Delete(work, recursive: true); }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Console.Error.WriteLine($"could not remove {work}: {e.Message}"); }
}
else Console.WriteLine($"kept {work}");
return 0;

namespace GovMail.Bench.Cluster
{
    public sealed record ClusterResult(int Nodes, LoadResult Smtp, long Stored, WorkloadResult Imap, double CpuSeconds, double LoadAverage)
    {
        public double MessagesPerSecond => Smtp.Accepted / Smtp.Elapsed.TotalSeconds;

        public double Percentile(double p)
        {
            if (Smtp.LatenciesMs.Length == 0) return double.NaN;
            var sorted = Smtp.LatenciesMs.Order().ToArray();
            return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
        }
    }

    public static class ClusterReport
    {
        public static string Table(IReadOnlyList<ClusterResult> results)
        {
            var b = new StringBuilder()
                .AppendLine("| nodes | SMTP msgs/s | ×1 node | SMTP p50 / p99 ms | refused | IMAP ops/s | ×1 node | IMAP errors | CPU s (all nodes) | load avg |")
                .AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            var first = results.FirstOrDefault();
            foreach (var r in results)
                b.AppendLine(CultureInfo.InvariantCulture,
                    $"| {r.Nodes} | {r.MessagesPerSecond:F0} | {r.MessagesPerSecond / first!.MessagesPerSecond:F2} | {r.Percentile(50):F1} / {r.Percentile(99):F1} | " +
                    $"{r.Smtp.Refused} | {r.Imap.PerSecond:F0} | {r.Imap.PerSecond / first.Imap.PerSecond:F2} | {r.Imap.Errors} | {r.CpuSeconds:F0} | {r.LoadAverage:F2} |");
            return b.ToString();
        }

        /// <summary>Where adding a node stopped paying: "N nodes" when N+1 added less than 10 %, else "not reached by N nodes".</summary>
        public static string Limit(IReadOnlyList<ClusterResult> results, Func<ClusterResult, double> rate)
        {
            for (var i = 1; i < results.Count; i++)
                if (rate(results[i]) < rate(results[i - 1]) * 1.10)
                    return $"{results[i - 1].Nodes} node{(results[i - 1].Nodes == 1 ? "" : "s")} (at {results[i].Nodes}: ×{rate(results[i]) / rate(results[i - 1]):F2})";
            return $"not reached by {results[^1].Nodes} node{(results[^1].Nodes == 1 ? "" : "s")}";
        }

        /// <summary>Writes the "Scale-out" section of docs/performance.md between its markers; other sections are left alone.</summary>
        public static void WriteDoc(string repo, ClusterOptions o, string machine, IReadOnlyList<ClusterResult> results, string table)
        {
            const string Start = "<!-- cluster-bench:start -->", End = "<!-- cluster-bench:end -->";
            var path = Path.Combine(repo, "docs", "performance.md");
            var text = File.Exists(path) ? File.ReadAllText(path) : "# Performance\n";
            var section = new StringBuilder()
                .AppendLine(Start)
                .AppendLine("## Scale-out: several nodes on one PostgreSQL (issue 9)")
                .AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC with `{o.ShownCommandLine()}` (bench/README.md, section \"Scale-out\").")
                .AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"- Machine: {machine}. Every node, the PostgreSQL server and the load generators share it.")
                .AppendLine(CultureInfo.InvariantCulture, $"- SMTP: {o.Messages:N0} messages of {o.Size:N0} octets on port 25 over {o.Sessions} sessions spread evenly over the nodes; msgs/s from the first MAIL to the last 250 (GovMail commits before it answers).")
                .AppendLine(CultureInfo.InvariantCulture, $"- IMAP: {o.Clients} MailKit clients over imaps, spread evenly over the nodes, {o.Seconds} s of the mixed workload (bench/README.md, \"IMAP\") after {o.WarmupSeconds} s not counted.")
                .AppendLine(CultureInfo.InvariantCulture, $"- Each node count on a new database of {(o.PostgresFromScript ? "the throw-away PostgreSQL of bench/cluster/run.sh (Debian's, default settings)" : "the PostgreSQL named with --postgres")}; one blob folder on the local disk shared by the nodes; no SPF/DKIM/DMARC checks on arrival (no DNS in the measured path).")
                .AppendLine()
                .Append(table)
                .AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"Scaling limit in this run (the first node count that adds less than 10 % over the one before): SMTP ingest {Limit(results, r => r.MessagesPerSecond)}, IMAP workload {Limit(results, r => r.Imap.PerSecond)}. The nodes, PostgreSQL and the load generators share this machine's cores, so a limit reached here is the machine's; the CPU seconds and load average above show when it was saturated.")
                .AppendLine(End)
                .ToString();
            var s = text.IndexOf(Start, StringComparison.Ordinal);
            var e = text.IndexOf(End, StringComparison.Ordinal);
            text = s >= 0 && e > s
                ? text[..s] + section.TrimEnd('\n') + text[(e + End.Length)..]
                : text.TrimEnd('\n') + "\n\n" + section;
            File.WriteAllText(path, text);
            Console.WriteLine($"wrote the scale-out section of {path}");
        }
    }

    public sealed class ClusterOptions : BenchArguments
    {
        public string Postgres { get; private set; } = "";
        public List<int> Nodes { get; private set; } = [1, 2, 3];
        public int Messages { get; private set; } = 20_000;
        public int Sessions { get; private set; } = 24;
        public int Size { get; private set; } = 10_240;
        public int Accounts { get; private set; } = 24;
        public int Clients { get; private set; } = 12;
        public int Seconds { get; private set; } = 30;
        public int WarmupSeconds { get; private set; } = 10;
        public int PreloadMessages { get; private set; } = 200;
        public bool WriteDocs { get; private set; }

        /// <summary>The connection string came from bench/cluster/run.sh's throw-away server, not from the command line.</summary>
        public bool PostgresFromScript { get; private set; }

        /// <summary>The command line for the docs, with a connection string given on it (and its password) left out.</summary>
        public string ShownCommandLine() =>
            PostgresFromScript ? CommandLine() : CommandLine().Replace(Postgres, "'CONNECTION-STRING'", StringComparison.Ordinal);

        public const string Usage =
            "usage: dotnet run -c Release --project bench/GovMail.Bench.Cluster -- --postgres CONNECTION-STRING [--nodes 1,2,3]\n" +
            "         [--messages N=20000] [--sessions M=24] [--size OCTETS=10240] [--accounts K=24] [--clients C=12] [--seconds S=30]\n" +
            "         [--warmup SECONDS=10] [--preload MESSAGES=200 (per workload INBOX)] [--write-docs] [--no-build] [--keep] [--work DIR]\n" +
            "         [--govmail-env NAME=VALUE]…\n" +
            "--postgres defaults to $GOVMAIL_BENCH_POSTGRES (set by bench/cluster/run.sh to its throw-away server). The PostgreSQL user\n" +
            "must be allowed to create databases (one per node count, dropped afterwards).";

        protected override string Project => "GovMail.Bench.Cluster";

        protected override bool Read(Cursor args)
        {
            switch (args.Current)
            {
                case "--postgres": Postgres = args.Next(); break;
                case "--nodes":
                    Nodes = [.. args.Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 1
                            ? v : throw new ArgumentException($"--nodes: '{n}' is not a node count"))];
                    break;
                case "--messages": Messages = args.Int(1); break;
                case "--sessions": Sessions = args.Int(1); break;
                case "--size": Size = args.Int(1024); break;
                case "--accounts": Accounts = args.Int(1); break;
                case "--clients": Clients = args.Int(1); break;
                case "--seconds": Seconds = args.Int(1); break;
                case "--warmup": WarmupSeconds = args.Int(0); break;
                case "--preload": PreloadMessages = args.Int(20); break;
                case "--write-docs": WriteDocs = true; break;
                default: return false;
            }
            return true;
        }

        protected override void Validate()
        {
            if (Postgres.Length == 0 && Environment.GetEnvironmentVariable("GOVMAIL_BENCH_POSTGRES") is { Length: > 0 } fromScript)
            {
                Postgres = fromScript;
                PostgresFromScript = true;
            }
            if (Postgres.Length == 0) throw new ArgumentException("--postgres is required (bench/cluster/run.sh starts a throw-away one)");
            if (Clients > Accounts) throw new ArgumentException("--clients cannot exceed --accounts (each client has an account of its own)");
            if (Nodes.Count == 0) throw new ArgumentException("--nodes: none given");
        }
    }
}
