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
        var agency = new Option<string?>("--agency") { Description = "Only this agency or unit / Chỉ cơ quan, đơn vị này" };
        var since = new Option<string?>("--since") { Description = "Received from this day, dd/MM/yyyy / Nhận từ ngày" };
        var format = new Option<string?>("--format") { Description = "text|json / Định dạng" };
        var cmd = new Command("registrations",
            "Official addresses used to register on social networks, e-commerce or e-banking / Hộp thư công vụ dùng để đăng ký mạng xã hội, ngân hàng điện tử")
            { agency, since, format };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Permission.ReadReports, pr.GetValue(agency), ct);
            var fmt = pr.GetValue(format)?.Trim().ToLowerInvariant();
            if (fmt is not (null or "text" or "json")) throw new CliException(Problem.Of("UnknownFormat", fmt), 2);
            HashSet<Guid>? units = null;
            if (pr.GetValue(agency) is { } a)
            {
                var unit = (await ctx.Units.ResolveAsync(a, ct)).OrFail();
                await using var db = ctx.Database.Open();
                units = Storage.Directory.UnitTree.Subtree(unit.Id,
                    await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.Units, ct));
            }
            DateTimeOffset? from = pr.GetValue(since) is { } s ? Core.Usage.UsagePeriod.StartOfLocalDay(AccountCommands.ParseDate(s)) : null;
            var rows = await new RegistrationMail(ctx.Database).ListAsync(ctx.Options.Safeguards.RegistrationSenders, from, units, ct);
            if (ctx.Output.Json || fmt == "json")
            {
                ctx.Output.WriteJson(new
                {
                    senderDomains = ctx.Options.Safeguards.RegistrationSenders,
                    agencies = rows.GroupBy(r => r.Agency).Select(g => new
                    {
                        agency = g.Key,
                        accounts = g.Select(r => r.Address).Distinct().Count(),
                        messages = g.Select(r => new
                        {
                            address = r.Address, displayName = r.DisplayName, unit = r.UnitPath, sender = r.Sender, senderDomain = r.SenderDomain,
                            subject = r.Subject, receivedAt = r.ReceivedAt,
                        }),
                    }),
                });
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
