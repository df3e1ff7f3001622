using System.Globalization;
using GovMail.Core;
using GovMail.Core.Security;
using GovMail.Web.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Admin;

/// <summary>
/// The tenant's policies (chính sách): password rules, the first-login window, quotas and retention, the failed-login lock,
/// which Internet mail goes to Junk, and the usage classification. Every administrator reads them; the city operator changes
/// them through <see cref="PolicyEditor"/> (the services of <c>govmail policy set</c> and <c>govmail usage policy set</c>).
/// </summary>
public sealed class PoliciesModel(PolicyEditor editor) : AdminPageModel
{
    /// <summary>A whole-number field: its form name, its label, its value now, and how it goes into a change.</summary>
    public sealed record NumberField(string Name, string Label, Func<TenantPolicies, long> Read, Func<PolicyEdit, int, PolicyEdit> Write, string? Hint = null);

    /// <summary>A yes/no field.</summary>
    public sealed record FlagField(string Name, string Label, Func<TenantPolicies, bool> Read, Func<PolicyEdit, bool, PolicyEdit> Write);

    /// <summary>The page's sections, each a heading and its fields, in the order shown.</summary>
    public static readonly IReadOnlyList<(string Heading, NumberField[] Numbers, FlagField[] Flags)> Sections =
    [
        ("PolicyPassword",
        [
            new("PasswordMinLength", "WebPolicyPasswordMinLength", p => p.Tenant.Password.MinLength, (e, v) => e with { Tenant = e.Tenant with { PasswordMinLength = v } }),
            new("PasswordHistoryCount", "WebPolicyPasswordHistory", p => p.Tenant.Password.HistoryCount, (e, v) => e with { Tenant = e.Tenant with { PasswordHistoryCount = v } }),
            new("PasswordExpiryDays", "WebPolicyPasswordExpiryDays", p => p.Tenant.Password.ExpiryDays, (e, v) => e with { Tenant = e.Tenant with { PasswordExpiryDays = v } }, "WebPolicyZeroNever"),
        ],
        [
            new("PasswordRequireUpper", "WebPolicyRequireUpper", p => p.Tenant.Password.RequireUpper, (e, v) => e with { Tenant = e.Tenant with { PasswordRequireUpper = v } }),
            new("PasswordRequireLower", "WebPolicyRequireLower", p => p.Tenant.Password.RequireLower, (e, v) => e with { Tenant = e.Tenant with { PasswordRequireLower = v } }),
            new("PasswordRequireDigit", "WebPolicyRequireDigit", p => p.Tenant.Password.RequireDigit, (e, v) => e with { Tenant = e.Tenant with { PasswordRequireDigit = v } }),
            new("PasswordRequireSpecial", "WebPolicyRequireSpecial", p => p.Tenant.Password.RequireSpecial, (e, v) => e with { Tenant = e.Tenant with { PasswordRequireSpecial = v } }),
        ]),
        ("WebPolicyAccounts",
        [
            new("FirstLoginWindowDays", "PolicyFirstLoginDays", p => p.Tenant.FirstLoginWindowDays, (e, v) => e with { Tenant = e.Tenant with { FirstLoginWindowDays = v } }),
            new("DefaultQuotaMegabytes", "WebPolicyDefaultQuotaMb", p => p.Tenant.DefaultQuotaBytes >> 20, (e, v) => e with { DefaultQuotaMegabytes = v }),
            new("ClosedRetentionDays", "PolicyClosedRetention", p => p.Tenant.ClosedRetentionDays, (e, v) => e with { Tenant = e.Tenant with { ClosedRetentionDays = v } }),
            new("AddressQuarantineDays", "PolicyAddressQuarantine", p => p.Tenant.AddressQuarantineDays, (e, v) => e with { Tenant = e.Tenant with { AddressQuarantineDays = v } }),
        ], []),
        ("PolicyLockout",
        [
            new("MaxFailedLogins", "WebPolicyMaxFailedLogins", p => p.Tenant.Lockout.MaxFailedLogins, (e, v) => e with { Tenant = e.Tenant with { MaxFailedLogins = v } }, "WebPolicyZeroNever"),
            new("FailedLoginWindowMinutes", "WebPolicyFailedLoginWindow", p => p.Tenant.Lockout.WindowMinutes, (e, v) => e with { Tenant = e.Tenant with { FailedLoginWindowMinutes = v } }),
            new("LockoutMinutes", "WebPolicyLockoutMinutes", p => p.Tenant.Lockout.LockoutMinutes, (e, v) => e with { Tenant = e.Tenant with { LockoutMinutes = v } }),
            new("FailedLoginDelayCapSeconds", "WebPolicyDelayCap", p => p.Tenant.Lockout.DelayCapSeconds, (e, v) => e with { Tenant = e.Tenant with { FailedLoginDelayCapSeconds = v } }, "WebPolicyZeroNever"),
        ], []),
        ("UsagePolicyShown",
        [
            new("WorkingDaysPerActiveDay", "WebPolicyWorkingDaysPerActiveDay", p => p.Usage.WorkingDaysPerActiveDay, (e, v) => e with { Usage = e.Usage with { WorkingDaysPerActiveDay = v } }),
            new("NonUseLockDays", "WebPolicyNonUseLockDays", p => p.Usage.NonUseLockDays ?? 0, (e, v) => e with { Usage = e.Usage with { NonUseLockDays = v } }, "WebPolicyZeroNever"),
            new("EventRetentionMonths", "WebPolicyEventRetention", p => p.Usage.EventRetentionMonths, (e, v) => e with { Usage = e.Usage with { EventRetentionMonths = v } }),
            new("ReminderDay", "WebPolicyReminderDay", p => p.Usage.ReminderDay ?? 0, (e, v) => e with { Usage = e.Usage with { ReminderDay = v } }, "WebPolicyZeroOff"),
        ],
        [
            new("RequireSentOrRead", "WebPolicyRequireMail", p => p.Usage.RequireSentOrRead, (e, v) => e with { Usage = e.Usage with { RequireSentOrRead = v } }),
            new("MonthlyHeadRule", "WebPolicyMonthlyHead", p => p.Usage.MonthlyHeadRule, (e, v) => e with { Usage = e.Usage with { MonthlyHeadRule = v } }),
            new("ReminderPerQuarter", "WebPolicyReminderQuarter", p => p.Usage.ReminderPerQuarter, (e, v) => e with { Usage = e.Usage with { ReminderPerQuarter = v } }),
        ]),
    ];

