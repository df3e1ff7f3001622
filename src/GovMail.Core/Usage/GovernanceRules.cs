namespace GovMail.Core.Usage;

/// <summary>The lists that follow a quarter's usage statistics (seed 000 mục 1.3–3, seed 001 mục 7, seed 003 mục 1).</summary>
public enum GovernanceList
{
    /// <summary>Cá nhân bị hạ 01 bậc đánh giá, phân loại ở quý liền kề.</summary>
    PersonsGradedDown,
    /// <summary>Người đứng đầu đơn vị bị hạ 01 bậc vì đơn vị có cá nhân trong danh sách.</summary>
    HeadsGradedDown,
    /// <summary>Tài khoản bị thống kê ít sử dụng 02 quý liên tiếp: đề nghị hủy, không tái đăng ký.</summary>
    CancellationProposals,
}

/// <summary>One account's usage for a quarter, the quarter before and each month, with its reminders and non-use locks.</summary>
public sealed record GovernanceSubject
{
    public required Guid AccountId { get; init; }
    public required Guid UnitId { get; init; }

    /// <summary>The verdict for the quarter; null when the account was not judged in it.</summary>
    public UsageVerdict? Quarter { get; init; }

    public UsageVerdict? PreviousQuarter { get; init; }

    /// <summary>Verdicts per month of the quarter, for the monthly head rule.</summary>
    public IReadOnlyList<(UsagePeriod Month, UsageVerdict Verdict)> Months { get; init; } = [];

    /// <summary>Local days in the quarter on which the person was reminded for not using the mailbox.</summary>
    public IReadOnlyList<DateOnly> RemindedOn { get; init; } = [];

    /// <summary>Local days in the quarter on which the account was locked for non-use.</summary>
    public IReadOnlyList<DateOnly> LockedForNonUseOn { get; init; } = [];
}

/// <summary>A unit as the head-of-unit rule needs it.</summary>
public sealed record GovernanceUnit(Guid Id, Guid? ParentId, Guid? HeadAccountId, string Name);

/// <summary>
/// One line of a governance list: the account, the unit (for heads) and every rule that put it there, first rule first.
/// <see cref="Because"/> names the listed people behind a head's line.
/// </summary>
public sealed record GovernanceEntry(GovernanceList List, Guid AccountId, Guid? UnitId, IReadOnlyList<RuleReason> Reasons,
    IReadOnlyList<Guid> Because)
{
    public RuleReason Rule => Reasons[0];
}

/// <summary>The three lists for a quarter.</summary>
public sealed record GovernanceLists(UsagePeriod Quarter, IReadOnlyList<GovernanceEntry> PersonsGradedDown,
    IReadOnlyList<GovernanceEntry> HeadsGradedDown, IReadOnlyList<GovernanceEntry> CancellationProposals);

