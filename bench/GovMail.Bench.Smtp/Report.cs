using System.Globalization;
using System.Text;

namespace GovMail.Bench.Smtp;

public static class Report
{
    /// <summary>The rows of the comparison, shared by the console table and docs/performance.md.</summary>
    public static List<(string Label, string[] Values)> Rows(IReadOnlyList<TargetResult> results)
    {
        var rows = new List<(string, string[])>();
        void Row(string label, Func<TargetResult, string> value) => rows.Add((label, results.Select(value).ToArray()));
        Row("messages stored / sent", r => $"{r.Stored:N0} / {r.Load.Sent:N0}{(r.Load.Refused > 0 ? $" ({r.Load.Refused:N0} refused)" : "")}{(r.TimedOut ? " TIMED OUT" : "")}");
        Row("**end to end: messages stored per second**", r => $"**{r.StoredPerSecond:N0}**");
        Row("all stored after", r => $"{r.StoredElapsed.TotalSeconds:F2} s");
        Row("last 250 after (accepted per second)", r => $"{r.Load.Elapsed.TotalSeconds:F2} s ({r.AcceptedPerSecond:N0}/s)");
        Row("latency, end of DATA to 250: p50 / p90 / p99 / max", r =>
            $"{r.Percentile(50):F1} / {r.Percentile(90):F1} / {r.Percentile(99):F1} / {r.Percentile(100):F0} ms");
        Row("peak memory, RSS (sum over the server's processes)", r =>
            r.MainPeakRssKb > 0 ? $"{Mb(r.PeakRssKb)} (VmHWM {Mb(r.MainPeakRssKb)})" : $"{Mb(r.PeakRssKb)}");
        Row("peak memory, PSS (shared pages split)", r => Mb(r.PeakPssKb));
        Row("server processes (most at once)", r => r.PeakProcesses.ToString(CultureInfo.InvariantCulture));
        Row("server CPU per message", r => $"{r.ServerCpuSeconds * 1000 / Math.Max(1, r.Stored):F2} ms ({r.ServerCpuSeconds:F1} s in all)");
        Row("server: written to storage per message (write calls)", r =>
            $"{r.ServerWriteBytes / 1024.0 / Math.Max(1, r.Stored):F1} KB ({(double)r.ServerWriteCalls / Math.Max(1, r.Stored):F1})");
        Row("load generator CPU per message", r => $"{r.ClientCpuSeconds * 1000 / Math.Max(1, r.Load.Sent):F2} ms");
        Row("whole disk: write requests / flushes per message", r => r.Disk.Name is null ? "?"
            : $"{(double)r.Disk.Writes / Math.Max(1, r.Stored):F1} / {(double)r.Disk.Flushes / Math.Max(1, r.Stored):F2}");
        Row("whole disk: written per message", r => r.Disk.Name is null ? "?" : $"{r.Disk.BytesWritten / 1024.0 / Math.Max(1, r.Stored):F1} KB");
        Row("machine load average (1 min) before / after", r => $"{r.LoadBefore:F1} / {r.LoadAfter:F1}");
        return rows;
    }

    private static string Mb(long kb) => $"{kb / 1024.0:F0} MB";

    public static string? Ratio(IReadOnlyList<TargetResult> results)
    {
        var g = results.FirstOrDefault(r => r.Key == "govmail");
        var p = results.FirstOrDefault(r => r.Key == "postfix");
        if (g is null || p is null) return null;
        return (g.StoredPerSecond / p.StoredPerSecond).ToString("F2", CultureInfo.InvariantCulture);
    }

    public static void PrintTable(IReadOnlyList<TargetResult> results, int size, BenchOptions o)
    {
        var rows = Rows(results);
        var header = new[] { "" }.Concat(results.Select(r => r.Name)).ToArray();
        var all = new List<string[]> { header };
        all.AddRange(rows.Select(r => new[] { r.Label.Replace("**", "") }.Concat(r.Values.Select(v => v.Replace("**", ""))).ToArray()));
        var widths = Enumerable.Range(0, header.Length).Select(c => all.Max(r => r[c].Length)).ToArray();
        foreach (var r in all)
            Console.WriteLine(string.Join("  ", r.Select((v, c) => c == 0 ? v.PadRight(widths[c]) : v.PadLeft(widths[c]))));
        if (Ratio(results) is { } ratio)
        {
            var met = double.Parse(ratio, CultureInfo.InvariantCulture) >= 2;
            Console.WriteLine();
            Console.WriteLine($"GovMail / Postfix+Dovecot, messages stored per second: {ratio}x (target at least 2x: {(met ? "met" : "NOT MET")})");
        }
    }
}

