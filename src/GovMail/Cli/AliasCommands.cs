using System.CommandLine;
using GovMail.Core;

namespace GovMail.Cli;

/// <summary><c>govmail alias add|remove|list</c>: other addresses that deliver to an account.</summary>
public static class AliasCommands
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var alias = new Command("alias", "Aliases / Bí danh");

        var aliasAddress = new Argument<string>("ALIAS") { Description = "Alias address / Địa chỉ bí danh" };
        var target = new Argument<string>("ACCOUNT") { Description = "Account it delivers to / Tài khoản nhận" };
        var add = new Command("add", "Add an alias / Thêm bí danh") { aliasAddress, target };
        add.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAccountAsync(Core.Security.Permission.ManageAccounts, pr.GetValue(target)!, ct);
            var row = (await ctx.AddressBook.AddAliasAsync(pr.GetValue(aliasAddress)!, pr.GetValue(target)!, ctx.Actor, ct)).OrFail();
            if (ctx.Output.Json) ctx.Output.WriteJson(new { alias = row.Address, account = pr.GetValue(target)!.Trim().ToLowerInvariant() });
            else ctx.Output.Line(Messages.Format("AliasAdded", null, [row.Address, pr.GetValue(target)]));
            return 0;
        });
        alias.Subcommands.Add(add);

        var removeAddress = new Argument<string>("ALIAS") { Description = "Alias address / Địa chỉ bí danh" };
        var remove = new Command("remove", "Remove an alias / Xóa bí danh") { removeAddress };
        remove.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAccountAsync(Core.Security.Permission.ManageAccounts, pr.GetValue(removeAddress)!, ct);
            var removed = (await ctx.AddressBook.RemoveAliasAsync(pr.GetValue(removeAddress)!, ctx.Actor, ct)).OrFail();
            if (ctx.Output.Json) ctx.Output.WriteJson(new { removed });
            else ctx.Output.Line(Messages.Format("AliasRemoved", null, [removed]));
            return 0;
        });
        alias.Subcommands.Add(remove);

        var list = new Command("list", "List aliases / Danh sách bí danh");
        list.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ReadDirectory, null, ct);
            var rows = await ctx.AddressBook.ListAliasesAsync(ct);
            if (ctx.Output.Json) ctx.Output.WriteJson(rows.Select(r => new { alias = r.Alias, account = r.Account }));
            else ctx.Output.Table([Messages.Get("ColumnAlias"), Messages.Get("ColumnAddress")], rows.Select(r => (IReadOnlyList<string?>)[r.Alias, r.Account]));
            return 0;
        });
        alias.Subcommands.Add(list);
        return alias;
    }
}
