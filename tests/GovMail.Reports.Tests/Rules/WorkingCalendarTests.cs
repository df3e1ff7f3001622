using System.Globalization;
using GovMail.Core.Usage;

namespace GovMail.Reports.Tests.Rules;

public sealed class WorkingCalendarTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.Vietnam;

    [Theory]
    [InlineData(2024, 1, 22)] // 1/1 Tết Dương lịch
    [InlineData(2024, 2, 16)] // Tết Nguyên đán 08–14/02
    [InlineData(2024, 3, 21)]
    [InlineData(2024, 4, 19)] // Giỗ Tổ 18/4, 29/4 swapped, 30/4
    [InlineData(2024, 5, 23)] // 1/5 off, Saturday 4/5 worked
    [InlineData(2024, 6, 20)]
    public void Working_days_of_2024_months(int year, int month, int expected)
    {
        var m = UsagePeriod.Month(year, month);
        Assert.Equal(expected, Calendar.CountWorkingDays(m.FirstDay, m.LastDay));
    }

    [Fact]
    public void Quarters_of_2024_have_59_and_62_working_days()
    {
        var q1 = UsagePeriod.Quarter(2024, 1);
        var q2 = UsagePeriod.Quarter(2024, 2);
        Assert.Equal(59, Calendar.CountWorkingDays(q1.FirstDay, q1.LastDay));
        Assert.Equal(62, Calendar.CountWorkingDays(q2.FirstDay, q2.LastDay));
    }

    [Fact]
    public void A_tenant_adds_its_own_day_off_and_worked_saturday_on_top_of_the_official_calendar_and_removes_them()
    {
        var policy = new UsagePolicy();
        var thursday = new DateOnly(2026, 3, 5);
        var saturday = new DateOnly(2026, 3, 7);

        Assert.Null(policy.AddDayOff(thursday));
        Assert.Null(policy.AddDayOff(thursday));
        Assert.Null(policy.AddWorkingDay(saturday));

        Assert.Equal([thursday], policy.ExtraDaysOff);
        Assert.False(policy.Calendar().IsWorkingDay(thursday));
        Assert.True(policy.Calendar().IsWorkingDay(saturday));
        Assert.Equal(Calendar.CountWorkingDays(new(2026, 3, 1), new(2026, 3, 31)), policy.Calendar().CountWorkingDays(new(2026, 3, 1), new(2026, 3, 31)));
        Assert.Null(policy.RemoveDayOff(thursday));
        Assert.Null(policy.RemoveWorkingDay(saturday));
        Assert.Empty(policy.ExtraDaysOff);
        Assert.Empty(policy.ExtraWorkingDays);
    }

    [Fact]
    public void A_day_off_on_a_weekend_or_an_official_day_off_a_worked_weekday_and_an_unlisted_removal_are_refused()
    {
        var policy = new UsagePolicy();

        Assert.Equal("CalendarDayOffOnWeekend", policy.AddDayOff(new DateOnly(2026, 3, 8))?.Code);
        Assert.Equal("CalendarDayOffOfficial", policy.AddDayOff(new DateOnly(2026, 9, 2))?.Code);
        Assert.Equal("CalendarWorkedDayNotWeekend", policy.AddWorkingDay(new DateOnly(2026, 3, 5))?.Code);
        Assert.Equal("CalendarDayOffNotListed", policy.RemoveDayOff(new DateOnly(2026, 3, 5))?.Code);
        Assert.Equal("CalendarWorkedDayNotListed", policy.RemoveWorkingDay(new DateOnly(2026, 3, 7))?.Code);
        Assert.Empty(policy.ExtraDaysOff);
        Assert.Empty(policy.ExtraWorkingDays);
    }

    [Fact]
    public void Weekends_holidays_and_make_up_saturdays()
    {
        Assert.False(Calendar.IsWorkingDay(new DateOnly(2024, 3, 30))); // Saturday
        Assert.False(Calendar.IsWorkingDay(new DateOnly(2024, 3, 31))); // Sunday
        Assert.True(Calendar.IsWorkingDay(new DateOnly(2024, 4, 1)));
        Assert.False(Calendar.IsWorkingDay(new DateOnly(2024, 9, 3)));  // Quốc khánh, second day
        Assert.True(Calendar.IsWorkingDay(new DateOnly(2024, 5, 4)));   // làm bù
        Assert.True(Calendar.IsWorkingDay(new DateOnly(2025, 4, 26)));
        Assert.False(Calendar.IsWorkingDay(new DateOnly(2025, 5, 2)));
        Assert.False(Calendar.IsWorkingDay(new DateOnly(2026, 1, 2)));
        Assert.True(Calendar.IsWorkingDay(new DateOnly(2026, 1, 10)));
        Assert.False(Calendar.IsWorkingDay(new DateOnly(2026, 4, 27)));  // Giỗ Tổ on a Sunday, compensated Monday
        Assert.Equal("Tết Dương lịch", Calendar.HolidayName(new DateOnly(2025, 1, 1)));
    }

    [Fact]
    public void Without_holidays_only_weekends_are_off()
    {
        Assert.True(WorkingCalendar.WeekendsOnly.IsWorkingDay(new DateOnly(2024, 1, 1)));
        Assert.Equal(23, WorkingCalendar.WeekendsOnly.CountWorkingDays(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31)));
    }

    [Fact]
    public void A_tenant_adds_its_own_days_off_and_worked_saturdays()
    {
        var own = Calendar.With([new PublicHoliday(new DateOnly(2024, 3, 8), "ngày của đơn vị")], [new DateOnly(2024, 3, 9)]);
        Assert.False(own.IsWorkingDay(new DateOnly(2024, 3, 8)));
        Assert.True(own.IsWorkingDay(new DateOnly(2024, 3, 9)));
        Assert.Equal(21, own.CountWorkingDays(new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 31)));
        Assert.True(Calendar.IsWorkingDay(new DateOnly(2024, 3, 8)));
    }

    /// <summary>
    /// The lunar dates behind the list, checked against the lunisolar calendar (the Chinese and Vietnamese calendars agree
    /// for these years): the eve and the first three days of Tết, and Giỗ Tổ (10th day of the 3rd month), are days off or
    /// weekends compensated on the next Monday.
    /// </summary>
    [Theory]
    [InlineData(2024)]
    [InlineData(2025)]
    [InlineData(2026)]
    public void Tet_and_Hung_Kings_days_match_the_lunar_calendar(int year)
    {
        var lunar = new ChineseLunisolarCalendar();
        var tet = DateOnly.FromDateTime(lunar.ToDateTime(year, 1, 1, 0, 0, 0, 0));
        for (var d = tet.AddDays(-1); d <= tet.AddDays(2); d = d.AddDays(1))
            Assert.False(Calendar.IsWorkingDay(d), $"{d:yyyy-MM-dd} (Tết {year}) should be a day off");
        var leap = lunar.GetLeapMonth(year);
        var third = leap is > 0 and <= 3 ? 4 : 3;
        var hungKings = DateOnly.FromDateTime(lunar.ToDateTime(year, third, 10, 0, 0, 0, 0));
        var off = WorkingCalendar.IsWeekend(hungKings) ? hungKings.AddDays(hungKings.DayOfWeek == DayOfWeek.Saturday ? 2 : 1) : hungKings;
        Assert.Equal(HungKingsExpected(year), hungKings);
        Assert.False(Calendar.IsWorkingDay(off), $"{off:yyyy-MM-dd} (Giỗ Tổ {year}) should be a day off");
    }

    private static DateOnly HungKingsExpected(int year) => year switch
    {
        2024 => new DateOnly(2024, 4, 18),
        2025 => new DateOnly(2025, 4, 7),
        _ => new DateOnly(2026, 4, 26),
    };
}
