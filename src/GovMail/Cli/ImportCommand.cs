using System.CommandLine;
using System.Globalization;
using GovMail.Core;
using GovMail.Storage.Import;

namespace GovMail.Cli;

/// <summary><c>govmail account import FILE [--dry-run]</c>: issue mailboxes from a staff list in .xlsx or .csv.</summary>
public static class ImportCommand
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var file = new Argument<string>("FILE") { Description = "Staff list .xlsx or .csv (STT, Họ và tên, Chức danh, Phòng ban, Cơ quan, Điện thoại) / Danh sách cán bộ" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check and show what would be done; change nothing / Chỉ kiểm tra, không ghi" };
        var issued = new Option<string?>("--issued") { Description = "Issue date of the batch, YYYY-MM-DD / Ngày cấp" };
        var deadline = new FirstLoginDeadlineOptions();
        var passwordsOut = new Option<string?>("--passwords-out") { Description = "Write addresses and temporary passwords to this CSV instead of the screen / Ghi mật khẩu tạm ra tệp" };
        var overrideRows = new Option<string?>("--override-rows")
        {
            Description = "Rows (e.g. 4,9) whose person is barred from re-registration but may be issued a mailbox, with --override-reason / Các dòng được cấp lại dù đang bị cấm đăng ký lại",
        };
        var overrideReason = new Option<string?>("--override-reason") { Description = "The justification recorded for those rows / Lý do cấp lại" };
        var cmd = new Command("import", "Issue mailboxes from a staff list / Cấp hộp thư theo danh sách cán bộ") { file, dryRun, issued, passwordsOut, overrideRows, overrideReason };
        deadline.AddTo(cmd);
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            // Scoped like the portal's import: an agency administrator issues into their agency only (each row outside it is a
            // bad row); a tenant-wide administrator or the shell anywhere.
            var scope = await ctx.ScopeAsync(ct);
            if (scope.Roots(Core.Security.Permission.ManageAccounts) is { Count: 0 })
                throw new CliException(Problem.Of("ImportNeedsAccountManagement", scope.Actor));
            var path = pr.GetValue(file)!;
            if (!File.Exists(path)) throw new CliException(Problem.Of("FileNotFound", path));
            var read = StaffListReader.Read(path);
            if (!read.IsOk) throw new CliException(read.Problem!);
            var until = deadline.Read(pr, ctx.Clock);
            var rows = new HashSet<int>();
            foreach (var part in (pr.GetValue(overrideRows) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                rows.Add(int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n : throw new CliException(Problem.Of("ImportBadOverrideRows", part), 2));
            if (rows.Count > 0 && string.IsNullOrWhiteSpace(pr.GetValue(overrideReason)))
                throw new CliException(Problem.Of("ImportOverrideNeedsReason"), 2);
            var plan = await CliProgress.RunAsync(ctx.Output, progress => new StaffListImporter(ctx.Database, ctx.Clock, ctx.Hasher) { Progress = progress }
                .ImportAsync(read.Rows, new ImportOptions
            {
                DryRun = pr.GetValue(dryRun),
                IssuedOn = pr.GetValue(issued) is { } i ? AccountCommands.ParseDate(i) : null,
                Deadline = until,
                SourceName = Path.GetFileName(path),
                OverrideRows = rows,
                OverrideReason = pr.GetValue(overrideReason)?.Trim(),
                Scope = scope.AllowsEverywhere(Core.Security.Permission.ManageAccounts) ? null : scope,
            }, ctx.Actor, ct));
            return Report(ctx, plan, pr.GetValue(dryRun), pr.GetValue(passwordsOut));
        });
        return cmd;
    }

    private static int Report(CliContext ctx, ImportPlan plan, bool dryRun, string? passwordsOut)
    {
        var o = ctx.Output;
        if (passwordsOut is not null && plan.Applied) WritePasswords(passwordsOut, plan);
        if (o.Json)
        {
            o.WriteJson(new
            {
                applied = plan.Applied,
                dryRun,
                accounts = plan.Accounts.Select(a => new
                {
                    row = a.RowNumber,
                    address = a.Issued.Account.Address,
                    displayName = a.Issued.Account.DisplayName,
                    temporaryPassword = plan.Applied && passwordsOut is null ? a.Issued.TemporaryPassword : null,
                }),
                newUnits = plan.NewUnits.Select(u => u.Name),
                problems = plan.Problems.Select(p => new { row = p.RowNumber, code = p.Problem.Code, message = p.Problem.Message() }),
            });
        }
        else
        {
            foreach (var p in plan.Problems)
                ctx.Output.Error.WriteLine(Messages.Format("ImportRowProblem", null, [p.RowNumber, p.Problem.Message()]));
            if (plan.Problems.Count > 0)
                o.Line(Messages.Format("ImportRefused", null, [plan.Problems.Count, plan.Problems.Select(p => p.RowNumber).Distinct().Count()]));
            else
            {
                foreach (var u in plan.NewUnits) o.Line(Messages.Format("ImportNewUnit", null, [u.Name]));
                o.Table(
                    [Messages.Get("ColumnRow"), Messages.Get("ColumnAddress"), Messages.Get("ColumnDisplayName"),
                        plan.Applied && passwordsOut is null ? Messages.Get("ColumnTemporaryPassword") : ""],
                    plan.Accounts.Select(a => (IReadOnlyList<string?>)[a.RowNumber.ToString(CultureInfo.InvariantCulture), a.Issued.Account.Address,
                        a.Issued.Account.DisplayName, plan.Applied && passwordsOut is null ? a.Issued.TemporaryPassword : ""]));
                o.Line(Messages.Format(plan.Applied ? "ImportDone" : "ImportDryRun", null, [plan.Accounts.Count, plan.NewUnits.Count]));
            }
        }
        // A refused file is a failed command; a clean dry run is not.
        return plan.Problems.Count > 0 ? 1 : 0;
    }

    private static void WritePasswords(string path, ImportPlan plan)
    {
        using var w = new StreamWriter(path, false, new System.Text.UTF8Encoding(true));
        w.WriteLine("address,displayName,temporaryPassword,deadline");
        foreach (var a in plan.Accounts)
        {
            var acc = a.Issued.Account;
            var deadline = (acc.PasswordChangeDeadline is { } pd ? Core.Time.VietnamTime.ToLocal(pd) : (DateTimeOffset?)null)?.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);
            w.WriteLine($"{acc.Address},\"{acc.DisplayName.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{a.Issued.TemporaryPassword},{deadline}");
        }
    }
}
