using GovMail.Core.Security;
using GovMail.Storage.Directory;
using GovMail.Web.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Admin;

/// <summary>
/// Profile changes awaiting approval (hồ sơ chờ duyệt): the holders' requests in the administrator's scope, each with the present
/// values beside the asked ones; approve (stored with the administrator as actor) or reject with a reason (<see cref="ProfileChanges"/>).
/// </summary>
public sealed class ProfileChangesModel(ProfileChanges changes) : AdminPageModel
{
    protected override Permission Needs => Permission.ManageAccounts;

    [BindProperty] public long Id { get; set; }
    [BindProperty(Name = "quyet-dinh")] public string? Decision { get; set; }
    [BindProperty(Name = "ly-do")] public string? Reason { get; set; }

    public IReadOnlyList<ProfileChangeView> Pending { get; private set; } = [];
    public string? Error { get; private set; }
    public string? Done { get; private set; }

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        // A request of an account outside the scope reads as absent, as on every admin page.
        if (await changes.AccountOfPendingAsync(Id, Aborted) is not { } address)
        {
            Fail(Say(Core.Problem.Of("ProfileChangeNotFound", Id)));
            await LoadAsync();
            return Page();
        }
        if (await RequireAccountAsync(Permission.ManageAccounts, address) is { } refused) return refused;
        var decided = await changes.DecideAsync(Id, Decision == "approve", Actor, Reason, Aborted);
        if (decided.IsOk) Done = Localization.WebText.T("WebAdminProfileChangesDone", address);
        else Fail(Say(decided.Problem!));
        await LoadAsync();
        return Page();
    }

    private void Fail(string message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
    }

    private async Task LoadAsync() => Pending = await changes.PendingAsync(await UnitsAsync(Permission.ManageAccounts), Aborted);
}
