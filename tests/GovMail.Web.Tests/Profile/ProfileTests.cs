using System.Net;
using GovMail.Storage.Database;
using GovMail.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Profile;

public sealed class ProfileTests
{
    [Fact]
    public async Task The_holder_changes_name_title_and_phone_recorded_in_the_audit_log_and_stays_signed_in()
    {
        await using var site = await StartAsync();
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);
        var (_, form, _) = await an.GetAsync("/ho-so");
        Assert.Contains("value=\"Nguyễn Văn An\"", form);
        Assert.Contains("Sở Nội vụ", form);

        var saved = await an.SubmitAsync("/ho-so", [new("DisplayName", "Nguyễn Văn Ân"), new("JobTitle", "Chuyên viên"), new("Phone", "0283 829 6052")]);

        Assert.Equal("/ho-so?da-luu=true", saved.Headers.Location?.OriginalString);
        var (status, page, _) = await an.GetAsync("/ho-so?da-luu=true");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Đã lưu hồ sơ.", page);
        Assert.Contains("<span class=\"user-name\">Nguyễn Văn Ân</span>", page);
        var account = (await site.Accounts.FindAsync(An)).Value!.Account;
        Assert.Equal(("Nguyễn Văn Ân", "Chuyên viên"), (account.DisplayName, account.Title));
        Assert.NotNull(account.Phone);
        await using var db = site.Database.Database.Open();
        Assert.True(await db.Audit.AnyAsync(e => e.Action == "account.update" && e.Actor == An && e.Target == An));
    }

    [Fact]
    public async Task A_phone_that_is_not_one_is_refused_with_the_directorys_sentence()
    {
        await using var site = await StartAsync();
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var refused = await an.SubmitAsync("/ho-so", [new("DisplayName", "Nguyễn Văn An"), new("JobTitle", ""), new("Phone", "gọi tôi")]);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("gọi tôi", await refused.Content.ReadAsStringAsync());
        Assert.Null((await site.Accounts.FindAsync(An)).Value!.Account.Phone);
    }
}
