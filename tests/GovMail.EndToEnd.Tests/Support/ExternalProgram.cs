using System.Diagnostics;
using System.Text;

namespace GovMail.EndToEnd.Tests.Support;

/// <summary>What one run of an outside program ended with and wrote.</summary>
internal sealed record ProgramRun(string Command, int ExitCode, string Output, string Error)
{
    public string Transcript => $"{Command}\nexit code {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>
/// A program nobody here wrote (Debian's <c>swaks</c>, <c>python3</c>) that an end-to-end test drives. It is looked up on
/// <c>PATH</c>; when it is missing the test fails and names the Debian package to install (<c>scripts/test</c> installs
/// it when run as root): these tests are never skipped.
/// </summary>
internal sealed class ExternalProgram
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    private ExternalProgram(string path) => FilePath = path;

    public string FilePath { get; }

    public static ExternalProgram Require(string name, string debianPackage)
    {
        var path = Find(name);
        Assert.True(path is not null,
            $"The end-to-end tests need `{name}`, which is not on PATH: install the Debian package {debianPackage} " +
            $"(apt-get install {debianPackage}; scripts/test does it when run as root).");
        return new ExternalProgram(path!);
    }

    /// <summary>swaks, able to speak TLS (it needs Perl's Net::SSLeay for <c>--tls</c>).</summary>
    public static async Task<ExternalProgram> RequireSwaksAsync()
    {
        var swaks = Require("swaks", "swaks");
        var perl = Require("perl", "perl");
        var ssl = await perl.RunAsync(["-MNet::SSLeay", "-e", "1"]);
        Assert.True(ssl.ExitCode == 0,
            "swaks needs Perl's Net::SSLeay for --tls: install the Debian package libnet-ssleay-perl " +
            $"(apt-get install libnet-ssleay-perl; scripts/test does it when run as root).\n{ssl.Error}");
        return swaks;
    }

    public async Task<ProgramRun> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(FilePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        var command = Path.GetFileName(FilePath) + " " + string.Join(' ', args.Select(a => a.Contains(' ') ? $"'{a}'" : a));

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{FilePath} could not be started");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(RunLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{command} did not finish within {RunLimit}\n--- stdout ---\n{await output}\n--- stderr ---\n{await error}");
        }
        return new ProgramRun(command, process.ExitCode, await output, await error);
    }

    private static string? Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
