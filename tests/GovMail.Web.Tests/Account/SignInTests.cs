using System.Net;
using GovMail.Core.Usage;
using GovMail.Storage.Database;
using GovMail.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Account;

public sealed class SignInTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Sign_in_opens_the_inbox_and_records_a_web_login_and_a_webmail_session(DatabaseProvider provider)
    {
        await using var site = await StartAsync(provider);
        using var browser = site.Browser();

        var signIn = await browser.SignInAsync(An, AnPassword);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/thu", signIn.Headers.Location?.OriginalString);
        var cookie = string.Join("; ", signIn.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("govmail-session=", StringComparison.Ordinal)));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        var (status, html, _) = await browser.GetAsync("/thu");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Hộp thư đến", html);
        Assert.Contains("Nguyễn Văn An", html);

        await using var db = site.Database.Database.Open();
        var events = await db.UsageEvents.AsNoTracking().Where(e => e.Address == An && e.Protocol == UsageProtocol.Web).Select(e => e.Kind).ToListAsync();
        Assert.Contains(UsageKind.Login, events);
        Assert.Contains(UsageKind.Webmail, events);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_in_vietnamese_and_counted_like_any_protocol()
    {
        await using var site = await StartAsync();
        using var browser = site.Browser();

        var refused = await browser.SignInAsync(An, "Sai-Mật-Khẩu-2026");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("Sai địa chỉ hoặc mật khẩu.", await refused.Content.ReadAsStringAsync());
        Assert.DoesNotContain(refused.Headers.TryGetValues("Set-Cookie", out var c) ? c : [], v => v.StartsWith("govmail-session=", StringComparison.Ordinal));
        await using var db = site.Database.Database.Open();
        Assert.Equal(1, await db.LoginFailures.CountAsync(f => f.User == An && f.Protocol == UsageProtocol.Web));
        Assert.Equal(1, await db.UsageEvents.CountAsync(e => e.Address == An && e.Kind == UsageKind.LoginFailed && e.Protocol == UsageProtocol.Web));
    }

    [Theory]
    [InlineData(Chi, ChiPassword, "Tài khoản đang bị khóa, vui lòng liên hệ quản trị viên.")]
    [InlineData(Dung, DungPassword, "Tài khoản đã ngừng sử dụng.")]
    public async Task Locked_and_disabled_accounts_see_why_in_vietnamese(string address, string password, string reason)
    {
        await using var site = await StartAsync();
        using var browser = site.Browser();

        var refused = await browser.SignInAsync(address, password);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains(reason, await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Mail_pages_need_a_session_and_send_strangers_to_sign_in()
    {
        await using var site = await StartAsync();
        using var browser = site.Browser();

        var (status, _, response) = await browser.GetAsync("/thu");

        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.StartsWith("https://localhost/dang-nhap?returnUrl=%2Fthu", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        await using var site = await StartAsync();
        using var browser = site.Browser();

        var forged = await browser.Http.PostAsync("/dang-nhap", new FormUrlEncodedContent([new("Address", An), new("Password", AnPassword)]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(forged.Headers.Location);
        await using var db = site.Database.Database.Open();
        Assert.Equal(0, await db.UsageEvents.CountAsync(e => e.Address == An && e.Protocol == UsageProtocol.Web));
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        await using var site = await StartAsync();
        using var browser = site.Browser();
        await browser.SignInAsync(An, AnPassword);

        var signOut = await browser.SubmitAsync("/thu", [], "/dang-xuat");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        var (status, _, _) = await browser.GetAsync("/thu");
        Assert.Equal(HttpStatusCode.Redirect, status);
    }

    [Fact]
    public async Task A_session_ends_when_the_account_is_locked_elsewhere()
    {
        await using var site = await StartAsync();
        using var browser = site.Browser();
        await browser.SignInAsync(An, AnPassword);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/thu")).Status);

        var locked = await site.Accounts.ApplyAsync(An, Core.Accounts.AccountAction.Lock, "admin@tphcm.gov.vn", "kiểm tra", Core.Accounts.LockReason.Administrator);
        Assert.True(locked.IsOk);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/thu")).Status);
    }

    [Fact]
    public async Task English_is_one_click_away_and_remembered()
    {
        await using var site = await StartAsync();
        using var browser = site.Browser();

        var vietnamese = (await browser.GetAsync("/dang-nhap")).Html;
        var switched = await browser.Http.GetAsync("/ngon-ngu/en?back=%2Fdang-nhap");
        var english = (await browser.GetAsync("/dang-nhap")).Html;

        Assert.Contains("<html lang=\"vi\">", vietnamese);
        Assert.Contains("Đăng nhập", vietnamese);
        Assert.Equal("/dang-nhap", switched.Headers.Location?.OriginalString);
        Assert.Contains("<html lang=\"en\">", english);
        Assert.Contains("Sign in", english);
        Assert.Contains("E-mail address", english);
    }

    [Fact]
    public async Task Pages_carry_a_strict_content_security_policy()
    {
        await using var site = await StartAsync();
        using var browser = site.Browser();

        var (_, html, response) = await browser.GetAsync("/dang-nhap");

        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("<script>", html);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }
}
