using System.CommandLine;
using System.Net;
using GovMail.Core;
using GovMail.Operations;
using GovMail.Smtp.Dkim;

namespace GovMail.Cli;

/// <summary><c>govmail install</c> and <c>govmail check</c> (docs/cli.md, Operations).</summary>
public static class InstallCommands
{
    private const string DefaultData = "/var/lib/govmail";

    public static IEnumerable<Command> Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var domain = new Option<string?>("--domain") { Description = "The mail domain, when the data folder has no tenant yet / Tên miền thư" };
        var name = new Option<string?>("--name") { Description = "The organisation, when the data folder has no tenant yet / Tên cơ quan" };
        var user = new Option<string>("--user") { Description = "System user that runs the service / Người dùng hệ thống", DefaultValueFactory = _ => "govmail" };
        var hostName = new Option<string?>("--hostname") { Description = "The server's name (default mail.DOMAIN) / Tên máy chủ" };
        var root = new Option<string>("--root") { Description = "Write under this folder instead of / (to stage or inspect an installation) / Thư mục gốc", DefaultValueFactory = _ => "/" };
        var install = new Command("install", "Install as a system service: systemd unit, configuration, system user, DNS records to publish / Cài đặt thành dịch vụ")
        {
            domain, name, user, hostName, root,
        };
        install.SetAction(async (pr, ct) =>
        {
            var rootDir = Path.GetFullPath(pr.GetValue(root)!);
            var dataDir = pr.GetValue(CliApp.Data) is { } d ? Path.GetFullPath(d) : DefaultData;
            var plan0 = new InstallPlan(rootDir, dataDir, pr.GetValue(user)!, "", Path.Combine("/etc", "systemd", "system"));
            // The data folder as staged under --root (itself when installing for real).
            var first = context(pr, null);
            var ctx = CliContext.Create(plan0.Staged(dataDir), new Dictionary<string, string?>
            {
                ["Database:Provider"] = pr.GetValue(CliApp.Db),
                ["Database:ConnectionString"] = pr.GetValue(CliApp.Connection),
            }, first.Output, first.Clock);
            System.IO.Directory.CreateDirectory(ctx.Options.DataDirectory);
            await ctx.Database.MigrateAsync(ct);
            var tenant = await ctx.Tenants.FindAsync(ct);
            Storage.Directory.InitResult? init = null;
            if (tenant is null)
            {
                var domainName = pr.GetValue(domain) ?? throw new CliException(Problem.Of("InstallDomainRequired"), 2);
                init = (await ctx.Tenants.InitAsync(domainName, pr.GetValue(name) ?? domainName, null, ct)).OrFail();
                if (!ctx.Output.Json) InitCommand.Report(ctx.Output, init);
                tenant = await ctx.Tenants.FindAsync(ct);
            }
            var domains = tenant!.Domains.Select(x => x.Name).ToList();
            var host = pr.GetValue(hostName) ?? ctx.Options.HostName ?? "mail." + tenant.PrimaryDomain.Name;
            var plan = plan0 with { HostName = host };
            var dkim = DkimKeyStore.In(ctx.Options.DataDirectory);
            foreach (var dn in domains) dkim.Create(DkimKeyStore.Normalize(dn), DkimKeyStore.DefaultSelector);
            var result = Installer.Install(plan);
            var records = DnsPlan.For(domains, host, dkim);
            if (ctx.Output.Json)
            {
                ctx.Output.WriteJson(new
                {
                    written = result.Written, kept = result.Kept, toRun = result.ToRun, hostName = host,
                    adminAddress = init?.AdminAddress, adminPassword = init?.AdminPassword,
                    dns = records.Select(r => new { name = r.Name, type = r.Type, value = r.Value, purpose = r.Purpose, record = r.ZoneLine }),
                });
                return 0;
            }
            foreach (var f in result.Written) ctx.Output.Line(Messages.Format("InstallWrote", null, [f]));
            foreach (var f in result.Kept) ctx.Output.Line(Messages.Format("InstallKept", null, [f]));
            ctx.Output.Line();
            ctx.Output.Line(Messages.Get("InstallRun"));
            foreach (var c in result.ToRun) ctx.Output.Line("  " + c);
            ctx.Output.Line();
            ctx.Output.Line(Messages.Get("InstallDns"));
            foreach (var r in records) ctx.Output.Line($"; {r.Purpose}\n{r.ZoneLine}");
            ctx.Output.Line();
            ctx.Output.Line(Messages.Format("InstallMtaSts", null, [host]));
            return 0;
        });

        var dnsServer = new Option<string?>("--dns-server") { Description = "Ask this DNS server (ADDRESS[:PORT]) instead of the system's / Máy chủ DNS để hỏi" };
        var check = new Command("check", "Verify a running installation and name each problem with its fix / Kiểm tra hệ thống đang chạy") { dnsServer };
        check.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            // The check itself reports an unreachable database or pending schema updates: nothing is opened or migrated first.
            ctx.RequireDataFolder();
            IPEndPoint? server = null;
            if (pr.GetValue(dnsServer) is { } text)
                server = IPEndPoint.TryParse(text, out var ep) ? (ep.Port == 0 ? new IPEndPoint(ep.Address, 53) : ep)
                    : throw new CliException(Problem.Of("CheckBadDnsServer", text), 2);
            var job = new InstallationCheck(ctx.Options, ctx.Database, ctx.Clock) { DnsServer = server };
            var outcomes = await job.RunAsync(ct);
            if (ctx.Output.Json)
                ctx.Output.WriteJson(new
                {
                    ok = outcomes.All(o => o.Ok),
                    checks = outcomes.Select(o => new { check = o.Check, ok = o.Ok, detail = o.Detail, fix = o.Fix }),
                    dns = job.ExpectedDns.Select(r => new { name = r.Name, type = r.Type, value = r.Value, purpose = r.Purpose, record = r.ZoneLine }),
                });
            else
            {
                ctx.Output.Table([Messages.Get("CheckColumnCheck"), Messages.Get("CheckColumnResult"), Messages.Get("CheckColumnDetail")],
                    outcomes.Select(o => (IReadOnlyList<string?>)[o.Check, Messages.Get(o.Ok ? "CheckOk" : "CheckProblem"), o.Detail]));
                var problems = outcomes.Where(o => !o.Ok).ToList();
                ctx.Output.Line();
                ctx.Output.Line(problems.Count == 0 ? Messages.Get("CheckAllGood") : Messages.Format("CheckProblems", null, [problems.Count]));
                foreach (var p in problems) ctx.Output.Line($"- {p.Check}: {p.Fix}");
            }
            return outcomes.All(o => o.Ok) ? 0 : 1;
        });
        return [install, check];
    }
}
