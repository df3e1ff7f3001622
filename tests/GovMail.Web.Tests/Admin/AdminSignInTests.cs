using System.Net;
using GovMail.Web.Tests.Support;
using static GovMail.Web.Tests.Admin.AdminWorld;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Admin;

/// <summary>The administrator's sign-in: the password, then the TOTP code, before any admin page; everyone else gets a 403 page.</summary>
public sealed class AdminSignInTests
{
    [Fact]
    public async Task An_administrator_with_totp_gives_the_code_after_the_password_before_reaching_the_portal()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var browser = site.Browser();

        var password = await browser.SignInAsync(NoiVuAdmin, AdminPassword);

        Assert.Equal("/dang-nhap/ma-xac-thuc", password.Headers.Location?.OriginalString);
        Assert.DoesNotContain(password.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("govmail-session=", StringComparison.Ordinal));
        var (_, _, portal) = await browser.GetAsync("/quan-tri");
        Assert.StartsWith("https://localhost/dang-nhap", portal.Headers.Location?.ToString());
        var (status, page, _) = await browser.GetAsync("/dang-nhap/ma-xac-thuc");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Mã xác thực", page);

        var wrong = await browser.SubmitAsync("/dang-nhap/ma-xac-thuc", [new("Code", "000000" == world.NextCode(NoiVuAdmin) ? "000001" : "000000")]);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("id=\"totp-error\"", await wrong.Content.ReadAsStringAsync());

        var right = await browser.SubmitAsync("/dang-nhap/ma-xac-thuc", [new("Code", world.NextCode(NoiVuAdmin))]);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/quan-tri", right.Headers.Location?.OriginalString);
        var (ok, html, _) = await browser.GetAsync("/quan-tri");
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Contains("Tổng quan", html);
        Assert.Contains("<svg id=\"chart-monthly\"", html);
    }

    [Fact]
    public async Task Five_wrong_codes_end_the_attempt_and_the_password_must_be_given_again()
    {
        await using var site = await StartAsync();
        await PrepareAsync(site);
        using var browser = site.Browser();
        await browser.SignInAsync(Operator, AdminPassword);

        HttpResponseMessage last = null!;
        for (var i = 0; i < 5; i++) last = await browser.SubmitAsync("/dang-nhap/ma-xac-thuc", [new("Code", "12345" + i)]);

        Assert.Equal("/dang-nhap?het-luot-ma=true", last.Headers.Location?.OriginalString);
        var (_, _, back) = await browser.GetAsync("/dang-nhap/ma-xac-thuc");
        Assert.Equal("/dang-nhap", back.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_holder_without_a_role_gets_a_403_page_in_vietnamese()
    {
        await using var site = await StartAsync();
        await PrepareAsync(site);
        using var browser = site.Browser();
        await browser.SignInAsync(An, AnPassword);

        foreach (var path in new[] { "/quan-tri", "/quan-tri/tai-khoan", "/quan-tri/bao-cao", "/quan-tri/nhat-ky" })
        {
            var (status, html, _) = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Contains("Không có quyền truy cập", html);
            Assert.Contains("không có vai trò quản trị", html);
        }
    }

    [Fact]
    public async Task An_administrator_without_totp_is_sent_to_enrol_before_the_portal_opens()
    {
        await using var site = await StartAsync();
        await PrepareAsync(site);
        using var browser = site.Browser();

        var signIn = await browser.SignInAsync(Untrained, AdminPassword);
        Assert.Equal("/thu", signIn.Headers.Location?.OriginalString);
        var (status, _, response) = await browser.GetAsync("/quan-tri/tai-khoan");

        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.Equal("/ho-so/ma-xac-thuc", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_role_without_the_permission_is_refused_the_page()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(NoiVuAdmin);

        var (audit, html, _) = await browser.GetAsync("/quan-tri/nhat-ky");
        var (import, _, _) = await (await world.SignInAsync(Auditor)).GetAsync("/quan-tri/nhap-danh-sach");

        Assert.Equal(HttpStatusCode.Forbidden, audit);
        Assert.Contains("Vai trò của bạn không cho phép mở trang này.", html);
        Assert.Equal(HttpStatusCode.Forbidden, import);
    }
}
