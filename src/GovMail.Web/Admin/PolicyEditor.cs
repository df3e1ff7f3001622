using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GovMail.Core;
using GovMail.Core.Directory;
using GovMail.Core.Security;
using GovMail.Core.Usage;
using GovMail.Reports.Exemptions;
using GovMail.Storage.Directory;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace GovMail.Web.Admin;

/// <summary>
/// A change to the tenant's policies from the portal or the API: the tenant's rules as <see cref="PolicyChange"/> (the change
/// <c>govmail policy set</c> makes) and the usage rules as <see cref="UsagePolicyChange"/> (<c>govmail usage policy set</c>); a
/// missing value leaves the rule as it is. Two values are read in the portal's words: the default quota in megabytes and the
/// inbound quarantine rule by its name. The API takes all of it as one flat JSON object (<see cref="PolicyEditJson"/>).
/// </summary>
[JsonConverter(typeof(PolicyEditJson))]
public sealed record PolicyEdit
{
    /// <summary>The tenant's rules; its quota and quarantine rule come from <see cref="DefaultQuotaMegabytes"/> and <see cref="InboundQuarantine"/>.</summary>
    public PolicyChange Tenant { get; init; } = new();
    public UsagePolicyChange Usage { get; init; } = new();
    public long? DefaultQuotaMegabytes { get; init; }
    /// <summary>dmarc, dmarc-and-spf or off.</summary>
    public string? InboundQuarantine { get; init; }
}

/// <summary>
/// <see cref="PolicyEdit"/> as one flat JSON object (<c>{"passwordMinLength": 12, "reminderDay": 5, "defaultQuotaMegabytes": 2048}</c>):
/// the fields of <see cref="PolicyChange"/> and <see cref="UsagePolicyChange"/> by their own names, besides the two read in the
/// portal's words. The tenant fields only the command line sets (quota in bytes, the quarantine enum, profile approval) are not taken.
/// </summary>
public sealed class PolicyEditJson : JsonConverter<PolicyEdit>
{
    private static readonly string[] NotTaken =
        [nameof(PolicyChange.DefaultQuotaBytes), nameof(PolicyChange.InboundQuarantine), nameof(PolicyChange.ProfileChangesNeedApproval)];

    public override PolicyEdit Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (JsonNode.Parse(ref reader) is not JsonObject body) throw new JsonException("A policy change is a JSON object.");
        JsonNode? Named(string name) => body.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        var rest = new JsonObject(body.Where(p => !NotTaken.Contains(p.Key, StringComparer.OrdinalIgnoreCase))
            .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        return new PolicyEdit
        {
            Tenant = rest.Deserialize<PolicyChange>(options) ?? new(),
            Usage = rest.Deserialize<UsagePolicyChange>(options) ?? new(),
            DefaultQuotaMegabytes = Named(nameof(PolicyEdit.DefaultQuotaMegabytes))?.Deserialize<long?>(options),
            InboundQuarantine = Named(nameof(PolicyEdit.InboundQuarantine))?.Deserialize<string?>(options),
        };
    }

    public override void Write(Utf8JsonWriter writer, PolicyEdit value, JsonSerializerOptions options)
    {
        var flat = new JsonObject();
        foreach (var part in new[] { JsonSerializer.SerializeToNode(value.Tenant, options), JsonSerializer.SerializeToNode(value.Usage, options) })
            foreach (var (name, node) in part!.AsObject())
                if (!NotTaken.Contains(name, StringComparer.OrdinalIgnoreCase)) flat[name] = node?.DeepClone();
        flat[options.PropertyNamingPolicy?.ConvertName(nameof(PolicyEdit.DefaultQuotaMegabytes)) ?? nameof(PolicyEdit.DefaultQuotaMegabytes)] = value.DefaultQuotaMegabytes;
        flat[options.PropertyNamingPolicy?.ConvertName(nameof(PolicyEdit.InboundQuarantine)) ?? nameof(PolicyEdit.InboundQuarantine)] = value.InboundQuarantine;
        flat.WriteTo(writer, options);
    }

