using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Usage;

namespace GovMail.Reports.Periods;

/// <summary>One account's line of a period report.</summary>
public sealed record UsageReportLine(ReportedAccount Account, UsageVerdict Verdict)
{
    public UsageClass Class => Verdict.Class;
}

/// <summary>Accounts per class in a unit, and the share used regularly (exempt accounts are not counted in the share).</summary>
public sealed record UsageCounts(int Accounts, int Regular, int Low, int NotUsed, int NotActivated, int Exempt)
{
    public int Judged => Accounts - Exempt;

    /// <summary>Regular accounts as a percentage of the judged ones, to one decimal; 0 when none was judged.</summary>
    public double RegularPercent => Judged == 0 ? 0 : Math.Round(100.0 * Regular / Judged, 1, MidpointRounding.AwayFromZero);

    public static UsageCounts Of(IEnumerable<UsageReportLine> lines)
    {
        int n = 0, regular = 0, low = 0, notUsed = 0, notActivated = 0, exempt = 0;
        foreach (var l in lines)
        {
            n++;
            switch (l.Class)
            {
                case UsageClass.Regular: regular++; break;
                case UsageClass.Low: low++; break;
                case UsageClass.NotUsed: notUsed++; break;
                case UsageClass.NotActivated: notActivated++; break;
                case UsageClass.Exempt: exempt++; break;
            }
        }
        return new UsageCounts(n, regular, low, notUsed, notActivated, exempt);
    }
}

/// <summary>The level of a summary row: the whole tenant, an agency, or a department of an agency.</summary>
public enum UsageSummaryLevel
{
    Tenant,
    Agency,
    Department,
}

/// <summary>
/// One row of the summary tenant → agency → department. <see cref="Rank"/> ranks agencies among agencies and departments
/// within their agency by the share of regular use (1 = best; equal shares share a rank).
/// </summary>
public sealed record UsageSummaryRow(UsageSummaryLevel Level, Guid? UnitId, string Name, string? Agency, UsageCounts Counts, int Rank);

/// <summary>
/// A period's usage report (báo cáo thống kê tình hình sử dụng): every judged account with its class, and the summary by
/// agency and department. <see cref="Listed"/> is the official low-use list.
/// </summary>
public sealed record UsageReport(UsagePeriod Period, string TenantName, string? ScopeName, DateTimeOffset GeneratedAt,
    IReadOnlyList<UsageReportLine> Lines, IReadOnlyList<UsageSummaryRow> Summary)
{
    /// <summary>Low-use, not-used and not-activated accounts, in report order.</summary>
    public IEnumerable<UsageReportLine> Listed => Lines.Where(l => UsageNames.IsListed(l.Class));

    /// <summary>The agencies that have lines, in report order.</summary>
    public IEnumerable<string> Agencies => Lines.Select(l => l.Account.Agency).Distinct();

    internal static UsageReport Build(UsagePeriod period, string tenantName, string? scope, DateTimeOffset now, List<UsageReportLine> lines)
    {
        var comparer = ReportOrder.Names;
        ReportOrder.Sort(lines, l => l.Account);

        var summary = new List<UsageSummaryRow> { new(UsageSummaryLevel.Tenant, null, scope ?? tenantName, null, UsageCounts.Of(lines), 1) };
        var agencies = lines.GroupBy(l => l.Account.AgencyId)
            .Select(g => (Id: g.Key, Name: g.First().Account.Agency, Counts: UsageCounts.Of(g), Lines: g.ToList()))
            .ToList();
        foreach (var (agency, rank) in Ranked(agencies, a => a.Counts, a => a.Name, comparer))
        {
            summary.Add(new UsageSummaryRow(UsageSummaryLevel.Agency, agency.Id, agency.Name, agency.Name, agency.Counts, rank));
            var departments = agency.Lines.Where(l => l.Account.DepartmentId is not null)
                .GroupBy(l => l.Account.DepartmentId!.Value)
                .Select(g => (Id: g.Key, Name: g.First().Account.Department!.Split(Storage.Directory.UnitDirectory.PathSeparator)[0], Counts: UsageCounts.Of(g)))
                .ToList();
            var direct = agency.Lines.Where(l => l.Account.DepartmentId is null).ToList();
            if (direct.Count > 0 && departments.Count > 0)
                departments.Add((agency.Id, Messages.Get("ReportDirectlyUnderAgency"), UsageCounts.Of(direct)));
            foreach (var (d, drank) in Ranked(departments, d => d.Counts, d => d.Name, comparer, d => d.Id == agency.Id))
                summary.Add(new UsageSummaryRow(UsageSummaryLevel.Department, d.Id, d.Name, agency.Name, d.Counts, drank));
        }
        return new UsageReport(period, tenantName, scope, now, lines, summary);
    }

    /// <summary>
    /// Best share first; equal shares share a rank (1, 2, 2, 4) and are ordered by name, the agency's own people
    /// (<paramref name="last"/>) after its departments.
    /// </summary>
    private static IEnumerable<(T Item, int Rank)> Ranked<T>(IEnumerable<T> items, Func<T, UsageCounts> counts, Func<T, string> name,
        IComparer<string> comparer, Func<T, bool>? last = null)
    {
        var ordered = items.OrderByDescending(i => counts(i).RegularPercent).ThenBy(i => last?.Invoke(i) ?? false).ThenBy(name, comparer).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var rank = i + 1;
            while (rank > 1 && counts(ordered[rank - 2]).RegularPercent == counts(ordered[i]).RegularPercent) rank--;
            yield return (ordered[i], rank);
        }
    }
}
