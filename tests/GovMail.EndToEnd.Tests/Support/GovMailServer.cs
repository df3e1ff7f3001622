using System.Diagnostics;
using System.Globalization;
using GovMail.Cli.Tests.Support;

namespace GovMail.EndToEnd.Tests.Support;

/// <summary>
/// <c>govmail serve</c> as an operator runs it, in a process of its own on a data folder: bound to loopback, MX, submission
/// (587), submissions (465), IMAP (143, STARTTLS), IMAPS (993) and HTTP on free ports, HTTPS off. Started means <c>/healthz</c> answers, which it does
/// only once every listener is up.
/// </summary>
internal sealed class GovMailServer : IDisposable
{
    // A start takes a few seconds; the bound is generous for a machine busy with other builds.
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(20);

    private readonly GovMailProcess _process;

    private GovMailServer(GovMailProcess process, int mx, int submission, int submissions, int imap, int imaps, int http, int https = 0)
    {
        HttpsPort = https;
        _process = process;
        MxPort = mx;
        SubmissionPort = submission;
        SubmissionsPort = submissions;
        ImapPort = imap;
        ImapsPort = imaps;
        HttpPort = http;
    }

    public int MxPort { get; }
    public int SubmissionPort { get; }
    public int SubmissionsPort { get; }
    public int ImapPort { get; }
    public int ImapsPort { get; }
    public int HttpPort { get; }

    /// <summary>0 unless started with HTTPS on.</summary>
    public int HttpsPort { get; }
    public int ProcessId => _process.Id;
    public string Output => _process.Output;
    public string Error => _process.Error;

    /// <summary>Log entries at Error or Critical level (the server logs JSON lines to standard output).</summary>
    public IReadOnlyList<string> ErrorLog =>
        Output.Split('\n').Where(line => line.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal)
                                       || line.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal)).ToList();

    public static Task<GovMailServer> StartAsync(TenantDataFolder data, bool https = false) => StartAsync(data.Path, https: https);

    /// <summary>
    /// Serves the data folder <paramref name="dataPath"/> (its <c>govmail.json</c> may name a shared PostgreSQL);
    /// <paramref name="environment"/> adds variables to the process's; <paramref name="https"/> opens an HTTPS listener too.
    /// </summary>
    public static async Task<GovMailServer> StartAsync(string dataPath, IDictionary<string, string?>? environment = null, bool https = false)
    {
        int mx = GovMailProcess.FreePort(), submission = GovMailProcess.FreePort(), submissions = GovMailProcess.FreePort(),
            imap = GovMailProcess.FreePort(), imaps = GovMailProcess.FreePort(), http = GovMailProcess.FreePort(),
            httpsPort = https ? GovMailProcess.FreePort() : 0;
        string Port(int p) => p.ToString(CultureInfo.InvariantCulture);
        var process = GovMailProcess.Start(
        [
            "serve", "--data", dataPath, "--bind", "127.0.0.1",
            "--smtp", Port(mx), "--submission", Port(submission), "--submissions", Port(submissions), "--http", Port(http),
            "--imap", Port(imap), "--imaps", Port(imaps), "--https", Port(httpsPort),
        ], dataPath, environment);
        var server = new GovMailServer(process, mx, submission, submissions, imap, imaps, http, httpsPort);
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            await process.WaitUntilHealthyAsync(client, $"http://127.0.0.1:{http}/healthz", StartLimit);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: the process ends at once, in the middle of whatever it was doing (a crash, a power cut of the process).</summary>
    public async Task KillAsync()
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-KILL", ProcessId.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!)
            await kill.WaitForExitAsync();
        Assert.True(await _process.WaitForExitAsync(StopLimit) is not null, "govmail did not end after SIGKILL");
    }

    /// <summary>SIGTERM, and the exit code once it has stopped.</summary>
    public async Task<int?> StopAsync()
    {
        _process.Terminate();
        return await _process.WaitForExitAsync(StopLimit);
    }

    public void Dispose() => _process.Dispose();
}
