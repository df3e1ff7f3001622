using System.CommandLine;
using System.Text;
using System.Text.Json;
using GovMail.Core;
using GovMail.Core.Usage;
using GovMail.Reports;
using GovMail.Reports.Export;
using GovMail.Reports.Governance;
using GovMail.Reports.Periods;

namespace GovMail.Cli;

/// <summary>
/// <c>govmail report usage|governance|decide</c>: a period's usage statistics with the official low-use list, a quarter's
/// governance lists, and the HR reviewer's decision per line (docs/cli.md). Reports fold pending events first.
/// </summary>
public static class ReportCommands
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var report = new Command("report", "Usage statistics and governance lists / Báo cáo thống kê sử dụng");
        report.Subcommands.Add(Usage(context));
        report.Subcommands.Add(Governance(context));
        report.Subcommands.Add(Decide(context));
        report.Subcommands.Add(RegistrationReportCommand.Build(context));
        report.Subcommands.Add(PublicWebmailReportCommand.Build(context));
        return report;
    }

    private static Command Usage(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var period = new Option<string>("--period") { Description = "2024-Q1 or 2024-03 / Kỳ báo cáo (quý hoặc tháng)", Required = true };
        var agency = new Option<string?>("--agency") { Description = "Only this agency or unit / Chỉ cơ quan, đơn vị này" };
        var format = new Option<string?>("--format") { Description = "xlsx|csv|json (default: from -o, else text) / Định dạng" };
        var output = new Option<string?>("-o", "--output") { Description = "File to write / Tệp kết quả" };
        var all = new Option<bool>("--all") { Description = "CSV: every account, not only the listed ones / CSV gồm mọi tài khoản" };
        var cmd = new Command("usage", "Usage statistics of a month or quarter / Thống kê sử dụng theo tháng, quý") { period, agency, format, output, all };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ReadReports, pr.GetValue(agency), ct);
            var p = UsagePeriod.Parse(pr.GetValue(period)).OrFail();
            var (fmt, path) = Target(ctx, pr.GetValue(format), pr.GetValue(output));
            var built = (await CliProgress.RunAsync(ctx.Output,
                progress => new UsageReports(ctx.Database, ctx.Clock) { Progress = progress }.PeriodAsync(p, pr.GetValue(agency), ct))).OrFail();
            await WriteAsync(ctx, fmt, path, Messages.Get("SheetLowUseList"),
                xlsx: s => UsageReportExport.WriteXlsx(s, built),
                csv: w => UsageReportExport.WriteCsv(w, built, pr.GetValue(all)),
                json: () => UsageReportExport.Json(built),
                text: () => Text(ctx.Output, built), ct);
            return 0;
        });
        return cmd;
    }

    private static Command Governance(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var quarter = new Option<string>("--quarter") { Description = "2024-Q1 / Quý", Required = true };
        var agency = new Option<string?>("--agency") { Description = "Only this agency or unit / Chỉ cơ quan, đơn vị này" };
        var format = new Option<string?>("--format") { Description = "xlsx|csv|json (default: from -o, else text) / Định dạng" };
        var output = new Option<string?>("-o", "--output") { Description = "File to write / Tệp kết quả" };
        var cmd = new Command("governance", "Who is graded down and who is proposed for cancellation / Danh sách hạ bậc, đề nghị hủy") { quarter, agency, format, output };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ReadReports, pr.GetValue(agency), ct);
            var q = UsagePeriod.ParseQuarter(pr.GetValue(quarter)).OrFail();
            var (fmt, path) = Target(ctx, pr.GetValue(format), pr.GetValue(output));
            var built = (await CliProgress.RunAsync(ctx.Output,
                progress => new UsageReports(ctx.Database, ctx.Clock) { Progress = progress }.GovernanceAsync(q, pr.GetValue(agency), ct))).OrFail();
            await WriteAsync(ctx, fmt, path, Messages.Get("GovernanceListPersonsGradedDown"),
                xlsx: s => GovernanceExport.WriteXlsx(s, built),
                csv: w => GovernanceExport.WriteCsv(w, built),
                json: () => GovernanceExport.Json(built),
                text: () => Text(ctx.Output, built), ct);
            return 0;
        });
        return cmd;
    }

    private static Command Decide(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var address = new Argument<string>("ADDRESS") { Description = "Address on the list / Địa chỉ trong danh sách" };
        var quarter = new Option<string>("--quarter") { Description = "2024-Q1 / Quý", Required = true };
        var list = new Option<string>("--list") { Description = "persons|heads|cancellations / Danh sách", Required = true };
        var apply = new Option<bool>("--apply") { Description = "Apply the consequence / Áp dụng" };
        var exempt = new Option<bool>("--exempt") { Description = "Do not apply it (needs --reason) / Miễn áp dụng" };
        var reason = new Option<string?>("--reason") { Description = "Why / Lý do" };
        var cmd = new Command("decide", "Record the decision on one line of a governance list / Ghi quyết định cho một dòng danh sách")
            { address, quarter, list, apply, exempt, reason };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAccountAsync(Core.Security.Permission.DecideGovernance, pr.GetValue(address)!, ct);
            var q = UsagePeriod.ParseQuarter(pr.GetValue(quarter)).OrFail();
            var l = GovernanceReport.ParseList(pr.GetValue(list)!) ?? throw new CliException(Problem.Of("UnknownGovernanceList", pr.GetValue(list)), 2);
            if (pr.GetValue(apply) == pr.GetValue(exempt)) throw new CliException(Problem.Of("DecisionChoiceRequired"), 2);
            var kind = pr.GetValue(apply) ? GovernanceDecisionKind.Apply : GovernanceDecisionKind.Exempt;
            var decision = (await new UsageReports(ctx.Database, ctx.Clock).DecideAsync(q, l, pr.GetValue(address)!, kind, pr.GetValue(reason),
                ctx.Actor, ct)).OrFail();
            if (ctx.Output.Json)
                ctx.Output.WriteJson(new
                {
                    quarter = decision.Quarter, list = GovernanceReport.Describe(decision.List), address = pr.GetValue(address)!.Trim().ToLowerInvariant(),
                    decision = decision.Decision.ToString().ToLowerInvariant(), reason = decision.Reason, decidedBy = decision.DecidedBy, decidedAt = decision.DecidedAt,
                });
            else
                ctx.Output.Line(Messages.Format("DecisionRecorded", null,
                    [Messages.Get("Decision" + decision.Decision), pr.GetValue(address), Messages.Get("GovernanceList" + l), q.Name()]));
            return 0;
        });
        return cmd;
    }

    /// <summary>The format asked for (or implied by the file name, or by --json) and the file, if any.</summary>
    private static (string Format, string? Path) Target(CliContext ctx, string? format, string? path)
    {
        var fmt = format?.Trim().ToLowerInvariant()
            ?? Path.GetExtension(path ?? "").TrimStart('.').ToLowerInvariant() switch
            {
                "xlsx" => "xlsx",
                "csv" => "csv",
                "json" => "json",
                _ => ctx.Output.Json ? "json" : "text",
            };
        if (fmt is not ("xlsx" or "csv" or "json" or "text")) throw new CliException(Problem.Of("UnknownFormat", fmt), 2);
        if (fmt == "xlsx" && path is null) throw new CliException(Problem.Of("XlsxNeedsFile"), 2);
        return (fmt, path);
    }

    private static async Task WriteAsync(CliContext ctx, string format, string? path, string what, Action<Stream> xlsx, Action<TextWriter> csv,
        Func<object> json, Action text, CancellationToken ct)
    {
        switch (format, path)
        {
            case ("text", _):
                text();
                return;
            case ("json", null):
                ctx.Output.WriteJson(json());
                return;
            case ("csv", null):
                csv(ctx.Output.Out);
                return;
            case ("xlsx", { } file):
                await using (var s = File.Create(file)) xlsx(s);
                break;
            case ("csv", { } file):
                await using (var w = new StreamWriter(file, false, new UTF8Encoding(true))) csv(w);
                break;
            case ("json", { } file):
                await File.WriteAllTextAsync(file, JsonSerializer.Serialize(json(), CliOutput.JsonOptions) + "\n", new UTF8Encoding(false), ct);
                break;
        }
        if (ctx.Output.Json) ctx.Output.WriteJson(new { written = path, format });
        else ctx.Output.Line(Messages.Format("ReportWritten", null, [what, path]));
    }

    private static void Text(CliOutput o, UsageReport r)
    {
        o.Line(UsageReportExport.Title(r.TenantName, r.Period));
        o.Line();
        foreach (var row in r.Summary)
        {
            var indent = row.Level switch { UsageSummaryLevel.Tenant => "", UsageSummaryLevel.Agency => "  ", _ => "    " };
            var rank = row.Level == UsageSummaryLevel.Tenant ? "" : $"#{row.Rank} ";
            o.Line(indent + rank + Messages.Format("ReportSummaryLine", null,
                [row.Name, row.Counts.Accounts, row.Counts.Regular, row.Counts.RegularPercent, row.Counts.Low, row.Counts.NotUsed, row.Counts.NotActivated, row.Counts.Exempt]));
        }
        var listed = r.Listed.ToList();
        o.Line();
        if (listed.Count == 0) { o.Line(Messages.Get("ReportNobodyListed")); return; }
        var n = 0;
        o.Table([.. UsageReportExport.ListHeader(), Messages.Get("ReportColumnClass")],
            listed.Select(l => (IReadOnlyList<string?>)[(++n).ToString(System.Globalization.CultureInfo.InvariantCulture), l.Account.DisplayName,
                l.Account.Address, l.Account.Title, l.Account.Department, l.Account.Agency, UsageNames.Label(l.Class)]));
    }

    private static void Text(CliOutput o, GovernanceReport r)
    {
        o.Line(GovernanceExport.Title(r));
        foreach (var list in new[] { GovernanceList.PersonsGradedDown, GovernanceList.HeadsGradedDown, GovernanceList.CancellationProposals })
        {
            o.Line();
            o.Line(Messages.Get("GovernanceList" + list).ToUpper(Messages.UserCulture) + $" ({r.Lines(list).Count})");
            foreach (var l in r.Lines(list))
            {
                var decision = l.Decision is { } d ? Messages.Get("Decision" + d.Decision) : Messages.Get("DecisionPending");
                o.Line($"  {l.Account.Address}  {l.Account.DisplayName}  [{l.HeadOfUnit ?? l.Account.UnitPath}]  ({decision})");
                foreach (var reason in l.Reasons) o.Line($"      {reason.Text()}");
            }
        }
    }
}
