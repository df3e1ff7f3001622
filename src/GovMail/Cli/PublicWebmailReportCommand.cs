using System.CommandLine;
using GovMail.Core;
using GovMail.Storage.Mail;

namespace GovMail.Cli;

/// <summary>
/// <c>govmail report public-webmail [--agency A] [--since dd/MM/yyyy] [--format json]</c>: official mail sent with a public
/// webmail address (gmail, yahoo, outlook.com…) as contact in its body or signature (seed 004), per agency.
/// </summary>
public static class PublicWebmailReportCommand
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var filter = new OfficialUseReportFilter("Sent from this day, dd/MM/yyyy / Gửi từ ngày");
        var cmd = new Command("public-webmail",
            "Official mail giving a public webmail address (gmail, yahoo…) as contact / Thư công vụ ghi địa chỉ liên hệ là thư điện tử công cộng");
        filter.AddTo(cmd);
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            var (units, from, json) = await filter.ReadAsync(ctx, pr, ct);
            var reports = OfficialUseReportFilter.Reports(ctx);
            var rows = await CliProgress.StageAsync(ctx.Output, Messages.Get("ProgressScanningSentMail"), () => reports.PublicWebmailAsync(from, units, ct));
            if (json)
            {
                ctx.Output.WriteJson(reports.PublicWebmailJson(rows));
                return 0;
            }
            foreach (var g in rows.GroupBy(r => r.Agency))
            {
                ctx.Output.Line(Messages.Format("PublicWebmailAgencyLine", null, [g.Key, g.Select(r => r.Address).Distinct().Count()]));
                ctx.Output.Table([Messages.Get("ColumnAddress"), Messages.Get("ColumnDisplayName"), Messages.Get("ColumnUnit"),
                        Messages.Get("ColumnPublicAddress"), Messages.Get("ColumnSubject"), Messages.Get("ColumnSent")],
                    g.Select(r => (IReadOnlyList<string?>)[r.Address, r.DisplayName, r.UnitPath, r.PublicAddress, r.Subject,
                        Messages.Format("DateTime", null, [r.SentAt])]));
                ctx.Output.Line();
            }
            ctx.Output.Line(Messages.Format("PublicWebmailCount", null, [rows.Select(r => r.Address).Distinct().Count(), rows.Count]));
            return 0;
        });
        return cmd;
    }
}
