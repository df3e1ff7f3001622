using System.CommandLine;
using GovMail.Core;
using GovMail.Core.Security;
using GovMail.Storage.Mail;

namespace GovMail.Cli;

/// <summary>
/// <c>govmail report registrations [--agency A] [--since dd/MM/yyyy] [--format json]</c>: mail officials received from social
/// networks, e-commerce and e-banking (seed 004), per agency.
/// </summary>
public static class RegistrationReportCommand
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var filter = new OfficialUseReportFilter("Received from this day, dd/MM/yyyy / Nhận từ ngày");
        var cmd = new Command("registrations",
            "Official addresses used to register on social networks, e-commerce or e-banking / Hộp thư công vụ dùng để đăng ký mạng xã hội, ngân hàng điện tử");
        filter.AddTo(cmd);
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            var (units, from, json) = await filter.ReadAsync(ctx, pr, ct);
            var reports = OfficialUseReportFilter.Reports(ctx);
            var rows = await CliProgress.StageAsync(ctx.Output, Messages.Get("ProgressScanningReceivedMail"), () => reports.RegistrationsAsync(from, units, ct));
            if (json)
            {
                ctx.Output.WriteJson(reports.RegistrationsJson(rows));
                return 0;
            }
            foreach (var g in rows.GroupBy(r => r.Agency))
            {
                ctx.Output.Line(Messages.Format("RegistrationAgencyLine", null, [g.Key, g.Select(r => r.Address).Distinct().Count()]));
                ctx.Output.Table([Messages.Get("ColumnAddress"), Messages.Get("ColumnDisplayName"), Messages.Get("ColumnSender"), Messages.Get("ColumnSubject"), Messages.Get("ColumnReceived")],
                    g.Select(r => (IReadOnlyList<string?>)[r.Address, r.DisplayName, r.Sender, r.Subject, Messages.Format("DateTime", null, [r.ReceivedAt])]));
                ctx.Output.Line();
            }
            ctx.Output.Line(Messages.Format("RegistrationCount", null, [rows.Select(r => r.Address).Distinct().Count(), rows.Count]));
            return 0;
        });
        return cmd;
    }
}

/// <summary>
/// What the official-use reports share: <c>--agency A</c> (a unit and its subtree, within the <c>--as</c> administrator's scope),
/// <c>--since dd/MM/yyyy</c> (from 00:00 that day in Vietnam) and <c>--format text|json</c>.
/// </summary>
internal sealed class OfficialUseReportFilter(string sinceDescription)
{
    private readonly Option<string?> _agency = new("--agency") { Description = "Only this agency or unit / Chỉ cơ quan, đơn vị này" };
    private readonly Option<string?> _since = new("--since") { Description = sinceDescription };
    private readonly Option<string?> _format = new("--format") { Description = "text|json / Định dạng" };

    public void AddTo(Command command)
    {
        command.Options.Add(_agency);
        command.Options.Add(_since);
        command.Options.Add(_format);
    }

    /// <summary>The reports with the configured domain lists.</summary>
    public static OfficialUseReports Reports(CliContext ctx) =>
        new(ctx.Database, OfficialUseDomains.From(ctx.Options.Safeguards.PublicMailDomains, ctx.Options.Safeguards.RegistrationSenderDomains));

    /// <summary>Opens the tenant, checks the report permission and reads the options: the units (null: all), the start, JSON or not.</summary>
    public async Task<(HashSet<Guid>? Units, DateTimeOffset? Since, bool Json)> ReadAsync(CliContext ctx, ParseResult pr, CancellationToken ct)
    {
        await ctx.OpenTenantAsync(ct);
        await ctx.RequireAsync(Permission.ReadReports, pr.GetValue(_agency), ct);
        var fmt = pr.GetValue(_format)?.Trim().ToLowerInvariant();
        if (fmt is not (null or "text" or "json")) throw new CliException(Problem.Of("UnknownFormat", fmt), 2);
        var units = (await Reports(ctx).SubtreeAsync(pr.GetValue(_agency), ct)).OrFail();
        DateTimeOffset? from = pr.GetValue(_since) is { } s ? Core.Usage.UsagePeriod.StartOfLocalDay(AccountCommands.ParseDate(s)) : null;
        return (units, from, ctx.Output.Json || fmt == "json");
    }
}
