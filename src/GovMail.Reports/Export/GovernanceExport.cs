using System.Globalization;
using GovMail.Core;
using GovMail.Core.Usage;
using GovMail.Reports.Governance;

namespace GovMail.Reports.Export;

/// <summary>A quarter's governance lists with their decisions, as .xlsx (one sheet per list), .csv and JSON.</summary>
public static class GovernanceExport
{
    private static readonly GovernanceList[] Order =
        [GovernanceList.PersonsGradedDown, GovernanceList.HeadsGradedDown, GovernanceList.CancellationProposals];

    /// <summary>"DANH SÁCH XỬ LÝ SAU THỐNG KÊ SỬ DỤNG THƯ ĐIỆN TỬ THÀNH PHỐ HỒ CHÍ MINH - QUÝ I NĂM 2024".</summary>
    public static string Title(GovernanceReport report, CultureInfo? c = null) =>
        Messages.Format("GovernanceTitle", c, [UsageReportExport.SystemName(report.TenantName, c), report.Quarter.Title(c)]);

    public static IReadOnlyList<string> Header(GovernanceList list, CultureInfo? c = null) =>
    [
        .. UsageReportExport.ListHeader(c),
        .. list == GovernanceList.HeadsGradedDown
            ? new[] { Messages.Get("ReportColumnUnit", c), Messages.Get("ReportColumnListedPeople", c) }
            : [],
        Messages.Get("ReportColumnRule", c), Messages.Get("ReportColumnDecision", c), Messages.Get("ReportColumnDecisionReason", c),
        Messages.Get("ReportColumnDecidedBy", c), Messages.Get("ReportColumnDecidedAt", c),
    ];

    private static object?[] Cells(int n, GovernanceLine l, CultureInfo? c) =>
    [
        n, l.Account.DisplayName, l.Account.Address, l.Account.Title, l.Account.Department, l.Account.Agency,
        .. l.List == GovernanceList.HeadsGradedDown ? new object?[] { l.HeadOfUnit, string.Join(", ", l.Because) } : [],
        string.Join(" ", l.Reasons.Select(r => r.Text(c))),
        DecisionLabel(l.Decision, c), l.Decision?.Reason, l.Decision?.DecidedBy,
        l.Decision is { } d ? Messages.Format("DateTime", c, [d.DecidedAt]) : null,
    ];

    private static string DecisionLabel(GovernanceDecision? d, CultureInfo? c) =>
        Messages.Get(d is null ? "DecisionPending" : "Decision" + d.Decision, c);

    public static void WriteXlsx(Stream stream, GovernanceReport report, CultureInfo? c = null)
    {
        using var book = new WorkbookWriter(stream);
        foreach (var list in Order)
        {
            var header = Header(list, c);
            var widths = header.Select((_, i) => i switch { 0 => 6.0, 1 => 28, 2 => 34, 3 => 20, 4 => 36, 5 => 36, _ => 30 }).ToList();
            var sheet = book.AddSheet(Messages.Get(list switch
            {
                GovernanceList.PersonsGradedDown => "SheetPersons",
                GovernanceList.HeadsGradedDown => "SheetHeads",
                _ => "SheetCancellations",
            }, c), widths);
            sheet.Banner(CellLook.Title, Title(report, c), header.Count);
            sheet.Banner(CellLook.Bold, Messages.Get("GovernanceList" + list, c).ToUpper(c ?? Messages.Vietnamese), header.Count);
            sheet.Row(CellLook.Header, [.. header]);
            var n = 0;
            foreach (var l in report.Lines(list)) sheet.Row(CellLook.Cell, Cells(++n, l, c));
            sheet.Done();
        }
    }

    /// <summary>All three lists in one CSV, the list's name in the first column.</summary>
    public static void WriteCsv(TextWriter w, GovernanceReport report, CultureInfo? c = null)
    {
        var heads = Header(GovernanceList.HeadsGradedDown, c);
        CsvWriter.Row(w, [Messages.Get("ReportColumnList", c), .. heads]);
        foreach (var list in Order)
        {
            var n = 0;
            foreach (var l in report.Lines(list))
            {
                var cells = Cells(++n, l, c).ToList();
                // Persons and cancellations have no unit-headed and listed-people columns: keep the columns aligned.
                if (list != GovernanceList.HeadsGradedDown) cells.InsertRange(6, [null, null]);
                CsvWriter.Row(w, [GovernanceReport.Describe(list), .. cells]);
            }
        }
    }

    /// <summary>
    /// The JSON of docs/cli.md: <c>quarter</c>, then <c>personsGradedDown</c>, <c>headsGradedDown</c> (with <c>unit</c>) and
    /// <c>cancellationProposals</c>, each entry with <c>address</c> and the <c>rule</c> code, its sentence and the decision.
    /// </summary>
    public static object Json(GovernanceReport report, CultureInfo? c = null) => new
    {
        quarter = report.Quarter.ToString(),
        quarterName = report.Quarter.Name(c),
        gradedDownIn = report.Quarter.Next.ToString(),
        tenant = report.TenantName,
        scope = report.ScopeName,
        generatedAt = report.GeneratedAt,
        personsGradedDown = report.PersonsGradedDown.Select(l => Entry(l, c)).ToList(),
        headsGradedDown = report.HeadsGradedDown.Select(l => Entry(l, c)).ToList(),
        cancellationProposals = report.CancellationProposals.Select(l => Entry(l, c)).ToList(),
    };

    private static Dictionary<string, object?> Entry(GovernanceLine l, CultureInfo? c)
    {
        var e = new Dictionary<string, object?>
        {
            ["address"] = l.Account.Address,
            ["displayName"] = l.Account.DisplayName,
            ["title"] = l.Account.Title,
            ["unit"] = l.HeadOfUnit ?? l.Account.UnitName,
            ["unitPath"] = l.Account.UnitPath,
            ["agency"] = l.Account.Agency,
            ["rule"] = l.Rule.Code,
            ["ruleText"] = l.Rule.Text(c),
            ["rules"] = l.Reasons.Select(r => new { code = r.Code, text = r.Text(c) }).ToList(),
        };
        if (l.List == GovernanceList.HeadsGradedDown) e["listedPeople"] = l.Because;
        e["decision"] = l.Decision is { } d
            ? new { decision = d.Decision.ToString().ToLowerInvariant(), reason = d.Reason, decidedBy = d.DecidedBy, decidedAt = d.DecidedAt }
            : null;
        return e;
    }
}
