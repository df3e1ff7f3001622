using System.Text;
using GovMail.Reports.Export;
using GovMail.Reports.Governance;
using GovMail.Reports.Periods;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Admin;

/// <summary>The download buttons: the same Excel and CSV files <c>govmail report usage|governance -o FILE</c> writes.</summary>
public static class ReportFiles
{
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Csv = "text/csv; charset=utf-8";

    /// <summary>The file in the format asked for (<c>xlsx</c> or <c>csv</c>), or null for another format.</summary>
    public static FileContentResult? Usage(UsageReport report, string format, bool all = false) => format switch
    {
        "xlsx" => Write(s => UsageReportExport.WriteXlsx(s, report), Xlsx, $"bao-cao-su-dung-{report.Period}.xlsx"),
        "csv" => WriteText(w => UsageReportExport.WriteCsv(w, report, all), $"bao-cao-su-dung-{report.Period}.csv"),
        _ => null,
    };

    public static FileContentResult? Governance(GovernanceReport report, string format) => format switch
    {
        "xlsx" => Write(s => GovernanceExport.WriteXlsx(s, report), Xlsx, $"danh-sach-xu-ly-{report.Quarter}.xlsx"),
        "csv" => WriteText(w => GovernanceExport.WriteCsv(w, report), $"danh-sach-xu-ly-{report.Quarter}.csv"),
        _ => null,
    };

    private static FileContentResult Write(Action<Stream> write, string type, string name)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        return new FileContentResult(buffer.ToArray(), type) { FileDownloadName = name };
    }

    // With a byte order mark, as the CLI writes it, so Excel opens the Vietnamese text as UTF-8.
    private static FileContentResult WriteText(Action<TextWriter> write, string name) => Write(s =>
    {
        using var w = new StreamWriter(s, new UTF8Encoding(true), leaveOpen: true);
        write(w);
    }, Csv, name);
}
