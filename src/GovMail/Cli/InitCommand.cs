using System.CommandLine;
using GovMail.Core;

namespace GovMail.Cli;

/// <summary><c>govmail init --domain DOMAIN --name "ORGANISATION"</c>: the tenant and its first administrator in an empty data folder.</summary>
public static class InitCommand
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var domain = new Option<string>("--domain") { Description = "Mail domain, e.g. tphcm.gov.vn / Tên miền thư", Required = true };
        var name = new Option<string>("--name") { Description = "Organisation name / Tên cơ quan, tổ chức", Required = true };
        var admin = new Option<string?>("--admin") { Description = "Address of the first administrator (default admin@DOMAIN) / Địa chỉ quản trị viên đầu tiên" };
        var cmd = new Command("init", "Create the tenant and the first administrator / Khởi tạo hệ thống và tài khoản quản trị đầu tiên")
        {
            domain, name, admin,
        };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.Database.MigrateAsync(ct);
            var result = (await ctx.Tenants.InitAsync(pr.GetValue(domain)!, pr.GetValue(name)!, pr.GetValue(admin), ct)).OrFail();
            Report(ctx.Output, result);
            return 0;
        });
        return cmd;
    }

    internal static void Report(CliOutput output, Storage.Directory.InitResult result)
    {
        if (output.Json)
        {
            output.WriteJson(new
            {
                domain = result.Tenant.PrimaryDomain.Name,
                name = result.Tenant.Name,
                adminAddress = result.AdminAddress,
                adminPassword = result.AdminPassword,
            });
            return;
        }
        output.Line(Messages.Format("InitDone", null, [result.Tenant.Name, result.Tenant.PrimaryDomain.Name]));
        output.Line(Messages.Format("FirstAdminPassword", null, [result.AdminAddress, result.AdminPassword]));
    }
}