/// <summary>
/// The consequences the directives draw from a quarter's statistics:
/// <list type="bullet">
/// <item>a person listed as low-use, not-used or not-activated in quarter Q, or reminded or locked for non-use in Q, is
/// graded down one level in Q+1 (seed 000 khoản 2.1; seed 001 mục 7);</item>
/// <item>the head of the unit that manages a listed person is graded down too (seed 000 khoản 2.2); with the tenant's
/// monthly option, also when any month of Q had such a person (seed 003);</item>
/// <item>an account listed in Q and in Q−1 is proposed for cancellation and not registered again (seed 000 khoản 1.4, mục 3).</item>
/// </list>
/// Exempt people are on no list. The unit that manages a person is their own unit; for the head of that unit it is the
/// nearest unit above with another head.
/// </summary>
public static class GovernanceRules
{
    public static GovernanceLists Build(UsagePeriod quarter, UsagePolicy policy, IReadOnlyList<GovernanceSubject> subjects,
        IReadOnlyList<GovernanceUnit> units)
    {
        if (!quarter.IsQuarter) throw new ArgumentException("governance lists are per quarter", nameof(quarter));
        var next = quarter.Next;
        var persons = new List<GovernanceEntry>();
        var cancellations = new List<GovernanceEntry>();
        var byId = units.ToDictionary(u => u.Id);
        var exemptHeads = new HashSet<Guid>();

        // Head → unit → (listed people, months with a listed person).
        var quarterTriggers = new Dictionary<(Guid Head, Guid Unit), List<Guid>>();
        var monthTriggers = new Dictionary<(Guid Head, Guid Unit), (List<Guid> People, SortedSet<UsagePeriod> Months)>();

        foreach (var s in subjects)
        {
            if (s.Quarter?.Class == UsageClass.Exempt)
            {
                exemptHeads.Add(s.AccountId);
                continue;
            }
            var reasons = new List<RuleReason>();
            if (s.Quarter is { IsListed: true } v)
                reasons.Add(new RuleReason("person." + UsageNames.Describe(v.Class), "GovernanceRulePersonListed", [v.Class, quarter, next]));
            if (s.RemindedOn.Count > 0)
                reasons.Add(new RuleReason("person.reminded", "GovernanceRulePersonReminded", [s.RemindedOn.Min(), next]));
            if (s.LockedForNonUseOn.Count > 0)
                reasons.Add(new RuleReason("person.locked-non-use", "GovernanceRulePersonLocked", [s.LockedForNonUseOn.Min(), next]));

            if (reasons.Count > 0)
            {
                persons.Add(new GovernanceEntry(GovernanceList.PersonsGradedDown, s.AccountId, s.UnitId, reasons, []));
                if (ResponsibleHead(s.AccountId, s.UnitId, byId) is { } head)
                    Add(quarterTriggers, head, s.AccountId);
            }

            if (policy.MonthlyHeadRule)
            {
                var listedMonths = s.Months.Where(m => m.Verdict.IsListed).Select(m => m.Month).ToList();
                if (listedMonths.Count > 0 && ResponsibleHead(s.AccountId, s.UnitId, byId) is { } head)
                {
                    if (!monthTriggers.TryGetValue(head, out var t)) monthTriggers[head] = t = ([], []);
                    t.People.Add(s.AccountId);
                    foreach (var m in listedMonths) t.Months.Add(m);
                }
            }

            if (s.Quarter is { IsListed: true } && s.PreviousQuarter is { IsListed: true })
                cancellations.Add(new GovernanceEntry(GovernanceList.CancellationProposals, s.AccountId, s.UnitId,
                    [new RuleReason("cancel.two-quarters", "GovernanceRuleCancel", [quarter.Previous, quarter])], []));
        }

        var heads = new List<GovernanceEntry>();
        foreach (var key in quarterTriggers.Keys.Union(monthTriggers.Keys).Distinct())
        {
            if (exemptHeads.Contains(key.Head)) continue;
            var unitName = byId[key.Unit].Name;
            var reasons = new List<RuleReason>();
            var because = new List<Guid>();
            if (quarterTriggers.TryGetValue(key, out var people))
            {
                reasons.Add(new RuleReason("head.quarter", "GovernanceRuleHeadQuarter", [unitName, people.Count, quarter, next]));
                because.AddRange(people);
            }
            if (monthTriggers.TryGetValue(key, out var monthly))
            {
                reasons.Add(new RuleReason("head.month", "GovernanceRuleHeadMonth", [unitName, monthly.Months.ToList(), next]));
                because.AddRange(monthly.People.Where(p => !because.Contains(p)));
            }
            heads.Add(new GovernanceEntry(GovernanceList.HeadsGradedDown, key.Head, key.Unit, reasons, because));
        }

        return new GovernanceLists(quarter, persons, heads, cancellations);
    }

    /// <summary>
    /// The head answerable for a person: the head of their unit, or — when the person is that head, or the unit has none —
    /// the head of the nearest unit above.
    /// </summary>
    public static (Guid Head, Guid Unit)? ResponsibleHead(Guid person, Guid unitId, IReadOnlyDictionary<Guid, GovernanceUnit> units)
    {
        var seen = new HashSet<Guid>();
        for (var id = (Guid?)unitId; id is { } u && units.TryGetValue(u, out var unit) && seen.Add(u); id = unit.ParentId)
            if (unit.HeadAccountId is { } head && head != person) return (head, unit.Id);
        return null;
    }

    private static void Add(Dictionary<(Guid, Guid), List<Guid>> map, (Guid, Guid) key, Guid person)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(person);
    }
}
