using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using GovMail.Bench.Smtp;

namespace GovMail.Bench.Imap;

/// <summary>An IMAP server under test: set up with the accounts, started on a loopback imaps port, measured, stopped.</summary>
public interface IImapTarget : IAsyncDisposable
{
    string Key { get; }
    string Name { get; }
    string Description { get; }

    /// <summary>Creates the accounts, starts the server and returns its imaps (implicit TLS) endpoint once it answers.</summary>
    Task<IPEndPoint> StartAsync(IReadOnlyList<BenchAccount> accounts, int connections, CancellationToken ct);

    /// <summary>Every live process of the server.</summary>
    IReadOnlyList<int> Processes();
}

public sealed record BenchAccount(string Address, string Password);

/// <summary>
/// The real <c>govmail</c> program: <c>govmail init</c>, <c>govmail account import</c> of a generated staff list (passwords set
/// with <c>govmail account password</c>), then <c>govmail serve</c> on loopback with only imaps and HTTP (for /healthz). Default
/// settings, default storage (SQLite WAL, fsynced blob files); the per-address connection limit (200) is left as it is.
/// </summary>
/// <para>With <c>--baseline DIR</c> a second one runs from another checkout's build (key <c>baseline</c>), with its own data
/// folder, so that a change can be measured against the build before it in the same rounds.</para>
public sealed class GovMailTarget(string key, string repoRoot, string dll, string workDir, IReadOnlyDictionary<string, string> extraEnv) : IImapTarget
{
    private Process? _server;

    public string Key => key;
    public string Name => key == "govmail" ? "GovMail" : $"GovMail ({key})";
    public string Description { get; private set; } = "GovMail";
    public string LogFile => Path.Combine(workDir, $"{key}.log");

    private readonly GovMailProgram _govmail = new(dll, Path.Combine(workDir, $"{key}-data"), GovMailProgram.Env(new Dictionary<string, string>
    {
        // Cheaper password hashing (Argon2id 1 MiB, 1 pass) only makes 10,000 logins affordable on a 2-core machine.
        ["GOVMAIL__SECURITY__PASSWORDHASHMEMORYKIB"] = "1024",
        ["GOVMAIL__SECURITY__PASSWORDHASHITERATIONS"] = "1",
    }, extraEnv));

    private Task CliAsync(params string[] args) => _govmail.RunAsync(args);

    public async Task<IPEndPoint> StartAsync(IReadOnlyList<BenchAccount> accounts, int connections, CancellationToken ct)
    {
        Directory.CreateDirectory(workDir);
        await CliAsync("init", "--domain", global::Bench.Domain, "--name", "Sở Nội vụ (bench)");
        await CliAsync("unit", "add", "Văn phòng", "--parent", "Sở Nội vụ (bench)");
        foreach (var a in accounts)
            await CliAsync("account", "add", a.Address, "--name", "Chuyên viên " + a.Address.Split('@')[0], "--unit", "Văn phòng",
                "--password", a.Password, "--no-must-change");

        var imaps = Proc.FreePort();
        var http = Proc.FreePort();
        var psi = new ProcessStartInfo("bash") { UseShellExecute = false, WorkingDirectory = workDir };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"ulimit -n {(global::Bench.FileLimit(connections))} 2>/dev/null || ulimit -n \"$(ulimit -Hn)\"; exec dotnet '{dll}' serve --data '{_govmail.DataDirectory}' --bind 127.0.0.1 --smtp 0 --submission 0 " +
                             $"--submissions 0 --imap 0 --imaps {imaps} --http {http} --https 0 > '{LogFile}' 2>&1");
        foreach (var (k, v) in _govmail.Environment) psi.Environment[k] = v;
        _server = Process.Start(psi)!;
        await GovMailProgram.WaitHealthyAsync(_server, http, TimeSpan.FromSeconds(90), LogFile, ct);
        var (code, head) = await Proc.RunAsync("git", ["-C", repoRoot, "rev-parse", "--short", "HEAD"]);
        var (_, dirty) = await Proc.RunAsync("git", ["-C", repoRoot, "status", "--porcelain", "--", "src"]);
        Description = $"{Name} {(code == 0 ? head.Trim() : "?")}{(dirty.Trim().Length > 0 ? " + uncommitted changes in src/" : "")} " +
                      $"(govmail serve, imaps, default settings, SQLite WAL + blob files, .NET {Environment.Version}, workstation GC" +
                      (extraEnv.Count > 0 ? "; environment " + string.Join(", ", extraEnv.Select(kv => $"{kv.Key}={kv.Value}")) : "") + ")";
        return new IPEndPoint(IPAddress.Loopback, imaps);
    }

    public IReadOnlyList<int> Processes() => _server is { HasExited: false } s ? [s.Id] : [];

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (_server is { HasExited: false } s)
        {
            Proc.Terminate(s.Id);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            try { await s.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { s.Kill(entireProcessTree: true); }
        }
        _server?.Dispose();
    }
}

