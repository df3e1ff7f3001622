using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Directory;
using GovMail.Core.Security;
using GovMail.Core.Time;
using GovMail.Storage.Directory;
using GovMail.Storage.Security;

namespace GovMail.Web.Admin;

/// <summary>
/// What an administrator types to issue one mailbox (cấp hộp thư), on the portal's form or in the API's JSON: the same
/// fields as <c>govmail account add</c>. The deadline is a day (dd/MM/yyyy); empty means the tenant's first-login window.
/// </summary>
public sealed record AccountRequest
{
    public string? Address { get; init; }
    public string? DisplayName { get; init; }
    public string? Title { get; init; }
    public string? Unit { get; init; }
    public string? Phone { get; init; }
    public string? Kind { get; init; }
    public string? FirstLoginDeadline { get; init; }
    public string? OverrideReason { get; init; }
}

/// <summary>
/// Issues a single mailbox for the portal and the API through <see cref="AccountDirectory.AddAsync"/>, the service
/// <c>govmail account add</c> calls (its rules: address, name, re-registration bar and its override, temporary password),
/// after the scope check for the unit.
/// </summary>
public sealed class AccountIssuing(AccountDirectory accounts, AdminAccess access, TimeProvider clock)
{
    /// <summary>Refusals that come from reading the request rather than from the directory: bad input (400 in the API).</summary>
    public static readonly IReadOnlySet<string> InputProblems =
        new HashSet<string>(StringComparer.Ordinal) { "WebAdminChooseUnit", "InvalidPhone", "UnknownAccountKind", "WebAdminBadDate", "DeadlineInPast" };

    public async Task<Result<IssuedAccount>> IssueAsync(AdminScope scope, AccountRequest form, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(form.Unit)) return Problem.Of("WebAdminChooseUnit");
        if (await access.CheckUnitAsync(scope, Permission.ManageAccounts, form.Unit, ct) is { } outside) return outside;
        var phone = Clean(form.Phone);
        if (phone is not null && !PhoneNumber.IsValid(phone)) return Problem.Of("InvalidPhone", phone);
        var kind = AccountKind.Individual;
        if (Clean(form.Kind) is { } kindText)
        {
            if (StaffListCheck.ParseKind(kindText) is not { } parsed) return Problem.Of("UnknownAccountKind", kindText);
            kind = parsed;
        }
        DateTimeOffset? deadline = null;
        if (Clean(form.FirstLoginDeadline) is { } dayText)
        {
            if (AdminText.ParseDay(dayText) is not { } day) return Problem.Of("WebAdminBadDate", dayText);
            deadline = VietnamTime.EndOfDay(day);
            if (deadline < clock.GetUtcNow()) return Problem.Of("DeadlineInPast", day);
        }
        return await accounts.AddAsync(new NewAccount(form.DisplayName ?? "", form.Unit.Trim())
        {
            Address = Clean(form.Address),
            Title = Clean(form.Title),
            Phone = phone,
            Kind = kind,
            PasswordChangeDeadline = deadline,
            OverrideReason = Clean(form.OverrideReason),
        }, scope.Actor, ct);
    }

    /// <summary>Whether a refusal means "outside your scope" (404), as <see cref="AdminAccess"/> words it.</summary>
    public static bool IsOutOfScope(Problem problem) => problem.Code is "AccountOutOfScope" or "UnitOutOfScope" or "TenantWideOutOfScope";

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
