using System.CommandLine;
using GovMail.Core;
using GovMail.Core.Directory;
using GovMail.Storage.Directory;

namespace GovMail.Cli;

/// <summary><c>govmail policy show|set</c>: the tenant's rules for passwords, first login, quotas and retention.</summary>
public static class PolicyCommands
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var policy = new Command("policy", "Tenant policies / Chính sách của hệ thống");

        var show = new Command("show", "Show the policies / Xem chính sách");
        show.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            var tenant = await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ReadDirectory, null, ct);
            Write(ctx.Output, tenant.Policy);
            return 0;
        });
        policy.Subcommands.Add(show);

        var firstLogin = CliOptions.Number("--first-login-days", "Days to change the temporary password / Số ngày để đổi mật khẩu lần đầu");
        var quota = new Option<string?>("--default-quota") { Description = "Quota of new mailboxes, e.g. 5GB / Dung lượng mặc định" };
        var retention = CliOptions.Number("--closed-retention-days", "Days a closed account's data is kept / Số ngày giữ dữ liệu tài khoản đã hủy");
        var quarantine = CliOptions.Number("--address-quarantine-days", "Days a closed address is not re-issued / Số ngày không cấp lại địa chỉ đã hủy");
        var minLength = CliOptions.Number("--password-min-length", "Minimum password length / Độ dài tối thiểu");
        var upper = CliOptions.YesNo("--password-require-upper", "Require an upper-case letter / Bắt buộc chữ in hoa");
        var lower = CliOptions.YesNo("--password-require-lower", "Require a lower-case letter / Bắt buộc chữ thường");
        var digit = CliOptions.YesNo("--password-require-digit", "Require a digit / Bắt buộc chữ số");
        var special = CliOptions.YesNo("--password-require-special", "Require a special character / Bắt buộc ký tự đặc biệt");
        var history = CliOptions.Number("--password-history", "Earlier passwords that may not be reused / Số mật khẩu cũ không được dùng lại");
        var expiry = CliOptions.Number("--password-expiry-days", "Days before a password must be changed, 0 = never / Số ngày hết hạn mật khẩu");
        var inbound = new Option<string?>("--inbound-quarantine")
        {
            Description = "dmarc|dmarc-and-spf|off: Internet mail failing DMARC (p=quarantine), or also SPF, goes to Junk / Thư từ Internet không đạt DMARC (hoặc cả SPF) vào thư mục Thư rác",
        };
        var profileApproval = CliOptions.YesNo("--profile-approval",
            "Holders' profile changes wait for an administrator's approval / Thay đổi hồ sơ cá nhân chờ quản trị duyệt");
        var maxFailed = CliOptions.Number("--max-failed-logins", "Failed logins that lock an account, 0 = never / Số lần đăng nhập sai thì khóa");
        var failedWindow = CliOptions.Number("--failed-login-window-minutes", "Minutes over which failed logins count / Số phút tính lần sai");
        var lockout = CliOptions.Number("--lockout-minutes", "Minutes a guessed-at account stays locked / Số phút tạm khóa");
        var delayCap = CliOptions.Number("--failed-login-delay-cap-seconds", "Longest wait before refusing a failing client, 0 = none / Thời gian làm chậm tối đa");
        var set = new Command("set", "Change policies / Thay đổi chính sách")
        {
            firstLogin, quota, retention, quarantine, minLength, upper, lower, digit, special, history, expiry, inbound,
            maxFailed, failedWindow, lockout, delayCap, profileApproval,
        };
        set.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManagePolicy, null, ct);
            var updated = (await ctx.Tenants.UpdatePolicyAsync(new PolicyChange
            {
                FirstLoginWindowDays = pr.GetValue(firstLogin),
                DefaultQuotaBytes = pr.GetValue(quota) is { } q ? AccountCommands.ParseSize(q) : null,
                ClosedRetentionDays = pr.GetValue(retention),
                AddressQuarantineDays = pr.GetValue(quarantine),
                PasswordMinLength = pr.GetValue(minLength),
                PasswordRequireUpper = CliOptions.YesNoValue(pr, upper),
                PasswordRequireLower = CliOptions.YesNoValue(pr, lower),
                PasswordRequireDigit = CliOptions.YesNoValue(pr, digit),
                PasswordRequireSpecial = CliOptions.YesNoValue(pr, special),
                PasswordHistoryCount = pr.GetValue(history),
                PasswordExpiryDays = pr.GetValue(expiry),
                InboundQuarantine = pr.GetValue(inbound) is { } rule ? ParseInboundQuarantine(rule) : null,
                ProfileChangesNeedApproval = CliOptions.YesNoValue(pr, profileApproval),
                MaxFailedLogins = pr.GetValue(maxFailed),
                FailedLoginWindowMinutes = pr.GetValue(failedWindow),
                LockoutMinutes = pr.GetValue(lockout),
                FailedLoginDelayCapSeconds = pr.GetValue(delayCap),
            }, ctx.Actor, ct)).OrFail();
            Write(ctx.Output, updated);
            return 0;
        });
        policy.Subcommands.Add(set);
        return policy;
    }

    private static string YesNo(bool value) => Messages.Get(value ? "Yes" : "No");

    /// <summary>The command-line words for <see cref="InboundQuarantine"/>.</summary>
    internal static InboundQuarantine ParseInboundQuarantine(string text) => text.Trim().ToLowerInvariant() switch
    {
        "dmarc" => InboundQuarantine.Dmarc,
        "dmarc-and-spf" => InboundQuarantine.DmarcAndSpf,
        "off" => InboundQuarantine.Off,
        _ => throw new CliException(Problem.Of("UnknownInboundQuarantine", text), 2),
    };

    private static string InboundQuarantineText(InboundQuarantine value) => Messages.Get(value switch
    {
        InboundQuarantine.Dmarc => "PolicyInboundQuarantineDmarc",
        InboundQuarantine.DmarcAndSpf => "PolicyInboundQuarantineDmarcAndSpf",
        _ => "PolicyInboundQuarantineOff",
    });

    private static void Write(CliOutput o, TenantPolicy p)
    {
        if (o.Json) { o.WriteJson(p); return; }
        o.Line($"{Messages.Get("PolicyFirstLoginDays"),-40} {p.FirstLoginWindowDays}");
        o.Line($"{Messages.Get("PolicyDefaultQuota"),-40} {AccountCommands.FormatSize(p.DefaultQuotaBytes)}");
        o.Line($"{Messages.Get("PolicyClosedRetention"),-40} {p.ClosedRetentionDays}");
        o.Line($"{Messages.Get("PolicyAddressQuarantine"),-40} {p.AddressQuarantineDays}");
        o.Line($"{Messages.Get("PolicyPassword"),-40} {Messages.Format("PolicyPasswordRule", null,
            [p.Password.MinLength, YesNo(p.Password.RequireUpper), YesNo(p.Password.RequireLower), YesNo(p.Password.RequireDigit), YesNo(p.Password.RequireSpecial), p.Password.HistoryCount, p.Password.ExpiryDays])}");
        o.Line($"{Messages.Get("PolicyInboundQuarantine"),-40} {InboundQuarantineText(p.InboundQuarantine)}");
        o.Line($"{Messages.Get("PolicyProfileApproval"),-40} {YesNo(p.ProfileChangesNeedApproval)}");
        o.Line($"{Messages.Get("PolicyLockout"),-40} {Messages.Format("PolicyLockoutRule", null,
            [p.Lockout.MaxFailedLogins, p.Lockout.WindowMinutes, p.Lockout.LockoutMinutes, p.Lockout.DelayCapSeconds])}");
    }
}
