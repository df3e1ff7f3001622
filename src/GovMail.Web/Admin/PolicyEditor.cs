using System.Globalization;
using GovMail.Core;
using GovMail.Core.Directory;
using GovMail.Core.Usage;
using GovMail.Reports.Exemptions;
using GovMail.Storage.Directory;

namespace GovMail.Web.Admin;

/// <summary>
/// A change to the tenant's policies from the portal or the API; a missing value leaves the rule as it is, as with
/// <c>govmail policy set</c> and <c>govmail usage policy set</c>. The default quota is in megabytes; a non-use lock day count
/// or reminder day of 0 turns that rule off.
/// </summary>
public sealed record PolicyEdit
{
    public int? FirstLoginWindowDays { get; init; }
    public long? DefaultQuotaMegabytes { get; init; }
    public int? ClosedRetentionDays { get; init; }
    public int? AddressQuarantineDays { get; init; }
    public int? PasswordMinLength { get; init; }
    public bool? PasswordRequireUpper { get; init; }
    public bool? PasswordRequireLower { get; init; }
    public bool? PasswordRequireDigit { get; init; }
    public bool? PasswordRequireSpecial { get; init; }
    public int? PasswordHistoryCount { get; init; }
    public int? PasswordExpiryDays { get; init; }
    /// <summary>dmarc, dmarc-and-spf or off.</summary>
    public string? InboundQuarantine { get; init; }
    public int? MaxFailedLogins { get; init; }
    public int? FailedLoginWindowMinutes { get; init; }
    public int? LockoutMinutes { get; init; }
    public int? FailedLoginDelayCapSeconds { get; init; }
    public int? WorkingDaysPerActiveDay { get; init; }
    public bool? RequireSentOrRead { get; init; }
    public bool? MonthlyHeadRule { get; init; }
    public int? NonUseLockDays { get; init; }
    public int? EventRetentionMonths { get; init; }
    public int? ReminderDay { get; init; }
    public bool? ReminderPerQuarter { get; init; }
}

/// <summary>The tenant's rules as an administrator reads them: passwords, first login, quotas, retention, lockout, usage classification.</summary>
public sealed record TenantPolicies(TenantPolicy Tenant, UsagePolicy Usage);

/// <summary>
/// Reads and changes the tenant's policies (chính sách) through the services the CLI calls:
/// <see cref="TenantDirectory.UpdatePolicyAsync"/> and <see cref="UsagePolicies.UpdateAsync"/>, each audited by them. The usage
/// change is checked before anything is stored, so a refused value changes nothing. A bound refusal names the field by its
/// label on the page (in the reader's language), not by the command-line option.
/// </summary>
public sealed class PolicyEditor(TenantDirectory tenants, UsagePolicies usage)
{
    /// <summary>The largest default quota the directory takes (4 TB), in megabytes.</summary>
    public const long MaxQuotaMegabytes = (1L << 42) >> 20;

