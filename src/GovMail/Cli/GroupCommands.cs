using System.CommandLine;
using GovMail.Core;

namespace GovMail.Cli;

/// <summary><c>govmail group add|add-member|members</c>: distribution groups, including each unit's automatic group.</summary>
public static class GroupCommands
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var group = new Command("group", "Distribution groups / Nhóm thư");

        var address = new Argument<string>("ADDRESS") { Description = "Group address / Địa chỉ nhóm" };
        var name = new Option<string?>("--name") { Description = "Group name / Tên nhóm" };
        var unit = new Option<string?>("--unit") { Description = "Give this unit's automatic group the address / Gán địa chỉ cho nhóm tự động của đơn vị" };
        var add = new Command("add", "Create a group, or address a unit's group / Tạo nhóm thư") { address, name, unit };
        add.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManageAccounts, pr.GetValue(unit), ct);
            var g = (await ctx.AddressBook.AddGroupAsync(pr.GetValue(address)!, pr.GetValue(name) ?? "", pr.GetValue(unit), ctx.Actor, ct)).OrFail();
            if (ctx.Output.Json) ctx.Output.WriteJson(new { address = g.Address, name = g.Name, automatic = g.IsAutomatic });
            else ctx.Output.Line(Messages.Format("GroupAdded", null, [g.Address, g.Name]));
            return 0;
        });
        group.Subcommands.Add(add);

        var groupAddress = new Argument<string>("GROUP") { Description = "Group address / Địa chỉ nhóm" };
        var member = new Argument<string>("ACCOUNT") { Description = "Member address / Địa chỉ thành viên" };
        var addMember = new Command("add-member", "Add a member / Thêm thành viên") { groupAddress, member };
        addMember.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManageAccounts, null, ct);
            var g = (await ctx.AddressBook.AddMemberAsync(pr.GetValue(groupAddress)!, pr.GetValue(member)!, ctx.Actor, ct)).OrFail();
            if (ctx.Output.Json) ctx.Output.WriteJson(new { group = g.Address, members = g.Members.Count });
            else ctx.Output.Line(Messages.Format("GroupMemberAdded", null, [pr.GetValue(member), g.Address]));
            return 0;
        });
        group.Subcommands.Add(addMember);

        var membersOf = new Argument<string>("GROUP") { Description = "Group address / Địa chỉ nhóm" };
        var members = new Command("members", "Who a message to the address reaches / Những người nhận thư gửi tới nhóm") { membersOf };
        members.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ReadDirectory, null, ct);
            var rows = await ctx.AddressBook.ResolveRecipientsAsync(pr.GetValue(membersOf)!, ct);
            if (rows.Count == 0 && !await ctx.AddressBook.IsKnownAsync(pr.GetValue(membersOf)!, ct))
                throw new CliException(Problem.Of("AddressUnknown", pr.GetValue(membersOf)));
            if (ctx.Output.Json) ctx.Output.WriteJson(rows.Select(a => new { address = a.Address, displayName = a.DisplayName }));
            else ctx.Output.Table([Messages.Get("ColumnAddress"), Messages.Get("ColumnDisplayName")], rows.Select(a => (IReadOnlyList<string?>)[a.Address, a.DisplayName]));
            return 0;
        });
        group.Subcommands.Add(members);
        return group;
    }
}
