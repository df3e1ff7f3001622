using GovMail.Core;
using GovMail.Core.Usage;

namespace GovMail.Reports.Tests.Rules;

/// <summary>
/// The lists of seed 000 (grade down the listed person and the head of their unit in the next quarter; propose
/// cancellation after two consecutive quarters), seed 001 (reminded or locked for non-use counts too) and seed 003 (the
/// head is graded down if any month of the quarter had such a person).
/// </summary>
public sealed class GovernanceRulesTests
{
    private static readonly UsagePeriod Q1 = UsagePeriod.Quarter(2024, 1);
    private static readonly UsagePolicy Quarterly = new();
    private static readonly UsagePolicy Monthly = new() { MonthlyHeadRule = true };

    private static readonly Guid Agency = Guid.NewGuid(), Department = Guid.NewGuid(), Team = Guid.NewGuid();
    private static readonly Guid Director = Guid.NewGuid(), DepartmentHead = Guid.NewGuid();

    /// <summary>Sở (head: Director) → Phòng (head: DepartmentHead) → Tổ (no head).</summary>
    private static readonly IReadOnlyList<GovernanceUnit> Units =
    [
        new(Agency, null, Director, "Sở Văn hóa và Thể thao"),
        new(Department, Agency, DepartmentHead, "Phòng Nghệ thuật"),
        new(Team, Department, null, "Tổ Biểu diễn"),
    ];

    private static readonly UsageSubject Someone = new() { IssuedOn = new DateOnly(2020, 1, 1), ActivatedOn = new DateOnly(2020, 1, 1) };

    /// <summary>A verdict of the given class for a period, built from a history that produces it.</summary>
    private static UsageVerdict Verdict(UsagePeriod period, UsageClass c)
    {
        var calendar = WorkingCalendar.Vietnam;
        var working = calendar.WorkingDays(period.FirstDay, period.LastDay).ToList();
        var subject = c == UsageClass.NotActivated ? Someone with { ActivatedOn = null }
            : c == UsageClass.Exempt ? Someone with { Exemptions = [new ExemptSpan(period.FirstDay, period.LastDay, ExemptionKind.LongLeave)] }
            : Someone;
        var days = c switch
        {
            UsageClass.Regular => working.Select(d => new DailyActivity(d, 1, 0, 1, 0)),
            UsageClass.Low => working.Take(1).Select(d => new DailyActivity(d, 1, 0, 1, 0)),
            _ => [],
        };
        var v = UsageClassifier.Classify(new UsagePolicy(), calendar, period, subject, days)!;
        Assert.Equal(c, v.Class);
        return v;
    }

    private static GovernanceSubject Person(Guid id, Guid unit, UsageClass q, UsageClass? previous = null,
        UsageClass[]? months = null) => new()
    {
        AccountId = id,
        UnitId = unit,
        Quarter = Verdict(Q1, q),
        PreviousQuarter = previous is { } p ? Verdict(Q1.Previous, p) : null,
        Months = months is null ? [] : Q1.Months.Zip(months, (m, c) => (m, Verdict(m, c))).ToList(),
    };

