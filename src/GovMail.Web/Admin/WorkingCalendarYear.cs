using GovMail.Core.Usage;

namespace GovMail.Web.Admin;

/// <summary>What a day is in a tenant's working calendar, as the calendar page marks it.</summary>
public enum CalendarDayKind
{
    /// <summary>Ngày làm việc.</summary>
    Working,
    /// <summary>Thứ Bảy, Chủ nhật.</summary>
    Weekend,
    /// <summary>An official day off of the shipped calendar (nghỉ lễ, Tết, nghỉ bù, hoán đổi).</summary>
    OfficialDayOff,
    /// <summary>One of the tenant's own days off (<see cref="UsagePolicy.ExtraDaysOff"/>).</summary>
    TenantDayOff,
    /// <summary>A weekend day worked in exchange (làm bù), shipped or the tenant's own.</summary>
    WorkedWeekend,
}

/// <summary>A day of the calendar page: its kind, the holiday's name for an official day off, and whether the tenant listed it.</summary>
public sealed record CalendarDay(DateOnly Date, CalendarDayKind Kind, string? HolidayName, bool Tenant);

/// <summary>A month of the calendar page with its working-day count, the number the monthly report judges on.</summary>
public sealed record CalendarMonth(int Year, int Month, IReadOnlyList<CalendarDay> Days, int WorkingDays)
{
    /// <summary>Empty cells before day 1 in a week that starts on Monday (thứ Hai).</summary>
    public int LeadingBlanks => ((int)Days[0].Date.DayOfWeek + 6) % 7;
}

/// <summary>
/// A year of the tenant's working calendar (lịch làm việc), month by month: the shipped calendar (<see cref="VietnamHolidays"/>)
/// plus the usage policy's own days, as <see cref="UsagePolicy.Calendar"/> judges on them.
/// </summary>
public static class WorkingCalendarYear
{
    /// <summary>The years the page shows: far enough either way for any report period still of interest.</summary>
    public const int FirstYear = 2000, LastYear = 2100;

    public static IReadOnlyList<CalendarMonth> Of(UsagePolicy policy, int year)
    {
        var calendar = policy.Calendar();
        var tenantOff = policy.ExtraDaysOff.ToHashSet();
        var tenantWorked = policy.ExtraWorkingDays.ToHashSet();
        var months = new List<CalendarMonth>(12);
        for (var month = 1; month <= 12; month++)
        {
            var days = new List<CalendarDay>(31);
            for (var d = new DateOnly(year, month, 1); d.Month == month; d = d.AddDays(1))
                days.Add(calendar.IsWorkingDay(d)
                    ? WorkingCalendar.IsWeekend(d) ? new(d, CalendarDayKind.WorkedWeekend, null, tenantWorked.Contains(d)) : new(d, CalendarDayKind.Working, null, false)
                    : tenantOff.Contains(d) ? new(d, CalendarDayKind.TenantDayOff, null, true)
                    : WorkingCalendar.Vietnam.HolidayName(d) is { } name ? new(d, CalendarDayKind.OfficialDayOff, name, false)
                    : new(d, CalendarDayKind.Weekend, null, false));
            months.Add(new CalendarMonth(year, month, days, System.Numerics.BitOperations.PopCount((uint)calendar.WorkingMask(year, month))));
        }
        return months;
    }
}
