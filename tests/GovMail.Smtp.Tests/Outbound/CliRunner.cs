using System.Text.Json;
using GovMail.Cli;

namespace GovMail.Smtp.Tests.Outbound;

/// <summary><c>govmail</c> run in this process against a data folder of its own, initialised for Ho Chi Minh City.</summary>
internal sealed class CliRunner : IDisposable
{
    static CliRunner()
    {
        // Argon2id at its cheapest: init hashes the administrator's password.
        Environment.SetEnvironmentVariable("GOVMAIL__SECURITY__PASSWORDHASHMEMORYKIB", "1024");
        Environment.SetEnvironmentVariable("GOVMAIL__SECURITY__PASSWORDHASHITERATIONS", "1");
    }

    public CliRunner(TimeProvider clock)
    {
        Clock = clock;
        DataDirectory = Path.Combine(Path.GetTempPath(), "govmail-cli-smtp-" + Guid.NewGuid().ToString("N")[..12]);
    }

    public string DataDirectory { get; }
    public TimeProvider Clock { get; }

    public async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var code = await CliApp.RunAsync([.. args, "--data", DataDirectory], output, error, Clock, timeout.Token);
        return (code, output.ToString(), error.ToString());
    }

    public async Task<string> OkAsync(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);
        Assert.True(code == 0, $"govmail {string.Join(' ', args)} exited {code}: {error}");
        return output;
    }

    public async Task<JsonElement> JsonAsync(params string[] args) => JsonDocument.Parse(await OkAsync([.. args, "--json"])).RootElement;

    /// <summary>The contract for bad input: a non-zero exit and one plain line on standard error.</summary>
    public async Task<string> RefusedAsync(int exitCode, params string[] args)
    {
        var (code, _, error) = await RunAsync(args);
        Assert.Equal(exitCode, code);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr: {error}");
        Assert.StartsWith("govmail: ", lines[0]);
        Assert.DoesNotContain("Exception", error);
        return lines[0];
    }

    public Task<string> InitAsync() =>
        OkAsync("init", "--domain", RelayTestBed.Domain, "--name", RelayTestBed.Organisation);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
