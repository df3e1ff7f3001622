using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using GovMail.Bench.Imap;
using GovMail.Bench.Smtp;

namespace GovMail.Bench.Cluster;

/// <summary>
/// N <c>govmail serve</c> nodes as docs/scale-out.md deploys them, on one machine: each with a data folder of its own (its
/// <c>govmail.json</c> names the shared PostgreSQL database and the same secret key), one blob folder shared by all (each
/// node's <c>blobs/</c> is a symbolic link to it), SMTP on port 25 style, imaps and HTTP (for /healthz) on free loopback ports.
/// The database is made new for the cluster and dropped when it is disposed.
/// </summary>
public sealed class Cluster(string dll, string root, string postgres, IReadOnlyDictionary<string, string> extraEnv) : IAsyncDisposable
{
    public const string Domain = "bench.gov.vn";
    private const string Organisation = "Sở Nội vụ (bench)";

    private readonly string _database = "govmail_bench_" + Guid.NewGuid().ToString("N")[..10];
    private readonly List<(Process Process, int Smtp, int Imaps, int Http)> _nodes = [];
    private bool _created;

    // Cheaper password hashing only makes the accounts' set-up and logins affordable; the server verifies with each stored
    // hash's own cost. No SPF, DKIM or DMARC checks on arrival, as in the SMTP benchmark: what is measured is the nodes and
    // the database, not DNS round trips (and a benchmark machine may have no resolver to ask). Every session comes from
    // 127.0.0.1 here, as it would from a load balancer in front of the nodes, so the per-address limit (20) is raised.
    private readonly Dictionary<string, string> _env = GovMailProgram.Env(new Dictionary<string, string>
    {
        ["GOVMAIL__SECURITY__PASSWORDHASHMEMORYKIB"] = "1024",
        ["GOVMAIL__SECURITY__PASSWORDHASHITERATIONS"] = "1",
        ["GOVMAIL__SMTP__INBOUNDCHECKS"] = "false",
        ["GOVMAIL__SMTP__MAXCONNECTIONSPERIP"] = "1000",
    }, extraEnv);

    public string Root => root;
    public string SharedBlobs => Path.Combine(root, "blobs");
    public IReadOnlyList<IPEndPoint> SmtpEndPoints => [.. _nodes.Select(n => new IPEndPoint(IPAddress.Loopback, n.Smtp))];
    public IReadOnlyList<IPEndPoint> ImapsEndPoints => [.. _nodes.Select(n => new IPEndPoint(IPAddress.Loopback, n.Imaps))];
    public IReadOnlyList<int> Processes => [.. _nodes.Where(n => !n.Process.HasExited).Select(n => n.Process.Id)];

    private string NodeFolder(int n) => Path.Combine(root, $"node{n}");

    /// <summary>A new database, the node folders, the tenant and the accounts (through node 1's folder), then every node started at once.</summary>
    public async Task StartAsync(int nodes, IReadOnlyList<BenchAccount> accounts, CancellationToken ct)
    {
        await PsqlAsync($"CREATE DATABASE {_database}", ct);
        _created = true;
        Directory.CreateDirectory(SharedBlobs);
        var secretKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        for (var n = 1; n <= nodes; n++)
        {
            var folder = NodeFolder(n);
            Directory.CreateDirectory(folder);
            Directory.CreateSymbolicLink(Path.Combine(folder, "blobs"), SharedBlobs);
            await File.WriteAllTextAsync(Path.Combine(folder, "govmail.json"), JsonSerializer.Serialize(new
            {
                Database = new { Provider = "postgres", ConnectionString = ConnectionString(_database) },
                Security = new { SecretKey = secretKey },
                HostName = $"node{n}.mail.{Domain}",
            }), ct);
        }
        var cli = new GovMailProgram(dll, NodeFolder(1), _env);
        await cli.RunAsync("init", "--domain", Domain, "--name", Organisation);
        await cli.RunAsync("unit", "add", "Văn phòng", "--parent", Organisation);
        foreach (var a in accounts)
            await cli.RunAsync("account", "add", a.Address, "--name", "Chuyên viên " + a.Address.Split('@')[0], "--unit", "Văn phòng",
                "--password", a.Password, "--no-must-change");

        for (var n = 1; n <= nodes; n++)
        {
            int smtp = Proc.FreePort(), imaps = Proc.FreePort(), http = Proc.FreePort();
            var psi = new ProcessStartInfo("bash") { UseShellExecute = false, WorkingDirectory = NodeFolder(n) };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add($"ulimit -n 65536 2>/dev/null || ulimit -n \"$(ulimit -Hn)\"; exec dotnet '{dll}' serve --data '{NodeFolder(n)}' " +
                                 $"--bind 127.0.0.1 --smtp {smtp} --submission 0 --submissions 0 --imap 0 --imaps {imaps} --http {http} --https 0 " +
                                 $"> '{Path.Combine(NodeFolder(n), "govmail.log")}' 2>&1");
            foreach (var (k, v) in _env) psi.Environment[k] = v;
            // Each node a machine of its own: nothing shared through the home folder.
            psi.Environment["HOME"] = NodeFolder(n);
            _nodes.Add((Process.Start(psi)!, smtp, imaps, http));
        }
        for (var n = 0; n < _nodes.Count; n++)
            await GovMailProgram.WaitHealthyAsync(_nodes[n].Process, _nodes[n].Http, TimeSpan.FromSeconds(120), Path.Combine(NodeFolder(n + 1), "govmail.log"), ct);
    }

