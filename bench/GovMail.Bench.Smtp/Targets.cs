using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;

namespace GovMail.Bench.Smtp;

/// <summary>A mail system under test: set up, started on a loopback port, asked how many messages it has stored, stopped.</summary>
public interface ITarget : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Versions and storage, for the report.</summary>
    string Description { get; }

    /// <summary>Creates the accounts, starts the server and returns its SMTP (MX) endpoint once it answers.</summary>
    Task<IPEndPoint> StartAsync(CancellationToken ct);

    /// <summary>Every live process of the server.</summary>
    IReadOnlyList<int> Processes();

    /// <summary>Messages stored in the recipients' mailboxes so far.</summary>
    long CountStored();

    /// <summary>The kernel's peak RSS of the main server process (VmHWM), read just before it is stopped; 0 when not known.</summary>
    long MainPeakRssKb { get; }
}

/// <summary>
/// The real <c>govmail</c> program: <c>govmail init</c>, <c>govmail account import</c> of a generated staff list, then
/// <c>govmail serve</c> on loopback with only the MX listener and HTTP (for /healthz). Default storage: SQLite in WAL mode and
/// fsynced blob files in the data folder.
/// </summary>
public sealed class GovMailTarget(string repoRoot, string dll, string workDir, string domain, IReadOnlyList<string> recipients,
    IReadOnlyDictionary<string, string> extraEnv) : ITarget
{
    private Process? _server;
    private SqliteConnection? _db;
    private SqliteCommand? _count;

    public string Name => "GovMail";
    public string Description { get; private set; } = "GovMail";
    public long MainPeakRssKb { get; private set; }
    public string LogFile => Path.Combine(workDir, "govmail.log");
    public string DataDirectory => _govmail.DataDirectory;
    public int? Pid => _server?.Id;

    private readonly GovMailProgram _govmail = new(dll, Path.Combine(workDir, "govmail-data"), GovMailProgram.Env(new Dictionary<string, string>
    {
        // Cheaper password hashing only makes the set-up faster (authentication is not measured: MX has none).
        // Postfix + Dovecot in their default configuration check no SPF, DKIM or DMARC on arrival, so neither does GovMail
        // here: like for like, and no DNS round trips (this machine has no resolver to ask) in the measured path.
        ["GOVMAIL__SECURITY__PASSWORDHASHMEMORYKIB"] = "1024",
        ["GOVMAIL__SMTP__INBOUNDCHECKS"] = "false",
    }, extraEnv));

    private Task CliAsync(params string[] args) => _govmail.RunAsync(args);

    public async Task<IPEndPoint> StartAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(workDir);
        await CliAsync("init", "--domain", domain, "--name", "Sở Nội vụ (bench)");
        var csv = Path.Combine(workDir, "govmail-accounts.csv");
        await File.WriteAllTextAsync(csv, StaffList(recipients), ct);
        await CliAsync("account", "import", csv);

        var smtp = Proc.FreePort();
        var http = Proc.FreePort();
        var psi = new ProcessStartInfo("bash") { UseShellExecute = false, WorkingDirectory = workDir };
        // exec: the server keeps the shell's pid, its log goes straight to a file (nothing to drain here).
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"exec dotnet '{dll}' serve --data '{DataDirectory}' --bind 127.0.0.1 --smtp {smtp} --submission 0 --submissions 0 " +
                             $"--imap 0 --imaps 0 --http {http} --https 0 > '{LogFile}' 2>&1");
        foreach (var (k, v) in _govmail.Environment) psi.Environment[k] = v;
        _server = Process.Start(psi)!;
        await WaitHealthyAsync(http, ct);
        await Proc.WaitForPortAsync(smtp, TimeSpan.FromSeconds(30), () => !_server.HasExited);

        _db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(DataDirectory, "govmail.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        _db.Open();
        _count = _db.CreateCommand();
        _count.CommandText = "SELECT COUNT(*) FROM mailbox_messages";
        Description = $"GovMail {await GitVersionAsync()} (govmail serve, SQLite WAL + fsynced blob files, .NET {Environment.Version})";
        return new IPEndPoint(IPAddress.Loopback, smtp);
    }

    private Task WaitHealthyAsync(int http, CancellationToken ct) =>
        GovMailProgram.WaitHealthyAsync(_server!, http, TimeSpan.FromSeconds(60), LogFile, ct);

    private async Task<string> GitVersionAsync()
    {
        try
        {
            var (code, head) = await Proc.RunAsync("git", ["-C", repoRoot, "rev-parse", "--short", "HEAD"]);
            var (_, dirty) = await Proc.RunAsync("git", ["-C", repoRoot, "status", "--porcelain", "--", "src"]);
            return code == 0 ? head.Trim() + (dirty.Trim().Length > 0 ? " + uncommitted changes in src/" : "") : "(no git)";
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { return "(no git)"; }
    }

    /// <summary>The recipients as an agency staff list (the columns <c>govmail account import</c> reads).</summary>
    private static string StaffList(IReadOnlyList<string> recipients)
    {
        string[] family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"];
        string[] middle = ["Văn", "Thị", "Minh", "Thanh", "Quốc", "Ngọc", "Đức", "Hữu"];
        string[] given = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Linh", "Minh", "Nam", "Oanh", "Phúc", "Quân", "Sơn", "Trang", "Vy"];
        var s = new StringBuilder("STT,Họ và tên,Chức danh,Phòng ban,Cơ quan,Điện thoại,Địa chỉ hộp thư\n");
        for (var i = 0; i < recipients.Count; i++)
        {
            var name = $"{family[i % family.Length]} {middle[i / family.Length % middle.Length]} {given[i / (family.Length * middle.Length) % given.Length]}";
            var unit = $"Phòng nghiệp vụ {(char)('A' + i % 8)}";
            s.Append(CultureInfo.InvariantCulture, $"{i + 1},{name},Chuyên viên,{unit},Sở Nội vụ,09{i:D8},{recipients[i]}\n");
        }
        return s.ToString();
    }

    public IReadOnlyList<int> Processes() => _server is { HasExited: false } s ? [s.Id] : [];

    public long CountStored() => Convert.ToInt64(_count!.ExecuteScalar(), CultureInfo.InvariantCulture);

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        _count?.Dispose();
        _db?.Dispose();
        if (_server is { HasExited: false } s)
        {
            MainPeakRssKb = ProcFs.StatusKb(s.Id, "VmHWM");
            Proc.Terminate(s.Id);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await s.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { s.Kill(entireProcessTree: true); }
        }
        _server?.Dispose();
    }
}

