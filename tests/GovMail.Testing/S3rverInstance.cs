using System.Diagnostics;
using System.Text.RegularExpressions;

namespace GovMail.Testing;

/// <summary>
/// A real S3-compatible server for the blob store tests: <c>s3rver</c> (npm, run by node) on an ephemeral loopback port, storing
/// into a temporary folder, with one bucket made at start. <c>scripts/test</c> installs it into <c>GOVMAIL_S3RVER_DIR</c> (default
/// <c>~/.cache/govmail-s3rver</c>); a test that finds it missing fails naming the command that installs it.
/// </summary>
public sealed partial class S3rverInstance : IAsyncDisposable
{
    /// <summary>s3rver's built-in account.</summary>
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly Process _process;
    private readonly string _directory;

    private S3rverInstance(Process process, string directory, int port, string bucket)
    {
        _process = process;
        _directory = directory;
        Port = port;
        Bucket = bucket;
    }

    public int Port { get; }
    public string Bucket { get; }
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>The <c>Blobs</c> settings that point GovMail at this server (as <c>govmail.json</c> or configuration keys).</summary>
    public IReadOnlyDictionary<string, string> Settings(string? prefix = null) => new Dictionary<string, string>
    {
        ["Blobs:Kind"] = "s3",
        ["Blobs:Endpoint"] = Endpoint,
        ["Blobs:Bucket"] = Bucket,
        ["Blobs:AccessKey"] = AccessKey,
        ["Blobs:SecretKey"] = SecretKey,
        ["Blobs:PathStyle"] = "true",
        ["Blobs:Prefix"] = prefix ?? "",
    };

    public static string Script
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("GOVMAIL_S3RVER_DIR") is { Length: > 0 } d
                ? d : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "govmail-s3rver");
            return Path.Combine(dir, "node_modules", "s3rver", "bin", "s3rver.js");
        }
    }

    public static async Task<S3rverInstance> StartAsync(string bucket = "govmail")
    {
        var script = Script;
        if (!File.Exists(script))
            throw new InvalidOperationException($"s3rver is not installed at {script}: run scripts/test, or npm install --prefix ~/.cache/govmail-s3rver s3rver@3.7.1");
        var directory = Path.Combine(Path.GetTempPath(), "govmail-s3rver-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(directory);
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { script, "--directory", directory, "--address", "127.0.0.1", "--port", "0", "--silent", "--configure-bucket", bucket },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(limit.Token) is { } line)
            {
                if (Listening().Match(line) is { Success: true } m)
                {
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    return new S3rverInstance(process, directory, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), bucket);
                }
            }
            throw new InvalidOperationException("s3rver ended before listening: " + await errors);
        }
        catch
        {
            if (!process.HasExited) process.Kill();
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [GeneratedRegex(@"listening on [^:]+:(\d+)")]
    private static partial Regex Listening();
}
