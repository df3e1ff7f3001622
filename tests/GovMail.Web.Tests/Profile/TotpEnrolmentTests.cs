using System.Net;
using System.Text.RegularExpressions;
using GovMail.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using static GovMail.Web.Tests.Admin.AdminWorld;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Profile;

/// <summary>TOTP enrolment from the web (/ho-so/ma-xac-thuc): the key is kept only once a code from it is typed.</summary>
public sealed partial class TotpEnrolmentTests
{
    [Fact]
    public async Task An_administrator_without_a_key_enrols_on_the_web_and_the_next_sign_in_asks_for_the_code()
    {
        await using var site = await StartAsync();
        await PrepareAsync(site);
        using var browser = site.Browser();
        await browser.SignInAsync(Untrained, AdminPassword);
        var (_, _, portal) = await browser.GetAsync("/quan-tri");
        Assert.Equal("/ho-so/ma-xac-thuc", portal.Headers.Location?.OriginalString);

        var (status, page, response) = await browser.GetAsync("/ho-so/ma-xac-thuc");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("src=\"data:image/png;base64,", page);
        var secret = SecretPattern().Match(page).Groups[1].Value;
        Assert.Equal(32, secret.Length);
        Assert.False(await EnrolledAsync(site, Untrained));

        // A wrong code keeps nothing and shows the same key again.
        var wrong = await browser.Http.PostAsync("/ho-so/ma-xac-thuc", Form(page, "000000" == Code(site, secret, 0) ? "111111" : "000000"));
        var wrongPage = await wrong.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Contains("id=\"totp-error\"", wrongPage);
        Assert.Contains(secret, wrongPage);
        Assert.False(await EnrolledAsync(site, Untrained));

        var right = await browser.Http.PostAsync("/ho-so/ma-xac-thuc", Form(wrongPage, Code(site, secret, 30)));
        Assert.Equal("/ho-so/ma-xac-thuc?xong=true", right.Headers.Location?.OriginalString);
        Assert.True(await EnrolledAsync(site, Untrained));
        // The session that gave the code now reaches the portal.
        var (open, _, _) = await browser.GetAsync("/quan-tri");
        Assert.Equal(HttpStatusCode.OK, open);
        await using (var db = site.Database.Database.Open())
        {
            Assert.True(await db.Audit.AnyAsync(e => e.Action == "admin.totp.enroll" && e.Actor == Untrained && e.Target == Untrained));
            Assert.True(await db.Audit.AnyAsync(e => e.Action == "admin.totp.confirm" && e.Target == Untrained));
        }

        // The next sign-in asks for a code from that key.
        using var later = site.Browser();
        var password = await later.SignInAsync(Untrained, AdminPassword);
        Assert.Equal("/dang-nhap/ma-xac-thuc", password.Headers.Location?.OriginalString);
        var code = await later.SubmitAsync("/dang-nhap/ma-xac-thuc", [new("Code", Code(site, secret, 30))]);
        Assert.Equal("/quan-tri", code.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_key_from_another_session_or_a_tampered_key_is_not_accepted()
    {
        await using var site = await StartAsync();
        await PrepareAsync(site);
        using var browser = site.Browser();
        await browser.SignInAsync(Untrained, AdminPassword);
        var (_, page, _) = await browser.GetAsync("/ho-so/ma-xac-thuc");
        var secret = SecretPattern().Match(page).Groups[1].Value;
        var token = BrowserClient.Token(page)!;

        var tampered = await browser.Http.PostAsync("/ho-so/ma-xac-thuc", new FormUrlEncodedContent(
            [new("Key", "x" + KeyPattern().Match(page).Groups[1].Value), new("Code", Code(site, secret, 30)), new("__xsrf", token)]));

        Assert.Equal(HttpStatusCode.OK, tampered.StatusCode);
        Assert.Contains("Khóa đăng ký đã hết hạn", await tampered.Content.ReadAsStringAsync());
        Assert.False(await EnrolledAsync(site, Untrained));
    }

    [Fact]
    public async Task Enrolment_refuses_a_post_without_the_antiforgery_token_and_a_holder_without_a_role()
    {
        await using var site = await StartAsync();
        await PrepareAsync(site);
        using var admin = site.Browser();
        await admin.SignInAsync(Untrained, AdminPassword);
        var (_, page, _) = await admin.GetAsync("/ho-so/ma-xac-thuc");
        var secret = SecretPattern().Match(page).Groups[1].Value;
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var forged = await admin.Http.PostAsync("/ho-so/ma-xac-thuc", new FormUrlEncodedContent(
            [new("Key", KeyPattern().Match(page).Groups[1].Value), new("Code", Code(site, secret, 30))]));
        var (holder, html, _) = await an.GetAsync("/ho-so/ma-xac-thuc");

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(await EnrolledAsync(site, Untrained));
        Assert.Equal(HttpStatusCode.Forbidden, holder);
        Assert.Contains("id=\"totp-enrol-refused\"", html);
        Assert.DoesNotContain("totp-qr", html);
    }

    [Fact]
    public async Task Replacing_a_key_needs_a_session_that_gave_a_code_and_the_old_key_stops_working()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(NoiVuAdmin);
        var (_, page, _) = await browser.GetAsync("/ho-so/ma-xac-thuc");
        Assert.Contains("Bạn đã có khóa xác thực", page);
        var secret = SecretPattern().Match(page).Groups[1].Value;

        var replaced = await browser.Http.PostAsync("/ho-so/ma-xac-thuc", Form(page, Code(site, secret, 30)));

        Assert.Equal(HttpStatusCode.Redirect, replaced.StatusCode);
        using var later = site.Browser();
        await later.SignInAsync(NoiVuAdmin, AdminPassword);
        var old = await later.SubmitAsync("/dang-nhap/ma-xac-thuc", [new("Code", world.NextCode(NoiVuAdmin))]);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        var fresh = await later.SubmitAsync("/dang-nhap/ma-xac-thuc", [new("Code", Code(site, secret, 30))]);
        Assert.Equal("/quan-tri", fresh.Headers.Location?.OriginalString);
        await using var db = site.Database.Database.Open();
        Assert.True(await db.Audit.AnyAsync(e => e.Action == "admin.totp.re-enroll" && e.Target == NoiVuAdmin));
    }

    /// <summary>The authenticator app's code for <paramref name="secret"/> after moving the site's clock by <paramref name="seconds"/>.</summary>
    private static string Code(WebTestSite site, string secret, int seconds)
    {
        site.Database.Clock.Advance(TimeSpan.FromSeconds(seconds));
        return new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(site.Database.Clock.GetUtcNow().UtcDateTime);
    }

    private static FormUrlEncodedContent Form(string page, string code) => new(
        [new("Key", WebUtility.HtmlDecode(KeyPattern().Match(page).Groups[1].Value)), new("Code", code), new("__xsrf", BrowserClient.Token(page)!)]);

    private static async Task<bool> EnrolledAsync(WebTestSite site, string address) =>
        await new GovMail.Storage.Security.AdminTotp(site.Database.Database, site.Database.Clock, site.Secrets).IsEnrolledAsync(address);

    [GeneratedRegex("<code id=\"totp-secret\">([A-Z2-7]+)</code>")]
    private static partial Regex SecretPattern();

    [GeneratedRegex("type=\"hidden\" id=\"Key\" name=\"Key\" value=\"([^\"]+)\"")]
    private static partial Regex KeyPattern();
}
