using System.Globalization;
using System.Text;

namespace GovMail.Bench.Web;

/// <summary>Writes the "Webmail" section of docs/performance.md (between its markers; other sections are left alone).</summary>
internal static class PerformanceDoc
{
    private const string Start = "<!-- web-bench:start -->";
    private const string End = "<!-- web-bench:end -->";

    public static void Write(WebBenchOptions options, IReadOnlyList<WebBenchResult> results)
    {
        var root = FindRoot();
        var path = Path.Combine(root, "docs", "performance.md");
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Performance\n";
        var s = new StringBuilder();
        s.AppendLine(Start);
        s.AppendLine("## Webmail: list, open and search a folder of 100,000 messages (issue 7)");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/GovMail.Bench.Web -- --messages {options.Messages} --samples {options.Samples} --doc`, "
            + $"{DateTime.UtcNow:dd/MM/yyyy}. Server time as a signed-in browser sees it over loopback (request sent → whole answer read), "
            + $"{options.Samples} samples of each request, interleaved, after a warm-up. On PostgreSQL the bench runs `VACUUM (ANALYZE)` "
            + $"after the fill, what autovacuum has long since done to a folder that grew over months, so that its first pass does not run "
            + $"during the timing. See bench/README.md for what each request is.");
        foreach (var r in results)
        {
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"### {r.Provider}: {r.Messages:N0} messages ({r.StoredBytes / 1024.0 / 1024:F0} MB), filled in {r.Fill.TotalSeconds:F0} s");
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"Machine: {r.Machine}; load average before/after {r.LoadBefore} / {r.LoadAfter}.");
            s.AppendLine();
            s.AppendLine("| request | address | p50 ms | p95 ms | p99 ms | max ms | target p95 |");
            s.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | --- |");
            foreach (var t in r.Timings)
                s.AppendLine(CultureInfo.InvariantCulture,
                    $"| {t.Name} | `{t.Request}` | {t.Percentile(50):F1} | {t.Percentile(95):F1} | {t.Percentile(99):F1} | {t.Samples.Max():F1} | {t.TargetMs} ms {(t.Percentile(95) <= t.TargetMs ? "met" : "**missed**")} |");
        }
        s.AppendLine(End);
        var at = text.IndexOf(Start, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        text = at >= 0 && end > at ? text[..at] + s + text[(end + End.Length)..].TrimStart('\n', '\r') : text.TrimEnd() + "\n\n" + s;
        File.WriteAllText(path, text);
        Console.WriteLine($"wrote {path}");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GovMail.slnx"))) return dir.FullName;
        throw new InvalidOperationException("run from inside the repository (GovMail.slnx not found)");
    }
}