    /// <summary>Each bound the services check (by its command-line name), and the message key of the field's label.</summary>
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["first-login-days"] = "PolicyFirstLoginDays",
        ["default-quota"] = "PolicyDefaultQuota",
        ["closed-retention-days"] = "PolicyClosedRetention",
        ["address-quarantine-days"] = "PolicyAddressQuarantine",
        ["password-min-length"] = "WebPolicyPasswordMinLength",
        ["password-history"] = "WebPolicyPasswordHistory",
        ["password-expiry-days"] = "WebPolicyPasswordExpiryDays",
        ["max-failed-logins"] = "WebPolicyMaxFailedLogins",
        ["failed-login-window-minutes"] = "WebPolicyFailedLoginWindow",
        ["lockout-minutes"] = "WebPolicyLockoutMinutes",
        ["failed-login-delay-cap-seconds"] = "WebPolicyDelayCap",
        ["working-days-per-active-day"] = "WebPolicyWorkingDaysPerActiveDay",
        ["non-use-lock-days"] = "WebPolicyNonUseLockDays",
        ["reminder-day"] = "WebPolicyReminderDay",
        ["event-retention-months"] = "WebPolicyEventRetention",
    };

    public async Task<Result<TenantPolicies>> ReadAsync(CancellationToken ct)
    {
        var tenant = await tenants.RequireAsync(ct);
        if (!tenant.IsOk) return tenant.Problem!;
        return new TenantPolicies(tenant.Value!.Policy, await usage.GetAsync(ct));
    }

    public async Task<Result<TenantPolicies>> ChangeAsync(PolicyEdit edit, string actor, CancellationToken ct)
    {
        if (edit.DefaultQuotaMegabytes is { } mb && mb is < 1 or > MaxQuotaMegabytes)
            return Problem.Of("PolicyOutOfRange", new FieldLabel("PolicyDefaultQuota"), mb, 1, MaxQuotaMegabytes);
        InboundQuarantine? inbound = null;
        if (edit.InboundQuarantine is { } rule)
        {
            inbound = ParseInboundQuarantine(rule);
            if (inbound is null) return Problem.Of("UnknownInboundQuarantine", rule);
        }
        var current = await usage.GetAsync(ct);
        var probe = new UsagePolicy
        {
            WorkingDaysPerActiveDay = current.WorkingDaysPerActiveDay, RequireSentOrRead = current.RequireSentOrRead, MonthlyHeadRule = current.MonthlyHeadRule,
            NonUseLockDays = current.NonUseLockDays, EventRetentionMonths = current.EventRetentionMonths, ReminderDay = current.ReminderDay,
            ReminderPerQuarter = current.ReminderPerQuarter,
        };
        ApplyUsage(edit, probe);
        if (probe.Check() is { } usageProblem) return Labelled(usageProblem);

        var tenant = await tenants.UpdatePolicyAsync(new PolicyChange
        {
            FirstLoginWindowDays = edit.FirstLoginWindowDays,
            DefaultQuotaBytes = edit.DefaultQuotaMegabytes is { } q ? q << 20 : null,
            ClosedRetentionDays = edit.ClosedRetentionDays,
            AddressQuarantineDays = edit.AddressQuarantineDays,
            PasswordMinLength = edit.PasswordMinLength,
            PasswordRequireUpper = edit.PasswordRequireUpper,
            PasswordRequireLower = edit.PasswordRequireLower,
            PasswordRequireDigit = edit.PasswordRequireDigit,
            PasswordRequireSpecial = edit.PasswordRequireSpecial,
            PasswordHistoryCount = edit.PasswordHistoryCount,
            PasswordExpiryDays = edit.PasswordExpiryDays,
            InboundQuarantine = inbound,
            MaxFailedLogins = edit.MaxFailedLogins,
            FailedLoginWindowMinutes = edit.FailedLoginWindowMinutes,
            LockoutMinutes = edit.LockoutMinutes,
            FailedLoginDelayCapSeconds = edit.FailedLoginDelayCapSeconds,
        }, actor, ct);
        if (!tenant.IsOk) return Labelled(tenant.Problem!);
        if (!ChangesUsage(edit)) return new TenantPolicies(tenant.Value!, current);
        var changed = await usage.UpdateAsync(p => ApplyUsage(edit, p), actor, ct);
        return changed.IsOk ? new TenantPolicies(tenant.Value!, changed.Value!) : Labelled(changed.Problem!);
    }

    /// <summary>The words of <c>--inbound-quarantine</c>.</summary>
    public static InboundQuarantine? ParseInboundQuarantine(string text) => text.Trim().ToLowerInvariant() switch
    {
        "dmarc" => Core.Directory.InboundQuarantine.Dmarc,
        "dmarc-and-spf" => Core.Directory.InboundQuarantine.DmarcAndSpf,
        "off" => Core.Directory.InboundQuarantine.Off,
        _ => null,
    };

    public static string InboundQuarantineName(InboundQuarantine value) => value switch
    {
        Core.Directory.InboundQuarantine.Dmarc => "dmarc",
        Core.Directory.InboundQuarantine.DmarcAndSpf => "dmarc-and-spf",
        _ => "off",
    };

    private static bool ChangesUsage(PolicyEdit e) =>
        e.WorkingDaysPerActiveDay is not null || e.RequireSentOrRead is not null || e.MonthlyHeadRule is not null || e.NonUseLockDays is not null
        || e.EventRetentionMonths is not null || e.ReminderDay is not null || e.ReminderPerQuarter is not null;

    private static void ApplyUsage(PolicyEdit e, UsagePolicy p)
    {
        p.WorkingDaysPerActiveDay = e.WorkingDaysPerActiveDay ?? p.WorkingDaysPerActiveDay;
        p.RequireSentOrRead = e.RequireSentOrRead ?? p.RequireSentOrRead;
        p.MonthlyHeadRule = e.MonthlyHeadRule ?? p.MonthlyHeadRule;
        if (e.NonUseLockDays is { } lockDays) p.NonUseLockDays = lockDays == 0 ? null : lockDays;
        p.EventRetentionMonths = e.EventRetentionMonths ?? p.EventRetentionMonths;
        if (e.ReminderDay is { } day) p.ReminderDay = day == 0 ? null : day;
        p.ReminderPerQuarter = e.ReminderPerQuarter ?? p.ReminderPerQuarter;
    }

    /// <summary>A bound refusal named by the field's label instead of the command-line option.</summary>
    private static Problem Labelled(Problem p) =>
        p.Code == "PolicyOutOfRange" && p.Args.Count > 0 && p.Args[0] is string name && Labels.TryGetValue(name, out var key)
            ? p with { Args = [new FieldLabel(key), .. p.Args.Skip(1)] }
            : p;
}

/// <summary>A field's label as a message argument, written in the culture the message is formatted in.</summary>
public sealed record FieldLabel(string Key) : IFormattable
{
    public string ToString(string? format, IFormatProvider? formatProvider) => Messages.Get(Key, formatProvider as CultureInfo);

    public override string ToString() => Messages.Get(Key);
}
