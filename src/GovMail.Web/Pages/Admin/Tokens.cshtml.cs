using GovMail.Core.Security;
using GovMail.Storage.Security;
using GovMail.Web.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Admin;

/// <summary>
/// The administrator's API tokens (mã truy cập API): create one (shown once), see when each was last used, revoke. A city
/// operator also sees and may revoke everyone's, as with <c>govmail admin token list|revoke</c>.
/// </summary>
public sealed class TokensModel(AdminTokens tokens) : AdminPageModel
{
    protected override Permission Needs => Permission.ReadDirectory;

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public long Id { get; set; }
    [BindProperty] public string? Owner { get; set; }

    public IReadOnlyList<AdminTokenView> Tokens { get; private set; } = [];
    public NewAdminToken? Created { get; private set; }
    public string? Error { get; private set; }
    public string? Done { get; private set; }
    public bool SeesAll => Scope.AllowsEverywhere(Permission.ManageRoles);

    public Task OnGetAsync() => LoadAsync();

    public async Task OnPostCreateAsync()
    {
        var made = await tokens.CreateAsync(CurrentUser.Address, Name ?? "", Actor, Aborted);
        if (made.IsOk) Created = made.Value;
        else Fail(Say(made.Problem!));
        await LoadAsync();
    }

    public async Task OnPostRevokeAsync()
    {
        var owner = string.IsNullOrWhiteSpace(Owner) ? CurrentUser.Address : Owner;
        if (!SeesAll && !string.Equals(owner.Trim(), CurrentUser.Address, StringComparison.OrdinalIgnoreCase))
            Fail(Say(Core.Problem.Of("TokenNotFound", Id, owner)));
        else
        {
            var revoked = await tokens.RevokeAsync(owner, Id, Actor, Aborted);
            if (revoked.IsOk) Done = Localization.WebText.T("TokenRevoked", revoked.Value!.Id, revoked.Value.Address);
            else Fail(Say(revoked.Problem!));
        }
        await LoadAsync();
    }

    private void Fail(string message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
    }

    private async Task LoadAsync() => Tokens = await tokens.ListAsync(SeesAll ? null : CurrentUser.Address, Aborted);
}
