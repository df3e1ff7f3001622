using System.Diagnostics;
using System.Globalization;

namespace GovMail.Bench.Smtp;

// Shared with bench/GovMail.Bench.Imap (linked there): where the repository is, and what the machine is.

public static class Repo
{
    public static string Root()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            var dir = new DirectoryInfo(start);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GovMail.slnx"))) dir = dir.Parent;
            if (dir is not null) return dir.FullName;
        }
        throw new InvalidOperationException("GovMail.slnx not found above the current folder or the program");
    }
}

public static class Machine
{
    public static string Describe(string work, string? device)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                  ?? "unknown CPU";
        var memKb = File.ReadLines("/proc/meminfo").Where(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Select(l => long.Parse(l[9..].Trim().Replace(" kB", ""), CultureInfo.InvariantCulture)).FirstOrDefault();
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "?";
        var fs = FileSystemOf(work);
        var fsync = FsyncProbe(work);
        return $"{cpu}, {Environment.ProcessorCount} logical CPUs (nproc), {memKb / 1024.0 / 1024:F0} GB RAM, Linux {kernel}, " +
               $"work folder on {fs} on {ProcFs.DiskName(device)}; one 10 KB write + fsync takes {fsync:F1} ms (median of 50)";
    }

    private static string FileSystemOf(string path)
    {
        var full = Path.GetFullPath(path);
        string best = "?";
        var length = -1;
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var parts = line.Split(" - ");
            var f = parts[0].Split(' ');
            var mount = f[4];
            if ((full == mount || full.StartsWith(mount.TrimEnd('/') + "/", StringComparison.Ordinal)) && mount.Length > length)
            {
                length = mount.Length;
                best = parts.Length > 1 ? parts[1].Split(' ')[0] : "?";
            }
        }
        return best;
    }

    /// <summary>How long this disk takes to make 10 KB durable: the unit both mail systems pay per message.</summary>
    private static double FsyncProbe(string work)
    {
        var dir = Path.Combine(work, "fsync-probe");
        Directory.CreateDirectory(dir);
        var data = new byte[10_240];
        var times = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            var sw = Stopwatch.StartNew();
            using (var f = new FileStream(Path.Combine(dir, $"p{i}"), FileMode.CreateNew, FileAccess.Write))
            {
                f.Write(data);
                f.Flush(flushToDisk: true);
            }
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        Directory.Delete(dir, recursive: true);
        return times.Order().ElementAt(times.Count / 2);
    }
}
