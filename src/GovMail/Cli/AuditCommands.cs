using System.CommandLine;
using GovMail.Core;
using GovMail.Storage.Audit;

namespace GovMail.Cli;

/// <summary><c>govmail audit list|verify</c>: the append-only, hash-chained audit log.</summary>
public static class AuditCommands
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var audit = new Command("audit", "Audit log / Nhật ký quản trị");

        var account = new Option<string?>("--account") { Description = "Only entries about or by this address / Chỉ các mục của địa chỉ này" };
        var since = new Option<string?>("--since") { Description = "From this day, dd/MM/yyyy / Từ ngày" };
        var list = new Command("list", "List audit entries, oldest first / Liệt kê nhật ký") { account, since };
        list.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            var auditScope = await ctx.UnitsInScopeAsync(Core.Security.Permission.ReadAudit, ct);
            DateTimeOffset? from = pr.GetValue(since) is { } s ? Core.Usage.UsagePeriod.StartOfLocalDay(AccountCommands.ParseDate(s)) : null;
            var entries = await new AuditLog(ctx.Database).ListAsync(pr.GetValue(account), from, auditScope, ct);
            if (ctx.Output.Json)
            {
                ctx.Output.WriteJson(entries.Select(e => new { id = e.Id, at = e.At, actor = e.Actor, action = e.Action, target = e.Target, detail = e.Detail, hash = e.Hash }));
                return 0;
            }
            foreach (var e in entries)
                ctx.Output.Line($"#{e.Id,-6} {Messages.Format("DateTime", null, [e.At])}  {e.Actor,-28} {e.Action,-26} {e.Target}  {e.Detail}");
            ctx.Output.Line(Messages.Format("AuditEntryCount", null, [entries.Count]));
            return 0;
        });
        audit.Subcommands.Add(list);

        var verify = new Command("verify", "Check the hash chain; names the first broken entry / Kiểm tra tính toàn vẹn của nhật ký");
        verify.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.UnitsInScopeAsync(Core.Security.Permission.ReadAudit, ct);
            var result = await new AuditLog(ctx.Database).VerifyAsync(ct);
            if (ctx.Output.Json)
                ctx.Output.WriteJson(new
                {
                    intact = result.Intact, entries = result.Entries,
                    firstBroken = result.FirstBroken is { } b ? new { id = b.Id, at = b.At, actor = b.Actor, action = b.Action, target = b.Target } : null,
                });
            else if (result.FirstBroken is { } broken)
                throw new CliException(Problem.Of("AuditChainBroken", broken.Id, broken.Action, broken.Target, broken.At));
            else
                ctx.Output.Line(Messages.Format("AuditChainIntact", null, [result.Entries]));
            return result.Intact ? 0 : 1;
        });
        audit.Subcommands.Add(verify);
        return audit;
    }
}
