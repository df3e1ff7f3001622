using GovMail.Core.Security;
using GovMail.Storage.Directory;
using GovMail.Web.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Admin;

/// <summary>
/// Issuing one mailbox (cấp hộp thư mới) in a unit within the administrator's scope, through <see cref="AccountIssuing"/>
/// (the directory's <c>AddAsync</c>, as <c>govmail account add</c>). The temporary password is shown on the answer only; a
/// person barred from re-registration is refused unless a reason for the exception is given (recorded in the audit log).
/// </summary>
public sealed class NewAccountModel(AccountIssuing issuing, UnitDirectory units) : AdminPageModel
{
    protected override Permission Needs => Permission.ManageAccounts;

    [BindProperty] public string? Address { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? JobTitle { get; set; }
    [BindProperty] public string? Unit { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public string? FirstLoginDeadline { get; set; }
    [BindProperty] public string? OverrideReason { get; set; }

    public IReadOnlyList<string> Units { get; private set; } = [];
    public IssuedAccount? Issued { get; private set; }
    public string? Error { get; private set; }

    /// <summary>The refusal was the re-registration bar: the page points at the reason field.</summary>
    public bool Barred { get; private set; }

    public async Task OnGetAsync() => await LoadUnitsAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var issued = await issuing.IssueAsync(Scope, new AccountRequest
        {
            Address = Address, DisplayName = DisplayName, Title = JobTitle, Unit = Unit, Phone = Phone, Kind = Kind,
            FirstLoginDeadline = FirstLoginDeadline, OverrideReason = OverrideReason,
        }, Aborted);
        if (!issued.IsOk && AccountIssuing.IsOutOfScope(issued.Problem!)) return OutOfScope(issued.Problem!);
        if (issued.IsOk) Issued = issued.Value;
        else
        {
            Error = Say(issued.Problem!);
            Barred = issued.Problem!.Code == "ReRegistrationBarred";
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        await LoadUnitsAsync();
        return Page();
    }

    private async Task LoadUnitsAsync()
    {
        var inScope = await UnitsAsync(Permission.ManageAccounts);
        Units = (await units.ListAsync(Aborted)).Where(u => inScope is null || inScope.Contains(u.Unit.Id)).Select(u => u.Path).ToList();
    }
}