    [Theory]
    [InlineData(UsageClass.Low, "person.low")]
    [InlineData(UsageClass.NotUsed, "person.not-used")]
    [InlineData(UsageClass.NotActivated, "person.not-activated")]
    public void A_listed_person_is_graded_down_in_the_next_quarter(UsageClass c, string rule)
    {
        var p = Guid.NewGuid();
        var lists = GovernanceRules.Build(Q1, Quarterly, [Person(p, Department, c)], Units);
        var entry = Assert.Single(lists.PersonsGradedDown);
        Assert.Equal(p, entry.AccountId);
        Assert.Equal(rule, entry.Rule.Code);
        var text = entry.Rule.Text(Messages.Vietnamese);
        Assert.Contains("Quý I/2024", text, StringComparison.Ordinal);
        Assert.Contains("Quý II/2024", text, StringComparison.Ordinal);
        Assert.Contains("1434/SVHTT-VP", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Regular_and_exempt_people_are_on_no_list()
    {
        var lists = GovernanceRules.Build(Q1, Quarterly,
            [Person(Guid.NewGuid(), Department, UsageClass.Regular), Person(Guid.NewGuid(), Department, UsageClass.Exempt) with { RemindedOn = [new DateOnly(2024, 2, 1)] }],
            Units);
        Assert.Empty(lists.PersonsGradedDown);
        Assert.Empty(lists.HeadsGradedDown);
        Assert.Empty(lists.CancellationProposals);
    }

    [Fact]
    public void Reminded_or_locked_for_non_use_counts_even_for_a_regular_user()
    {
        var reminded = Guid.NewGuid();
        var locked = Guid.NewGuid();
        var lists = GovernanceRules.Build(Q1, Quarterly,
        [
            Person(reminded, Department, UsageClass.Regular) with { RemindedOn = [new DateOnly(2024, 2, 20), new DateOnly(2024, 1, 15)] },
            Person(locked, Department, UsageClass.Regular) with { LockedForNonUseOn = [new DateOnly(2024, 3, 1)] },
        ], Units);
        Assert.Equal(2, lists.PersonsGradedDown.Count);
        var r = lists.PersonsGradedDown.Single(e => e.AccountId == reminded).Rule;
        Assert.Equal("person.reminded", r.Code);
        Assert.Contains("15/01/2024", r.Text(Messages.Vietnamese), StringComparison.Ordinal);
        Assert.Equal("person.locked-non-use", lists.PersonsGradedDown.Single(e => e.AccountId == locked).Rule.Code);
    }

    [Fact]
    public void A_low_user_who_was_also_reminded_carries_both_rules_the_class_first()
    {
        var p = Guid.NewGuid();
        var lists = GovernanceRules.Build(Q1, Quarterly, [Person(p, Department, UsageClass.Low) with { RemindedOn = [new DateOnly(2024, 2, 1)] }], Units);
        Assert.Equal(["person.low", "person.reminded"], Assert.Single(lists.PersonsGradedDown).Reasons.Select(r => r.Code));
    }

    [Fact]
    public void The_head_of_the_unit_of_a_listed_person_is_graded_down()
    {
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var lists = GovernanceRules.Build(Q1, Quarterly,
            [Person(a, Department, UsageClass.Low), Person(b, Department, UsageClass.NotUsed), Person(Guid.NewGuid(), Department, UsageClass.Regular)], Units);
        var head = Assert.Single(lists.HeadsGradedDown);
        Assert.Equal(DepartmentHead, head.AccountId);
        Assert.Equal(Department, head.UnitId);
        Assert.Equal("head.quarter", head.Rule.Code);
        Assert.Equal(new[] { a, b }.Order(), head.Because.Order());
        Assert.Contains("Phòng Nghệ thuật", head.Rule.Text(Messages.Vietnamese), StringComparison.Ordinal);
        Assert.Contains("có 2 người", head.Rule.Text(Messages.Vietnamese), StringComparison.Ordinal);
    }

    [Fact]
    public void A_unit_without_a_head_passes_the_rule_to_the_head_above()
    {
        var lists = GovernanceRules.Build(Q1, Quarterly, [Person(Guid.NewGuid(), Team, UsageClass.Low)], Units);
        var head = Assert.Single(lists.HeadsGradedDown);
        Assert.Equal(DepartmentHead, head.AccountId);
        Assert.Equal(Department, head.UnitId);
    }

    [Fact]
    public void A_listed_head_answers_to_the_head_of_the_unit_above()
    {
        var lists = GovernanceRules.Build(Q1, Quarterly, [Person(DepartmentHead, Department, UsageClass.Low)], Units);
        Assert.Equal(DepartmentHead, Assert.Single(lists.PersonsGradedDown).AccountId);
        var head = Assert.Single(lists.HeadsGradedDown);
        Assert.Equal(Director, head.AccountId);
        Assert.Equal(Agency, head.UnitId);
    }

    [Fact]
    public void An_exempt_head_is_not_graded_down()
    {
        var lists = GovernanceRules.Build(Q1, Quarterly,
            [Person(Guid.NewGuid(), Department, UsageClass.Low), Person(DepartmentHead, Department, UsageClass.Exempt)], Units);
        Assert.Empty(lists.HeadsGradedDown);
    }

    [Fact]
    public void With_the_monthly_rule_one_bad_month_grades_the_head_down_even_when_the_quarter_is_regular()
    {
        var p = Guid.NewGuid();
        var subject = Person(p, Department, UsageClass.Regular, months: [UsageClass.Regular, UsageClass.Low, UsageClass.Regular]);
        Assert.Empty(GovernanceRules.Build(Q1, Quarterly, [subject], Units).HeadsGradedDown);
        var lists = GovernanceRules.Build(Q1, Monthly, [subject], Units);
        Assert.Empty(lists.PersonsGradedDown);
        var head = Assert.Single(lists.HeadsGradedDown);
        Assert.Equal(DepartmentHead, head.AccountId);
        Assert.Equal("head.month", head.Rule.Code);
        Assert.Contains("tháng 02/2024", head.Rule.Text(Messages.Vietnamese), StringComparison.Ordinal);
        Assert.Equal([p], head.Because);
    }

    [Fact]
    public void With_the_monthly_rule_a_quarterly_listing_gives_both_reasons()
    {
        var subject = Person(Guid.NewGuid(), Department, UsageClass.Low, months: [UsageClass.Low, UsageClass.Low, UsageClass.NotUsed]);
        var head = Assert.Single(GovernanceRules.Build(Q1, Monthly, [subject], Units).HeadsGradedDown);
        Assert.Equal(["head.quarter", "head.month"], head.Reasons.Select(r => r.Code));
    }

    [Fact]
    public void Listed_two_quarters_running_is_proposed_for_cancellation()
    {
        var twice = Guid.NewGuid();
        var once = Guid.NewGuid();
        var recovered = Guid.NewGuid();
        var lists = GovernanceRules.Build(Q1, Quarterly,
        [
            Person(twice, Department, UsageClass.Low, previous: UsageClass.NotUsed),
            Person(once, Department, UsageClass.Low, previous: UsageClass.Regular),
            Person(recovered, Department, UsageClass.Regular, previous: UsageClass.Low),
        ], Units);
        var c = Assert.Single(lists.CancellationProposals);
        Assert.Equal(twice, c.AccountId);
        Assert.Equal("cancel.two-quarters", c.Rule.Code);
        var text = c.Rule.Text(Messages.Vietnamese);
        Assert.Contains("Quý IV/2023", text, StringComparison.Ordinal);
        Assert.Contains("Quý I/2024", text, StringComparison.Ordinal);
        Assert.Equal(2, lists.PersonsGradedDown.Count);
    }

    [Fact]
    public void Governance_is_per_quarter()
    {
        Assert.Throws<ArgumentException>(() => GovernanceRules.Build(UsagePeriod.Month(2024, 3), Quarterly, [], Units));
    }
}
