using System.Globalization;

namespace GovMail.Smtp.Outbound;

/// <summary>
/// When a message that could not be delivered yet is tried again: after each failed attempt the next delay of the list
/// (5 min, 10 min, 30 min, 1 h, 2 h, 4 h by default), then the last one again and again, until the message has waited
/// <see cref="MaxQueueTime"/>; then it fails. The last attempt is made right at that moment.
/// </summary>
public sealed class RetrySchedule(IReadOnlyList<TimeSpan> delays, TimeSpan maxQueueTime)
{
    public const string DefaultDelays = "5m 10m 30m 1h 2h 4h";

    public IReadOnlyList<TimeSpan> Delays { get; } = delays.Count > 0 && delays.All(d => d > TimeSpan.Zero)
        ? delays : throw new ArgumentException("a retry schedule needs at least one positive delay", nameof(delays));

    public TimeSpan MaxQueueTime { get; } = maxQueueTime;

    /// <summary>The moment after which a message queued at <paramref name="createdAt"/> is given up.</summary>
    public DateTimeOffset ExpiresAt(DateTimeOffset createdAt) => createdAt + MaxQueueTime;

    public bool IsExpired(DateTimeOffset createdAt, DateTimeOffset now) => now >= ExpiresAt(createdAt);

    /// <summary>The next attempt after <paramref name="attempts"/> attempts (1 or more) that all left the message waiting.</summary>
    public DateTimeOffset NextAttempt(DateTimeOffset createdAt, int attempts, DateTimeOffset now)
    {
        var delay = Delays[Math.Clamp(attempts - 1, 0, Delays.Count - 1)];
        var next = now + delay;
        var expires = ExpiresAt(createdAt);
        return next < expires ? next : expires;
    }

    /// <summary>Reads "5m 10m 30m 1h 2h 4h" (also commas; units s, m, h, d; or hh:mm:ss).</summary>
    public static IReadOnlyList<TimeSpan> ParseDelays(string text)
    {
        var delays = new List<TimeSpan>();
        foreach (var item in text.Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (TimeSpan.TryParse(item, CultureInfo.InvariantCulture, out var exact) && item.Contains(':')) { delays.Add(exact); continue; }
            var unit = char.ToLowerInvariant(item[^1]);
            if (!double.TryParse(item[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0)
                throw new FormatException($"not a delay: {item}");
            delays.Add(unit switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => throw new FormatException($"not a delay: {item}"),
            });
        }
        return delays;
    }
}