    /// <summary>
    /// The OpenAPI schema of <see cref="PolicyEdit"/> as the API takes it (the converter hides its shape from the generator):
    /// one object with the settable fields of <see cref="PolicyChange"/> and <see cref="UsagePolicyChange"/> but those not
    /// taken, and the two fields in the portal's words.
    /// </summary>
    public static async Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (context.JsonTypeInfo.Type != typeof(PolicyEdit)) return;
        var naming = context.JsonTypeInfo.Options.PropertyNamingPolicy;
        string Name(string property) => naming?.ConvertName(property) ?? property;
        var properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        foreach (var part in new[] { typeof(PolicyChange), typeof(UsagePolicyChange) })
        {
            var whole = await context.GetOrCreateSchemaAsync(part, null, ct);
            foreach (var field in part.GetProperties().Where(f => f.CanWrite && !NotTaken.Contains(f.Name)))
                if (whole.Properties?.TryGetValue(Name(field.Name), out var described) == true) properties[Name(field.Name)] = described;
        }
        properties[Name(nameof(PolicyEdit.DefaultQuotaMegabytes))] = new OpenApiSchema
        {
            Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int64", Description = "Hạn mức mặc định (MB) / default quota in megabytes",
        };
        properties[Name(nameof(PolicyEdit.InboundQuarantine))] = new OpenApiSchema
        {
            Type = JsonSchemaType.String | JsonSchemaType.Null,
            Enum = [.. Enum.GetValues<InboundQuarantine>().Select(q => (JsonNode)PolicyEditor.InboundQuarantineName(q))],
            Description = "Thư Internet không đạt DMARC (hoặc cả SPF) vào Thư rác / Internet mail failing DMARC (or also SPF) goes to Junk",
        };
        schema.Type = JsonSchemaType.Object;
        schema.Properties = properties;
    }
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

    /// <summary>Who changes the policies (and the working calendar): a role with the policy permission over the whole tenant.</summary>
    public static bool MayChange(AdminScope scope) => scope.AllowsEverywhere(Permission.ManagePolicy);

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
            ReminderPerQuarter = current.ReminderPerQuarter, ExtraDaysOff = [.. current.ExtraDaysOff], ExtraWorkingDays = [.. current.ExtraWorkingDays],
        };
        if ((edit.Usage.ApplyTo(probe) ?? probe.Check()) is { } usageProblem) return Labelled(usageProblem);

        var tenant = await tenants.UpdatePolicyAsync(edit.Tenant with
        {
            DefaultQuotaBytes = edit.DefaultQuotaMegabytes is { } q ? q << 20 : null,
            InboundQuarantine = inbound,
        }, actor, ct);
        if (!tenant.IsOk) return Labelled(tenant.Problem!);
        if (edit.Usage.IsEmpty) return new TenantPolicies(tenant.Value!, current);
        var changed = await usage.UpdateAsync(edit.Usage.ApplyTo, actor, ct);
        return changed.IsOk ? new TenantPolicies(tenant.Value!, changed.Value!) : Labelled(changed.Problem!);
    }

    /// <summary>
    /// Adds or removes the tenant's own days off and worked weekend days (the working calendar page), through
    /// <see cref="UsagePolicies.UpdateAsync(Func{UsagePolicy, Problem?}, string, CancellationToken)"/> as <c>--day-off</c> does:
    /// the rules of <see cref="UsagePolicy.AddDayOff"/> and its siblings, audited <c>usage.policy</c>.
    /// </summary>
    public Task<Result<UsagePolicy>> ChangeCalendarAsync(UsagePolicyChange change, string actor, CancellationToken ct) =>
        usage.UpdateAsync(change.ApplyTo, actor, ct);

    public Task<UsagePolicy> ReadUsageAsync(CancellationToken ct) => usage.GetAsync(ct);

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