    protected override Permission Needs => Permission.ReadDirectory;

    [BindProperty] public Dictionary<string, string?> Numbers { get; set; } = [];
    [BindProperty] public Dictionary<string, bool> Flags { get; set; } = [];
    [BindProperty] public string? InboundQuarantine { get; set; }

    public bool CanEdit => PolicyEditor.MayChange(Scope);
    public string? Done { get; private set; }
    public string? Error { get; private set; }

    protected override IActionResult? Refuse(bool reading) => reading || CanEdit ? null : Denied("WebAdminRoleCannot");

    public async Task<IActionResult> OnGetAsync()
    {
        var read = await editor.ReadAsync(Aborted);
        if (!read.IsOk) return Denied(read.Problem!.Code, StatusCodes.Status404NotFound);
        Show(read.Value!);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var edit = new PolicyEdit { InboundQuarantine = InboundQuarantine };
        foreach (var (_, numbers, flags) in Sections)
        {
            foreach (var f in numbers)
            {
                var text = Numbers.GetValueOrDefault(f.Name)?.Trim() ?? "";
                if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                    return Refused(Problem.Of("WebAdminPolicyNotNumber", new FieldLabel(f.Label), text));
                edit = f.Write(edit, value);
            }
            foreach (var f in flags) edit = f.Write(edit, Flags.GetValueOrDefault(f.Name));
        }
        var changed = await editor.ChangeAsync(edit, Actor, Aborted);
        if (!changed.IsOk) return Refused(changed.Problem!);
        Done = Localization.WebText.T("WebAdminPolicySaved");
        Show(changed.Value!);
        return Page();
    }

    /// <summary>The form again as typed, with the refusal: nothing was stored.</summary>
    private IActionResult Refused(Problem problem)
    {
        Error = Say(problem);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private void Show(TenantPolicies p)
    {
        foreach (var (_, numbers, flags) in Sections)
        {
            foreach (var f in numbers) Numbers[f.Name] = f.Read(p).ToString(CultureInfo.InvariantCulture);
            foreach (var f in flags) Flags[f.Name] = f.Read(p);
        }
        InboundQuarantine = PolicyEditor.InboundQuarantineName(p.Tenant.InboundQuarantine);
    }
}
