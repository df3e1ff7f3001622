using System.Globalization;
using GovMail.Core.Time;

namespace GovMail.Core.Usage;

/// <summary>Whether a <see cref="UsagePeriod"/> is a month or a quarter.</summary>
public enum UsagePeriodKind
{
    Month,
    Quarter,
}

/// <summary>
/// A reporting period (kỳ báo cáo): a month (<c>2024-03</c>) or a quarter (<c>2024-Q1</c>). Its days are calendar days in
/// Asia/Ho_Chi_Minh, so an event at 23:30 on 31 March (+07:00) belongs to Q1 and one at 00:30 on 1 April to Q2.
/// </summary>
public readonly record struct UsagePeriod : IComparable<UsagePeriod>
{
    private UsagePeriod(int year, UsagePeriodKind kind, int number)
    {
        Year = year;
        Kind = kind;
        Number = number;
    }

    public int Year { get; }
    public UsagePeriodKind Kind { get; }

    /// <summary>The month (1–12) or the quarter (1–4).</summary>
    public int Number { get; }

    public bool IsQuarter => Kind == UsagePeriodKind.Quarter;

    public static UsagePeriod Month(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        CheckYear(year);
        return new UsagePeriod(year, UsagePeriodKind.Month, month);
    }

    public static UsagePeriod Quarter(int year, int quarter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quarter, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quarter, 4);
        CheckYear(year);
        return new UsagePeriod(year, UsagePeriodKind.Quarter, quarter);
    }

    /// <summary>The month containing a local day.</summary>
    public static UsagePeriod MonthOf(DateOnly day) => Month(day.Year, day.Month);

    /// <summary>The quarter containing a local day.</summary>
    public static UsagePeriod QuarterOf(DateOnly day) => Quarter(day.Year, (day.Month - 1) / 3 + 1);

    /// <summary>Reads <c>2024-03</c> or <c>2024-Q1</c> (the Q may be lower case); anything else is refused with the expected forms.</summary>
    public static Result<UsagePeriod> Parse(string? text)
    {
        var t = (text ?? "").Trim();
        if (t.Length == 7 && t[4] == '-' && TryYear(t[..4], out var year))
        {
            if (t[5] is 'Q' or 'q' && t[6] is >= '1' and <= '4')
                return Quarter(year, t[6] - '0');
            if (int.TryParse(t.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month) && month is >= 1 and <= 12)
                return Month(year, month);
        }
        return Problem.Of("InvalidPeriod", t);
    }

    /// <summary>Reads a quarter only (<c>2024-Q1</c>); a month is refused.</summary>
    public static Result<UsagePeriod> ParseQuarter(string? text)
    {
        var p = Parse(text);
        if (!p.IsOk) return Problem.Of("InvalidQuarter", (text ?? "").Trim());
        return p.Value.IsQuarter ? p : Problem.Of("InvalidQuarter", (text ?? "").Trim());
    }

    public DateOnly FirstDay => Kind == UsagePeriodKind.Month
        ? new DateOnly(Year, Number, 1)
        : new DateOnly(Year, (Number - 1) * 3 + 1, 1);

    public DateOnly LastDay => Kind == UsagePeriodKind.Month
        ? FirstDay.AddMonths(1).AddDays(-1)
        : FirstDay.AddMonths(3).AddDays(-1);

    /// <summary>Local midnight (Asia/Ho_Chi_Minh) at the start of the first day, as an instant.</summary>
    public DateTimeOffset Start => StartOfLocalDay(FirstDay);

    /// <summary>Local midnight after the last day (exclusive end), as an instant.</summary>
    public DateTimeOffset End => StartOfLocalDay(LastDay.AddDays(1));

    public bool Contains(DateOnly day) => day >= FirstDay && day <= LastDay;

    /// <summary>Whether an instant falls in the period, judged by its local day in Asia/Ho_Chi_Minh.</summary>
    public bool Contains(DateTimeOffset instant) => Contains(VietnamTime.Today(instant));

    public UsagePeriod Previous => Kind == UsagePeriodKind.Month
        ? (Number == 1 ? Month(Year - 1, 12) : Month(Year, Number - 1))
        : (Number == 1 ? Quarter(Year - 1, 4) : Quarter(Year, Number - 1));

    public UsagePeriod Next => Kind == UsagePeriodKind.Month
        ? (Number == 12 ? Month(Year + 1, 1) : Month(Year, Number + 1))
        : (Number == 4 ? Quarter(Year + 1, 1) : Quarter(Year, Number + 1));

    /// <summary>The months of the period: itself for a month, three months for a quarter.</summary>
    public IReadOnlyList<UsagePeriod> Months => Kind == UsagePeriodKind.Month
        ? [this]
        : [Month(Year, Number * 3 - 2), Month(Year, Number * 3 - 1), Month(Year, Number * 3)];

    /// <summary>The quarter a month belongs to (a quarter is its own).</summary>
    public UsagePeriod QuarterOfPeriod => Kind == UsagePeriodKind.Quarter ? this : QuarterOf(FirstDay);

    /// <summary>The stable form used on the command line and in JSON: <c>2024-03</c> or <c>2024-Q1</c>.</summary>
    public override string ToString() => Kind == UsagePeriodKind.Month
        ? string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Number:D2}")
        : string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-Q{Number}");

    /// <summary>The period as the directives write it in a title: "QUÝ I NĂM 2024", "THÁNG 3 NĂM 2024".</summary>
    public string Title(CultureInfo? culture = null) => Kind == UsagePeriodKind.Quarter
        ? Messages.Format("PeriodQuarterTitle", culture, [Roman(Number), Year])
        : Messages.Format("PeriodMonthTitle", culture, [Number, Year]);

    /// <summary>The period as the directives write it in a sentence: "Quý I/2024", "tháng 03/2024".</summary>
    public string Name(CultureInfo? culture = null) => Kind == UsagePeriodKind.Quarter
        ? Messages.Format("PeriodQuarterName", culture, [Roman(Number), Year])
        : Messages.Format("PeriodMonthName", culture, [Number.ToString("D2", CultureInfo.InvariantCulture), Year]);

    public int CompareTo(UsagePeriod other)
    {
        var c = FirstDay.CompareTo(other.FirstDay);
        return c != 0 ? c : LastDay.CompareTo(other.LastDay);
    }

    /// <summary>Roman numerals for quarters, as in "Quý I/2024".</summary>
    public static string Roman(int quarter) => quarter switch { 1 => "I", 2 => "II", 3 => "III", 4 => "IV", _ => quarter.ToString(CultureInfo.InvariantCulture) };

    /// <summary>Local midnight of a day in Asia/Ho_Chi_Minh, as an instant.</summary>
    public static DateTimeOffset StartOfLocalDay(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, VietnamTime.Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static bool TryYear(string text, out int year) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out year) && year is >= 2000 and <= 2999;

    private static void CheckYear(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 2000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 2999);
    }
}
