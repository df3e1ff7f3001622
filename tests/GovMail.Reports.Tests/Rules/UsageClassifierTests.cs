using GovMail.Core;
using GovMail.Core.Usage;

namespace GovMail.Reports.Tests.Rules;

/// <summary>
/// The default policy on hand-built months. March 2024 has 21 working days, so regular use needs ceil(21/5) = 5 active
/// working days and a message sent or read; April 2024 has 19 (Giỗ Tổ 18/4, 29/4 swapped, 30/4), so 4.
/// </summary>
public sealed class UsageClassifierTests
{
    private static readonly UsagePolicy Policy = new();
    private static readonly WorkingCalendar Calendar = WorkingCalendar.Vietnam;
    private static readonly UsagePeriod March = UsagePeriod.Month(2024, 3);
    private static readonly UsagePeriod April = UsagePeriod.Month(2024, 4);

    private static readonly UsageSubject Active = new() { IssuedOn = new DateOnly(2023, 1, 1), ActivatedOn = new DateOnly(2023, 1, 2) };

    private static DailyActivity Login(int month, int day) => new(new DateOnly(2024, month, day), 1, 0, 0, 0);
    private static DailyActivity Read(int month, int day) => new(new DateOnly(2024, month, day), 1, 0, 2, 0);

    private static UsageVerdict Judge(UsagePeriod period, UsageSubject subject, params DailyActivity[] days) =>
        UsageClassifier.Classify(Policy, Calendar, period, subject, days) ?? throw new InvalidOperationException("not judged");

    [Fact]
    public void Five_active_working_days_with_mail_read_in_March_is_regular()
    {
        var v = Judge(March, Active, Read(3, 4), Login(3, 5), Login(3, 6), Login(3, 7), Login(3, 8));
        Assert.Equal(UsageClass.Regular, v.Class);
        Assert.Equal(21, v.WorkingDays);
        Assert.Equal(5, v.RequiredDays);
        Assert.Equal("usage.regular", v.Rule.Code);
        Assert.Contains("5 ngày", v.Describe(Messages.Vietnamese), StringComparison.Ordinal);
    }

    [Fact]
    public void Four_active_working_days_in_March_is_low()
    {
        var v = Judge(March, Active, Read(3, 4), Login(3, 5), Login(3, 6), Login(3, 7));
        Assert.Equal(UsageClass.Low, v.Class);
        Assert.Equal("usage.low", v.Rule.Code);
    }

    [Fact]
    public void Weekend_activity_is_activity_but_does_not_reach_the_threshold()
    {
        // Four working days and a Saturday (9/3): still low; a Saturday alone is low rather than not used.
        Assert.Equal(UsageClass.Low, Judge(March, Active, Read(3, 4), Login(3, 5), Login(3, 6), Login(3, 7), Login(3, 9)).Class);
        Assert.Equal(UsageClass.Low, Judge(March, Active, Read(3, 9)).Class);
    }

    [Fact]
    public void Holidays_are_not_working_days()
    {
        // 18/4 (Giỗ Tổ) and 30/4 are holidays: three working days plus both holidays stay below the 4 needed in April.
        Assert.Equal(UsageClass.Low, Judge(April, Active, Read(4, 2), Login(4, 3), Login(4, 4), Login(4, 18), Login(4, 30)).Class);
        Assert.Equal(UsageClass.Regular, Judge(April, Active, Read(4, 2), Login(4, 3), Login(4, 4), Login(4, 5)).Class);
        Assert.Equal(4, Judge(April, Active).RequiredDays);
    }

    [Fact]
    public void Logins_without_any_mail_sent_or_read_are_low_unless_the_policy_says_otherwise()
    {
        var days = new[] { Login(3, 4), Login(3, 5), Login(3, 6), Login(3, 7), Login(3, 8) };
        var v = Judge(March, Active, days);
        Assert.Equal(UsageClass.Low, v.Class);
        Assert.Equal("usage.low-no-mail", v.Rule.Code);
        var lenient = new UsagePolicy { RequireSentOrRead = false };
        Assert.Equal(UsageClass.Regular, UsageClassifier.Classify(lenient, Calendar, March, Active, days)!.Class);
    }

