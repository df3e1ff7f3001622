using GovMail.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GovMail.Cli.Tests;

/// <summary>The idle memory trim of <c>govmail serve</c>: once after a burst, when quiet, never more often than its interval.</summary>
public sealed class IdleMemoryTrimTests
{
    private const long MB = 1L << 20;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.FromHours(7)));
    private long _allocated = 500 * MB;
    private int _trims;

    private IdleMemoryTrim Trimmer() => new(_clock, NullLogger.Instance, () => _allocated, () => _trims++)
    {
        BurstBytes = 32 * MB,
        QuietBytes = 1 * MB,
        MinInterval = TimeSpan.FromSeconds(30),
    };

    private bool Step(IdleMemoryTrim trim, long allocatedMb)
    {
        _clock.Advance(trim.Tick);
        _allocated += allocatedMb * MB;
        return trim.Check();
    }

    [Fact]
    public void Trims_once_when_a_burst_is_followed_by_quiet()
    {
        var trim = Trimmer();
        Assert.False(trim.Check()); // the first look only takes the counters: start-up allocations are not a burst
        Assert.False(Step(trim, 20));
        Assert.False(Step(trim, 20)); // 40 MB since start, but still busy
        Assert.True(Step(trim, 0)); // quiet now
        Assert.Equal(1, _trims);
        for (var i = 0; i < 30; i++) Assert.False(Step(trim, 0)); // nothing allocated since: nothing to give back
        Assert.Equal(1, trim.Trims);
    }

    [Fact]
    public void Light_steady_work_is_not_a_burst()
    {
        var trim = Trimmer();
        trim.Check();
        for (var i = 0; i < 200; i++) Assert.False(Step(trim, 0)); // idle sessions
        _allocated += MB / 2;
        for (var i = 0; i < 200; i++) Assert.False(Step(trim, 0));
        Assert.Equal(0, _trims);
    }

    [Fact]
    public void Never_trims_twice_within_the_interval()
    {
        var trim = Trimmer();
        trim.Check();
        Assert.False(Step(trim, 40));
        Assert.True(Step(trim, 0));
        Assert.False(Step(trim, 40)); // a second burst at once
        Assert.False(Step(trim, 0)); // quiet, but the last trim was 4 s ago
        for (var i = 0; i < 15; i++) Step(trim, 0);
        Assert.Equal(2, _trims); // once 30 s had passed
    }

    [Fact]
    public void The_real_trim_collects_and_runs()
    {
        long allocated = 0;
        var trim = new IdleMemoryTrim(_clock, NullLogger.Instance, () => allocated) { BurstBytes = 1, QuietBytes = 2 };
        trim.Check();
        allocated = 1;
        _clock.Advance(trim.Tick);
        var collections = GC.CollectionCount(2);
        Assert.True(trim.Check());
        Assert.True(GC.CollectionCount(2) > collections);
    }
}
