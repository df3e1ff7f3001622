namespace GovMail.Cli.Tests.Support;

/// <summary>A clock stopped at one instant, so default dates (issued today, first-login deadline) are known.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    /// <summary>Monday 2 March 2026, 09:00 in Vietnam.</summary>
    public static readonly DateTimeOffset Monday = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => now;
}
