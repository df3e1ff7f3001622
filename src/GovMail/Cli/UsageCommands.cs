using System.CommandLine;
using GovMail.Core;
using GovMail.Core.Time;
using GovMail.Core.Usage;
using GovMail.Reports.Exemptions;
using GovMail.Reports.Reminders;
using GovMail.Reports.Rollup;
using GovMail.Storage.Blobs;

namespace GovMail.Cli;

/// <summary>
/// <c>govmail usage import|fold|exempt|exemptions|remind|policy</c>: the usage events, their daily rows, exemptions from the
/// lists, reminders and the tenant's usage policy (docs/cli.md, "Usage and governance").
/// </summary>
public static class UsageCommands
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var usage = new Command("usage", "Usage events, exemptions and policy / Thống kê sử dụng hộp thư");
        usage.Subcommands.Add(Import(context));
        usage.Subcommands.Add(Fold(context));
        usage.Subcommands.Add(Exempt(context));
        usage.Subcommands.Add(Exemptions(context));
        usage.Subcommands.Add(Remind(context));
        usage.Subcommands.Add(Policy(context));
        usage.Subcommands.Add(LockIdle(context));
        usage.Subcommands.Add(SendReminders(context));
        return usage;
    }

    private static Command SendReminders(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var period = new Option<string?>("--period")
        {
            Description = "The period, 2024-07 or 2024-Q3 (default: this month, or this quarter with --reminder-per-quarter) / Kỳ nhắc nhở",
        };
        var cmd = new Command("send-reminders", "Mail the reminders of a period now, once / Gửi thư nhắc nhở ngay") { period };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManagePolicy, null, ct);
            var today = VietnamTime.Today(ctx.Clock.GetUtcNow());
            var p = pr.GetValue(period) is { } ps
                ? UsagePeriod.Parse(ps).OrFail()
                : (await new UsagePolicies(ctx.Database, ctx.Clock).GetAsync(ct)).ReminderPerQuarter ? UsagePeriod.QuarterOf(today) : UsagePeriod.MonthOf(today);
            var run = (await new ReminderMail(ctx.Database, ctx.Blobs, ctx.Clock).SendAsync(p, ct)).OrFail();
            if (ctx.Output.Json)
            {
                ctx.Output.WriteJson(new { period = run.Period.ToString(), through = run.Through, alreadySent = run.AlreadyDone, reminded = run.Reminded, summaries = run.Summaries });
                return 0;
            }
            if (run.AlreadyDone) { ctx.Output.Line(Messages.Format("RemindersAlreadySent", null, [run.Period.Name()])); return 0; }
            foreach (var a in run.Reminded) ctx.Output.Line("  " + a);
            ctx.Output.Line(Messages.Format("RemindersSent", null, [run.Reminded.Count, run.Summaries.Count, run.Period.Name()]));
            return 0;
        });
        return cmd;
    }

    private static Command LockIdle(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var days = new Option<int?>("--days") { Description = "Idle days (default: the usage policy's) / Số ngày không sử dụng" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list them / Chỉ liệt kê" };
        var cmd = new Command("lock-idle", "Lock accounts unused for a span, reason non-use / Khóa tài khoản không sử dụng") { days, dryRun };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManagePolicy, null, ct);
            var locks = new NonUseLocks(ctx.Database, ctx.Clock, ctx.Hasher);
            var dry = pr.GetValue(dryRun);
            var rows = (await locks.LockAsync(ctx.Actor, pr.GetValue(days), dry, ct)).OrFail();
            var span = pr.GetValue(days) ?? (await new UsagePolicies(ctx.Database, ctx.Clock).GetAsync(ct)).NonUseLockDays;
            if (ctx.Output.Json)
            {
                ctx.Output.WriteJson(new { locked = !dry, days = span, accounts = rows.Select(r => new { address = r.Address, lastActiveOn = r.LastActiveOn, idleDays = r.IdleDays }) });
                return 0;
            }
            foreach (var r in rows) ctx.Output.Line(Messages.Format("NonUseIdleLine", null, [r.Address, r.LastActiveOn, r.IdleDays]));
            ctx.Output.Line(Messages.Format(dry ? "NonUseIdle" : "NonUseLocked", null, [rows.Count, span]));
            return 0;
        });
        return cmd;
    }

    private static Command Import(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var file = new Argument<string>("FILE") { Description = "CSV (address,time,kind,protocol,ip) or JSON lines / Tệp CSV hoặc JSON lines" };
        var force = new Option<bool>("--force") { Description = "Import a file that was already imported / Nhập lại tệp đã nhập" };
        var cmd = new Command("import", "Load historical usage events, all or nothing / Nhập lịch sử sử dụng") { file, force };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManagePolicy, null, ct);
            var path = pr.GetValue(file)!;
            var result = (await CliProgress.RunAsync(ctx.Output, progress =>
                new UsageEventImporter(ctx.Database, ctx.Clock) { Progress = progress }.ImportAsync(path, ctx.Actor, pr.GetValue(force), ct))).OrFail();
            if (ctx.Output.Json) ctx.Output.WriteJson(new { imported = result.Imported, file = path, sha256 = result.Sha256 });
            else ctx.Output.Line(Messages.Format("UsageImported", null, [result.Imported, path]));
            return 0;
        });
        return cmd;
    }

    private static Command Fold(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var prune = new Option<bool>("--prune") { Description = "Also delete folded raw events older than the retention / Xóa sự kiện gốc quá hạn lưu" };
        var cmd = new Command("fold", "Fold pending events into the daily rows / Tổng hợp sự kiện theo ngày") { prune };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManagePolicy, null, ct);
            var folder = new UsageFolder(ctx.Database, ctx.Clock);
            var result = await folder.FoldAsync(ct);
            var pruned = 0;
            if (pr.GetValue(prune))
                pruned = await folder.PruneAsync((await new UsagePolicies(ctx.Database, ctx.Clock).GetAsync(ct)).EventRetentionMonths, ct);
            if (ctx.Output.Json) ctx.Output.WriteJson(new { folded = result.EventsFolded, batches = result.Batches, lastEventId = result.LastEventId, pruned });
            else ctx.Output.Line(Messages.Format("UsageFolded", null, [result.EventsFolded, result.LastEventId]));
            return 0;
        });
        return cmd;
    }

    private static Command Exempt(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var address = new Argument<string>("ADDRESS") { Description = "Address / Địa chỉ thư" };
        var from = new Option<string>("--from") { Description = "First day, YYYY-MM-DD / Từ ngày", Required = true };
        var to = new Option<string>("--to") { Description = "Last day, YYYY-MM-DD / Đến ngày", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why (kept with the lists) / Lý do", Required = true };
        var kind = new Option<string?>("--kind") { Description = "leave|maternity|secondment|other (default other) / Loại miễn" };
        var cmd = new Command("exempt", "Exempt a person from the usage lists for a span / Miễn đánh giá sử dụng") { address, from, to, reason, kind };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManagePolicy, null, ct);
            var k = pr.GetValue(kind) is { } ks
                ? UsageNames.ParseExemptionKind(ks) ?? throw new CliException(Problem.Of("UnknownExemptionKind", ks), 2)
                : ExemptionKind.Other;
            var view = (await new UsageExemptions(ctx.Database, ctx.Clock).AddAsync(pr.GetValue(address)!,
                AccountCommands.ParseDate(pr.GetValue(from)!), AccountCommands.ParseDate(pr.GetValue(to)!), k, pr.GetValue(reason)!,
                ctx.Actor, ct)).OrFail();
            if (ctx.Output.Json) ctx.Output.WriteJson(ExemptionJson(view));
            else ctx.Output.Line(Messages.Format("ExemptionRecorded", null,
                [view.Address, view.Exemption.From, view.Exemption.To, UsageNames.Label(view.Exemption.Kind)]));
            return 0;
        });
        return cmd;
    }

    private static Command Exemptions(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var address = new Argument<string?>("ADDRESS") { Description = "Only this address / Chỉ địa chỉ này", Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("exemptions", "List exemptions / Danh sách miễn đánh giá") { address };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManagePolicy, null, ct);
            var rows = (await new UsageExemptions(ctx.Database, ctx.Clock).ListAsync(pr.GetValue(address), ct)).OrFail();
            if (ctx.Output.Json) { ctx.Output.WriteJson(rows.Select(ExemptionJson)); return 0; }
            if (rows.Count == 0) { ctx.Output.Line(Messages.Get("ExemptionNone")); return 0; }
            ctx.Output.Table(
                [Messages.Get("ColumnAddress"), Messages.Get("UsageColumnExemptionKind"), Messages.Get("UsageColumnFrom"), Messages.Get("UsageColumnTo"), Messages.Get("ReportColumnDecisionReason")],
                rows.Select(r => (IReadOnlyList<string?>)[r.Address, UsageNames.Label(r.Exemption.Kind),
                    Messages.Format("DateTime", null, [r.Exemption.From]), Messages.Format("DateTime", null, [r.Exemption.To]), r.Exemption.Reason]));
            return 0;
        });
        return cmd;
    }

    private static object ExemptionJson(ExemptionView v) => new
    {
        id = v.Exemption.Id,
        address = v.Address,
        from = v.Exemption.From,
        to = v.Exemption.To,
        kind = UsageNames.Describe(v.Exemption.Kind),
        reason = v.Exemption.Reason,
        recordedBy = v.Exemption.RecordedBy,
        recordedAt = v.Exemption.RecordedAt,
    };

    private static Command Remind(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var address = new Argument<string>("ADDRESS") { Description = "Address / Địa chỉ thư" };
        var period = new Option<string?>("--period") { Description = "The period reminded about, 2024-03 or 2024-Q1 (default: this month) / Kỳ nhắc nhở" };
        var note = new Option<string?>("--note") { Description = "Note kept with the reminder / Ghi chú" };
        var cmd = new Command("remind", "Record a reminder for not using the mailbox / Ghi nhận nhắc nhở") { address, period, note };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManagePolicy, null, ct);
            var p = pr.GetValue(period) is { } ps
                ? UsagePeriod.Parse(ps).OrFail()
                : UsagePeriod.MonthOf(VietnamTime.Today(ctx.Clock.GetUtcNow()));
            var reminder = (await new UsageReminders(ctx.Database, ctx.Clock).RecordAsync(pr.GetValue(address)!, p, ctx.Actor, pr.GetValue(note), ct)).OrFail();
            if (ctx.Output.Json) ctx.Output.WriteJson(new { id = reminder.Id, address = pr.GetValue(address), period = reminder.Period, at = reminder.At });
            else ctx.Output.Line(Messages.Format("ReminderRecorded", null, [pr.GetValue(address), p.Name()]));
            return 0;
        });
        return cmd;
    }

    private static Command Policy(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var policy = new Command("policy", "The usage policy / Quy định đánh giá sử dụng");
        var show = new Command("show", "Show the usage policy / Xem quy định");
        show.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManagePolicy, null, ct);
            Write(ctx.Output, await new UsagePolicies(ctx.Database, ctx.Clock).GetAsync(ct));
            return 0;
        });
        policy.Subcommands.Add(show);

        var perActive = new Option<int?>("--working-days-per-active-day") { Description = "Working days per required active day (default 5) / Số ngày làm việc cho mỗi ngày hoạt động bắt buộc" };
        var mail = new Option<bool?>("--require-mail") { Description = "Regular use needs mail sent or read (default true) / Bắt buộc có gửi hoặc đọc thư" };
        var monthly = new Option<bool?>("--monthly-head-rule") { Description = "Grade heads down for any bad month of the quarter / Xét người đứng đầu theo từng tháng" };
        var lockDays = new Option<int?>("--non-use-lock-days") { Description = "Days without activity before a non-use lock, 0 = never / Số ngày không sử dụng thì khóa" };
        var retention = new Option<int?>("--event-retention-months") { Description = "Months raw events are kept (default 13) / Số tháng giữ sự kiện gốc" };
        var dayOff = new Option<string[]>("--day-off") { Description = "Add a day off, YYYY-MM-DD (repeatable) / Thêm ngày nghỉ", AllowMultipleArgumentsPerToken = true };
        var workDay = new Option<string[]>("--working-day") { Description = "Add a worked weekend day, YYYY-MM-DD (repeatable) / Thêm ngày làm bù", AllowMultipleArgumentsPerToken = true };
        var removeDayOff = new Option<string[]>("--remove-day-off") { Description = "Remove one of the tenant's days off, YYYY-MM-DD (repeatable) / Bỏ ngày nghỉ của đơn vị", AllowMultipleArgumentsPerToken = true };
        var removeWorkDay = new Option<string[]>("--remove-working-day") { Description = "Remove one of the tenant's worked weekend days, YYYY-MM-DD (repeatable) / Bỏ ngày làm bù của đơn vị", AllowMultipleArgumentsPerToken = true };
        var reminderDay = new Option<int?>("--reminder-day") { Description = "Day of the period for the automatic reminder mail, 0 = off (default off) / Ngày gửi thư nhắc nhở, 0 = tắt" };
        var reminderQuarter = new Option<bool?>("--reminder-per-quarter") { Description = "Remind per quarter instead of per month / Nhắc nhở theo quý" };
        var set = new Command("set", "Change the usage policy / Thay đổi quy định") { perActive, mail, monthly, lockDays, retention, dayOff, workDay, removeDayOff, removeWorkDay, reminderDay, reminderQuarter };
        set.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManagePolicy, null, ct);
            List<DateOnly> Days(Option<string[]> option) => [.. (pr.GetValue(option) ?? []).Select(AccountCommands.ParseDate)];
            var change = new UsagePolicyChange
            {
                WorkingDaysPerActiveDay = pr.GetValue(perActive), RequireSentOrRead = pr.GetValue(mail), MonthlyHeadRule = pr.GetValue(monthly),
                NonUseLockDays = pr.GetValue(lockDays), ReminderDay = pr.GetValue(reminderDay), ReminderPerQuarter = pr.GetValue(reminderQuarter),
                EventRetentionMonths = pr.GetValue(retention),
                AddDaysOff = Days(dayOff), AddWorkingDays = Days(workDay), RemoveDaysOff = Days(removeDayOff), RemoveWorkingDays = Days(removeWorkDay),
            };
            var updated = (await new UsagePolicies(ctx.Database, ctx.Clock).UpdateAsync(change.ApplyTo, ctx.Actor, ct)).OrFail();
            Write(ctx.Output, updated);
            return 0;
        });
        policy.Subcommands.Add(set);
        return policy;
    }

    private static void Write(CliOutput o, UsagePolicy p)
    {
        if (o.Json)
        {
            o.WriteJson(new
            {
                workingDaysPerActiveDay = p.WorkingDaysPerActiveDay, requireSentOrRead = p.RequireSentOrRead, monthlyHeadRule = p.MonthlyHeadRule,
                nonUseLockDays = p.NonUseLockDays, eventRetentionMonths = p.EventRetentionMonths, extraDaysOff = p.ExtraDaysOff,
                extraWorkingDays = p.ExtraWorkingDays, reminderDay = p.ReminderDay, reminderPerQuarter = p.ReminderPerQuarter,
            });
            return;
        }
        o.Line($"{Messages.Get("UsagePolicyShown")}: " + Messages.Format("UsagePolicyRule", null,
        [
            p.WorkingDaysPerActiveDay, p.RequireSentOrRead ? Messages.Get("UsagePolicyNeedsMail") : "", Messages.Get(p.MonthlyHeadRule ? "Yes" : "No"),
            p.NonUseLockDays is { } d ? Messages.Format("UsagePolicyDays", null, [d]) : Messages.Get("UsagePolicyNever"), p.EventRetentionMonths,
        ]));
        o.Line("  " + Messages.Format("UsagePolicyReminder", null,
        [
            p.ReminderDay is { } rd
                ? Messages.Format("UsagePolicyReminderDay", null, [rd, Messages.Get(p.ReminderPerQuarter ? "UsagePolicyReminderQuarter" : "UsagePolicyReminderMonth")])
                : Messages.Get("UsagePolicyNever"),
        ]));
        foreach (var off in p.ExtraDaysOff) o.Line($"  - {Messages.Format("DateTime", null, [off])}");
        foreach (var worked in p.ExtraWorkingDays) o.Line($"  + {Messages.Format("DateTime", null, [worked])}");
    }
}
