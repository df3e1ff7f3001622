using System.CommandLine;
using GovMail.Core;
using GovMail.Core.Security;
using GovMail.Storage.Directory;

namespace GovMail.Cli;

/// <summary>
/// <c>govmail account keeper add|remove|list</c>: who keeps each unit's collective mailbox (seed 003). A keeper opens the
/// mailbox with their own password as <c>MAILBOX*KEEPER</c>; the assignment and every such login are audited.
/// </summary>
public static class KeeperCommands
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var keeper = new Command("keeper", "Keepers of a unit's collective mailbox / Người quản lý hộp thư đơn vị");
        keeper.Subcommands.Add(Change(context, "add", "Assign a keeper / Giao người quản lý hộp thư"));
        keeper.Subcommands.Add(Change(context, "remove", "Remove a keeper / Thôi giao người quản lý hộp thư"));
        keeper.Subcommands.Add(List(context));
        return keeper;
    }

    private static Command Change(Func<ParseResult, IDictionary<string, string?>?, CliContext> context, string name, string description)
    {
        var mailbox = new Argument<string>("MAILBOX") { Description = "The unit's collective mailbox / Hộp thư tập thể của đơn vị" };
        var person = new Argument<string>("KEEPER") { Description = "The keeper's own address / Địa chỉ của người quản lý" };
        var cmd = new Command(name, description) { mailbox, person };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            var (box, who) = (pr.GetValue(mailbox)!, pr.GetValue(person)!);
            await ctx.RequireAccountAsync(Permission.ManageAccounts, box, ct);
            var keepers = new MailboxKeepers(ctx.Database, ctx.Clock);
            if (name == "add")
            {
                var view = (await keepers.AssignAsync(box, who, ctx.Actor, ct)).OrFail();
                if (ctx.Output.Json) ctx.Output.WriteJson(Json(view));
                else ctx.Output.Line(Messages.Format("KeeperAssigned", null, [view.Keeper, view.KeeperName, view.Mailbox]));
            }
            else
            {
                var removed = (await keepers.RemoveAsync(box, who, ctx.Actor, ct)).OrFail();
                if (ctx.Output.Json) ctx.Output.WriteJson(new { mailbox = box.Trim().ToLowerInvariant(), keeper = removed, removed = true });
                else ctx.Output.Line(Messages.Format("KeeperRemoved", null, [removed, box.Trim().ToLowerInvariant()]));
            }
            return 0;
        });
        return cmd;
    }

    private static Command List(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var address = new Argument<string?>("ADDRESS")
        {
            Description = "A collective mailbox or a keeper (default: all) / Hộp thư tập thể hoặc người quản lý", Arity = ArgumentArity.ZeroOrOne,
        };
        var cmd = new Command("list", "Keepers of collective mailboxes / Danh sách người quản lý hộp thư") { address };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            var scope = await ctx.ScopeAsync(ct);
            var rows = new List<KeeperView>();
            foreach (var row in (await new MailboxKeepers(ctx.Database, ctx.Clock).ListAsync(pr.GetValue(address), ct)).OrFail())
                if (await ctx.Access.CheckAccountAsync(scope, Permission.ReadDirectory, row.Mailbox, ct) is null) rows.Add(row);
            if (ctx.Output.Json) { ctx.Output.WriteJson(rows.Select(Json)); return 0; }
            if (rows.Count == 0) ctx.Output.Line(Messages.Get("KeepersNone"));
            foreach (var r in rows) ctx.Output.Line(Messages.Format("KeeperLine", null, [r.Mailbox, r.Keeper, r.KeeperName, r.AssignedBy, r.AssignedAt]));
            return 0;
        });
        return cmd;
    }

    private static object Json(KeeperView v) =>
        new { mailbox = v.Mailbox, keeper = v.Keeper, keeperName = v.KeeperName, assignedBy = v.AssignedBy, assignedAt = v.AssignedAt };
}
