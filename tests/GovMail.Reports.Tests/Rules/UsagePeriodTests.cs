using GovMail.Core;
using GovMail.Core.Usage;

namespace GovMail.Reports.Tests.Rules;

public sealed class UsagePeriodTests
{
    [Theory]
    [InlineData("2024-03", UsagePeriodKind.Month, 2024, 3)]
    [InlineData("2024-Q1", UsagePeriodKind.Quarter, 2024, 1)]
    [InlineData("2025-q4", UsagePeriodKind.Quarter, 2025, 4)]
    [InlineData(" 2024-12 ", UsagePeriodKind.Month, 2024, 12)]
    public void Periods_are_read_as_months_and_quarters(string text, UsagePeriodKind kind, int year, int number)
    {
        var p = UsagePeriod.Parse(text);
        Assert.True(p.IsOk);
        Assert.Equal(kind, p.Value.Kind);
        Assert.Equal(year, p.Value.Year);
        Assert.Equal(number, p.Value.Number);
    }

    [Theory]
    [InlineData("2024-13")]
    [InlineData("2024-00")]
    [InlineData("2024-Q5")]
    [InlineData("2024-Q0")]
    [InlineData("24-Q1")]
    [InlineData("Q1/2024")]
    [InlineData("2024")]
    [InlineData("")]
    public void Anything_else_is_refused_with_the_expected_forms(string text)
    {
        var p = UsagePeriod.Parse(text);
        Assert.False(p.IsOk);
        Assert.Equal("InvalidPeriod", p.Problem!.Code);
        Assert.Contains("2024-Q1", p.Problem.Message(Messages.English), StringComparison.Ordinal);
    }

    [Fact]
    public void A_quarter_is_required_where_a_quarter_is_meant()
    {
        Assert.Equal("InvalidQuarter", UsagePeriod.ParseQuarter("2024-03").Problem!.Code);
        Assert.True(UsagePeriod.ParseQuarter("2024-Q2").IsOk);
    }

    [Fact]
    public void Periods_print_back_in_the_stable_form()
    {
        Assert.Equal("2024-03", UsagePeriod.Month(2024, 3).ToString());
        Assert.Equal("2024-Q1", UsagePeriod.Quarter(2024, 1).ToString());
    }

    [Fact]
    public void Days_of_a_quarter_and_of_a_leap_february()
    {
        var q1 = UsagePeriod.Quarter(2024, 1);
        Assert.Equal(new DateOnly(2024, 1, 1), q1.FirstDay);
        Assert.Equal(new DateOnly(2024, 3, 31), q1.LastDay);
        Assert.Equal(new DateOnly(2024, 2, 29), UsagePeriod.Month(2024, 2).LastDay);
        Assert.Equal([UsagePeriod.Month(2024, 4), UsagePeriod.Month(2024, 5), UsagePeriod.Month(2024, 6)], UsagePeriod.Quarter(2024, 2).Months);
    }

    [Fact]
    public void Period_boundaries_are_local_midnight_in_Ho_Chi_Minh_City()
    {
        var q1 = UsagePeriod.Quarter(2024, 1);
        Assert.Equal(new DateTimeOffset(2023, 12, 31, 17, 0, 0, TimeSpan.Zero), q1.Start);
        Assert.Equal(new DateTimeOffset(2024, 3, 31, 17, 0, 0, TimeSpan.Zero), q1.End);
    }

    [Fact]
    public void An_event_at_23_30_on_31_March_belongs_to_Q1_and_one_at_00_30_on_1_April_to_Q2()
    {
        var late = new DateTimeOffset(2024, 3, 31, 23, 30, 0, TimeSpan.FromHours(7));
        var early = new DateTimeOffset(2024, 4, 1, 0, 30, 0, TimeSpan.FromHours(7));
        Assert.True(UsagePeriod.Quarter(2024, 1).Contains(late));
        Assert.False(UsagePeriod.Quarter(2024, 2).Contains(late));
        Assert.True(UsagePeriod.Quarter(2024, 2).Contains(early));
        Assert.False(UsagePeriod.Quarter(2024, 1).Contains(early));
        // The same instants written in UTC are judged the same way.
        Assert.True(UsagePeriod.Quarter(2024, 1).Contains(late.ToUniversalTime()));
        Assert.True(UsagePeriod.Quarter(2024, 2).Contains(early.ToUniversalTime()));
    }

    [Fact]
    public void Previous_and_next_cross_the_year()
    {
        Assert.Equal(UsagePeriod.Quarter(2023, 4), UsagePeriod.Quarter(2024, 1).Previous);
        Assert.Equal(UsagePeriod.Quarter(2025, 1), UsagePeriod.Quarter(2024, 4).Next);
        Assert.Equal(UsagePeriod.Month(2023, 12), UsagePeriod.Month(2024, 1).Previous);
        Assert.Equal(UsagePeriod.Quarter(2024, 2), UsagePeriod.Month(2024, 5).QuarterOfPeriod);
    }

    [Fact]
    public void Titles_read_as_in_the_directives()
    {
        Assert.Equal("QUÝ I NĂM 2024", UsagePeriod.Quarter(2024, 1).Title(Messages.Vietnamese));
        Assert.Equal("QUÝ IV NĂM 2025", UsagePeriod.Quarter(2025, 4).Title(Messages.Vietnamese));
        Assert.Equal("THÁNG 3 NĂM 2024", UsagePeriod.Month(2024, 3).Title(Messages.Vietnamese));
        Assert.Equal("Quý II/2024", UsagePeriod.Quarter(2024, 2).Name(Messages.Vietnamese));
        Assert.Equal("tháng 02/2024", UsagePeriod.Month(2024, 2).Name(Messages.Vietnamese));
    }
}
