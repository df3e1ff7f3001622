using System.CommandLine;
using System.Globalization;
using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Storage.Directory;

namespace GovMail.Cli;

/// <summary><c>govmail account …</c>: issue, find, change and end mailboxes.</summary>
public static class AccountCommands
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var account = new Command("account", "Mailboxes / Tài khoản hộp thư");
        account.Subcommands.Add(Add(context));
        account.Subcommands.Add(List(context));
        account.Subcommands.Add(Show(context));
        account.Subcommands.Add(Update(context));
        account.Subcommands.Add(Transition(context, "lock", AccountAction.Lock, "Lock an account / Khóa tài khoản"));
        account.Subcommands.Add(Transition(context, "unlock", AccountAction.Unlock, "Unlock an account / Mở khóa tài khoản"));
        account.Subcommands.Add(Transition(context, "disable", AccountAction.Disable, "Stop an account of someone who left / Ngừng sử dụng tài khoản (nghỉ việc, nghỉ hưu, chuyển đi)"));
        account.Subcommands.Add(Transition(context, "reactivate", AccountAction.Reactivate, "Take a disabled account back into use / Sử dụng lại tài khoản đã ngừng"));
        account.Subcommands.Add(Transition(context, "close", AccountAction.Close, "Cancel an account / Hủy tài khoản"));
        account.Subcommands.Add(Transition(context, "purge", AccountAction.Purge, "Delete a closed account's data after retention / Xóa dữ liệu tài khoản đã hủy"));
        LifecycleCommands.AddTo(account, context);
        account.Subcommands.Add(ResetPassword(context));
        account.Subcommands.Add(LockOverdue(context));
        account.Subcommands.Add(ImportCommand.Build(context));
        account.Subcommands.Add(ExportCommand.Build(context));
        account.Subcommands.Add(Bars(context));
        account.Subcommands.Add(KeeperCommands.Build(context));
        return account;
    }

    private static Command Bars(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var all = new Option<bool>("--all") { Description = "Also lifted bars / Cả những trường hợp đã gỡ" };
        var cmd = new Command("bars", "People barred from re-registration / Danh sách không tái đăng ký") { all };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ReadReports, null, ct);
            var bars = await ReRegistration.ListAsync(ctx.Database, pr.GetValue(all), ct);
            if (ctx.Output.Json)
            {
                ctx.Output.WriteJson(bars.Select(b => new
                {
                    address = b.Address, displayName = b.DisplayName, staffNumber = b.StaffNumber, quarter = b.Quarter, recordedAt = b.RecordedAt,
                    recordedBy = b.RecordedBy, liftedAt = b.LiftedAt, liftedBy = b.LiftedBy, liftReason = b.LiftReason,
                }));
                return 0;
            }
            if (bars.Count == 0) { ctx.Output.Line(Messages.Get("ReRegistrationBarsNone")); return 0; }
            foreach (var b in bars)
                ctx.Output.Line(Messages.Format("ReRegistrationBarLine", null,
                [
                    b.Address, b.DisplayName, b.StaffNumber ?? "—", b.Quarter, b.RecordedAt, b.RecordedBy,
                    b.LiftedAt is { } l ? Messages.Format("ReRegistrationBarLifted", null, [l, b.LiftReason]) : "",
                ]));
            return 0;
        });
        return cmd;
    }

    private static Command Add(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var address = new Argument<string?>("ADDRESS") { Description = "Address or local part; generated from the name when omitted / Địa chỉ thư (tự sinh nếu bỏ trống)", Arity = ArgumentArity.ZeroOrOne };
        var name = new Option<string>("--name") { Description = "Display name in full Vietnamese / Họ tên đầy đủ", Required = true };
        var unit = new Option<string>("--unit") { Description = "Unit (name or 'Agency / Department') / Đơn vị", Required = true };
        var title = new Option<string?>("--title") { Description = "Job title / Chức danh" };
        var phone = new Option<string?>("--phone") { Description = "Phone / Điện thoại" };
        var staff = new Option<string?>("--staff-number") { Description = "Staff number / Mã cán bộ" };
        var password = new Option<string?>("--password") { Description = "Initial password (default: a generated temporary one) / Mật khẩu ban đầu" };
        var noMustChange = new Option<bool>("--no-must-change") { Description = "Do not require a change at first login / Không bắt buộc đổi mật khẩu lần đầu" };
        var kind = new Option<string?>("--kind") { Description = "individual|collective|service / Loại: cá nhân, tập thể, dịch vụ" };
        var issued = new Option<string?>("--issued") { Description = "Date the mailbox was issued, YYYY-MM-DD (default today) / Ngày cấp" };
        var quota = new Option<string?>("--quota") { Description = "Quota, e.g. 5GB / Dung lượng" };
        var role = new Option<string?>("--role") { Description = "none|city-operator|agency-administrator|hr-reviewer|auditor / Vai trò quản trị" };
        var overrideReason = new Option<string?>("--override-reason")
        {
            Description = "Issue despite a re-registration bar or a cancelled address's quarantine, with the justification recorded / Cấp dù bị cấm tái đăng ký hoặc địa chỉ chưa hết thời gian không cấp lại, ghi lý do",
        };
        var deadline = new FirstLoginDeadlineOptions();
        var cmd = new Command("add", "Issue a mailbox / Cấp hộp thư") { address, name, unit, title, phone, staff, password, noMustChange, kind, issued, quota, role, overrideReason };
        deadline.AddTo(cmd);
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManageAccounts, pr.GetValue(unit), ct);
            if (pr.GetValue(role) is { } asked && asked.Trim().ToLowerInvariant() != "none") await ctx.RequireAsync(Core.Security.Permission.ManageRoles, null, ct);
            if (pr.GetValue(phone) is { } p && !Core.Directory.PhoneNumber.IsValid(p)) throw new CliException(Problem.Of("InvalidPhone", p));
            var request = new NewAccount(pr.GetValue(name)!, pr.GetValue(unit))
            {
                Address = pr.GetValue(address),
                Title = pr.GetValue(title),
                Phone = pr.GetValue(phone),
                StaffNumber = pr.GetValue(staff),
                Password = pr.GetValue(password),
                MustChangePassword = !pr.GetValue(noMustChange),
                PasswordChangeDeadline = deadline.Read(pr, ctx.Clock),
                Kind = pr.GetValue(kind) is { } k ? ParseKind(k) : AccountKind.Individual,
                IssuedOn = pr.GetValue(issued) is { } d ? ParseDate(d) : null,
                QuotaBytes = pr.GetValue(quota) is { } q ? ParseSize(q) : null,
                Role = pr.GetValue(role) is { } r ? ParseRole(r) : AdminRole.None,
                OverrideReason = pr.GetValue(overrideReason),
            };
            var issuedAccount = (await ctx.Accounts.AddAsync(request, ctx.Actor, ct)).OrFail();
            var view = (await ctx.Accounts.FindAsync(issuedAccount.Account.Address, ct)).OrFail();
            if (ctx.Output.Json)
            {
                var json = AccountJson(view);
                json["temporaryPassword"] = issuedAccount.TemporaryPassword;
                if (issuedAccount.OverriddenBar is { } b)
                    json["overrodeBar"] = new Dictionary<string, object?> { ["address"] = b.Address, ["quarter"] = b.Quarter, ["reason"] = issuedAccount.OverrideReason };
                if (issuedAccount.OverriddenQuarantineUntil is { } qu)
                    json["overrodeQuarantine"] = new Dictionary<string, object?> { ["until"] = qu, ["reason"] = issuedAccount.OverrideReason };
                ctx.Output.WriteJson(json);
            }
            else
            {
                ctx.Output.Line(Messages.Format("AccountIssued", null, [view.Account.Address, view.Account.DisplayName, view.UnitPath]));
                if (issuedAccount.TemporaryPassword is { } tp)
                    ctx.Output.Line(Messages.Format("TemporaryPasswordIs", null, [tp, view.Account.PasswordChangeDeadline]));
                if (issuedAccount.OverriddenBar is { } b)
                    ctx.Output.Line(Messages.Format("ReRegistrationOverridden", null, [b.Address, b.Quarter, issuedAccount.OverrideReason]));
                if (issuedAccount.OverriddenQuarantineUntil is { } qu)
                    ctx.Output.Line(Messages.Format("AddressQuarantineOverridden", null, [view.Account.Address, qu, issuedAccount.OverrideReason]));
            }
            return 0;
        });
        return cmd;
    }

    private static Command List(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var unit = new Option<string?>("--unit") { Description = "Only this unit and the units below it / Chỉ đơn vị này" };
        var state = new Option<string?>("--state") { Description = "pending-first-login|active|locked|disabled|closed|purged / Trạng thái" };
        var kind = new Option<string?>("--kind") { Description = "individual|collective|service / Loại tài khoản" };
        var search = new Option<string?>("--search") { Description = "Name or address contains (diacritics ignored) / Tìm theo tên hoặc địa chỉ" };
        var all = new Option<bool>("--all") { Description = "Include closed accounts / Gồm cả tài khoản đã hủy" };
        var cmd = new Command("list", "List accounts / Danh sách tài khoản") { unit, state, kind, search, all };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            if (pr.GetValue(unit) is { } listed) await ctx.RequireAsync(Core.Security.Permission.ReadDirectory, listed, ct);
            var visible = await ctx.UnitsInScopeAsync(Core.Security.Permission.ReadDirectory, ct);
            var filter = new AccountFilter
            {
                UnitReference = pr.GetValue(unit),
                State = pr.GetValue(state) is { } s ? AccountLifecycle.ParseState(s) ?? throw new CliException(Problem.Of("UnknownState", s), 2) : null,
                Kind = pr.GetValue(kind) is { } k ? ParseKind(k) : null,
                Search = pr.GetValue(search),
                IncludeClosed = pr.GetValue(all),
            };
            var rows = (await ctx.Accounts.ListAsync(filter, ct)).OrFail().Where(v => visible is null || visible.Contains(v.Account.UnitId)).ToList();
            if (ctx.Output.Json) { ctx.Output.WriteJson(rows.Select(AccountJson)); return 0; }
            ctx.Output.Table(
                [Messages.Get("ColumnAddress"), Messages.Get("ColumnDisplayName"), Messages.Get("ColumnTitle"), Messages.Get("ColumnState"), Messages.Get("ColumnUnit")],
                rows.Select(v => (IReadOnlyList<string?>)[v.Account.Address, v.Account.DisplayName, v.Account.Title, AccountLifecycle.Describe(v.Account.State), v.UnitPath]));
            ctx.Output.Line(Messages.Format("AccountCount", null, [rows.Count]));
            return 0;
        });
        return cmd;
    }

    private static Command Show(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var address = new Argument<string>("ADDRESS") { Description = "Address or alias / Địa chỉ thư" };
        var cmd = new Command("show", "One account with its history / Thông tin và lịch sử một tài khoản") { address };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAccountAsync(Core.Security.Permission.ReadDirectory, pr.GetValue(address)!, ct);
            var view = (await ctx.Accounts.FindAsync(pr.GetValue(address)!, ct)).OrFail();
            var history = await ctx.Accounts.HistoryAsync(view.Account.Id, ct);
            var scheduled = await ctx.Lifecycle.PendingAsync(view.Account.Id, ct);
            var rules = await ctx.Lifecycle.RulesAsync(view.Account.Id, ct);
            if (ctx.Output.Json)
            {
                var json = AccountJson(view);
                json["scheduled"] = scheduled.Select(LifecycleCommands.ScheduledJson).ToList();
                json["deliveryRules"] = rules.Select(r => new { forwardTo = r.ForwardTo, autoReply = r.AutoReplyBody is not null, startsAt = r.StartsAt, endsAt = r.EndsAt }).ToList();
                json["history"] = history.Select(h => new
                {
                    @event = h.Event,
                    from = h.FromState is { } f ? AccountLifecycle.Describe(f) : null,
                    to = h.ToState is { } t ? AccountLifecycle.Describe(t) : null,
                    actor = h.Actor, reason = h.Reason, at = h.At,
                }).ToList();
                ctx.Output.WriteJson(json);
                return 0;
            }
            var a = view.Account;
            void Field(string code, object? value) => ctx.Output.Line($"{Messages.Get(code),-22} {value}");
            Field("ColumnAddress", a.Address);
            Field("ColumnDisplayName", a.DisplayName);
            Field("ColumnTitle", a.Title);
            Field("ColumnUnit", view.UnitPath);
            Field("ColumnPhone", a.Phone);
            Field("ColumnKind", Messages.Get("AccountKind" + a.Kind));
            Field("ColumnState", AccountLifecycle.Describe(a.State) + (a.LockReason is { } lr ? $" ({AccountLifecycle.Describe(lr)})" : "")
                + (a.LockedUntil is { } lu ? " " + Messages.Format("LockedUntil", null, [lu]) : ""));
            Field("ColumnQuota", FormatSize(a.QuotaBytes));
            Field("ColumnIssued", a.IssuedOn.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture));
            if (a.PasswordChangeDeadline is { } dl) Field("ColumnDeadline", Messages.Format("DateTime", null, [dl]));
            Field("ColumnLastLogin", a.LastLoginAt is { } ll ? Messages.Format("DateTime", null, [ll]) : "—");
            foreach (var r in rules) ctx.Output.Line(Messages.Format("DeliveryRuleLine", null, [r.ForwardTo, r.StartsAt, r.EndsAt]));
            foreach (var s in scheduled)
                ctx.Output.Line(Messages.Format("ScheduledActionLine", null, [AccountLifecycle.ActionName(s.Action), s.DueAt, s.Reason]));
            ctx.Output.Line();
            foreach (var h in history)
                ctx.Output.Line($"{Messages.Format("DateTime", null, [h.At])}  {h.Event,-22} {(h.ToState is { } t ? AccountLifecycle.Describe(t) : ""),-20} {h.Actor}  {h.Reason}");
            return 0;
        });
        return cmd;
    }

    private static Command Update(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var address = new Argument<string>("ADDRESS") { Description = "Address / Địa chỉ thư" };
        var name = new Option<string?>("--name") { Description = "Display name / Họ tên" };
        var title = new Option<string?>("--title") { Description = "Job title / Chức danh" };
        var phone = new Option<string?>("--phone") { Description = "Phone / Điện thoại" };
        var staff = new Option<string?>("--staff-number") { Description = "Staff number / Mã cán bộ" };
        var quota = new Option<string?>("--quota") { Description = "Quota, e.g. 5GB / Dung lượng" };
        var kind = new Option<string?>("--kind") { Description = "individual|collective|service / Loại tài khoản" };
        var role = new Option<string?>("--role") { Description = "Administrative role / Vai trò quản trị" };
        var cmd = new Command("update", "Change an account's profile / Cập nhật thông tin tài khoản") { address, name, title, phone, staff, quota, kind, role };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAccountAsync(Core.Security.Permission.ManageAccounts, pr.GetValue(address)!, ct);
            if (pr.GetValue(role) is not null) await ctx.RequireAsync(Core.Security.Permission.ManageRoles, null, ct);
            var view = (await ctx.Accounts.UpdateAsync(pr.GetValue(address)!, new AccountUpdate
            {
                DisplayName = pr.GetValue(name),
                Title = pr.GetValue(title),
                Phone = pr.GetValue(phone),
                StaffNumber = pr.GetValue(staff),
                QuotaBytes = pr.GetValue(quota) is { } q ? ParseSize(q) : null,
                Kind = pr.GetValue(kind) is { } k ? ParseKind(k) : null,
                Role = pr.GetValue(role) is { } r ? ParseRole(r) : null,
            }, ctx.Actor, ct)).OrFail();
            if (ctx.Output.Json) ctx.Output.WriteJson(AccountJson(view));
            else ctx.Output.Line(Messages.Format("AccountUpdated", null, [view.Account.Address]));
            return 0;
        });
        return cmd;
    }

    private static Command Transition(Func<ParseResult, IDictionary<string, string?>?, CliContext> context, string name,
        AccountAction action, string description)
    {
        var address = new Argument<string>("ADDRESS") { Description = "Address / Địa chỉ thư" };
        var reason = new Option<string?>("--reason") { Description = "Why (kept in the history) / Lý do" };
        var cmd = new Command(name, description) { address, reason };
        Option<string?>? lockReason = null;
        if (action == AccountAction.Lock)
        {
            lockReason = new Option<string?>("--cause")
            {
                Description = "administrator (default)|non-use|too-many-failed-logins|first-login-deadline-missed / Nguyên nhân khóa",
            };
            cmd.Options.Add(lockReason);
        }
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAccountAsync(Core.Security.Permission.ManageAccounts, pr.GetValue(address)!, ct);
            LockReason? cause = null;
            if (lockReason is not null)
                cause = pr.GetValue(lockReason) is { } c
                    ? AccountLifecycle.ParseLockReason(c) ?? throw new CliException(Problem.Of("UnknownLockReason", c), 2)
                    : LockReason.Administrator;
            var change = (await ctx.Accounts.ApplyAsync(pr.GetValue(address)!, action, ctx.Actor, pr.GetValue(reason), cause, ct)).OrFail();
            if (ctx.Output.Json)
            {
                var json = AccountJson(change.Account);
                json["temporaryPassword"] = change.TemporaryPassword;
                ctx.Output.WriteJson(json);
            }
            else
            {
                ctx.Output.Line(Messages.Format("AccountStateChanged", null,
                    [change.Account.Account.Address, AccountLifecycle.Describe(change.Transition.FromState!.Value), AccountLifecycle.Describe(change.Transition.ToState!.Value)]));
                if (change.TemporaryPassword is { } tp)
                    ctx.Output.Line(Messages.Format("TemporaryPasswordIs", null, [tp, change.Account.Account.PasswordChangeDeadline]));
            }
            return 0;
        });
        return cmd;
    }

    private static Command ResetPassword(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var address = new Argument<string>("ADDRESS") { Description = "Address / Địa chỉ thư" };
        var password = new Option<string?>("--password") { Description = "New password (default: generated) / Mật khẩu mới" };
        var noMustChange = new Option<bool>("--no-must-change") { Description = "Do not require a change at next login / Không bắt buộc đổi" };
        var cmd = new Command("reset-password", "Set a new password / Đặt lại mật khẩu") { address, password, noMustChange };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAccountAsync(Core.Security.Permission.ManageAccounts, pr.GetValue(address)!, ct);
            var reset = (await ctx.Accounts.ResetPasswordAsync(pr.GetValue(address)!, pr.GetValue(password), !pr.GetValue(noMustChange), ctx.Actor, ct)).OrFail();
            if (ctx.Output.Json) ctx.Output.WriteJson(new { address = reset.Address, temporaryPassword = reset.GeneratedPassword, deadline = reset.Deadline });
            else
            {
                ctx.Output.Line(Messages.Format("PasswordResetDone", null, [reset.Address]));
                if (reset.GeneratedPassword is { } g) ctx.Output.Line(Messages.Format("TemporaryPasswordIs", null, [g, reset.Deadline]));
            }
            return 0;
        });
        return cmd;
    }

    private static Command LockOverdue(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var cmd = new Command("lock-overdue",
            "Lock accounts whose first-login deadline passed / Khóa tài khoản quá hạn đổi mật khẩu lần đầu");
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManageAccounts, null, ct);
            var locked = await new Storage.Security.FirstLoginDeadlines(ctx.Database, ctx.Clock).LockOverdueAsync(ct);
            if (ctx.Output.Json) { ctx.Output.WriteJson(new { locked }); return 0; }
            foreach (var address in locked) ctx.Output.Line(address);
            ctx.Output.Line(Messages.Format("OverdueAccountsLocked", null, [locked.Count]));
            return 0;
        });
        return cmd;
    }

    internal static Dictionary<string, object?> AccountJson(AccountView v) => new()
    {
        ["address"] = v.Account.Address,
        ["displayName"] = v.Account.DisplayName,
        ["title"] = v.Account.Title,
        ["unit"] = v.UnitName,
        ["unitPath"] = v.UnitPath,
        ["agency"] = v.AgencyName,
        ["kind"] = v.Account.Kind,
        ["role"] = v.Account.Role,
        ["state"] = AccountLifecycle.Describe(v.Account.State),
        ["lockReason"] = v.Account.LockReason is { } lr ? AccountLifecycle.Describe(lr) : null,
        ["lockedUntil"] = v.Account.LockedUntil,
        ["phone"] = v.Account.Phone,
        ["staffNumber"] = v.Account.StaffNumber,
        ["quotaBytes"] = v.Account.QuotaBytes,
        ["mustChangePassword"] = v.Account.MustChangePassword,
        ["passwordChangeDeadline"] = v.Account.PasswordChangeDeadline,
        ["issuedOn"] = v.Account.IssuedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["createdAt"] = v.Account.CreatedAt,
        ["firstLoginAt"] = v.Account.FirstLoginAt,
        ["lastLoginAt"] = v.Account.LastLoginAt,
        ["closedAt"] = v.Account.ClosedAt,
    };

    internal static AccountKind ParseKind(string text) =>
        Core.Directory.StaffListCheck.ParseKind(text) ?? throw new CliException(Problem.Of("UnknownAccountKind", text), 2);

    internal static AdminRole ParseRole(string text) => text.Trim().ToLowerInvariant() switch
    {
        "none" => AdminRole.None,
        "city-operator" => AdminRole.CityOperator,
        "agency-administrator" => AdminRole.AgencyAdministrator,
        "hr-reviewer" => AdminRole.HrReviewer,
        "auditor" => AdminRole.Auditor,
        _ => throw new CliException(Problem.Of("UnknownRole", text), 2),
    };

    internal static DateOnly ParseDate(string text) =>
        DateOnly.TryParseExact(text.Trim(), ["yyyy-MM-dd", "dd/MM/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw new CliException(Problem.Of("InvalidDate", text), 2);

    /// <summary>Parses "5GB", "500MB", "5368709120".</summary>
    internal static long ParseSize(string text)
    {
        var t = text.Trim().ToUpperInvariant().Replace(" ", "", StringComparison.Ordinal);
        long unit = 1;
        foreach (var (suffix, factor) in new[] { ("TB", 1L << 40), ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10), ("B", 1L) })
            if (t.EndsWith(suffix, StringComparison.Ordinal)) { unit = factor; t = t[..^suffix.Length]; break; }
        return decimal.TryParse(t, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) && n > 0 && n * unit <= long.MaxValue
            ? (long)(n * unit) : throw new CliException(Problem.Of("InvalidSize", text), 2);
    }

    internal static string FormatSize(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.##} GB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.##} MB",
        _ => $"{bytes} B",
    };
}
