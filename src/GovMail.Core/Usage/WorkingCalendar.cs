namespace GovMail.Core.Usage;

/// <summary>A day off that is not a weekend (ngày nghỉ lễ, Tết, nghỉ bù, ngày hoán đổi), with its name.</summary>
public sealed record PublicHoliday(DateOnly Date, string Name);

/// <summary>
/// The working days of Vietnamese state bodies (ngày làm việc): Monday to Friday, except public holidays and the days
/// swapped for them (hoán đổi, nghỉ bù), plus the Saturdays worked in exchange (ngày làm bù). Usage is judged on these days.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly Dictionary<DateOnly, string> _daysOff;
    private readonly HashSet<DateOnly> _workedWeekendDays;

    // Reports ask for the same spans for every account; the answer is kept.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(DateOnly, DateOnly), int> _counts = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> _masks = new();

    public WorkingCalendar(IEnumerable<PublicHoliday> daysOff, IEnumerable<DateOnly> workedWeekendDays)
    {
        _daysOff = new Dictionary<DateOnly, string>();
        foreach (var h in daysOff) _daysOff[h.Date] = h.Name;
        _workedWeekendDays = [.. workedWeekendDays];
    }

    /// <summary>The calendar GovMail ships: the official days off of 2024–2026 (<see cref="VietnamHolidays"/>).</summary>
    public static WorkingCalendar Vietnam { get; } = new(VietnamHolidays.DaysOff, VietnamHolidays.WorkedSaturdays);

    /// <summary>Weekends only, no holidays: for tests and for tenants that keep their own list.</summary>
    public static WorkingCalendar WeekendsOnly { get; } = new([], []);

    public IReadOnlyDictionary<DateOnly, string> DaysOff => _daysOff;
    public IReadOnlySet<DateOnly> WorkedWeekendDays => _workedWeekendDays;

    /// <summary>This calendar with more days off and more worked weekend days (a tenant's own additions).</summary>
    public WorkingCalendar With(IEnumerable<PublicHoliday> moreDaysOff, IEnumerable<DateOnly> moreWorkedWeekendDays) =>
        new(_daysOff.Select(kv => new PublicHoliday(kv.Key, kv.Value)).Concat(moreDaysOff),
            _workedWeekendDays.Concat(moreWorkedWeekendDays));

    public static bool IsWeekend(DateOnly day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    public bool IsWorkingDay(DateOnly day) =>
        _workedWeekendDays.Contains(day) || (!IsWeekend(day) && !_daysOff.ContainsKey(day));

    /// <summary>The name of the holiday on <paramref name="day"/>, or null.</summary>
    public string? HolidayName(DateOnly day) => _daysOff.GetValueOrDefault(day);

    /// <summary>The working days from <paramref name="first"/> to <paramref name="last"/> inclusive, in order.</summary>
    public IEnumerable<DateOnly> WorkingDays(DateOnly first, DateOnly last)
    {
        for (var d = first; d <= last; d = d.AddDays(1))
            if (IsWorkingDay(d)) yield return d;
    }

    /// <summary>The working days of a month as a bit mask, bit d−1 for day d.</summary>
    public int WorkingMask(int year, int month) =>
        _masks.GetOrAdd(year * 100 + month, static (key, calendar) =>
        {
            var mask = 0;
            var first = new DateOnly(key / 100, key % 100, 1);
            for (var d = first; d.Month == first.Month; d = d.AddDays(1))
                if (calendar.IsWorkingDay(d)) mask |= 1 << (d.Day - 1);
            return mask;
        }, this);

    public int CountWorkingDays(DateOnly first, DateOnly last) =>
        _counts.GetOrAdd((first, last), static (span, calendar) =>
        {
            var n = 0;
            for (var d = span.Item1; d <= span.Item2; d = d.AddDays(1))
                if (calendar.IsWorkingDay(d)) n++;
            return n;
        }, this);
}
