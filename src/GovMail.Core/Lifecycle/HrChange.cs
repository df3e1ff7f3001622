using GovMail.Core.Accounts;
using GovMail.Core.Directory;

namespace GovMail.Core.Lifecycle;

/// <summary>One row of an HR change file (danh sách biến động nhân sự) as written, before it is checked.</summary>
public sealed record HrChangeRow(int RowNumber, string? Address, string? Name, string? Action, string? Effective, string? NewUnit,
    string? NewAddress, string? KeepOldUntil, string? ForwardTo, string? ForwardDays, string? Reason);

/// <summary>A checked row: which workflow, on whom, with what.</summary>
public sealed record HrChange(int RowNumber, LifecycleKind Kind, string Address)
{
    public DateOnly? Effective { get; init; }
    public string? NewUnit { get; init; }
    public string? NewAddress { get; init; }
    public DateOnly? KeepOldUntil { get; init; }
    public string? ForwardTo { get; init; }
    public int? ForwardDays { get; init; }
    public string? Reason { get; init; }
}

/// <summary>
/// The rules a row of an HR change file must meet before anything is applied, each refusal a plain Vietnamese sentence naming
/// the row: an address, a known action (chuyển công tác / nghỉ hưu / thôi việc / hủy), dates as dd/MM/yyyy, a new unit for a
/// transfer, no second row for the same person.
/// </summary>
public static class HrChangeCheck
{
    public static (IReadOnlyList<HrChange> Changes, IReadOnlyList<StaffListProblem> Problems) Check(IReadOnlyList<HrChangeRow> rows)
    {
        var changes = new List<HrChange>();
        var problems = new List<StaffListProblem>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var before = problems.Count;
            void Report(string code, params object?[] args) => problems.Add(new StaffListProblem(row.RowNumber, Problem.Of(code, args)));

            var address = row.Address?.Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(address)) Report("HrChangeAddressMissing");
            else if (address.Contains('@') && AddressGenerator.ParseAddress(address) is null) Report("InvalidAddress", row.Address!.Trim());
            else if (seen.TryGetValue(address, out var first)) Report("HrChangeDuplicate", address, first);
            else seen[address] = row.RowNumber;

            LifecycleKind? kind = null;
            if (string.IsNullOrWhiteSpace(row.Action)) Report("HrChangeActionMissing");
            else if ((kind = LifecycleRules.Parse(row.Action)) is null) Report("HrChangeActionUnknown", row.Action.Trim());

            var effective = Date(row.Effective, "HrChangeEffectiveInvalid", Report);
            var keepUntil = Date(row.KeepOldUntil, "HrChangeKeepUntilInvalid", Report);
            int? days = null;
            if (!string.IsNullOrWhiteSpace(row.ForwardDays))
            {
                if (int.TryParse(row.ForwardDays.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d)
                    && d <= 3650) days = d;
                else Report("HrChangeForwardDaysInvalid", row.ForwardDays.Trim());
            }
            if (kind == LifecycleKind.Transfer && string.IsNullOrWhiteSpace(row.NewUnit)) Report("HrChangeNewUnitMissing");
            if (kind != LifecycleKind.Transfer && kind is not null && (!string.IsNullOrWhiteSpace(row.NewUnit) || !string.IsNullOrWhiteSpace(row.NewAddress)))
                Report("HrChangeNewUnitOnlyForTransfer", row.Action!.Trim());
            if (kind is LifecycleKind.Transfer or LifecycleKind.Cancellation && (!string.IsNullOrWhiteSpace(row.ForwardTo) || days is not null))
                Report("HrChangeForwardOnlyForDeparture", row.Action!.Trim());

            if (problems.Count > before || kind is null || address is null) continue;
            changes.Add(new HrChange(row.RowNumber, kind.Value, address)
            {
                Effective = effective,
                NewUnit = Blank(row.NewUnit),
                NewAddress = Blank(row.NewAddress),
                KeepOldUntil = keepUntil,
                ForwardTo = Blank(row.ForwardTo)?.ToLowerInvariant(),
                ForwardDays = days,
                Reason = Blank(row.Reason),
            });
        }
        return (changes, problems);
    }

    private static DateOnly? Date(string? text, string code, Action<string, object?[]> report)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var d = StaffListCheck.ParseIssued(text);
        if (d is null) report(code, [text.Trim()]);
        return d;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
