namespace GovMail.Core.Time;

/// <summary>Dates and deadlines as the directives state them: calendar days in Asia/Ho_Chi_Minh (UTC+7, no daylight saving).</summary>
public static class VietnamTime
{
    public static TimeZoneInfo Zone { get; } = FindZone();

    public static DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(ToLocal(now).DateTime);

    /// <summary>
    /// The last moment (23:59:59 local) of a window of <paramref name="days"/> calendar days that starts on the local day of
    /// <paramref name="start"/>: issued on 21/05 with a 3-day window, the deadline is the end of 23/05 (seed 001).
    /// </summary>
    public static DateTimeOffset EndOfWindow(DateTimeOffset start, int days)
    {
        var lastDay = Today(start).AddDays(Math.Max(1, days) - 1);
        return EndOfDay(lastDay);
    }

    /// <summary>23:59:59 local time on <paramref name="day"/>, as an instant in UTC.</summary>
    public static DateTimeOffset EndOfDay(DateOnly day)
    {
        var local = day.ToDateTime(new TimeOnly(23, 59, 59));
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static TimeZoneInfo FindZone()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh"); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.CreateCustomTimeZone("Asia/Ho_Chi_Minh", TimeSpan.FromHours(7), "Giờ Việt Nam", "ICT"); }
        catch (InvalidTimeZoneException) { return TimeZoneInfo.CreateCustomTimeZone("Asia/Ho_Chi_Minh", TimeSpan.FromHours(7), "Giờ Việt Nam", "ICT"); }
    }
}
