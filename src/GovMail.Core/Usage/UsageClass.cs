using System.Globalization;

namespace GovMail.Core.Usage;

/// <summary>How an account used its mailbox in a period (mức độ sử dụng).</summary>
public enum UsageClass
{
    /// <summary>Chưa kích hoạt: no activity and never logged in by the end of the period (e.g. still pending first login).</summary>
    NotActivated,
    /// <summary>Không sử dụng: no activity in the period.</summary>
    NotUsed,
    /// <summary>Ít sử dụng: some activity, below the policy's threshold.</summary>
    Low,
    /// <summary>Sử dụng thường xuyên.</summary>
    Regular,
    /// <summary>Miễn đánh giá: long leave, maternity leave or secondment over the whole span.</summary>
    Exempt,
}

/// <summary>Why an administrator exempted a person from the usage lists for a span of days.</summary>
public enum ExemptionKind
{
    /// <summary>Nghỉ phép dài ngày, nghỉ ốm dài ngày.</summary>
    LongLeave,
    /// <summary>Nghỉ thai sản.</summary>
    MaternityLeave,
    /// <summary>Biệt phái, đi học, công tác dài ngày.</summary>
    Secondment,
    Other,
}

/// <summary>Names of <see cref="UsageClass"/> and <see cref="ExemptionKind"/> as the CLI, JSON and reports write them.</summary>
public static class UsageNames
{
    /// <summary>The stable name: <c>not-activated</c>, <c>not-used</c>, <c>low</c>, <c>regular</c>, <c>exempt</c>.</summary>
    public static string Describe(UsageClass c) => c switch
    {
        UsageClass.NotActivated => "not-activated",
        UsageClass.NotUsed => "not-used",
        UsageClass.Low => "low",
        UsageClass.Regular => "regular",
        UsageClass.Exempt => "exempt",
        _ => c.ToString().ToLowerInvariant(),
    };

    public static UsageClass? ParseClass(string text) =>
        Enum.GetValues<UsageClass>().Cast<UsageClass?>().FirstOrDefault(c => Describe(c!.Value) == text.Trim().ToLowerInvariant());

    /// <summary>The class as a report shows it: "Ít sử dụng".</summary>
    public static string Label(UsageClass c, CultureInfo? culture = null) => Messages.Get("UsageClass" + c, culture);

    /// <summary>Is an account of this class on the low-use list (danh sách ít sử dụng)?</summary>
    public static bool IsListed(UsageClass c) => c is UsageClass.NotActivated or UsageClass.NotUsed or UsageClass.Low;

    public static string Describe(ExemptionKind k) => k switch
    {
        ExemptionKind.LongLeave => "leave",
        ExemptionKind.MaternityLeave => "maternity",
        ExemptionKind.Secondment => "secondment",
        _ => "other",
    };

    public static ExemptionKind? ParseExemptionKind(string text) =>
        Enum.GetValues<ExemptionKind>().Cast<ExemptionKind?>().FirstOrDefault(k => Describe(k!.Value) == text.Trim().ToLowerInvariant());

    public static string Label(ExemptionKind k, CultureInfo? culture = null) => Messages.Get("ExemptionKind" + k, culture);
}

/// <summary>
/// The rule that produced a class or a list line: a stable code for machines (<c>person.low</c>) and a sentence for people,
/// from the resource <see cref="MessageName"/> with <see cref="Args"/>.
/// </summary>
public sealed record RuleReason(string Code, string MessageName, IReadOnlyList<object?> Args)
{
    /// <summary>The sentence; periods, classes and exemption kinds among the arguments are named in the culture.</summary>
    public string Text(CultureInfo? culture = null) => Messages.Format(MessageName, culture, Args.Select(a => a switch
    {
        UsagePeriod p => p.Name(culture),
        UsageClass c => UsageNames.Label(c, culture).ToLower(culture ?? Messages.UserCulture),
        ExemptionKind k => UsageNames.Label(k, culture),
        IEnumerable<UsagePeriod> ps => string.Join(", ", ps.Select(p => p.Name(culture))),
        _ => a,
    }).ToArray());

    public override string ToString() => Code;
}