/// <summary>
/// Debian's Postfix and Dovecot as a throw-away pair under the work folder (bench/smtp/postfix-dovecot.sh): Postfix smtpd on a
/// loopback port, virtual mailbox domain, LMTP over a unix socket to Dovecot, Maildir. Stored = files in the recipients'
/// Maildir new/ folders.
/// </summary>
public sealed class PostfixDovecotTarget(string script, string workDir, string domain, IReadOnlyList<string> recipients) : ITarget
{
    private readonly string _dir = Path.Combine(workDir, "postfix-dovecot");
    private int[] _roots = [];
    private string? _maildirRoot;
    private readonly Dictionary<string, (DateTime Mtime, int Count)> _seen = [];

    public string Name => "Postfix + Dovecot";
    public string Description { get; private set; } = "Postfix + Dovecot";
    public long MainPeakRssKb => 0;

    public async Task<IPEndPoint> StartAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(workDir);
        var list = Path.Combine(workDir, "postfix-recipients.txt");
        await File.WriteAllLinesAsync(list, recipients, ct);
        var port = Proc.FreePort();
        var (code, output) = await Proc.RunAsync("bash", [script, "start", _dir, port.ToString(CultureInfo.InvariantCulture), domain, list]);
        if (code != 0) throw new InvalidOperationException($"postfix-dovecot.sh start failed ({code}):\n{output}");
        var values = output.Split('\n').Select(l => l.Trim().Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        _roots = [int.Parse(values["POSTFIX_PID"], CultureInfo.InvariantCulture), int.Parse(values["DOVECOT_PID"], CultureInfo.InvariantCulture)];
        _maildirRoot = values["MAILDIR_ROOT"];
        await Proc.WaitForPortAsync(port, TimeSpan.FromSeconds(20));
        var (_, pf) = await Proc.RunAsync("postconf", ["-c", Path.Combine(_dir, "postfix"), "-h", "mail_version"]);
        var (_, dv) = await Proc.RunAsync("/usr/sbin/dovecot", ["--version"]);
        Description = $"Postfix {pf.Trim()} + Dovecot {dv.Trim().Split(' ')[0]} (Debian packages; LMTP over a unix socket; Maildir; default fsync)";
        return new IPEndPoint(IPAddress.Loopback, port);
    }

    public IReadOnlyList<int> Processes() => ProcFs.Tree(_roots);

    /// <summary>Files in every recipient's new/ folder; folders whose mtime has not moved are not read again.</summary>
    public long CountStored()
    {
        if (_maildirRoot is null || !Directory.Exists(_maildirRoot)) return 0;
        long total = 0;
        foreach (var user in Directory.EnumerateDirectories(_maildirRoot))
        {
            var dir = Path.Combine(user, "new");
            if (!Directory.Exists(dir)) continue;
            var mtime = Directory.GetLastWriteTimeUtc(dir);
            if (!_seen.TryGetValue(dir, out var seen) || seen.Mtime != mtime || mtime > DateTime.UtcNow.AddSeconds(-2))
            {
                seen = (mtime, Directory.EnumerateFiles(dir).Count());
                _seen[dir] = seen;
            }
            total += seen.Count;
        }
        return total;
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed || !Directory.Exists(_dir)) return;
        _disposed = true;
        var (code, output) = await Proc.RunAsync("bash", [script, "stop", _dir]);
        if (code != 0) Console.Error.WriteLine($"postfix-dovecot.sh stop: {output}");
        _roots = [];
    }
}