/// <summary>Writes the "SMTP ingest" section of docs/performance.md between its own markers; other sections stay as they are.</summary>
public static class PerformanceDoc
{
    private const string Start = "<!-- smtp-bench:start -->";
    private const string End = "<!-- smtp-bench:end -->";

    public static void Write(string repo, BenchOptions o, int size, string machine, IReadOnlyList<TargetResult> results,
        IReadOnlyList<TargetResult> runs)
    {
        var path = Path.Combine(repo, "docs", "performance.md");
        var ratio = Report.Ratio(results);
        var met = ratio is not null && double.Parse(ratio, CultureInfo.InvariantCulture) >= 2;
        var s = new StringBuilder();
        s.AppendLine(Start);
        s.AppendLine("## SMTP ingest: GovMail against Postfix + Dovecot (issue 3)");
        s.AppendLine();
        s.AppendLine($"Command: `{o.CommandLine()}` ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC).");
        s.AppendLine();
        s.AppendLine($"Machine: {machine}.");
        s.AppendLine();
        s.AppendLine($"Load: {o.Messages:N0} messages of {size:N0} octets (realistic headers, Vietnamese RFC 2047 subject, base64 UTF-8 body) " +
                     $"over {o.Sessions} parallel SMTP sessions to port 25 (MX, no AUTH), one recipient each, round robin over {o.Recipients} " +
                     $"local accounts; each session sends its share on one connection (MAIL, RCPT and DATA pipelined in one write, then " +
                     $"the content). Both systems first take {o.Warmup:N0} warm-up messages (not counted). The clock runs from the first " +
                     "MAIL to the moment every message is stored: for GovMail a row per message in `mailbox_messages` (committed before " +
                     "the 250), for Postfix + Dovecot a file per message in the recipients' Maildir `new/` folders (after the 250, the " +
                     "queue manager still has to hand it to Dovecot over LMTP).");
        s.AppendLine();
        foreach (var r in results) s.AppendLine($"- {r.Description}");
        s.AppendLine();
        s.AppendLine("| | " + string.Join(" | ", results.Select(r => r.Name)) + " |");
        s.AppendLine("| --- | " + string.Join(" | ", results.Select(_ => "---:")) + " |");
        foreach (var (label, values) in Report.Rows(results)) s.AppendLine($"| {label} | {string.Join(" | ", values)} |");
        s.AppendLine();
        if (o.Rounds > 1)
        {
            s.AppendLine($"{o.Rounds} rounds, the targets alternating; the table shows each target's median round. Messages stored per second in " +
                         "each round: " + string.Join("; ", results.Select(r => $"{r.Name} " +
                             string.Join(", ", runs.Where(x => x.Key == r.Key).Select(x => x.StoredPerSecond.ToString("N0", CultureInfo.InvariantCulture))))) + ".");
            s.AppendLine();
        }
        if (ratio is not null)
        {
            s.AppendLine($"**GovMail / Postfix + Dovecot, messages stored per second end to end: {ratio}×.** Target (issue 3): at least 2×. " +
                         (met ? "Met." : "**Not met.** See \"SMTP ingest: where the time goes\" below for the measured costs and the changes proposed."));
            s.AppendLine();
        }
        s.AppendLine("Memory: the peak of the summed resident set of every process of the server, sampled every 200 ms (Postfix + " +
                     "Dovecot run many processes that share libraries, up to a hundred here, so their RSS sum over-counts and PSS is " +
                     "the fairer figure); for GovMail also the kernel's own peak (VmHWM) of its single process. CPU: user + system time of the server " +
                     "processes (and the children they reaped) during the timed part. Written to storage: `write_bytes` and `syscw` of " +
                     "/proc/PID/io summed over the server's processes. Whole disk: /proc/diskstats of the device holding the work folder " +
                     "during the timed part, whatever else the machine was doing (see the load average).");
        s.Append(End);

        var text = File.Exists(path) ? File.ReadAllText(path) : "# Performance\n\nFigures written by the benchmarks in `bench/`; each section names the machine and the command.\n";
        var i = text.IndexOf(Start, StringComparison.Ordinal);
        var j = text.IndexOf(End, StringComparison.Ordinal);
        text = i >= 0 && j > i
            ? text[..i] + s + text[(j + End.Length)..]
            : text.TrimEnd('\n') + "\n\n" + s + "\n";
        File.WriteAllText(path, text.TrimEnd('\n') + "\n");
        Console.WriteLine($"wrote {path}");
    }
}
