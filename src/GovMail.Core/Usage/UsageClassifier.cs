namespace GovMail.Core.Usage;

/// <summary>A span of local days, both ends included.</summary>
public readonly record struct DaySpan(DateOnly First, DateOnly Last)
{
    public bool Contains(DateOnly day) => day >= First && day <= Last;
    public bool Overlaps(DaySpan other) => First <= other.Last && other.First <= Last;
}

/// <summary>A span during which a person is exempt from the usage lists, and why.</summary>
public sealed record ExemptSpan(DateOnly From, DateOnly To, ExemptionKind Kind)
{
    public DaySpan Span => new(From, To);
}

/// <summary>What the classifier must know about an account to judge it for a period.</summary>
public sealed record UsageSubject
{
    /// <summary>The local day the mailbox was first issued; it is judged from that day.</summary>
    public required DateOnly IssuedOn { get; init; }

    /// <summary>The local day the account was closed or disabled (the holder left); it is judged up to the day before.</summary>
    public DateOnly? EndedOn { get; init; }

    /// <summary>The first local day with a successful login or any activity; null when it never logged in.</summary>
    public DateOnly? ActivatedOn { get; init; }

    public IReadOnlyList<ExemptSpan> Exemptions { get; init; } = [];
}

/// <summary>One account's use on one local day, as the daily rows hold it.</summary>
public readonly record struct DailyActivity(DateOnly Day, int Logins, int Sent, int Read, int Webmail)
{
    /// <summary>A day counts as active with a login, a message sent or read, or a webmail session.</summary>
    public bool IsActive => Logins + Sent + Read + Webmail > 0;
}

/// <summary>One account's active days in one month as bit masks (bit d−1 for day d), as the monthly rows hold them.</summary>
public readonly record struct MonthActivity(int Year, int Month, int ActiveDays, int MailDays);

/// <summary>
/// What an account did on the judged days of a period: the active working days, the active days (weekends included) and
/// the days with a message sent or read.
/// </summary>
public readonly record struct ActivityTally(int ActiveWorkingDays, int ActiveDays, int MailDays)
{
    /// <summary>Counts the days of <paramref name="days"/> that <paramref name="span"/> judges.</summary>
    public static ActivityTally Of(JudgedSpan span, WorkingCalendar calendar, IEnumerable<DailyActivity> days)
    {
        int working = 0, active = 0, mail = 0;
        foreach (var d in days)
        {
            if (!span.Judges(d.Day)) continue;
            if (d.Sent + d.Read > 0) mail++;
            if (!d.IsActive) continue;
            active++;
            if (calendar.IsWorkingDay(d.Day)) working++;
        }
        return new ActivityTally(working, active, mail);
    }

    /// <summary>Counts the judged days from monthly masks: bits of the span, less exempt days, against the working days.</summary>
    public static ActivityTally Of(JudgedSpan span, WorkingCalendar calendar, IEnumerable<MonthActivity> months)
    {
        int working = 0, active = 0, mail = 0;
        foreach (var m in months)
        {
            var judged = span.Mask(m.Year, m.Month);
            if (judged == 0) continue;
            var a = m.ActiveDays & judged;
            active += System.Numerics.BitOperations.PopCount((uint)a);
            working += System.Numerics.BitOperations.PopCount((uint)(a & calendar.WorkingMask(m.Year, m.Month)));
            mail += System.Numerics.BitOperations.PopCount((uint)(m.MailDays & judged));
        }
        return new ActivityTally(working, active, mail);
    }
}

/// <summary>
/// The days of a period on which one account is judged: from the later of the period's start and the issue date, to the
/// earlier of the period's end and the day before the account ended, less the exempt days.
/// </summary>
public sealed class JudgedSpan
{
    internal JudgedSpan(UsagePeriod period, DateOnly first, DateOnly last, IReadOnlyList<ExemptSpan> exemptions, int workingDays,
        int exemptWorkingDays)
    {
        Period = period;
        First = first;
        Last = last;
        Exemptions = exemptions;
        WorkingDays = workingDays;
        ExemptWorkingDays = exemptWorkingDays;
    }

    public UsagePeriod Period { get; }
    public DateOnly First { get; }
    public DateOnly Last { get; }

    /// <summary>The exemptions that overlap the span.</summary>
    public IReadOnlyList<ExemptSpan> Exemptions { get; }

    /// <summary>Working days judged: those of the span that no exemption covers.</summary>
    public int WorkingDays { get; }

    public int ExemptWorkingDays { get; }

    /// <summary>Judged on part of the period only (issued or ended inside it, or partly exempt).</summary>
    public bool IsProRata => First > Period.FirstDay || Last < Period.LastDay || ExemptWorkingDays > 0;

    /// <summary>Every working day of the span is exempt.</summary>
    public bool IsExempt => WorkingDays == 0 && ExemptWorkingDays > 0;

    /// <summary>The judged days of a month as a bit mask, bit d−1 for day d.</summary>
    public int Mask(int year, int month)
    {
        var first = new DateOnly(year, month, 1);
        var last = first.AddMonths(1).AddDays(-1);
        if (last < First || first > Last) return 0;
        if (first >= First && last <= Last && Exemptions.Count == 0) return last.Day == 31 ? int.MaxValue : (1 << last.Day) - 1;
        var mask = 0;
        for (var d = first < First ? First : first; d <= last && d <= Last; d = d.AddDays(1))
            if (Judges(d)) mask |= 1 << (d.Day - 1);
        return mask;
    }

