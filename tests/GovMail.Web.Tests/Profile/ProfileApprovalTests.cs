using System.Net;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static GovMail.Web.Tests.Admin.AdminWorld;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Profile;

/// <summary>When the tenant asks for it, a holder's profile change waits for an administrator of their unit.</summary>
public sealed class ProfileApprovalTests
{
    private static async Task RequireApprovalAsync(WebTestSite site) =>
        Ok(await new TenantDirectory(site.Database.Database, site.Database.Clock, site.Database.Hasher)
            .UpdatePolicyAsync(new PolicyChange { ProfileChangesNeedApproval = true }, "test"));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_change_waits_shown_as_pending_until_an_administrator_of_the_unit_approves_it(DatabaseProvider provider)
    {
        await using var site = await StartAsync(provider);
        var world = await PrepareAsync(site);
        await RequireApprovalAsync(site);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var sent = await an.SubmitAsync("/ho-so", [new("DisplayName", "Nguyễn Văn Ân"), new("JobTitle", "Chuyên viên chính"), new("Phone", "0283 829 6052")]);

        Assert.Equal("/ho-so?cho-duyet=true", sent.Headers.Location?.OriginalString);
        Assert.Equal("Nguyễn Văn An", (await site.Accounts.FindAsync(An)).Value!.Account.DisplayName);
        var (_, page, _) = await an.GetAsync("/ho-so?cho-duyet=true");
        Assert.Contains("id=\"profile-pending\"", page);
        Assert.Contains("Nguyễn Văn Ân", page);

        // Another agency's administrator does not see it and cannot decide it.
        using var other = await world.SignInAsync(TaiChinhAdmin);
        var (_, otherList, _) = await other.GetAsync("/quan-tri/ho-so-cho-duyet");
        Assert.Contains("id=\"no-profile-changes\"", otherList);
        var id = (await new ProfileChanges(site.Database.Database, site.Database.Clock, site.Database.Hasher).PendingAsync(null)).Single().Id;
        var outside = await other.SubmitAsync("/quan-tri/ho-so-cho-duyet", [new("Id", id.ToString()), new("quyet-dinh", "approve")]);
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.Equal("Nguyễn Văn An", (await site.Accounts.FindAsync(An)).Value!.Account.DisplayName);

        using var admin = await world.SignInAsync(NoiVuAdmin);
        var (_, list, _) = await admin.GetAsync("/quan-tri/ho-so-cho-duyet");
        Assert.Contains($"id=\"change-{id}\"", list);
        Assert.Contains("Chuyên viên chính", list);
        var approved = await admin.SubmitAsync("/quan-tri/ho-so-cho-duyet", [new("Id", id.ToString()), new("quyet-dinh", "approve")]);

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Contains("id=\"decision-done\"", await approved.Content.ReadAsStringAsync());
        var account = (await site.Accounts.FindAsync(An)).Value!.Account;
        Assert.Equal(("Nguyễn Văn Ân", "Chuyên viên chính"), (account.DisplayName, account.Title));
        await using var db = site.Database.Database.Open();
        Assert.True(await db.Audit.AnyAsync(e => e.Action == "profile.change.request" && e.Actor == An));
        Assert.True(await db.Audit.AnyAsync(e => e.Action == "profile.change.approve" && e.Actor == NoiVuAdmin && e.Target == An));
        Assert.True(await db.Audit.AnyAsync(e => e.Action == "account.update" && e.Actor == NoiVuAdmin && e.Target == An));
    }

    [Fact]
    public async Task A_rejected_change_is_not_stored_and_the_holder_sees_the_reason()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        await RequireApprovalAsync(site);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);
        await an.SubmitAsync("/ho-so", [new("DisplayName", "An Đẹp Trai"), new("JobTitle", ""), new("Phone", "")]);
        var id = (await new ProfileChanges(site.Database.Database, site.Database.Clock, site.Database.Hasher).PendingAsync(null)).Single().Id;
        using var admin = await world.SignInAsync(NoiVuAdmin);

        var rejected = await admin.SubmitAsync("/quan-tri/ho-so-cho-duyet", [new("Id", id.ToString()), new("quyet-dinh", "reject"), new("ly-do", "không đúng họ tên trong hồ sơ cán bộ")]);

        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal("Nguyễn Văn An", (await site.Accounts.FindAsync(An)).Value!.Account.DisplayName);
        var (_, page, _) = await an.GetAsync("/ho-so");
        Assert.Contains("id=\"profile-rejected\"", page);
        Assert.Contains("không đúng họ tên trong hồ sơ cán bộ", page);
        await using var db = site.Database.Database.Open();
        Assert.True(await db.Audit.AnyAsync(e => e.Action == "profile.change.reject" && e.Actor == NoiVuAdmin && e.Target == An));
    }

    [Fact]
    public async Task Deciding_needs_the_antiforgery_token_and_a_bad_phone_is_refused_before_it_waits()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        await RequireApprovalAsync(site);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var bad = await an.SubmitAsync("/ho-so", [new("DisplayName", "Nguyễn Văn An"), new("JobTitle", ""), new("Phone", "gọi tôi")]);
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("gọi tôi", await bad.Content.ReadAsStringAsync());
        var changes = new ProfileChanges(site.Database.Database, site.Database.Clock, site.Database.Hasher);
        Assert.Empty(await changes.PendingAsync(null));

        await an.SubmitAsync("/ho-so", [new("DisplayName", "Nguyễn Văn Ân"), new("JobTitle", ""), new("Phone", "")]);
        var id = (await changes.PendingAsync(null)).Single().Id;
        using var admin = await world.SignInAsync(NoiVuAdmin);
        var forged = await admin.Http.PostAsync("/quan-tri/ho-so-cho-duyet", new FormUrlEncodedContent([new("Id", id.ToString()), new("quyet-dinh", "approve")]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Single(await changes.PendingAsync(null));
    }

    [Fact]
    public async Task Without_the_policy_a_change_is_stored_at_once()
    {
        await using var site = await StartAsync();
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var saved = await an.SubmitAsync("/ho-so", [new("DisplayName", "Nguyễn Văn Ân"), new("JobTitle", ""), new("Phone", "")]);

        Assert.Equal("/ho-so?da-luu=true", saved.Headers.Location?.OriginalString);
        Assert.Equal("Nguyễn Văn Ân", (await site.Accounts.FindAsync(An)).Value!.Account.DisplayName);
    }
}
