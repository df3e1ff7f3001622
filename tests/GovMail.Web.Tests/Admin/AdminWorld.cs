using System.Net;
using System.Net.Http.Headers;
using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Storage.Directory;
using GovMail.Storage.Security;
using GovMail.Web.Tests.Support;
using OtpNet;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Admin;

/// <summary>
/// The test site with administrators: a second agency (Sở Tài chính, with Hoa), a department of Sở Nội vụ, and a city operator,
/// an agency administrator for each agency, an HR reviewer and an auditor of Sở Nội vụ, each enrolled in TOTP.
/// </summary>
public sealed class AdminWorld
{
    public const string NoiVu = "Sở Nội vụ";
    public const string Department = "Phòng Tổ chức cán bộ";
    public const string TaiChinh = "Sở Tài chính";
    public const string Hoa = "hoa@tphcm.gov.vn";
    public const string Operator = "vanhanh@tphcm.gov.vn";
    public const string NoiVuAdmin = "quantri.noivu@tphcm.gov.vn";
    public const string TaiChinhAdmin = "quantri.taichinh@tphcm.gov.vn";
    public const string Reviewer = "tochuc.noivu@tphcm.gov.vn";
    public const string Auditor = "thanhtra@tphcm.gov.vn";
    public const string Untrained = "moi.bonhiem@tphcm.gov.vn";
    public const string AdminPassword = "Bến-Nghé-Sông-Sài-Gòn#2026";

    private readonly Dictionary<string, string> _secrets = new(StringComparer.Ordinal);

    private AdminWorld(WebTestSite site) => Site = site;

    public WebTestSite Site { get; }

    public static async Task<AdminWorld> PrepareAsync(WebTestSite site)
    {
        var world = new AdminWorld(site);
        var (db, clock, hasher) = (site.Database.Database, site.Database.Clock, site.Database.Hasher);
        var units = new UnitDirectory(db, clock);
        Ok(await units.AddAsync(TaiChinh, null, null, "test"));
        Ok(await units.AddAsync(Department, NoiVu, null, "test"));
        var accounts = new AccountDirectory(db, clock, hasher);
        Ok(await accounts.AddAsync(new NewAccount("Đỗ Thị Hoa", TaiChinh) { Address = Hoa, Password = AdminPassword, MustChangePassword = false }, "test"));
        // The agency's collective mailbox (hộp thư tập thể): mail of people who leave is forwarded there for a while.
        Ok(await accounts.AddAsync(new NewAccount("Văn phòng Sở Nội vụ", NoiVu)
        {
            Address = "vanphong.noivu@tphcm.gov.vn", Kind = AccountKind.Collective, Password = AdminPassword, MustChangePassword = false,
        }, "test"));
        var access = new AdminAccess(db, clock);
        foreach (var (address, name, unit, role, scope) in new[]
                 {
                     (Operator, "Trung tâm Vận hành", NoiVu, Core.Accounts.AdminRole.CityOperator, (string?)null),
                     (NoiVuAdmin, "Quản trị Sở Nội vụ", NoiVu, Core.Accounts.AdminRole.AgencyAdministrator, NoiVu),
                     (TaiChinhAdmin, "Quản trị Sở Tài chính", TaiChinh, Core.Accounts.AdminRole.AgencyAdministrator, TaiChinh),
                     (Reviewer, "Phòng Tổ chức Sở Nội vụ", NoiVu, Core.Accounts.AdminRole.HrReviewer, NoiVu),
                     (Auditor, "Thanh tra Sở Nội vụ", NoiVu, Core.Accounts.AdminRole.Auditor, NoiVu),
                     (Untrained, "Quản trị mới", NoiVu, Core.Accounts.AdminRole.AgencyAdministrator, NoiVu),
                 })
        {
            Ok(await accounts.AddAsync(new NewAccount(name, unit) { Address = address, Password = AdminPassword, MustChangePassword = false }, "test"));
            Ok(await access.GrantAsync(address, role, scope, "test"));
            if (address == Untrained) continue;
            world._secrets[address] = Ok(await new AdminTotp(db, clock, site.Secrets).EnrollAsync(address, "GovMail", address)).Secret;
        }
        return world;
    }

    /// <summary>The code an authenticator app shows now, on the site's clock, after moving it to a fresh 30-second step.</summary>
    public string NextCode(string address)
    {
        Site.Database.Clock.Advance(TimeSpan.FromSeconds(30));
        return new Totp(Base32Encoding.ToBytes(_secrets[address])).ComputeTotp(Site.Database.Clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>A browser signed in as the administrator, password then TOTP code.</summary>
    public async Task<BrowserClient> SignInAsync(string address)
    {
        var browser = Site.Browser();
        var password = await browser.SignInAsync(address, AdminPassword);
        Assert.Equal("/dang-nhap/ma-xac-thuc", password.Headers.Location?.OriginalString);
        var code = await browser.SubmitAsync("/dang-nhap/ma-xac-thuc", [new("Code", NextCode(address))]);
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        return browser;
    }

    /// <summary>An API client carrying a new token of the administrator.</summary>
    public async Task<HttpClient> ApiAsync(string address)
    {
        var token = Ok(await new AdminTokens(Site.Database.Database, Site.Database.Clock).CreateAsync(address, "kiểm thử", address)).Token;
        var http = Site.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async Task<AccountState> StateAsync(string address) => Ok(await Site.Accounts.FindAsync(address)).Account.State;

    public static T Ok<T>(Result<T> result) =>
        result.IsOk ? result.Value! : throw new InvalidOperationException(result.Problem!.Message(Messages.English));
}
