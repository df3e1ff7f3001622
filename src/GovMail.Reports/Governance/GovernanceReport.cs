using GovMail.Core.Usage;
using GovMail.Reports.Periods;

namespace GovMail.Reports.Governance;

/// <summary>
/// One line of a governance list: the account, for a head the unit they answer for and the listed people behind it, every
/// rule that put the line there, and the reviewer's decision once recorded.
/// </summary>
public sealed record GovernanceLine(GovernanceList List, ReportedAccount Account, Guid? HeadOfUnitId, string? HeadOfUnit,
    IReadOnlyList<RuleReason> Reasons, IReadOnlyList<string> Because, GovernanceDecision? Decision)
{
    public RuleReason Rule => Reasons[0];
}

/// <summary>The governance lists of a quarter with their decisions (danh sách xử lý sau thống kê quý).</summary>
public sealed record GovernanceReport(UsagePeriod Quarter, string TenantName, string? ScopeName, DateTimeOffset GeneratedAt,
    IReadOnlyList<GovernanceLine> PersonsGradedDown, IReadOnlyList<GovernanceLine> HeadsGradedDown,
    IReadOnlyList<GovernanceLine> CancellationProposals)
{
    public IReadOnlyList<GovernanceLine> Lines(GovernanceList list) => list switch
    {
        GovernanceList.PersonsGradedDown => PersonsGradedDown,
        GovernanceList.HeadsGradedDown => HeadsGradedDown,
        _ => CancellationProposals,
    };

    /// <summary>The name of a list on the command line and in JSON.</summary>
    public static string Describe(GovernanceList list) => list switch
    {
        GovernanceList.PersonsGradedDown => "persons",
        GovernanceList.HeadsGradedDown => "heads",
        _ => "cancellations",
    };

    public static GovernanceList? ParseList(string text) => text.Trim().ToLowerInvariant() switch
    {
        "persons" or "person" or "personsgradeddown" => GovernanceList.PersonsGradedDown,
        "heads" or "head" or "headsgradeddown" => GovernanceList.HeadsGradedDown,
        "cancellations" or "cancellation" or "cancellationproposals" => GovernanceList.CancellationProposals,
        _ => null,
    };
}
