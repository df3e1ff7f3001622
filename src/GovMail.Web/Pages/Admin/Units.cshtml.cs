using GovMail.Core.Security;
using GovMail.Storage.Directory;
using GovMail.Web.Admin;

namespace GovMail.Web.Pages.Admin;

/// <summary>The unit tree (cây đơn vị) within the administrator's scope: each unit with its head and its number of accounts.</summary>
public sealed class UnitsModel(UnitDirectory units) : AdminPageModel
{
    protected override Permission Needs => Permission.ReadDirectory;

    public IReadOnlyList<UnitNode> Units { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var inScope = await UnitsAsync(Permission.ReadDirectory);
        Units = (await units.ListAsync(Aborted)).Where(u => inScope is null || inScope.Contains(u.Unit.Id)).ToList();
    }
}
