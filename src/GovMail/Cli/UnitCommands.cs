using System.CommandLine;
using GovMail.Core;
using GovMail.Core.Directory;

namespace GovMail.Cli;

/// <summary><c>govmail unit add|list|move|set-head</c>: the tree of agencies, departments and communes.</summary>
public static class UnitCommands
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var unit = new Command("unit", "Organisation units / Đơn vị, phòng ban");

        var name = new Argument<string>("NAME") { Description = "Unit name, or a path 'Agency / Department' / Tên đơn vị hoặc đường dẫn" };
        var parent = new Option<string?>("--parent") { Description = "Parent unit / Đơn vị cấp trên" };
        var kind = new Option<string?>("--kind") { Description = "agency|department|division|commune (guessed from the name) / Loại đơn vị" };
        var add = new Command("add", "Add a unit / Thêm đơn vị") { name, parent, kind };
        add.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManageUnits, pr.GetValue(parent), ct);
            UnitKind? k = pr.GetValue(kind) is { } ks ? ParseKind(ks) : null;
            var created = (await ctx.Units.AddAsync(pr.GetValue(name)!, pr.GetValue(parent), k, ctx.Actor, ct)).OrFail();
            if (ctx.Output.Json) ctx.Output.WriteJson(new { id = created.Id, name = created.Name, kind = created.Kind, parent = pr.GetValue(parent) });
            else ctx.Output.Line(Messages.Format("UnitAdded", null, [created.Name]));
            return 0;
        });
        unit.Subcommands.Add(add);

        var list = new Command("list", "The unit tree / Cây đơn vị");
        list.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            var visible = await ctx.UnitsInScopeAsync(Core.Security.Permission.ReadDirectory, ct);
            var nodes = (await ctx.Units.ListAsync(ct)).Where(n => visible is null || visible.Contains(n.Unit.Id)).ToList();
            if (ctx.Output.Json)
            {
                ctx.Output.WriteJson(nodes.Select(n => new
                {
                    id = n.Unit.Id, name = n.Unit.Name, path = n.Path, depth = n.Depth, kind = n.Unit.Kind,
                    parentId = n.Unit.ParentId, head = n.HeadAddress, accounts = n.AccountCount,
                }));
                return 0;
            }
            foreach (var n in nodes)
                ctx.Output.Line($"{new string(' ', n.Depth * 2)}{n.Unit.Name}  [{KindLabel(n.Unit.Kind)}; {n.AccountCount}{(n.HeadAddress is null ? "" : "; " + n.HeadAddress)}]");
            return 0;
        });
        unit.Subcommands.Add(list);

        var moveName = new Argument<string>("NAME") { Description = "Unit to move / Đơn vị cần chuyển" };
        var to = new Option<string?>("--parent") { Description = "New parent; omit to make it a top-level agency / Đơn vị cấp trên mới" };
        var move = new Command("move", "Move a unit under another / Chuyển đơn vị") { moveName, to };
        move.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManageUnits, pr.GetValue(moveName), ct);
            await ctx.RequireAsync(Core.Security.Permission.ManageUnits, pr.GetValue(to), ct);
            var moved = (await ctx.Units.MoveAsync(pr.GetValue(moveName)!, pr.GetValue(to), ctx.Actor, ct)).OrFail();
            if (ctx.Output.Json) ctx.Output.WriteJson(new { id = moved.Id, name = moved.Name, parentId = moved.ParentId });
            else ctx.Output.Line(Messages.Format("UnitMoved", null, [moved.Name]));
            return 0;
        });
        unit.Subcommands.Add(move);

        var headUnit = new Argument<string>("UNIT") { Description = "Unit / Đơn vị" };
        var headAddress = new Argument<string>("ADDRESS") { Description = "Address of the head / Địa chỉ thư của thủ trưởng" };
        var setHead = new Command("set-head", "Name the head of a unit / Chỉ định thủ trưởng đơn vị") { headUnit, headAddress };
        setHead.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManageUnits, pr.GetValue(headUnit), ct);
            await ctx.RequireAccountAsync(Core.Security.Permission.ReadDirectory, pr.GetValue(headAddress)!, ct);
            var u = (await ctx.Units.SetHeadAsync(pr.GetValue(headUnit)!, pr.GetValue(headAddress)!, ctx.Actor, ct)).OrFail();
            if (ctx.Output.Json) ctx.Output.WriteJson(new { unit = u.Name, head = pr.GetValue(headAddress)!.Trim().ToLowerInvariant() });
            else ctx.Output.Line(Messages.Format("UnitHeadSet", null, [u.Name, pr.GetValue(headAddress)]));
            return 0;
        });
        unit.Subcommands.Add(setHead);
        return unit;
    }

    private static UnitKind ParseKind(string text) => text.Trim().ToLowerInvariant() switch
    {
        "agency" or "co-quan" or "coquan" => UnitKind.Agency,
        "department" or "phong" => UnitKind.Department,
        "division" or "bo-phan" => UnitKind.Division,
        "commune" or "xa" => UnitKind.Commune,
        _ => throw new CliException(Problem.Of("UnknownUnitKind", text), 2),
    };

    internal static string KindLabel(UnitKind kind) => Messages.Get("UnitKind" + kind);
}
