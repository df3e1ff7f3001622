using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GovMail.Cli.Tests.Support;

/// <summary>
/// The real program, <c>dotnet govmail.dll …</c>, from the build output next to the test assembly, with its standard output
/// and error collected as they come.
/// </summary>
internal sealed class GovMailProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder error = new();
    private readonly Lock gate = new();

    private GovMailProcess(Process process) => this.process = process;

    public static string Program => Path.Combine(AppContext.BaseDirectory, "govmail.dll");

    public int Id => process.Id;
    public string Output { get { lock (gate) return output.ToString(); } }
    public string Error { get { lock (gate) return error.ToString(); } }

    /// <summary>Starts <c>govmail ARGS</c> in <paramref name="workingDirectory"/>; <paramref name="environment"/> adds or (with null) removes variables.</summary>
    public static GovMailProcess Start(IEnumerable<string> args, string workingDirectory, IDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Program);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var started = new GovMailProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (started.gate) started.output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (started.gate) started.error.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Runs a command to its end and returns what it did.</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, string workingDirectory,
        IDictionary<string, string?>? environment = null)
    {
        using var p = Start(args, workingDirectory, environment);
        // Generous: a busy CI machine starts a .NET process slowly; this bounds a hang, it does not measure speed.
        var code = await p.WaitForExitAsync(TimeSpan.FromSeconds(120));
        return new CliResult(code ?? throw new TimeoutException($"govmail {string.Join(' ', args)} did not finish"), p.Output, p.Error);
    }

    /// <summary>The exit code, or null when the process is still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        return process.ExitCode;
    }

    /// <summary>Sends SIGTERM, what systemd and <c>docker stop</c> send (<see cref="Process.Kill()"/> would be SIGKILL).</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
    }

    /// <summary>SIGKILL: the process ends at once, in the middle of whatever it was doing.</summary>
    public void Kill()
    {
        process.Kill();
        process.WaitForExit();
    }

    /// <summary>Waits until <paramref name="url"/> answers 200, failing early if the process ends.</summary>
    public async Task WaitUntilHealthyAsync(HttpClient client, string url, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"govmail ended with {process.ExitCode} before answering {url}; stderr: {Error}; stdout: {Output}");
            try
            {
                using var response = await client.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"{url} did not answer 200 within {timeout}; stderr: {Error}; stdout: {Output}");
            await Task.Delay(100);
        }
    }

    private static readonly HashSet<int> HandedOut = [];
    private static readonly Lock HandedOutGate = new();

    /// <summary>
    /// A loopback port nobody listens on right now, and never one this process handed out before: tests running side by side
    /// each get ports of their own even before the programs they start have bound them.
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOutGate)
                if (HandedOut.Add(port)) return port;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        process.Dispose();
    }
}
