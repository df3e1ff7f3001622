using GovMail.Smtp.Outbound;

namespace GovMail.Smtp.Tests.Outbound;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Queued = new(2026, 5, 21, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Back_off_grows_to_four_hours_then_repeats_and_never_passes_the_expiry()
    {
        var schedule = new RetrySchedule(RetrySchedule.ParseDelays(RetrySchedule.DefaultDelays), TimeSpan.FromDays(5));
        var expected = new[] { 5, 10, 30, 60, 120, 240, 240, 240 }.Select(m => TimeSpan.FromMinutes(m)).ToList();
        for (var attempts = 1; attempts <= expected.Count; attempts++)
            Assert.Equal(Queued + TimeSpan.FromDays(1) + expected[attempts - 1], schedule.NextAttempt(Queued, attempts, Queued + TimeSpan.FromDays(1)));

        var late = Queued + TimeSpan.FromDays(5) - TimeSpan.FromMinutes(1);
        Assert.Equal(Queued + TimeSpan.FromDays(5), schedule.NextAttempt(Queued, 30, late));
        Assert.False(schedule.IsExpired(Queued, late));
        Assert.True(schedule.IsExpired(Queued, Queued + TimeSpan.FromDays(5)));
    }

    [Fact]
    public void Delays_are_read_with_units_or_as_time_spans()
    {
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1.5), TimeSpan.FromHours(2), TimeSpan.FromDays(1), TimeSpan.FromMinutes(7)],
            RetrySchedule.ParseDelays("30s, 1.5m 2h;1d 00:07:00"));
        Assert.Throws<FormatException>(() => RetrySchedule.ParseDelays("5 minutes"));
        Assert.Throws<ArgumentException>(() => new RetrySchedule([], TimeSpan.FromDays(5)));
    }
}
