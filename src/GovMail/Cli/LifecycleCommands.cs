using System.CommandLine;
using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Lifecycle;
using GovMail.Core.Security;
using GovMail.Storage.Import;
using GovMail.Storage.Lifecycle;

namespace GovMail.Cli;

/// <summary>
/// <c>govmail account transfer|retire|resign|cancel|run-scheduled</c>: the lifecycle workflows (seed 003: chuyển công tác,
/// thôi việc, nghỉ hưu; hủy), each audited; what is due later runs in <c>govmail serve</c> or with <c>run-scheduled</c>.
/// </summary>
public static class LifecycleCommands
{
    public static void AddTo(Command account, Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        account.Subcommands.Add(Transfer(context));
        account.Subcommands.Add(Departure(context, "retire", LifecycleKind.Retirement,
            "Retirement: login stops, reply and forward to the unit mailbox, then closed / Nghỉ hưu"));
        account.Subcommands.Add(Departure(context, "resign", LifecycleKind.Resignation,
            "Resignation: login stops, reply and forward to the unit mailbox, then closed / Thôi việc"));
        account.Subcommands.Add(Cancel(context));
        account.Subcommands.Add(RunScheduled(context));
        account.Subcommands.Add(HrChanges(context));
    }

    private static Command HrChanges(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var file = new Argument<string>("FILE")
        {
            Description = "HR change file .xlsx or .csv (Địa chỉ hộp thư, Thay đổi, Ngày hiệu lực, Đơn vị mới, Địa chỉ mới, Chuyển tiếp đến, Lý do) / Danh sách biến động nhân sự",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check and show what would be done; change nothing / Chỉ kiểm tra, không ghi" };
        var cmd = new Command("hr-changes", "Apply transfers, retirements, resignations and cancellations from an HR change file / Áp dụng danh sách biến động nhân sự") { file, dryRun };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            var path = pr.GetValue(file)!;
            if (!File.Exists(path)) throw new CliException(Problem.Of("FileNotFound", path));
            var read = HrChangeFileReader.Read(path);
            if (!read.IsOk) throw new CliException(read.Problem!);
            var scope = await ctx.ScopeAsync(ct);
            // Each row's person, and a transfer's new unit, must be within the administrator's scope.
            Task<Problem?> Allowed(string address, string? newUnit, CancellationToken c) => ctx.Access.CheckHrChangeAsync(scope, address, newUnit, c);
            var plan = await CliProgress.RunAsync(ctx.Output, progress => new HrChangeImporter(ctx.Database, ctx.Clock, ctx.Hasher) { Progress = progress }
                .ApplyAsync(read.Rows, pr.GetValue(dryRun), ctx.Actor, Path.GetFileName(path), Allowed, ct, ctx.Options.Safeguards.PublicMail));
            var o = ctx.Output;
            if (o.Json)
            {
                o.WriteJson(new
                {
                    applied = plan.Applied,
                    dryRun = pr.GetValue(dryRun),
                    changes = plan.Done.Select(d => new { row = d.RowNumber, workflow = LifecycleRules.Name(d.Kind), address = d.Address, result = ResultJson(d.Result) }),
                    problems = plan.Problems.Select(p => new { row = p.RowNumber, code = p.Problem.Code, message = p.Problem.Message() }),
                });
            }
            else if (plan.Problems.Count > 0)
            {
                foreach (var p in plan.Problems) o.Error.WriteLine(Messages.Format("ImportRowProblem", null, [p.RowNumber, p.Problem.Message()]));
                o.Line(Messages.Format("HrChangesRefused", null, [plan.Problems.Count, plan.Problems.Select(p => p.RowNumber).Distinct().Count()]));
            }
            else
            {
                o.Table([Messages.Get("ColumnRow"), Messages.Get("ColumnAddress"), Messages.Get("ColumnState")],
                    plan.Done.Select(d => (IReadOnlyList<string?>)[d.RowNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        d.Address, LifecycleRules.Name(d.Kind) + " → " + AccountLifecycle.Describe(d.Result.Account.State)]));
                o.Line(Messages.Format(plan.Applied ? "HrChangesDone" : "HrChangesDryRun", null, [plan.Done.Count]));
            }
            return plan.Problems.Count > 0 ? 1 : 0;
        });
        return cmd;
    }

    private static Command Transfer(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var address = new Argument<string>("ADDRESS") { Description = "Address / Địa chỉ thư" };
        var unit = new Option<string>("--unit") { Description = "New unit / Đơn vị mới", Required = true };
        var newAddress = new Option<string?>("--new-address") { Description = "New address at the new agency / Địa chỉ mới" };
        var keepUntil = new Option<string?>("--keep-old-until")
        {
            Description = $"Last day the old address still delivers, dd/MM/yyyy (default {LifecycleRules.DefaultOldAddressDays} days) / Giữ địa chỉ cũ đến ngày",
        };
        var reason = new Option<string?>("--reason") { Description = "Decision or reason / Quyết định, lý do" };
        var cmd = new Command("transfer", "Move an account with its person to another unit / Chuyển công tác") { address, unit, newAddress, keepUntil, reason };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            var request = new TransferRequest(pr.GetValue(address)!, pr.GetValue(unit)!)
            {
                NewAddress = pr.GetValue(newAddress),
                KeepOldAddressUntil = pr.GetValue(keepUntil) is { } k ? AccountCommands.ParseDate(k) : null,
                Reason = pr.GetValue(reason),
            };
            if (request.KeepOldAddressUntil is not null && request.NewAddress is null)
                throw new CliException(Problem.Of("KeepOldUntilNeedsNewAddress"), 2);
            await ctx.RequireAccountAsync(Permission.ManageAccounts, request.Address, ct);
            await ctx.RequireAsync(Permission.ManageAccounts, request.UnitReference, ct);
            Write(ctx, (await ctx.Lifecycle.TransferAsync(request, ctx.Actor, ct)).OrFail());
            return 0;
        });
        return cmd;
    }

    private static Command Departure(Func<ParseResult, IDictionary<string, string?>?, CliContext> context, string name, LifecycleKind kind,
        string description)
    {
        var address = new Argument<string>("ADDRESS") { Description = "Address / Địa chỉ thư" };
        var on = new Option<string?>("--on") { Description = "Effective day, dd/MM/yyyy (default today) / Ngày hiệu lực" };
        var days = CliOptions.Number("--forward-days",
            $"Days of automatic reply and forwarding before the account is closed (default {DeparturePlan.DefaultForwardDays}) / Số ngày chuyển tiếp", 0, 3650);
        var forwardTo = new Option<string?>("--forward-to") { Description = "Where mail goes (default: the unit's collective mailbox) / Chuyển tiếp đến" };
        var reply = new Option<string?>("--reply") { Description = "Automatic reply text (default: a notice naming the unit mailbox) / Nội dung trả lời tự động" };
        var reason = new Option<string?>("--reason") { Description = "Decision or reason / Quyết định, lý do" };
        var cmd = new Command(name, description) { address, on, days, forwardTo, reply, reason };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            var request = new DepartureRequest(pr.GetValue(address)!, kind)
            {
                Effective = pr.GetValue(on) is { } d ? AccountCommands.ParseDate(d) : null,
                ForwardDays = pr.GetValue(days) ?? DeparturePlan.DefaultForwardDays,
                ForwardTo = pr.GetValue(forwardTo),
                Reply = pr.GetValue(reply),
                PublicMailDomains = ctx.Options.Safeguards.PublicMail,
                Reason = pr.GetValue(reason),
            };
            await ctx.RequireAccountAsync(Permission.ManageAccounts, request.Address, ct);
            Write(ctx, (await ctx.Lifecycle.DepartAsync(request, ctx.Actor, ct)).OrFail());
            return 0;
        });
        return cmd;
    }

    private static Command Cancel(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var address = new Argument<string>("ADDRESS") { Description = "Address / Địa chỉ thư" };
        var on = new Option<string?>("--on") { Description = "Effective day, dd/MM/yyyy (default now) / Ngày hiệu lực" };
        var reason = new Option<string?>("--reason") { Description = "Decision or reason / Quyết định, lý do" };
        var cmd = new Command("cancel", "Cancel: closed, kept for the retention period, then purged; address quarantined / Hủy tài khoản") { address, on, reason };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            var request = new CancelRequest(pr.GetValue(address)!)
            {
                Effective = pr.GetValue(on) is { } d ? AccountCommands.ParseDate(d) : null,
                Reason = pr.GetValue(reason),
            };
            await ctx.RequireAccountAsync(Permission.ManageAccounts, request.Address, ct);
            Write(ctx, (await ctx.Lifecycle.CancelAsync(request, ctx.Actor, ct)).OrFail());
            return 0;
        });
        return cmd;
    }

    private static Command RunScheduled(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var cmd = new Command("run-scheduled",
            "Carry out the lifecycle changes that are due (the server does this every 15 minutes) / Thực hiện các thay đổi đã đến hạn");
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Permission.ManageAccounts, null, ct);
            var done = await ctx.Lifecycle.RunDueAsync(ct);
            if (ctx.Output.Json) { ctx.Output.WriteJson(new { done = done.Select(d => new { address = d.Address, action = d.Action }) }); return 0; }
            foreach (var d in done) ctx.Output.Line($"{d.Address}  {d.Action}");
            ctx.Output.Line(Messages.Format("ScheduledRunCount", null, [done.Count]));
            return 0;
        });
        return cmd;
    }

    internal static Dictionary<string, object?> ResultJson(LifecycleResult r)
    {
        var json = AccountCommands.AccountJson(r.View);
        json["workflow"] = LifecycleRules.Name(r.Kind);
        json["scheduled"] = r.Scheduled.Select(ScheduledJson).ToList();
        json["forwardTo"] = r.Rule?.ForwardTo;
        json["forwardUntil"] = r.Rule?.EndsAt;
        json["oldAddress"] = r.OldAddress;
        json["oldAddressUntil"] = r.OldAddressUntil;
        json["keptUntil"] = r.KeptUntil;
        json["quarantinedUntil"] = r.QuarantinedUntil;
        return json;
    }

    internal static object ScheduledJson(ScheduledAccountAction s) =>
        new { action = AccountLifecycle.ActionName(s.Action), dueAt = s.DueAt, decidedBy = s.DecidedBy, reason = s.Reason };

    private static void Write(CliContext ctx, LifecycleResult r)
    {
        if (ctx.Output.Json) { ctx.Output.WriteJson(ResultJson(r)); return; }
        var a = r.View.Account;
        switch (r.Kind)
        {
            case LifecycleKind.Transfer:
                ctx.Output.Line(Messages.Format("AccountTransferred", null, [a.Address, r.View.UnitPath]));
                if (r.OldAddress is { } old) ctx.Output.Line(Messages.Format("AccountRenamed", null, [a.Address, old, r.OldAddressUntil]));
                break;
            case LifecycleKind.Cancellation:
                ctx.Output.Line(Messages.Format("AccountCancelledLine", null,
                    [a.Address, Messages.Format("CancellationPlanned", null, [a.ClosedAt ?? r.Scheduled[0].DueAt, r.KeptUntil, r.QuarantinedUntil])]));
                break;
            default:
                ctx.Output.Line(Messages.Format("AccountDeparting", null,
                    [a.Address, Messages.Format("DeparturePlanned", null, [r.Plan!.DisableAt, r.Plan.ForwardTo, r.Plan.CloseAt])]));
                break;
        }
        foreach (var s in r.Scheduled)
            ctx.Output.Line(Messages.Format("ScheduledActionLine", null, [AccountLifecycle.ActionName(s.Action), s.DueAt, s.Reason]));
    }
}
