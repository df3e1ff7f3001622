using System.Globalization;
using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Usage;
using GovMail.Reports.Periods;

namespace GovMail.Reports.Export;

/// <summary>
/// A period report as files: the official low-use list (seed 000's attachment) as .xlsx with the summary and the detail
/// on further sheets, as .csv, and as a JSON object for scripts and the web.
/// </summary>
public static class UsageReportExport
{
    /// <summary>The official list's columns: STT, Tên thể hiện, Địa chỉ hộp thư, Tiêu đề, Bộ phận/Phòng ban, Cơ quan.</summary>
    public static IReadOnlyList<string> ListHeader(CultureInfo? c = null) =>
    [
        Messages.Get("ReportColumnNo", c), Messages.Get("ReportColumnDisplayName", c), Messages.Get("ReportColumnAddress", c),
        Messages.Get("ReportColumnTitle", c), Messages.Get("ReportColumnDepartment", c), Messages.Get("ReportColumnAgency", c),
    ];

    /// <summary>"THỐNG KÊ TÌNH HÌNH SỬ DỤNG THƯ ĐIỆN TỬ THÀNH PHỐ HỒ CHÍ MINH - QUÝ I NĂM 2024".</summary>
    public static string Title(string tenantName, UsagePeriod period, CultureInfo? c = null) =>
        Messages.Format("ReportTitle", c, [SystemName(tenantName, c), period.Title(c)]);