    public bool Judges(DateOnly day)
    {
        if (day < First || day > Last) return false;
        foreach (var e in Exemptions)
            if (e.Span.Contains(day)) return false;
        return true;
    }
}

/// <summary>The class of one account for one period, with the figures and the rule behind it.</summary>
public sealed record UsageVerdict(UsageClass Class, JudgedSpan Span, int RequiredDays, ActivityTally Tally, RuleReason Rule)
{
    public int WorkingDays => Span.WorkingDays;
    public bool IsListed => UsageNames.IsListed(Class);

    /// <summary>The rule's sentence, with the pro-rata span when the account was judged on part of the period.</summary>
    public string Describe(System.Globalization.CultureInfo? culture = null) =>
        Span.IsProRata && Class != UsageClass.Exempt
            ? Rule.Text(culture) + " " + Messages.Format("UsageRuleProRata", culture, [Span.First, Span.Last, Span.WorkingDays])
            : Rule.Text(culture);
}

/// <summary>Judges accounts by a <see cref="UsagePolicy"/> on a <see cref="WorkingCalendar"/>.</summary>
public static class UsageClassifier
{
    /// <summary>
    /// The days <paramref name="subject"/> is judged on in <paramref name="period"/>, or null when it is not judged at all:
    /// issued after the period, ended before it, or present only on days that are not working days.
    /// </summary>
    public static JudgedSpan? SpanOf(UsagePeriod period, WorkingCalendar calendar, UsageSubject subject)
    {
        var first = subject.IssuedOn > period.FirstDay ? subject.IssuedOn : period.FirstDay;
        var last = period.LastDay;
        if (subject.EndedOn is { } ended && ended.AddDays(-1) < last) last = ended.AddDays(-1);
        if (first > last) return null;

        var span = new DaySpan(first, last);
        IReadOnlyList<ExemptSpan> exemptions = subject.Exemptions.Count == 0 ? [] : subject.Exemptions.Where(e => e.Span.Overlaps(span)).ToList();
        var working = calendar.CountWorkingDays(first, last);
        var exempt = 0;
        if (exemptions.Count > 0)
            for (var d = first; d <= last; d = d.AddDays(1))
                if (calendar.IsWorkingDay(d) && IsExempt(exemptions, d)) exempt++;
        working -= exempt;
        if (working == 0 && exempt == 0) return null;
        return new JudgedSpan(period, first, last, exemptions, working, exempt);
    }

    private static bool IsExempt(IReadOnlyList<ExemptSpan> exemptions, DateOnly day)
    {
        foreach (var e in exemptions)
            if (e.Span.Contains(day)) return true;
        return false;
    }

    /// <summary>Judges one account from its daily rows.</summary>
    public static UsageVerdict? Classify(UsagePolicy policy, WorkingCalendar calendar, UsagePeriod period, UsageSubject subject,
        IEnumerable<DailyActivity> days)
    {
        var span = SpanOf(period, calendar, subject);
        return span is null ? null : Classify(policy, span, ActivityTally.Of(span, calendar, days), subject);
    }

    /// <summary>Judges one account from what it did on the judged days of <paramref name="span"/>.</summary>
    public static UsageVerdict Classify(UsagePolicy policy, JudgedSpan span, ActivityTally tally, UsageSubject subject)
    {
        if (span.IsExempt)
        {
            var e = span.Exemptions[0];
            return new UsageVerdict(UsageClass.Exempt, span, 0, tally,
                new RuleReason("usage.exempt", "UsageRuleExempt", [e.Kind, e.From, e.To]));
        }
        var required = policy.RequiredActiveDays(span.WorkingDays);
        if (tally.ActiveDays == 0)
        {
            var activated = subject.ActivatedOn is { } on && on <= span.Period.LastDay;
            return activated
                ? new UsageVerdict(UsageClass.NotUsed, span, required, tally,
                    new RuleReason("usage.not-used", "UsageRuleNotUsed", [span.WorkingDays]))
                : new UsageVerdict(UsageClass.NotActivated, span, required, tally,
                    new RuleReason("usage.not-activated", "UsageRuleNotActivated", []));
        }
        if (tally.ActiveWorkingDays < required)
            return new UsageVerdict(UsageClass.Low, span, required, tally,
                new RuleReason("usage.low", "UsageRuleLow", [tally.ActiveWorkingDays, required, span.WorkingDays]));
        if (policy.RequireSentOrRead && tally.MailDays == 0)
            return new UsageVerdict(UsageClass.Low, span, required, tally,
                new RuleReason("usage.low-no-mail", "UsageRuleLowNoMail", [tally.ActiveWorkingDays, span.WorkingDays]));
        return new UsageVerdict(UsageClass.Regular, span, required, tally,
            new RuleReason("usage.regular", "UsageRuleRegular", [tally.ActiveWorkingDays, required, span.WorkingDays]));
    }
}