    [Fact]
    public void Sending_counts_like_reading()
    {
        var sent = new DailyActivity(new DateOnly(2024, 3, 4), 0, 1, 0, 0);
        Assert.Equal(UsageClass.Regular, Judge(March, Active, sent, Login(3, 5), Login(3, 6), Login(3, 7), Login(3, 8)).Class);
    }

    [Fact]
    public void No_activity_after_a_first_login_is_not_used()
    {
        var v = Judge(March, Active);
        Assert.Equal(UsageClass.NotUsed, v.Class);
        Assert.Equal("usage.not-used", v.Rule.Code);
    }

    [Fact]
    public void No_activity_and_never_logged_in_is_not_activated()
    {
        Assert.Equal(UsageClass.NotActivated, Judge(March, Active with { ActivatedOn = null }).Class);
        // Activated only after the period: it was not activated during it.
        Assert.Equal(UsageClass.NotActivated, Judge(March, Active with { ActivatedOn = new DateOnly(2024, 4, 2) }).Class);
    }

    [Fact]
    public void A_mailbox_issued_mid_period_is_judged_pro_rata()
    {
        // Issued Monday 25/3: five working days left, so one active day with mail read is regular.
        var issued = new UsageSubject { IssuedOn = new DateOnly(2024, 3, 25), ActivatedOn = new DateOnly(2024, 3, 25) };
        var v = Judge(March, issued, Read(3, 27));
        Assert.Equal(UsageClass.Regular, v.Class);
        Assert.Equal(5, v.WorkingDays);
        Assert.Equal(1, v.RequiredDays);
        Assert.True(v.Span.IsProRata);
        Assert.Contains("25/03/2024", v.Describe(Messages.Vietnamese), StringComparison.Ordinal);
        // Activity before the issue date (an imported duplicate, say) is outside the span and not counted.
        Assert.Equal(UsageClass.NotActivated, Judge(March, issued with { ActivatedOn = null }, Read(3, 20)).Class);
    }

    [Fact]
    public void A_mailbox_issued_on_the_last_weekend_or_after_the_period_is_not_judged()
    {
        Assert.Null(UsageClassifier.Classify(Policy, Calendar, March, new UsageSubject { IssuedOn = new DateOnly(2024, 3, 30) }, []));
        Assert.Null(UsageClassifier.Classify(Policy, Calendar, March, new UsageSubject { IssuedOn = new DateOnly(2024, 4, 1) }, []));
    }

    [Fact]
    public void A_mailbox_closed_mid_period_is_judged_up_to_the_day_before()
    {
        // Closed on 6/3: judged on 1, 4 and 5 March, so one active working day is enough.
        var closed = Active with { EndedOn = new DateOnly(2024, 3, 6) };
        var v = Judge(March, closed, Read(3, 5), Login(3, 20));
        Assert.Equal(UsageClass.Regular, v.Class);
        Assert.Equal(3, v.WorkingDays);
        Assert.Equal(1, v.Tally.ActiveDays);
        Assert.Null(UsageClassifier.Classify(Policy, Calendar, April, closed, []));
    }

    [Fact]
    public void An_exemption_over_the_whole_span_makes_the_person_exempt()
    {
        var onLeave = Active with { Exemptions = [new ExemptSpan(new DateOnly(2024, 2, 15), new DateOnly(2024, 6, 30), ExemptionKind.MaternityLeave)] };
        var v = Judge(March, onLeave);
        Assert.Equal(UsageClass.Exempt, v.Class);
        Assert.Equal("usage.exempt", v.Rule.Code);
        Assert.Contains("nghỉ thai sản", v.Describe(Messages.Vietnamese), StringComparison.Ordinal);
        Assert.False(v.IsListed);
    }