    /// <summary>The tenant's name as the title block writes it: upper case, without "Ủy ban nhân dân" in front.</summary>
    public static string SystemName(string tenantName, CultureInfo? c = null)
    {
        var name = tenantName.Trim();
        foreach (var prefix in new[] { "Ủy ban nhân dân ", "Uỷ ban nhân dân ", "UBND " })
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && name.Length > prefix.Length) { name = name[prefix.Length..]; break; }
        return name.ToUpper(c ?? Messages.Vietnamese);
    }

    /// <summary>
    /// Sheet 1, the official list: the title row, then per agency its name, the section "CÁ NHÂN ÍT SỬ DỤNG" with the
    /// header and one row per listed person, and "TẬP THỂ ÍT SỬ DỤNG" for collective mailboxes when there are any.
    /// Sheet 2 sums up by agency and department; sheet 3 lists every account with its class and the rule.
    /// </summary>
    public static void WriteXlsx(Stream stream, UsageReport report, CultureInfo? c = null)
    {
        using var book = new WorkbookWriter(stream);
        var header = ListHeader(c);

        var list = book.AddSheet(Messages.Get("SheetLowUseList", c), [6, 28, 34, 20, 36, 36]);
        list.Banner(CellLook.Title, Title(report.TenantName, report.Period, c), header.Count);
        var agencies = report.Lines.GroupBy(l => l.Account.AgencyId).ToList();
        var first = true;
        foreach (var agency in agencies)
        {
            var listed = agency.Where(l => UsageNames.IsListed(l.Class)).ToList();
            if (listed.Count == 0 && agencies.Count > 1) continue;
            if (!first) list.Blank();
            first = false;
            list.Banner(CellLook.Bold, agency.First().Account.Agency.ToUpper(c ?? Messages.Vietnamese), header.Count);
            var persons = listed.Where(l => l.Account.Kind != AccountKind.Collective).ToList();
            var collective = listed.Where(l => l.Account.Kind == AccountKind.Collective).ToList();
            Section(list, Messages.Get("ReportSectionPersons", c), header, persons, c);
            if (collective.Count > 0) Section(list, Messages.Get("ReportSectionCollective", c), header, collective, c);
        }
        if (first) list.Row(CellLook.Plain, Messages.Get("ReportNobodyListed", c));
        list.Done();

        var summary = book.AddSheet(Messages.Get("SheetSummary", c), [16, 40, 36, 12, 14, 12, 12, 12, 12, 14, 10]);
        summary.Banner(CellLook.Title, Title(report.TenantName, report.Period, c), 11);
        summary.Row(CellLook.Header, [.. SummaryHeader(c)]);
        foreach (var r in report.Summary) summary.Row(CellLook.Cell, [.. SummaryCells(r, c)]);
        summary.Done();

        var detail = book.AddSheet(Messages.Get("SheetDetail", c), [6, 28, 34, 20, 36, 36, 20, 12, 12, 12, 60]);
        detail.Banner(CellLook.Title, Title(report.TenantName, report.Period, c), 11);
        detail.Row(CellLook.Header, [.. DetailHeader(c)]);
        var n = 0;
        foreach (var l in report.Lines) detail.Row(CellLook.Cell, [.. DetailCells(++n, l, c)]);
        detail.Done();
    }

    private static void Section(SheetBuilder sheet, string title, IReadOnlyList<string> header, List<UsageReportLine> lines, CultureInfo? c)
    {
        sheet.Banner(CellLook.Bold, title, header.Count);
        sheet.Row(CellLook.Header, [.. header]);
        if (lines.Count == 0)
        {
            sheet.Row(CellLook.Plain, Messages.Get("ReportNobodyListed", c));
            return;
        }
        var n = 0;
        foreach (var l in lines)
            sheet.Row(CellLook.Cell, ++n, l.Account.DisplayName, l.Account.Address, l.Account.Title, l.Account.Department, l.Account.Agency);
    }

    /// <summary>
    /// The official list as CSV, one row per listed account (all accounts with <paramref name="all"/>), the official columns
    /// first, then the class, the figures and the rule.
    /// </summary>
    public static void WriteCsv(TextWriter w, UsageReport report, bool all = false, CultureInfo? c = null)
    {
        CsvWriter.Row(w, DetailHeader(c));
        var n = 0;
        foreach (var l in all ? report.Lines : report.Listed) CsvWriter.Row(w, DetailCells(++n, l, c));
    }

    private static IReadOnlyList<string> DetailHeader(CultureInfo? c) =>
    [
        .. ListHeader(c), Messages.Get("ReportColumnClass", c), Messages.Get("ReportColumnActiveDays", c),
        Messages.Get("ReportColumnRequiredDays", c), Messages.Get("ReportColumnWorkingDays", c), Messages.Get("ReportColumnRule", c),
    ];

    private static object?[] DetailCells(int n, UsageReportLine l, CultureInfo? c) =>
    [
        n, l.Account.DisplayName, l.Account.Address, l.Account.Title, l.Account.Department, l.Account.Agency,
        UsageNames.Label(l.Class, c), l.Verdict.Tally.ActiveWorkingDays, l.Verdict.RequiredDays, l.Verdict.WorkingDays, l.Verdict.Describe(c),
    ];

    private static IReadOnlyList<string> SummaryHeader(CultureInfo? c) =>
    [
        Messages.Get("ReportColumnLevel", c), Messages.Get("ReportColumnUnit", c), Messages.Get("ReportColumnAgency", c),
        Messages.Get("ReportColumnAccounts", c), Messages.Get("UsageClassRegular", c), Messages.Get("UsageClassLow", c),
        Messages.Get("UsageClassNotUsed", c), Messages.Get("UsageClassNotActivated", c), Messages.Get("UsageClassExempt", c),
        Messages.Get("ReportColumnRegularPercent", c), Messages.Get("ReportColumnRank", c),
    ];

    private static object?[] SummaryCells(UsageSummaryRow r, CultureInfo? c) =>
    [
        Messages.Get("ReportLevel" + r.Level, c), r.Name, r.Agency, r.Counts.Accounts, r.Counts.Regular, r.Counts.Low, r.Counts.NotUsed,
        r.Counts.NotActivated, r.Counts.Exempt, r.Counts.RegularPercent, r.Level == UsageSummaryLevel.Tenant ? null : r.Rank,
    ];

    /// <summary>
    /// The JSON of docs/cli.md: <c>period</c>, the <c>summary</c> rows and one entry per account in <c>accounts</c> with at
    /// least <c>address</c>, <c>unit</c>, <c>agency</c> and <c>class</c>.
    /// </summary>
    public static object Json(UsageReport report, CultureInfo? c = null) => new
    {
        period = report.Period.ToString(),
        periodName = report.Period.Name(c),
        from = report.Period.FirstDay,
        to = report.Period.LastDay,
        tenant = report.TenantName,
        scope = report.ScopeName,
        generatedAt = report.GeneratedAt,
        summary = report.Summary.Select(r => new
        {
            level = r.Level.ToString().ToLowerInvariant(),
            unit = r.Name,
            agency = r.Agency,
            accounts = r.Counts.Accounts,
            regular = r.Counts.Regular,
            low = r.Counts.Low,
            notUsed = r.Counts.NotUsed,
            notActivated = r.Counts.NotActivated,
            exempt = r.Counts.Exempt,
            regularPercent = r.Counts.RegularPercent,
            rank = r.Rank,
        }).ToList(),
        accounts = report.Lines.Select(l => new
        {
            address = l.Account.Address,
            displayName = l.Account.DisplayName,
            title = l.Account.Title,
            kind = l.Account.Kind.ToString().ToLowerInvariant(),
            unit = l.Account.UnitName,
            unitPath = l.Account.UnitPath,
            department = l.Account.Department,
            agency = l.Account.Agency,
            @class = UsageNames.Describe(l.Class),
            classLabel = UsageNames.Label(l.Class, c),
            listed = UsageNames.IsListed(l.Class),
            activeWorkingDays = l.Verdict.Tally.ActiveWorkingDays,
            activeDays = l.Verdict.Tally.ActiveDays,
            mailDays = l.Verdict.Tally.MailDays,
            requiredDays = l.Verdict.RequiredDays,
            workingDays = l.Verdict.WorkingDays,
            judgedFrom = l.Verdict.Span.First,
            judgedTo = l.Verdict.Span.Last,
            proRata = l.Verdict.Span.IsProRata,
            rule = l.Verdict.Rule.Code,
            ruleText = l.Verdict.Describe(c),
        }).ToList(),
    };
}
