namespace GovMail.Bench.Smtp;

/// <summary>
/// The repository's own <c>govmail</c> program as the benchmarks drive it: built in Release unless told not to, run as a
/// command line against one data folder with the benchmark's environment. Shared with bench/GovMail.Bench.Imap (linked).
/// </summary>
public sealed class GovMailProgram(string dll, string dataDirectory, IReadOnlyDictionary<string, string> environment)
{
    public string Dll => dll;
    public string DataDirectory => dataDirectory;
    public IReadOnlyDictionary<string, string> Environment => environment;

    public static string DllIn(string repo) => Path.Combine(repo, "src", "GovMail", "bin", "Release", "net10.0", "govmail.dll");

    /// <summary>Builds src/GovMail in Release (when <paramref name="build"/>); null when it is ready, else what went wrong.</summary>
    public static async Task<string?> PrepareAsync(string repo, bool build)
    {
        if (build)
        {
            Console.WriteLine("building govmail (Release)…");
            var (code, output) = await Proc.RunAsync("dotnet", ["build", "-c", "Release", "-nologo", "-v", "q", Path.Combine(repo, "src", "GovMail", "GovMail.csproj")], repo);
            if (code != 0) return output + "\ngovmail did not build; fix it or pass --no-build to measure the last build";
        }
        var dll = DllIn(repo);
        return File.Exists(dll) ? null : $"{dll} is missing: dotnet build -c Release src/GovMail";
    }

    /// <summary>The benchmark's settings for the govmail process, then what the operator passed with --govmail-env.</summary>
    public static Dictionary<string, string> Env(IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> extra)
    {
        var env = new Dictionary<string, string>(settings) { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };
        foreach (var (k, v) in extra) env[k] = v;
        return env;
    }

    /// <summary>
    /// Waits until the <c>govmail serve</c> <paramref name="server"/> answers <c>/healthz</c> on <paramref name="http"/> (every
    /// listener up); throws, naming <paramref name="logs"/>, when it exits first or is not healthy within <paramref name="limit"/>.
    /// </summary>
    public static async Task WaitHealthyAsync(System.Diagnostics.Process server, int http, TimeSpan limit, string logs, CancellationToken ct)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            if (server.HasExited) throw new InvalidOperationException($"govmail serve exited ({server.ExitCode}); see {logs}");
            try
            {
                using var r = await client.GetAsync($"http://127.0.0.1:{http}/healthz", ct);
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
            await Task.Delay(200, ct);
        }
        throw new TimeoutException($"govmail serve not healthy after {limit.TotalSeconds:F0} s; see {logs}");
    }

    /// <summary>Runs one govmail command against the data folder; throws with its output when it fails.</summary>
    public async Task RunAsync(params string[] args)
    {
        var (code, output) = await Proc.RunAsync("dotnet", [dll, .. args, "--data", dataDirectory], env: environment.ToDictionary());
        if (code != 0) throw new InvalidOperationException($"govmail {string.Join(' ', args)} failed ({code}):\n{output}");
    }
}