    [Fact]
    public void A_partial_exemption_leaves_the_rest_of_the_period_judged()
    {
        // Exempt 1–15 March: judged on the 10 working days from 18 to 29 March, needing 2; activity while exempt is ignored.
        var partly = Active with { Exemptions = [new ExemptSpan(new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 15), ExemptionKind.Secondment)] };
        var v = Judge(March, partly, Read(3, 4), Login(3, 5), Login(3, 6), Login(3, 18));
        Assert.Equal(UsageClass.Low, v.Class);
        Assert.Equal(10, v.WorkingDays);
        Assert.Equal(2, v.RequiredDays);
        Assert.Equal(1, v.Tally.ActiveWorkingDays);
        Assert.Equal(UsageClass.Regular, Judge(March, partly, Read(3, 18), Login(3, 29)).Class);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(5, 1)]
    [InlineData(6, 2)]
    [InlineData(21, 5)]
    [InlineData(59, 12)]
    [InlineData(62, 13)]
    public void One_active_day_per_working_week_is_required(int workingDays, int required) =>
        Assert.Equal(required, Policy.RequiredActiveDays(workingDays));

    [Fact]
    public void A_stricter_or_looser_tenant_policy_changes_the_threshold()
    {
        Assert.Equal(30, new UsagePolicy { WorkingDaysPerActiveDay = 2 }.RequiredActiveDays(59));
        Assert.Equal(6, new UsagePolicy { WorkingDaysPerActiveDay = 10 }.RequiredActiveDays(59));
        Assert.NotNull(new UsagePolicy { WorkingDaysPerActiveDay = 0 }.Check());
    }

    [Fact]
    public void A_quarter_needs_twelve_active_working_days_in_Q1_2024()
    {
        var q1 = UsagePeriod.Quarter(2024, 1);
        var days = Enumerable.Range(0, 12).Select(i => Read(1, 2 + i + (i >= 4 ? 2 : 0) + (i >= 9 ? 2 : 0))).ToArray();
        Assert.All(days, d => Assert.True(Calendar.IsWorkingDay(d.Day)));
        Assert.Equal(UsageClass.Regular, Judge(q1, Active, days).Class);
        Assert.Equal(UsageClass.Low, Judge(q1, Active, days[..11]).Class);
    }
}

/// <summary>The monthly bit masks the reports read give the same counts as the daily rows they are folded from.</summary>
public sealed class MonthlyMaskTests
{
    [Fact]
    public void Counting_from_monthly_masks_equals_counting_from_days_for_any_span()
    {
        var calendar = WorkingCalendar.Vietnam;
        var random = new Random(7);
        var days = new List<DailyActivity>();
        for (var d = new DateOnly(2024, 1, 1); d <= new DateOnly(2024, 6, 30); d = d.AddDays(1))
            if (random.Next(3) > 0) days.Add(new DailyActivity(d, random.Next(2), random.Next(2), random.Next(2), random.Next(2)));
        var months = days.GroupBy(d => (d.Day.Year, d.Day.Month)).Select(g => new MonthActivity(g.Key.Year, g.Key.Month,
            g.Where(d => d.IsActive).Aggregate(0, (m, d) => m | 1 << (d.Day.Day - 1)),
            g.Where(d => d.Sent + d.Read > 0).Aggregate(0, (m, d) => m | 1 << (d.Day.Day - 1)))).ToList();

        foreach (var period in new[] { UsagePeriod.Quarter(2024, 1), UsagePeriod.Quarter(2024, 2), UsagePeriod.Month(2024, 2), UsagePeriod.Month(2024, 5) })
        foreach (var subject in new[]
        {
            new UsageSubject { IssuedOn = new DateOnly(2020, 1, 1) },
            new UsageSubject { IssuedOn = new DateOnly(2024, 2, 14), EndedOn = new DateOnly(2024, 5, 20) },
            new UsageSubject
            {
                IssuedOn = new DateOnly(2020, 1, 1),
                Exemptions = [new ExemptSpan(new DateOnly(2024, 1, 20), new DateOnly(2024, 2, 10), ExemptionKind.LongLeave),
                    new ExemptSpan(new DateOnly(2024, 5, 31), new DateOnly(2024, 6, 3), ExemptionKind.Other)],
            },
        })
        {
            var span = UsageClassifier.SpanOf(period, calendar, subject);
            if (span is null) continue;
            Assert.Equal(ActivityTally.Of(span, calendar, days), ActivityTally.Of(span, calendar, months));
        }
    }
}
