using GovMail.Core.Accounts;
using GovMail.Core.Security;
using GovMail.Storage.Directory;
using GovMail.Web.Admin;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Admin;

/// <summary>Accounts within the scope (danh sách tài khoản): search by name or address (diacritics ignored), filter by state and unit.</summary>
public sealed class AccountsModel(AccountDirectory accounts) : AdminPageModel
{
    public const int PageSize = 50;

    protected override Permission Needs => Permission.ReadDirectory;

    [FromQuery(Name = "q")] public string? Search { get; set; }
    [FromQuery(Name = "trang-thai")] public string? StateName { get; set; }
    [FromQuery(Name = "don-vi")] public string? Unit { get; set; }
    [FromQuery(Name = "trang")] public int PageNumber { get; set; } = 1;

    public AccountState? State => StateName is null ? null : AccountLifecycle.ParseState(StateName);
    public IReadOnlyList<AccountView> Accounts { get; private set; } = [];
    public int Total { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!string.IsNullOrWhiteSpace(Unit) && await Access.CheckUnitAsync(Scope, Permission.ReadDirectory, Unit, Aborted) is { } outside)
            return OutOfScope(outside);
        var listed = await accounts.ListAsync(new AccountFilter
        {
            Search = Search, State = State, UnitReference = string.IsNullOrWhiteSpace(Unit) ? null : Unit,
        }, Aborted);
        if (!listed.IsOk)
        {
            Error = Say(listed.Problem!);
            return Page();
        }
        var inScope = await UnitsAsync(Permission.ReadDirectory);
        var all = listed.Value!.Where(a => inScope is null || inScope.Contains(a.Account.UnitId))
            // Accounts waiting for their first login come first: they are the ones that need following up.
            .OrderBy(a => a.Account.State == AccountState.PendingFirstLogin ? 0 : 1).ToList();
        Total = all.Count;
        PageNumber = Math.Clamp(PageNumber, 1, Math.Max(1, (Total + PageSize - 1) / PageSize));
        Accounts = all.Skip((PageNumber - 1) * PageSize).Take(PageSize).ToList();
        return Page();
    }

    public string ListUrl(string? state = "", int page = 1)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(Search)) parts.Add("q=" + Uri.EscapeDataString(Search));
        var s = state == "" ? StateName : state;
        if (!string.IsNullOrWhiteSpace(s)) parts.Add("trang-thai=" + s);
        if (!string.IsNullOrWhiteSpace(Unit)) parts.Add("don-vi=" + Uri.EscapeDataString(Unit));
        if (page > 1) parts.Add("trang=" + page);
        return "/quan-tri/tai-khoan" + (parts.Count == 0 ? "" : "?" + string.Join('&', parts));
    }
}