/// <summary>Debian's Dovecot as a throw-away instance under the work folder (scripts/dovecot-instance): imaps on loopback, Maildir.</summary>
public sealed class DovecotTarget(string script, string workDir) : IImapTarget
{
    private readonly string _dir = Path.Combine(workDir, "dovecot");
    private int _master;

    public string Key => "dovecot";
    public string Name => "Dovecot";
    public string Description { get; private set; } = "Dovecot";

    public async Task<IPEndPoint> StartAsync(IReadOnlyList<BenchAccount> accounts, int connections, CancellationToken ct)
    {
        Directory.CreateDirectory(workDir);
        var users = Path.Combine(workDir, "dovecot-users.txt");
        await File.WriteAllLinesAsync(users, accounts.Select(a => $"{a.Address} {a.Password}"), ct);
        var port = Proc.FreePort();
        var (code, output) = await Proc.RunAsync("bash", [script, "start", _dir, port.ToString(CultureInfo.InvariantCulture), users,
            connections.ToString(CultureInfo.InvariantCulture)]);
        if (code != 0) throw new InvalidOperationException($"dovecot-instance start failed ({code}):\n{output}");
        var values = output.Split('\n').Select(l => l.Trim().Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        _master = int.Parse(values["DOVECOT_PID"], CultureInfo.InvariantCulture);
        var (_, version) = await Proc.RunAsync("/usr/sbin/dovecot", ["--version"]);
        Description = $"Dovecot {version.Trim().Split(' ')[0]} (Debian dovecot-imapd, imaps, Maildir; default process model: one imap-login " +
                      $"and one imap process per connection; process/client limits raised to {connections + 100})";
        return new IPEndPoint(IPAddress.Loopback, port);
    }

    public IReadOnlyList<int> Processes() => _master > 0 ? ProcFs.Tree([_master]) : [];

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        var (code, output) = await Proc.RunAsync("bash", [script, "stop", _dir]);
        if (code != 0) Console.Error.WriteLine($"dovecot-instance stop: {output}");
    }
}

/// <summary>Deterministic official letters for APPEND: Vietnamese subject and names (RFC 2047), base64 UTF-8 text.</summary>
public static class Letters
{
    private static readonly string[] Subjects =
    [
        "Công văn số {0}/SNV-VP về rà soát hộp thư công vụ", "Giấy mời họp giao ban tuần {0}", "Báo cáo tình hình thực hiện nhiệm vụ tháng {0}",
        "Kế hoạch tổ chức Ngày Sách và Văn hóa đọc lần thứ {0}", "Thông báo lịch trực Tết Nguyên đán số {0}",
    ];

    public static byte[] Make(int n, int size)
    {
        var subject = string.Format(CultureInfo.InvariantCulture, Subjects[n % Subjects.Length], n);
        var head = new StringBuilder()
            .Append("From: =?utf-8?B?").Append(B64("Lê Văn Cường")).Append("?= <cuong@bench.gov.vn>\r\n")
            .Append("To: =?utf-8?B?").Append(B64("Nguyễn Văn An")).Append("?= <an@bench.gov.vn>\r\n")
            .Append("Subject: =?utf-8?B?").Append(B64(subject)).Append("?=\r\n")
            .Append(CultureInfo.InvariantCulture, $"Date: {new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.FromHours(7)).AddMinutes(n):ddd, dd MMM yyyy HH:mm:ss} +0700\r\n")
            .Append(CultureInfo.InvariantCulture, $"Message-ID: <bench-{n}-{Guid.NewGuid():N}@bench.gov.vn>\r\n")
            .Append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        var text = new StringBuilder();
        while (Encoding.UTF8.GetByteCount(text.ToString()) * 4 / 3 + head.Length < size)
            text.Append("Kính gửi các phòng: đề nghị rà soát tình hình sử dụng hộp thư công vụ và báo cáo về Văn phòng Sở. ");
        var body = Convert.ToBase64String(Encoding.UTF8.GetBytes(text.ToString()), Base64FormattingOptions.InsertLineBreaks);
        return Encoding.ASCII.GetBytes(head + body + "\r\n");
    }

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));
}
