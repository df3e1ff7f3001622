using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GovMail.Core.Accounts;
using GovMail.Storage.Audit;
using GovMail.Storage.Directory;
using static GovMail.Web.Tests.Admin.AdminWorld;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Admin;

/// <summary>
/// Issuing a single mailbox and the keepers of a unit's collective mailbox, on the portal and through the API: the directory's
/// own rules (as <c>govmail account add</c> and <c>govmail account keeper …</c>), the administrator as audit actor, the role scope.
/// </summary>
public sealed class AdminIssueAndKeeperTests
{
    private const string NewPage = "/quan-tri/tai-khoan/moi";
    private const string Office = "vanphong.noivu@tphcm.gov.vn";

    private static string Page(string address) => "/quan-tri/tai-khoan/" + Uri.EscapeDataString(address);

    private static async Task<JsonElement> JsonOf(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    private static KeyValuePair<string, string> F(string name, string value) => new(name, value);

    [Fact]
    public async Task An_agency_administrator_issues_a_mailbox_in_their_agency_and_sees_the_temporary_password_once()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(NoiVuAdmin);

        var (form, formHtml, _) = await browser.GetAsync(NewPage);
        var issued = await browser.SubmitAsync(NewPage,
        [
            F("DisplayName", "Võ Thị Thu Hằng"), F("JobTitle", "Chuyên viên"), F("Unit", NoiVu + " / " + Department), F("Phone", "0903 555 666"),
            F("Kind", "individual"), F("FirstLoginDeadline", "31/12/2030"),
        ]);
        var html = await issued.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, form);
        Assert.Contains("<option value=\"" + NoiVu + " / " + Department + "\"", formHtml);
        Assert.DoesNotContain(TaiChinh, formHtml);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.Contains("id=\"temporary-password\"", html);
        var hang = Assert.Single(Ok(await site.Accounts.ListAsync(new AccountFilter { Search = "Võ Thị Thu Hằng" })));
        Assert.Equal(AccountState.PendingFirstLogin, hang.Account.State);
        Assert.Equal(NoiVu + " / " + Department, hang.UnitPath);
        Assert.Equal("Chuyên viên", hang.Account.Title);
        Assert.Equal(new DateTimeOffset(2030, 12, 31, 23, 59, 59, TimeSpan.FromHours(7)), hang.Account.PasswordChangeDeadline);
        Assert.Contains(await new AuditLog(site.Database.Database).ListAsync(hang.Account.Address, null), e => e.Action == "account.add" && e.Actor == NoiVuAdmin);
        var (_, again, _) = await browser.GetAsync(NewPage);
        Assert.DoesNotContain("id=\"temporary-password\"", again);
    }

    [Fact]
    public async Task Issuing_outside_the_scope_bad_input_and_roles_that_only_read_are_refused()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var admin = await world.SignInAsync(NoiVuAdmin);
        using var reviewer = await world.SignInAsync(Reviewer);
        var before = Ok(await site.Accounts.ListAsync(new AccountFilter { IncludeClosed = true })).Count;

        var outside = await admin.SubmitAsync(NewPage, [F("DisplayName", "Trần Văn Ngoài"), F("Unit", TaiChinh)]);
        var badPhone = await admin.SubmitAsync(NewPage, [F("DisplayName", "Trần Văn Số"), F("Unit", NoiVu), F("Phone", "abc")]);
        var badDate = await admin.SubmitAsync(NewPage, [F("DisplayName", "Trần Văn Ngày"), F("Unit", NoiVu), F("FirstLoginDeadline", "31/02/2030")]);
        var taken = await admin.SubmitAsync(NewPage, [F("DisplayName", "Nguyễn Văn An"), F("Address", "an"), F("Unit", NoiVu)]);
        var (readOnly, _, _) = await reviewer.GetAsync(NewPage);

        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.Contains("không thuộc phạm vi quản lý", await outside.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badPhone.StatusCode);
        Assert.Contains("Số điện thoại không hợp lệ", await badPhone.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badDate.StatusCode);
        Assert.Contains("Ngày không hợp lệ", await badDate.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, taken.StatusCode);
        Assert.Contains("id=\"account-error\"", await taken.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, readOnly);
        Assert.Equal(before, Ok(await site.Accounts.ListAsync(new AccountFilter { IncludeClosed = true })).Count);
    }

    [Fact]
    public async Task A_person_barred_from_re_registration_is_issued_only_with_a_reason_which_is_audited()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        await using (var db = site.Database.Database.Open())
        {
            var dung = await db.Accounts.FindAsync(Ok(await site.Accounts.FindAsync(Dung)).Account.Id);
            await ReRegistration.RecordAsync(db, dung!, "2026-Q2", "test", site.Database.Clock.GetUtcNow(), default);
            await db.SaveChangesAsync();
        }
        using var browser = await world.SignInAsync(NoiVuAdmin);
        using var api = await world.ApiAsync(NoiVuAdmin);

        var refused = await browser.SubmitAsync(NewPage, [F("DisplayName", "Phạm Văn Dũng"), F("Unit", NoiVu)]);
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        var refusedApi = await api.PostAsJsonAsync("/api/v1/accounts", new { displayName = "Phạm Văn Dũng", unit = NoiVu });
        var issued = await browser.SubmitAsync(NewPage, [F("DisplayName", "Phạm Văn Dũng"), F("Unit", NoiVu), F("OverrideReason", "Tuyển dụng lại theo quyết định 12/QĐ")]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("không tái đăng ký", refusedHtml);
        Assert.Contains("Lý do cấp lại", refusedHtml);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refusedApi.StatusCode);
        Assert.Equal("ReRegistrationBarred", (await JsonOf(refusedApi)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.Contains("id=\"bar-overridden\"", await issued.Content.ReadAsStringAsync());
        var audit = await new AuditLog(site.Database.Database).ListAsync(null, null);
        Assert.Contains(audit, e => e.Action == "account.add.override-bar" && e.Actor == NoiVuAdmin && e.Detail!.Contains("12/QĐ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_api_issues_a_mailbox_with_the_same_rules_and_scope()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var api = await world.ApiAsync(NoiVuAdmin);
        using var auditor = await world.ApiAsync(Auditor);

        var made = await api.PostAsJsonAsync("/api/v1/accounts", new
        {
            displayName = "Hồ Văn Tập Thể", address = "tongdai.noivu", unit = NoiVu, kind = "collective", title = "Tổng đài",
        });
        var outside = await api.PostAsJsonAsync("/api/v1/accounts", new { displayName = "Lâm Văn Ngoài", unit = TaiChinh });
        var bad = await api.PostAsJsonAsync("/api/v1/accounts", new { displayName = "Lâm Văn Sai", unit = NoiVu, kind = "robot" });
        var readOnly = await auditor.PostAsJsonAsync("/api/v1/accounts", new { displayName = "Lâm Văn Đọc", unit = NoiVu });

        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var body = await JsonOf(made);
        Assert.Equal("tongdai.noivu@tphcm.gov.vn", body.GetProperty("account").GetProperty("address").GetString());
        Assert.Equal("collective", body.GetProperty("account").GetProperty("kind").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("temporaryPassword").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.Equal("UnitOutOfScope", (await JsonOf(outside)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("UnknownAccountKind", (await JsonOf(bad)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, readOnly.StatusCode);
        Assert.Empty(Ok(await site.Accounts.ListAsync(new AccountFilter { Search = "Lâm Văn" })));
    }

    [Theory]
    [InlineData(Storage.Database.DatabaseProvider.Sqlite)]
    [InlineData(Storage.Database.DatabaseProvider.Postgres)]
    public async Task Keepers_of_a_collective_mailbox_are_listed_added_and_removed_on_its_page_within_the_scope(Storage.Database.DatabaseProvider provider)
    {
        await using var site = await StartAsync(provider);
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(NoiVuAdmin);
        using var other = await world.SignInAsync(TaiChinhAdmin);

        var (_, empty, _) = await browser.GetAsync(Page(Office));
        var added = await browser.SubmitAsync(Page(Office), [F("Keeper", An)], Page(Office) + "?handler=AddKeeper");
        var addedHtml = await added.Content.ReadAsStringAsync();
        var foreignKeeper = await browser.SubmitAsync(Page(Office), [F("Keeper", Hoa)], Page(Office) + "?handler=AddKeeper");
        var notCollective = await browser.SubmitAsync(Page(An), [F("Keeper", Binh)], Page(An) + "?handler=AddKeeper");
        var (_, anPage, _) = await browser.GetAsync(Page(An));
        var (otherSees, _, _) = await other.GetAsync(Page(Office));
        var otherAdds = await other.SubmitAsync("/quan-tri/tai-khoan", [F("Keeper", Hoa)], Page(Office) + "?handler=AddKeeper");
        var otherRemoves = await other.SubmitAsync("/quan-tri/tai-khoan", [F("Keeper", An)], Page(Office) + "?handler=RemoveKeeper");
        var keepersMidway = Ok(await new MailboxKeepers(site.Database.Database, site.Database.Clock).ListAsync(Office));
        var removed = await browser.SubmitAsync(Page(Office), [F("Keeper", An)], Page(Office) + "?handler=RemoveKeeper");

        Assert.Contains("id=\"no-keepers\"", empty);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Contains("id=\"keeper-list\"", addedHtml);
        Assert.Contains("Nguyễn Văn An", addedHtml);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, foreignKeeper.StatusCode);
        Assert.Contains("trong phạm vi quản lý", await foreignKeeper.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notCollective.StatusCode);
        Assert.Contains("không phải hộp thư tập thể", await notCollective.Content.ReadAsStringAsync());
        Assert.Contains("id=\"kept-mailboxes\"", anPage);
        Assert.Equal(HttpStatusCode.NotFound, otherSees);
        Assert.Equal(HttpStatusCode.NotFound, otherAdds.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherRemoves.StatusCode);
        Assert.Equal(An, Assert.Single(keepersMidway).Keeper);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Empty(Ok(await new MailboxKeepers(site.Database.Database, site.Database.Clock).ListAsync(Office)));
        var audit = await new AuditLog(site.Database.Database).ListAsync(null, null);
        Assert.Contains(audit, e => e.Action == "mailbox.keeper.assign" && e.Actor == NoiVuAdmin && e.Target == Office && e.Detail == An);
        Assert.Contains(audit, e => e.Action == "mailbox.keeper.remove" && e.Actor == NoiVuAdmin && e.Target == Office && e.Detail == An);
    }

    [Fact]
    public async Task Keeper_forms_without_the_antiforgery_token_are_refused()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var browser = await world.SignInAsync(Operator);

        var keeper = await browser.Http.PostAsync(Page(Office) + "?handler=AddKeeper", new FormUrlEncodedContent([F("Keeper", An)]));
        var issue = await browser.Http.PostAsync(NewPage, new FormUrlEncodedContent([F("DisplayName", "Giả Mạo"), F("Unit", NoiVu)]));

        Assert.Equal(HttpStatusCode.BadRequest, keeper.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, issue.StatusCode);
        Assert.Empty(Ok(await new MailboxKeepers(site.Database.Database, site.Database.Clock).ListAsync(Office)));
        Assert.Empty(Ok(await site.Accounts.ListAsync(new AccountFilter { Search = "Giả Mạo" })));
    }

    [Fact]
    public async Task The_api_lists_adds_and_removes_keepers_within_the_scope()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var api = await world.ApiAsync(NoiVuAdmin);
        using var other = await world.ApiAsync(TaiChinhAdmin);
        var path = "/api/v1/accounts/" + Office + "/keepers";

        var added = await api.PostAsJsonAsync(path, new { keeper = An });
        var listed = await JsonOf(await api.GetAsync(path));
        var twice = await api.PostAsJsonAsync(path, new { keeper = An });
        var otherList = await other.GetAsync(path);
        var otherAdd = await other.PostAsJsonAsync(path, new { keeper = Hoa });
        var otherRemove = await other.DeleteAsync(path + "/" + An);
        var removed = await api.DeleteAsync(path + "/" + An);

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(An, (await JsonOf(added)).GetProperty("keeper").GetString());
        Assert.Equal(An, Assert.Single(listed.EnumerateArray()).GetProperty("keeper").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, twice.StatusCode);
        Assert.Equal("KeeperAlreadyAssigned", (await JsonOf(twice)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.NotFound, otherList.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherAdd.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherRemove.StatusCode);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Empty(Ok(await new MailboxKeepers(site.Database.Database, site.Database.Clock).ListAsync(Office)));
        Assert.Contains(await new AuditLog(site.Database.Database).ListAsync(null, null), e => e.Action == "mailbox.keeper.remove" && e.Actor == NoiVuAdmin);
    }
}
