using GovMail.Core;
using GovMail.Core.Security;
using GovMail.Core.Usage;
using GovMail.Storage.Directory;
using GovMail.Storage.Security;

namespace GovMail.Web.Admin;

/// <summary>A unit a report may be drawn for: its path (what the report services take) and how deep it sits (for indenting).</summary>
public sealed record ReportUnit(string? Path, string Label, int Depth);

/// <summary>
/// Which units' reports an administrator may read: the whole city for a tenant-wide role, otherwise the roots of their grants
/// and the units just below them; the one asked for is checked by <see cref="AdminAccess.CheckUnitAsync"/> like
/// <c>govmail report … --agency</c> with <c>--as</c>.
/// </summary>
public sealed class ReportScope(AdminAccess access, UnitDirectory units, TimeProvider clock)
{
    public async Task<IReadOnlyList<ReportUnit>> ChoicesAsync(AdminScope scope, string wholeTenantLabel, CancellationToken ct)
    {
        var all = await units.ListAsync(ct);
        var choices = new List<ReportUnit>();
        if (scope.AllowsEverywhere(Permission.ReadReports))
        {
            choices.Add(new ReportUnit(null, wholeTenantLabel, 0));
            choices.AddRange(all.Where(u => u.Depth == 0).Select(u => new ReportUnit(u.Path, u.Unit.Name, 1)));
            return choices;
        }
        var roots = scope.Roots(Permission.ReadReports) ?? [];
        foreach (var root in all.Where(u => roots.Contains(u.Unit.Id)))
        {
            choices.Add(new ReportUnit(root.Path, root.Unit.Name, 0));
            choices.AddRange(all.Where(u => u.Unit.ParentId == root.Unit.Id).Select(u => new ReportUnit(u.Path, u.Unit.Name, 1)));
        }
        return choices;
    }

    /// <summary>The unit asked for if allowed (default: the first choice), or why not.</summary>
    public async Task<Result<string?>> ResolveAsync(AdminScope scope, string? asked, IReadOnlyList<ReportUnit> choices, CancellationToken ct)
    {
        var unit = string.IsNullOrWhiteSpace(asked) ? choices.FirstOrDefault()?.Path : asked.Trim();
        if (await access.CheckUnitAsync(scope, Permission.ReadReports, unit, ct) is { } problem) return problem;
        return Result<string?>.Ok(unit);
    }

    /// <summary>A period from the address (<c>2026-Q3</c>, <c>2026-09</c>), or the current quarter (Vietnam time).</summary>
    public Result<UsagePeriod> Period(string? text, bool quarterOnly, bool previousByDefault = false)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            var current = UsagePeriod.QuarterOf(Core.Time.VietnamTime.Today(clock.GetUtcNow()));
            return previousByDefault ? current.Previous : current;
        }
        return quarterOnly ? UsagePeriod.ParseQuarter(text) : UsagePeriod.Parse(text);
    }

    /// <summary>The quarters and months to pick from: the last eight quarters and twelve months, newest first.</summary>
    public IReadOnlyList<UsagePeriod> RecentPeriods(bool quarters)
    {
        var today = Core.Time.VietnamTime.Today(clock.GetUtcNow());
        var list = new List<UsagePeriod>();
        var p = quarters ? UsagePeriod.QuarterOf(today) : UsagePeriod.MonthOf(today);
        for (var i = 0; i < (quarters ? 8 : 12); i++, p = p.Previous) list.Add(p);
        return list;
    }
}
