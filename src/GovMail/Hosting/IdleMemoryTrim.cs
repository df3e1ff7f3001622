using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace GovMail.Hosting;

/// <summary>
/// Gives memory back after a burst of work once the process has gone quiet, e.g. after the morning's thousands of IMAP
/// logins, when the phones sit in IDLE. A burst leaves garbage behind that the GC only collects when the next allocations
/// ask for it (the Argon2 blocks of the password checks, EF Core contexts, TLS handshakes) and, in the C heap, pages that
/// OpenSSL freed but malloc still holds; on a quiet server nothing asks, and it stays resident. So, looked at every
/// <see cref="Tick"/>: when at least <see cref="BurstBytes"/> were allocated since the last trim, less than
/// <see cref="QuietBytes"/> during the last tick, and the last trim is at least <see cref="MinInterval"/> ago, one full
/// compacting collection (<see cref="GCCollectionMode.Aggressive"/>, which also returns the freed regions to the system)
/// and glibc's <c>malloc_trim(0)</c>. The pause is that of one full collection of the live heap (tens of milliseconds for
/// 10,000 idle sessions), taken only when nobody is being served much, at most once per <see cref="MinInterval"/>.
/// Each trim is logged (category GovMail.Memory). Off with <c>IdleMemoryTrim=false</c> (docs/cli.md, docs/performance.md).
/// </summary>
public sealed class IdleMemoryTrim(TimeProvider clock, ILogger log, Func<long>? allocatedBytes = null, Action? trim = null)
{
    private readonly Func<long> _allocated = allocatedBytes ?? (() => GC.GetTotalAllocatedBytes(precise: false));
    private readonly Action _trim = trim ?? TrimProcess;
    private long _atLastTrim = -1, _atLastTick = -1;
    private DateTimeOffset _lastTrim = DateTimeOffset.MinValue;

    public TimeSpan Tick { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Allocated since the last trim before another is worth it.</summary>
    public long BurstBytes { get; init; } = 32L << 20;

    /// <summary>Allocated during the last tick below which the process counts as quiet.</summary>
    public long QuietBytes { get; init; } = 1L << 20;

    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Trims done so far.</summary>
    public int Trims { get; private set; }

    /// <summary>One look; true when it trimmed. <see cref="RunAsync"/> calls it every <see cref="Tick"/>.</summary>
    public bool Check()
    {
        var now = _allocated();
        if (_atLastTick < 0)
        {
            (_atLastTick, _atLastTrim) = (now, now);
            return false;
        }
        var sinceTick = now - _atLastTick;
        _atLastTick = now;
        var at = clock.GetUtcNow();
        if (now - _atLastTrim < BurstBytes || sinceTick >= QuietBytes || at - _lastTrim < MinInterval) return false;
        var burst = now - _atLastTrim;
        var started = clock.GetTimestamp();
        var before = GC.GetTotalMemory(forceFullCollection: false);
        _trim();
        Trims++;
        _lastTrim = at;
        _atLastTrim = _atLastTick = _allocated();
        log.LogInformation("Idle memory trim after {Burst:N0} MB allocated: managed heap {Before:N0} → {After:N0} MB in {Ms:N0} ms",
            burst >> 20, before >> 20, GC.GetTotalMemory(forceFullCollection: false) >> 20, clock.GetElapsedTime(started).TotalMilliseconds);
        return true;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Tick, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct)) Check();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static void TrimProcess()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (!OperatingSystem.IsLinux()) return;
        try { _ = MallocTrim(0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl has no malloc_trim): the managed part is done.
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