    /// <summary>Messages stored (rows of <c>mailbox_messages</c>), read from the database itself.</summary>
    public async Task<long> StoredAsync(CancellationToken ct) =>
        long.Parse((await PsqlAsync("SELECT COUNT(*) FROM mailbox_messages", ct, _database)).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The SMTP load and then the IMAP workload on <paramref name="nodes"/> nodes, each spread evenly over them.</summary>
    public static async Task<ClusterResult> MeasureAsync(Cluster cluster, int nodes, IReadOnlyList<BenchAccount> accounts, ClusterOptions o, CancellationToken ct)
    {
        await cluster.StartAsync(nodes, accounts, ct);
        Console.WriteLine($"{nodes} node(s) up on database {cluster._database}; SMTP {string.Join(", ", cluster.SmtpEndPoints.Select(e => e.Port))}");
        var smtp = cluster.SmtpEndPoints;
        var imaps = cluster.ImapsEndPoints;
        var cpu0 = ProcFs.CpuSeconds(ProcFs.Tree(cluster.Processes));

        // SMTP: each node takes an equal share of the sessions and of the messages, all at once.
        var messages = new MessageFactory([.. accounts.Select(a => a.Address)], o.Size, Guid.NewGuid().ToString("N")[..8]);
        var warmup = Math.Min(1000, o.Messages / 10);
        if (warmup > 0) await SpreadSmtpAsync(smtp, messages, 0, warmup, o.Sessions, ct);
        var stored0 = await cluster.StoredAsync(ct);
        var load = await SpreadSmtpAsync(smtp, messages, warmup, o.Messages, o.Sessions, ct);
        var stored = await cluster.StoredAsync(ct) - stored0;
        Console.WriteLine($"SMTP: {load.Accepted:N0} accepted, {load.Refused} refused, {stored:N0} stored in {load.Elapsed.TotalSeconds:F1} s: " +
                          $"{load.Accepted / load.Elapsed.TotalSeconds:F0} msgs/s" +
                          (load.RefusalSamples.Count > 0 ? $"; refusals: {string.Join(" | ", load.RefusalSamples)}" : ""));

        // IMAP: the workload accounts' INBOXes filled through node 1, then C clients, client i on node i mod N.
        var workloadAccounts = accounts.Take(o.Clients).ToList();
        await Workload.PreloadAsync(imaps[0], workloadAccounts, o.PreloadMessages, global::Bench.Size, ct);
        if (o.WarmupSeconds > 0) await SpreadImapAsync(imaps, workloadAccounts, TimeSpan.FromSeconds(o.WarmupSeconds), ct);
        var imap = await SpreadImapAsync(imaps, workloadAccounts, TimeSpan.FromSeconds(o.Seconds), ct);
        Console.WriteLine($"IMAP: {imap.Total:N0} operations in {imap.Elapsed.TotalSeconds:F1} s: {imap.PerSecond:F0} ops/s, {imap.Errors} errors" +
                          (imap.ErrorSamples.Count > 0 ? $" ({string.Join(" | ", imap.ErrorSamples)})" : ""));
        var cpu = ProcFs.CpuSeconds(ProcFs.Tree(cluster.Processes)) - cpu0;
        return new ClusterResult(nodes, load, stored, imap, cpu, ProcFs.LoadAverage());
    }

    private static async Task<LoadResult> SpreadSmtpAsync(IReadOnlyList<IPEndPoint> nodes, MessageFactory messages, long first, int count,
        int sessions, CancellationToken ct)
    {
        var shares = Enumerable.Range(0, nodes.Count).Select(n => (
            Node: nodes[n],
            First: first + (long)count * n / nodes.Count,
            Count: (int)((long)count * (n + 1) / nodes.Count - (long)count * n / nodes.Count),
            Sessions: Math.Max(1, sessions * (n + 1) / nodes.Count - sessions * n / nodes.Count))).ToList();
        var results = await Task.WhenAll(shares.Select(s => SmtpLoad.RunAsync(s.Node, messages, s.First, s.Count, s.Sessions, ct)));
        return new LoadResult(results.Sum(r => r.Sent), results.Sum(r => r.Accepted), results.Sum(r => r.Refused),
            [.. results.SelectMany(r => r.LatenciesMs)], results.Max(r => r.Elapsed), results.Min(r => r.StartTimestamp),
            [.. results.SelectMany(r => r.RefusalSamples).Take(5)]);
    }

    private static async Task<WorkloadResult> SpreadImapAsync(IReadOnlyList<IPEndPoint> nodes, IReadOnlyList<BenchAccount> accounts,
        TimeSpan duration, CancellationToken ct)
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, nodes.Count)
            .Select(n => (Node: nodes[n], Accounts: accounts.Where((_, i) => i % nodes.Count == n).ToList()))
            .Where(s => s.Accounts.Count > 0)
            .Select(s => Workload.RunAsync(s.Node, s.Accounts, global::Bench.Size, duration, ct)));
        var operations = Workload.Names.ToDictionary(n => n, n => runs.Sum(r => r.Operations.GetValueOrDefault(n)));
        var mean = Workload.Names.ToDictionary(n => n, n =>
        {
            var count = runs.Sum(r => r.Operations.GetValueOrDefault(n));
            return count == 0 ? double.NaN : runs.Sum(r => r.MeanMs.GetValueOrDefault(n) * r.Operations.GetValueOrDefault(n)) / count;
        });
        // The runs overlap; their longest is the window all operations fell in.
        return new WorkloadResult(runs.Sum(r => r.Clients), runs.Max(r => r.Elapsed), operations, mean, runs.Sum(r => r.Errors),
            [.. runs.SelectMany(r => r.ErrorSamples).Take(5)]);
    }

    private string ConnectionString(string database) =>
        string.Join(';', postgres.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.TrimStart().StartsWith("Database=", StringComparison.OrdinalIgnoreCase))
            .Append($"Database={database}"));

    /// <summary>One SQL statement through <c>psql</c> (the connection string's host, port, user and password), its output unaligned.</summary>
    private async Task<string> PsqlAsync(string sql, CancellationToken ct, string database = "postgres")
    {
        var parts = postgres.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var env = new Dictionary<string, string>
        {
            ["PGHOST"] = parts.GetValueOrDefault("host", "127.0.0.1"),
            ["PGPORT"] = parts.GetValueOrDefault("port", "5432"),
            ["PGUSER"] = parts.GetValueOrDefault("username", parts.GetValueOrDefault("user id", "postgres")),
            ["PGPASSWORD"] = parts.GetValueOrDefault("password", ""),
        };
        var (code, output) = await Proc.RunAsync("psql", ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql], env: env);
        ct.ThrowIfCancellationRequested();
        return code == 0 ? output : throw new InvalidOperationException($"psql: {sql}: {output}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (process, _, _, _) in _nodes)
            if (!process.HasExited) Proc.Terminate(process.Id);
        foreach (var (process, _, _, _) in _nodes)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            try { await process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); }
            process.Dispose();
        }
        if (_created)
        {
            try { await PsqlAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", CancellationToken.None); }
            catch (InvalidOperationException e) { Console.Error.WriteLine(e.Message); }
        }
    }
}
