using GovMail.Core;
using GovMail.Core.Security;
using GovMail.Storage.Security;
using GovMail.Web.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.DependencyInjection;

namespace GovMail.Web.Admin;

/// <summary>
/// The pages of the admin portal (trang quản trị): before any handler, the signed-in account must have passed the TOTP step
/// and hold a role that allows the page's permission somewhere; its <see cref="AdminScope"/> (the rule every CLI command
/// and API call asks too) is then loaded for the page to limit what it shows and changes. Anyone else gets a 403 page.
/// </summary>
public abstract class AdminPageModel : PageModel
{
    public WebUser CurrentUser { get; private set; } = null!;
    public AdminScope Scope { get; private set; } = null!;

    /// <summary>The page where an administrator enrols in TOTP (<c>Pages/Profile/SecondFactor</c>).</summary>
    public const string TotpEnrolmentPath = "/ho-so/ma-xac-thuc";

    /// <summary>The permission the page needs in at least part of the tenant.</summary>
    protected abstract Permission Needs { get; }

    protected AdminAccess Access => HttpContext.RequestServices.GetRequiredService<AdminAccess>();
    protected CancellationToken Aborted => HttpContext.RequestAborted;

    /// <summary>Who the audit log names for what this page does: the administrator.</summary>
    protected string Actor => CurrentUser.Address;

    /// <summary>May the administrator use the permission anywhere (to show a menu entry or a button)?</summary>
    public bool Can(Permission permission) => Scope.AllowsEverywhere(permission) || Scope.Roots(permission) is { Count: > 0 };

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (WebUser.From(User) is not { } user)
        {
            context.Result = new ChallengeResult(WebSessions.Scheme);
            return;
        }
        CurrentUser = user;
        var scope = await Access.ScopeForAsync(user.Address, Aborted);
        if (!scope.IsOk || !scope.Value!.IsAdministrator)
        {
            context.Result = Denied("WebAdminNotAdministrator");
            return;
        }
        if (!User.HasClaim(WebSessions.SecondFactorClaim, "1"))
        {
            // An administrator without a key is led to enrol on the web; one who has a key signs in again with its code.
            context.Result = await HttpContext.RequestServices.GetRequiredService<AdminTotp>().IsEnrolledAsync(user.Address, Aborted)
                ? Denied("WebAdminNeedsSecondFactor")
                : new RedirectResult(TotpEnrolmentPath);
            return;
        }
        Scope = scope.Value!;
        if (!Can(Needs))
        {
            context.Result = Denied("WebAdminRoleCannot");
            return;
        }
        if (Refuse(HttpMethods.IsGet(context.HttpContext.Request.Method)) is { } refused)
        {
            context.Result = refused;
            return;
        }
        await next();
    }

    /// <summary>A page's own rule beyond <see cref="Needs"/> (a tenant-wide page, a change only some roles make); null lets it run.</summary>
    protected virtual IActionResult? Refuse(bool reading) => null;

    /// <summary>A 403 page (or 404 for something outside the scope) saying why, in the reader's language.</summary>
    protected IActionResult Denied(string code, int status = StatusCodes.Status403Forbidden, params object?[] args) =>
        DeniedWith(Messages.Format(code, WebSite.Culture, args), status);

    /// <summary>An account or unit outside the scope reads as absent (404), as on the command line.</summary>
    protected IActionResult OutOfScope(Problem problem) => DeniedWith(problem.Message(WebSite.Culture), StatusCodes.Status404NotFound);

    private ViewResult DeniedWith(string message, int status) => new()
    {
        ViewName = "/Pages/Shared/_AdminDenied.cshtml",
        StatusCode = status,
        ViewData = new ViewDataDictionary(MetadataProvider, ModelState) { ["Message"] = message, ["Status"] = status },
    };

    /// <summary>A refusal from a service as a message on the page.</summary>
    protected static string Say(Problem problem) => problem.Message(WebSite.Culture);

    /// <summary>Refuses unless the account is within the scope for <paramref name="permission"/>; null when it is.</summary>
    protected async Task<IActionResult?> RequireAccountAsync(Permission permission, string address) =>
        await Access.CheckAccountAsync(Scope, permission, address, Aborted) is { } problem ? OutOfScope(problem) : null;

    /// <summary>The units (ids) where the administrator may use the permission; null for the whole tenant.</summary>
    protected Task<HashSet<Guid>?> UnitsAsync(Permission permission) => Access.UnitsAsync(Scope, permission, Aborted);
}
