using System.Net;
using GovMail.Core.Accounts;
using GovMail.Core.Usage;
using GovMail.Storage.Security;
using GovMail.Web.Tests.Support;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Account;

public sealed class ChangePasswordTests
{
    private const string NewPassword = "Sông-Sài-Gòn#2026";

    [Fact]
    public async Task A_temporary_password_leads_only_to_the_change_page_until_changed_then_imap_and_smtp_accept_the_account()
    {
        await using var site = await StartAsync();
        using var browser = site.Browser();
        var logins = new LoginService(site.Database.Database, site.Database.Clock);
        Assert.Equal(LoginOutcome.MustChangePassword, (await logins.LogInAsync(new LoginAttempt(Binh, BinhTemporary, UsageProtocol.Imap, "127.0.0.1"))).Outcome);

        var signIn = await browser.SignInAsync(Binh, BinhTemporary);
        Assert.Equal("/doi-mat-khau", signIn.Headers.Location?.OriginalString);
        var (_, page, _) = await browser.GetAsync("/doi-mat-khau");
        Assert.Contains("mật khẩu tạm thời", page);
        Assert.Contains("data-rule=\"upper\"", page);
        Assert.Contains("data-rule=\"min\" data-value=\"8\"", page);
        Assert.Contains("/static/password.js", page);
        // The mail is closed to a session that has not changed its password: it is sent back to the change page.
        var (status, _, mail) = await browser.GetAsync("/thu");
        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.StartsWith("https://localhost/doi-mat-khau", mail.Headers.Location?.ToString());

        var changed = await browser.SubmitAsync("/doi-mat-khau", [new("Current", BinhTemporary), new("New", NewPassword), new("Confirm", NewPassword)]);

        Assert.Equal("/thu?doi-mat-khau=true", changed.Headers.Location?.OriginalString);
        var (_, inbox, _) = await browser.GetAsync("/thu?doi-mat-khau=true");
        Assert.Contains("Đã đổi mật khẩu.", inbox);
        var account = (await site.Accounts.FindAsync(Binh)).Value!.Account;
        Assert.Equal(AccountState.Active, account.State);
        Assert.Equal(LoginOutcome.Ok, (await logins.LogInAsync(new LoginAttempt(Binh, NewPassword, UsageProtocol.Imap, "127.0.0.1"))).Outcome);
        Assert.Equal(LoginOutcome.Ok, (await logins.LogInAsync(new LoginAttempt(Binh, NewPassword, UsageProtocol.Smtp, "127.0.0.1"))).Outcome);
    }

    [Theory]
    [InlineData("ngan", "Mật khẩu phải có ít nhất 8 ký tự.")]
    [InlineData("Abc@1234", "Mật khẩu này quá phổ biến")]
    [InlineData("TranThiBinh#1", "Mật khẩu không được chứa tên")]
    public async Task The_server_enforces_the_policy_the_command_line_enforces(string weak, string refusal)
    {
        await using var site = await StartAsync();
        using var browser = site.Browser();
        await browser.SignInAsync(Binh, BinhTemporary);

        var refused = await browser.SubmitAsync("/doi-mat-khau", [new("Current", BinhTemporary), new("New", weak), new("Confirm", weak)]);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(refusal, await refused.Content.ReadAsStringAsync());
        Assert.Equal(AccountState.PendingFirstLogin, (await site.Accounts.FindAsync(Binh)).Value!.Account.State);
    }

    [Fact]
    public async Task The_two_entries_must_match()
    {
        await using var site = await StartAsync();
        using var browser = site.Browser();
        await browser.SignInAsync(Binh, BinhTemporary);

        var refused = await browser.SubmitAsync("/doi-mat-khau", [new("Current", BinhTemporary), new("New", NewPassword), new("Confirm", NewPassword + "x")]);

        Assert.Contains("Hai lần nhập mật khẩu mới không trùng nhau.", await refused.Content.ReadAsStringAsync());
    }
}
