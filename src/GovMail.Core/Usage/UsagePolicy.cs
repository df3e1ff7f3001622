namespace GovMail.Core.Usage;

/// <summary>
/// A tenant's rule for judging use of the official mailbox (quy định đánh giá mức độ sử dụng). One row per tenant; without a
/// row the defaults below apply.
/// <para>
/// The default, documented: an account is judged on the working days of the period on which it existed and was not
/// exempt. It is <b>regular</b> (sử dụng thường xuyên) when it was active on at least one working day per working week of
/// that span — <c>ceil(working days / 5)</c> — and sent or read at least one message; <b>low</b> (ít sử dụng) when it was
/// active at all but below that; <b>not used</b> (không sử dụng) when it had no activity; <b>not activated</b> (chưa kích
/// hoạt) when it had no activity and had never logged in by the end of the period. Activity is a successful login, a
/// message sent, a message read or a webmail session; mail merely received and failed logins are not activity.
/// </para>
/// <para>
/// Days are local days in Asia/Ho_Chi_Minh and working days follow <see cref="Calendar"/>. An account is judged from its
/// issue date (or from the first month the system holds any usage data, if later: nobody is listed for a time that was
/// not observed) to the day before it was closed or disabled, less the days of its exemptions; a whole span exempt is
/// <b>exempt</b> (miễn đánh giá).
/// </para>
/// </summary>
public sealed class UsagePolicy
{
    public Guid TenantId { get; set; }

    /// <summary>Working days per required active day: 5 means one active day per working week.</summary>
    public int WorkingDaysPerActiveDay { get; set; } = 5;

    /// <summary>Regular use also needs at least one message sent or read in the span.</summary>
    public bool RequireSentOrRead { get; set; } = true;

    /// <summary>
    /// Seed 003's variant: the head of a unit is also graded down when any month of the quarter had a listed person, not
    /// only the quarter as a whole.
    /// </summary>
    public bool MonthlyHeadRule { get; set; }

    /// <summary>Days without activity after which an account may be locked for non-use; null means never (the default).</summary>
    public int? NonUseLockDays { get; set; }

    /// <summary>
    /// The automatic reminder mail (issue 5 §5): on this day of each period (1 = its first day) accounts heading for low use,
    /// judged pro rata on the period so far, get a reminder and their unit's head a summary. Null means off (the default).
    /// </summary>
    public int? ReminderDay { get; set; }

    /// <summary>The reminder period is the quarter (day <see cref="ReminderDay"/> of the quarter) rather than the month.</summary>
    public bool ReminderPerQuarter { get; set; }

    /// <summary>The period a reminder sent on <paramref name="today"/> is about, when today is the policy's reminder day.</summary>
    public UsagePeriod? ReminderPeriodOn(DateOnly today)
    {
        if (ReminderDay is not { } day) return null;
        var period = ReminderPerQuarter ? UsagePeriod.QuarterOf(today) : UsagePeriod.MonthOf(today);
        return today.DayNumber - period.FirstDay.DayNumber + 1 >= day ? period : null;
    }

    /// <summary>Months raw usage events are kept after they were folded into daily rows.</summary>
    public int EventRetentionMonths { get; set; } = 13;

    /// <summary>The tenant's own days off, added to the shipped calendar.</summary>
    public List<DateOnly> ExtraDaysOff { get; set; } = [];

    /// <summary>The tenant's own worked weekend days (làm bù), added to the shipped calendar.</summary>
    public List<DateOnly> ExtraWorkingDays { get; set; } = [];

    /// <summary>
    /// Adds a day off of the tenant's own (a provincial holiday, a day swapped by the People's Committee). Refused on a weekend
    /// (already off) and on an official day off of the shipped calendar; a day already listed stays listed once.
    /// </summary>
    public Problem? AddDayOff(DateOnly day)
    {
        if (WorkingCalendar.IsWeekend(day)) return Problem.Of("CalendarDayOffOnWeekend", day);
        if (WorkingCalendar.Vietnam.HolidayName(day) is { } name) return Problem.Of("CalendarDayOffOfficial", day, name);
        if (!ExtraDaysOff.Contains(day)) ExtraDaysOff = [.. ExtraDaysOff.Append(day).Order()];
        return null;
    }

    /// <summary>Adds a worked weekend day of the tenant's own (ngày làm bù); only a Saturday or Sunday can be one.</summary>
    public Problem? AddWorkingDay(DateOnly day)
    {
        if (!WorkingCalendar.IsWeekend(day)) return Problem.Of("CalendarWorkedDayNotWeekend", day);
        if (!ExtraWorkingDays.Contains(day)) ExtraWorkingDays = [.. ExtraWorkingDays.Append(day).Order()];
        return null;
    }

    /// <summary>Removes one of the tenant's own days off; a day not in its list is refused (the shipped calendar is not changed here).</summary>
    public Problem? RemoveDayOff(DateOnly day) =>
        ExtraDaysOff.Remove(day) ? null : Problem.Of("CalendarDayOffNotListed", day);

    /// <summary>Removes one of the tenant's own worked weekend days; a day not in its list is refused.</summary>
    public Problem? RemoveWorkingDay(DateOnly day) =>
        ExtraWorkingDays.Remove(day) ? null : Problem.Of("CalendarWorkedDayNotListed", day);

    /// <summary>The working calendar this policy judges on: <see cref="WorkingCalendar.Vietnam"/> plus the tenant's additions.</summary>
    public WorkingCalendar Calendar() =>
        ExtraDaysOff.Count == 0 && ExtraWorkingDays.Count == 0
            ? WorkingCalendar.Vietnam
            : WorkingCalendar.Vietnam.With(ExtraDaysOff.Select(d => new PublicHoliday(d, "ngày nghỉ của đơn vị")), ExtraWorkingDays);

    /// <summary>The active working days needed for regular use in a span of <paramref name="workingDays"/> working days.</summary>
    public int RequiredActiveDays(int workingDays) =>
        workingDays <= 0 ? 0 : (workingDays + Math.Max(1, WorkingDaysPerActiveDay) - 1) / Math.Max(1, WorkingDaysPerActiveDay);

    /// <summary>Refuses values outside sensible bounds.</summary>
    public Problem? Check()
    {
        if (WorkingDaysPerActiveDay is < 1 or > 60) return Problem.Of("PolicyOutOfRange", "working-days-per-active-day", WorkingDaysPerActiveDay, 1, 60);
        if (NonUseLockDays is { } d && d is < 30 or > 3650) return Problem.Of("PolicyOutOfRange", "non-use-lock-days", d, 30, 3650);
        if (ReminderDay is { } r && (r < 2 || r > (ReminderPerQuarter ? 85 : 28)))
            return Problem.Of("PolicyOutOfRange", "reminder-day", r, 2, ReminderPerQuarter ? 85 : 28);
        if (EventRetentionMonths is < 3 or > 120) return Problem.Of("PolicyOutOfRange", "event-retention-months", EventRetentionMonths, 3, 120);
        return null;
    }
}
