using System.CommandLine;
using GovMail.Core;
using GovMail.Smtp.Dkim;

namespace GovMail.Cli;

/// <summary><c>govmail dkim init DOMAIN [--selector S]</c>: the signing key of one of the tenant's domains and its DNS record.</summary>
public static class DkimCommands
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var dkim = new Command("dkim", "DKIM signing keys / Khóa ký DKIM");

        var domain = new Argument<string>("DOMAIN") { Description = "One of the tenant's mail domains / Tên miền thư của đơn vị" };
        var selector = new Option<string?>("--selector")
        {
            Description = $"DNS selector (default {DkimKeyStore.DefaultSelector}); a new selector rotates the key / Bộ chọn DNS",
        };
        var init = new Command("init", "Create the domain's DKIM key and print its DNS record / Tạo khóa DKIM và in bản ghi DNS") { domain, selector };
        init.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            var tenant = await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManagePolicy, null, ct);
            var name = DkimKeyStore.Normalize(pr.GetValue(domain)!);
            if (!tenant.Domains.Any(d => DkimKeyStore.Normalize(d.Name) == name))
                throw new CliException(Problem.Of("DkimDomainNotLocal", pr.GetValue(domain)!.Trim()));
            var s = (pr.GetValue(selector) ?? DkimKeyStore.DefaultSelector).Trim().ToLowerInvariant();
            if (!DkimKeyStore.IsValidSelector(s)) throw new CliException(Problem.Of("DkimSelectorInvalid", s), 2);

            var (key, created) = DkimKeyStore.In(ctx.Options.DataDirectory).Create(name, s);
            var record = key.Record();
            if (ctx.Output.Json)
            {
                ctx.Output.WriteJson(new
                {
                    domain = key.Domain, selector = key.Selector, created, file = key.FilePath,
                    name = record.Name, type = "TXT", value = record.Value, strings = record.Strings, record = record.ZoneLine,
                });
                return 0;
            }
            ctx.Output.Line(Messages.Format(created ? "DkimKeyCreated" : "DkimKeyExists", null, [key.Domain, key.Selector, key.FilePath]));
            ctx.Output.Line();
            ctx.Output.Line(record.ZoneLine);
            return 0;
        });
        dkim.Subcommands.Add(init);
        return dkim;
    }
}
