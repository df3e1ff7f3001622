using System.Text.Json;

namespace GovMail.Cli.Tests.Support;

/// <summary>What one run of <c>govmail</c> ended with and wrote.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Err)
{
    public JsonElement Json => JsonDocument.Parse(Out).RootElement;

    /// <summary>The non-empty lines written to standard error.</summary>
    public IReadOnlyList<string> ErrorLines =>
        Err.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();

    /// <summary>Asserts success and returns the result, showing standard error when it failed.</summary>
    public CliResult Ok()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}; stderr: {Err}; stdout: {Out}");
        return this;
    }

    /// <summary>Asserts the contract for bad input: a non-zero code and one plain line on standard error, no stack trace.</summary>
    public CliResult Refused(int? exitCode = null)
    {
        Assert.NotEqual(0, ExitCode);
        if (exitCode is { } expected) Assert.Equal(expected, ExitCode);
        Assert.True(ErrorLines.Count == 1, $"expected one line on stderr, got {ErrorLines.Count}: {Err}");
        Assert.DoesNotContain("   at ", Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", Err, StringComparison.Ordinal);
        Assert.StartsWith("govmail: ", ErrorLines[0], StringComparison.Ordinal);
        return this;
    }
}
