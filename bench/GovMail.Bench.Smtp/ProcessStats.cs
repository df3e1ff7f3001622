using System.Globalization;

namespace GovMail.Bench.Smtp;

/// <summary>Memory, CPU and disk figures read from /proc.</summary>
public static class ProcFs
{
    public static readonly double ClockTicks = 100.0; // USER_HZ on Linux

    /// <summary>A field of /proc/PID/status in kB (VmRSS, VmHWM), or 0 when the process is gone.</summary>
    public static long StatusKb(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(field.Length + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return 0;
    }

    /// <summary>Proportional set size in kB (shared pages split among the processes that map them).</summary>
    public static long PssKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
                if (line.StartsWith("Pss:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(4).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return 0;
    }

    /// <summary>(ppid, utime+stime+cutime+cstime in ticks) of a process, or null when it is gone.</summary>
    public static (int Ppid, long Ticks)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is state (field 3); ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
            var ppid = int.Parse(fields[1], CultureInfo.InvariantCulture);
            long F(int n) => long.Parse(fields[n - 3], CultureInfo.InvariantCulture);
            return (ppid, F(14) + F(15) + F(16) + F(17));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException) { return null; }
    }

    /// <summary>(write_bytes, syscw) of /proc/PID/io, or null when the process is gone.</summary>
    public static (long WriteBytes, long WriteCalls)? Io(int pid)
    {
        try
        {
            long bytes = -1, calls = -1;
            foreach (var line in File.ReadLines($"/proc/{pid}/io"))
            {
                if (line.StartsWith("write_bytes:", StringComparison.Ordinal)) bytes = long.Parse(line.AsSpan(12).Trim(), CultureInfo.InvariantCulture);
                else if (line.StartsWith("syscw:", StringComparison.Ordinal)) calls = long.Parse(line.AsSpan(6).Trim(), CultureInfo.InvariantCulture);
            }
            return bytes >= 0 && calls >= 0 ? (bytes, calls) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return null; }
    }

    /// <summary>The 1-minute load average.</summary>
    public static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>The roots and every live descendant.</summary>
    public static List<int> Tree(IEnumerable<int> roots)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (Stat(pid) is not { } s) continue;
            if (!children.TryGetValue(s.Ppid, out var list)) children[s.Ppid] = list = [];
            list.Add(pid);
        }
        var result = new List<int>();
        var queue = new Queue<int>(roots.Where(r => Directory.Exists($"/proc/{r}")));
        while (queue.Count > 0)
        {
            var p = queue.Dequeue();
            result.Add(p);
            if (children.TryGetValue(p, out var c)) foreach (var x in c) queue.Enqueue(x);
        }
        return result;
    }

    /// <summary>CPU seconds used so far by the processes and the children they have reaped.</summary>
    public static double CpuSeconds(IEnumerable<int> pids) => pids.Sum(p => Stat(p)?.Ticks ?? 0) / ClockTicks;

    /// <summary>The block device (from /proc/self/mountinfo) holding <paramref name="path"/>, as "major:minor".</summary>
    public static string? DeviceOf(string path)
    {
        var full = Path.GetFullPath(path);
        string? best = null;
        var bestLength = -1;
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var f = line.Split(' ');
            var mount = f[4].Replace("\\040", " ");
            var under = full == mount || full.StartsWith(mount.TrimEnd('/') + "/", StringComparison.Ordinal);
            if (under && mount.Length > bestLength) { best = f[2]; bestLength = mount.Length; }
        }
        return best;
    }

    /// <summary>Counters of a block device from /proc/diskstats: writes completed, sectors written, flushes completed.</summary>
    public static DiskCounters Disk(string? device)
    {
        if (device is null) return default;
        var mm = device.Split(':');
        foreach (var line in File.ReadLines("/proc/diskstats"))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f[0] != mm[0] || f[1] != mm[1]) continue;
            long F(int i) => f.Length > i ? long.Parse(f[i], CultureInfo.InvariantCulture) : 0;
            return new DiskCounters(f[2], F(7), F(9) * 512, F(18));
        }
        return default;
    }

    public static string DiskName(string? device)
    {
        var d = Disk(device);
        if (d.Name is null) return "unknown disk";
        var rotational = File.Exists($"/sys/block/{d.Name}/queue/rotational")
            ? File.ReadAllText($"/sys/block/{d.Name}/queue/rotational").Trim() == "1" ? "reports rotational" : "non-rotational"
            : "";
        var model = File.Exists($"/sys/block/{d.Name}/device/model") ? File.ReadAllText($"/sys/block/{d.Name}/device/model").Trim() : "";
        var kind = d.Name.StartsWith("vd", StringComparison.Ordinal) ? "virtio block device" : d.Name.StartsWith("nvme", StringComparison.Ordinal) ? "NVMe" : "block device";
        return $"{d.Name} ({string.Join(", ", new[] { kind, model, rotational }.Where(s => s.Length > 0))})";
    }
}

public readonly record struct DiskCounters(string? Name, long Writes, long BytesWritten, long Flushes)
{
    public static DiskCounters operator -(DiskCounters a, DiskCounters b) =>
        new(a.Name, a.Writes - b.Writes, a.BytesWritten - b.BytesWritten, a.Flushes - b.Flushes);
}

/// <summary>
/// Samples a server's processes every 200 ms: keeps the memory peaks, and the last-seen I/O counters of every process that
/// was ever seen (a short-lived worker's last 200 ms may be missed).
/// </summary>
public sealed class MemorySampler : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<int>> _pids;
    private readonly Dictionary<int, (long WriteBytes, long WriteCalls)> _io = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public MemorySampler(Func<IReadOnlyList<int>> pids)
    {
        _pids = pids;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Largest sum of VmRSS over the server's processes seen in one sample, kB.</summary>
    public long PeakRssKb { get; private set; }

    /// <summary>Largest sum of PSS over the server's processes seen in one sample, kB.</summary>
    public long PeakPssKb { get; private set; }

    /// <summary>Most processes seen at once.</summary>
    public int PeakProcesses { get; private set; }

    public void Sample()
    {
        var pids = _pids();
        long rss = 0, pss = 0;
        var io = new List<(int, (long, long))>();
        foreach (var p in pids)
        {
            rss += ProcFs.StatusKb(p, "VmRSS");
            pss += ProcFs.PssKb(p);
            if (ProcFs.Io(p) is { } x) io.Add((p, x));
        }
        lock (this)
        {
            foreach (var (p, x) in io) _io[p] = x;
            PeakRssKb = Math.Max(PeakRssKb, rss);
            PeakPssKb = Math.Max(PeakPssKb, pss);
            PeakProcesses = Math.Max(PeakProcesses, pids.Count);
        }
    }

    /// <summary>Octets the processes caused to be written to storage, and their write calls, so far (last values seen).</summary>
    public (long WriteBytes, long WriteCalls) Io()
    {
        Sample();
        lock (this) return (_io.Values.Sum(v => v.WriteBytes), _io.Values.Sum(v => v.WriteCalls));
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Sample();
            try { await Task.Delay(200, _stop.Token); }
            catch (OperationCanceledException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Sample();
        _stop.Dispose();
    }
}
