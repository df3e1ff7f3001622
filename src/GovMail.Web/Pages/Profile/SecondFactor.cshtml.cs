using GovMail.Storage.Database;
using GovMail.Storage.Security;
using GovMail.Web.Localization;
using GovMail.Web.Mail;
using GovMail.Web.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QRCoder;

namespace GovMail.Web.Pages.Profile;

/// <summary>
/// TOTP enrolment from the web (đăng ký mã xác thực) for the signed-in administrator: a new key (the one
/// <c>govmail admin totp enroll</c> makes, by <see cref="AdminTotp"/>) shown as a QR code and as text, stored only once a code
/// from it is typed. An administrator who already has a key must have given a code at sign-in to replace it.
/// </summary>
public sealed class SecondFactorModel(AdminTotp totp, TotpEnrolmentKey keys, GovMailDatabase database, WebSessions sessions) : MailPageModel
{
    [BindProperty] public string Code { get; set; } = "";
    [BindProperty] public string Key { get; set; } = "";

    public string? Secret { get; private set; }
    public string? QrDataUri { get; private set; }
    public bool AlreadyEnrolled { get; private set; }
    public string? Error { get; private set; }
    public string? Refusal { get; private set; }

    [FromQuery(Name = "xong")]
    public bool Done { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await RefuseAsync() is { } refused) return refused;
        if (!Done) await NewKeyAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await RefuseAsync() is { } refused) return refused;
        var ct = HttpContext.RequestAborted;
        if (keys.Unprotect(CurrentUser.AccountId, Key) is not { } secret)
        {
            Error = WebText.T("WebTotpEnrolExpired");
            await NewKeyAsync();
            return Page();
        }
        var enrolled = await totp.EnrollConfirmedAsync(CurrentUser.Address, secret, Code ?? "", CurrentUser.Address, ct);
        if (!enrolled.IsOk)
        {
            Error = enrolled.Problem!.Message(WebSite.Culture);
            Show(AdminTotp.SetupOf(CurrentUser.Address, secret, await IssuerAsync()), Key);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        // The code was just given in this session: it now counts as having passed the second factor.
        await using (var db = database.Open())
        {
            var account = await db.Accounts.AsNoTracking().FirstAsync(a => a.Id == CurrentUser.AccountId, ct);
            await sessions.SignInAsync(HttpContext, account, active: true, newSession: false, secondFactor: true);
        }
        return Redirect("/ho-so/ma-xac-thuc?xong=true");
    }

    /// <summary>Only administrators enrol; replacing a key needs a session that gave a code from the current one.</summary>
    private async Task<IActionResult?> RefuseAsync()
    {
        Response.Headers.CacheControl = "no-store";
        var ct = HttpContext.RequestAborted;
        var scope = await HttpContext.RequestServices.GetRequiredService<AdminAccess>().ScopeForAsync(CurrentUser.Address, ct);
        if (!scope.IsOk || !scope.Value!.IsAdministrator)
        {
            Refusal = WebText.T("WebAdminNotAdministrator");
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        AlreadyEnrolled = await totp.IsEnrolledAsync(CurrentUser.Address, ct);
        if (AlreadyEnrolled && !User.HasClaim(WebSessions.SecondFactorClaim, "1"))
        {
            Refusal = WebText.T("WebTotpEnrolNeedsCode");
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        return null;
    }

    private async Task NewKeyAsync()
    {
        var setup = (await totp.NewKeyAsync(CurrentUser.Address, await IssuerAsync(), HttpContext.RequestAborted)).Value!;
        Show(setup, keys.Protect(CurrentUser.AccountId, setup.Secret));
        Code = "";
    }

    /// <summary>The name the authenticator app shows, the tenant's as with <c>govmail admin totp enroll</c>.</summary>
    private async Task<string> IssuerAsync()
    {
        await using var db = database.Open();
        return await (from a in db.Accounts where a.Id == CurrentUser.AccountId join t in db.Tenants on a.TenantId equals t.Id select t.Name)
            .FirstAsync(HttpContext.RequestAborted);
    }

    private void Show(TotpSetup setup, string key)
    {
        Secret = setup.Secret;
        Key = key;
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(setup.Uri, QRCodeGenerator.ECCLevel.M);
        QrDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(6));
    }
}
