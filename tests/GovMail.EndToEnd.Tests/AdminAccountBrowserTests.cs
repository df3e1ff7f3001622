using System.Text.RegularExpressions;
using GovMail.EndToEnd.Tests.Support;
using Microsoft.Playwright;
using static GovMail.EndToEnd.Tests.Support.TenantDataFolder;

namespace GovMail.EndToEnd.Tests;

/// <summary>
/// Issuing a mailbox and giving a unit's collective mailbox a keeper in a real browser (Debian's Chromium through Playwright)
/// against <c>govmail serve</c>: an agency administrator made with the CLI fills the new-account form, reads the temporary
/// password, then assigns the new colleague as keeper on the collective mailbox's page; the CLI sees both.
/// </summary>
public sealed class AdminAccountBrowserTests(ServedTenant served, Chromium chromium) : IClassFixture<ServedTenant>, IClassFixture<Chromium>
{
    private const string Admin = "quantri.vanphong@tphcm.gov.vn";
    private const string AdminPassword = "Bến-Nghé-Sông-Sài-Gòn#2026";
    private const string UnitMailbox = "vanphong.stttt@tphcm.gov.vn";

    private string Site => $"http://127.0.0.1:{served.Server.HttpPort}";

    [Fact]
    public async Task An_agency_administrator_issues_a_mailbox_and_makes_the_new_colleague_keeper_of_the_unit_mailbox()
    {
        var secret = await AdminInBrowser.MakeAgencyAdministratorAsync(served.Data, Admin, "Quản trị Văn phòng Sở", Office, AdminPassword);
        (await served.Data.RunAsync("account", "add", UnitMailbox, "--name", "Văn phòng Sở Thông tin và Truyền thông", "--unit", Office, "--kind", "collective")).Ok();
        await using var context = await chromium.NewContextAsync(1366, 900);
        var page = await context.NewPageAsync();
        await AdminInBrowser.SignInAsync(page, Site, Admin, AdminPassword, secret, "/quan-tri/tai-khoan");

        // The new-account form: the unit list holds only the administrator's agency; the temporary password is shown once.
        await page.ClickAsync("#new-account-link");
        await page.WaitForURLAsync(new Regex("/quan-tri/tai-khoan/moi$"));
        await page.FillAsync("#DisplayName", "Trịnh Minh Khoa");
        await page.FillAsync("#JobTitle", "Chuyên viên văn thư");
        await page.SelectOptionAsync("#Unit", Organisation + " / " + Office);
        await page.FillAsync("#Phone", "0903 777 888");
        await page.FillAsync("#FirstLoginDeadline", DateTime.UtcNow.AddHours(7).AddDays(5).ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture));
        await page.ClickAsync("#issue-account");
        await Assertions.Expect(page.Locator("#account-issued")).ToContainTextAsync("Trịnh Minh Khoa");
        var temporary = (await page.TextContentAsync("#temporary-password"))!.Trim();
        Assert.False(string.IsNullOrEmpty(temporary));
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("28-quan-tri-cap-hop-thu.png"), FullPage = true });
        var address = Regex.Match((await page.TextContentAsync("#account-issued"))!, @"[a-z0-9.]+@tphcm\.gov\.vn").Value;
        var shown = (await served.Data.RunAsync("account", "show", address, "--json")).Ok().Json;
        Assert.Equal("pending-first-login", shown.GetProperty("state").GetString());
        Assert.Equal("Chuyên viên văn thư", shown.GetProperty("title").GetString());

        // The unit's collective mailbox: the new colleague becomes its keeper.
        await page.GotoAsync(Site + "/quan-tri/tai-khoan/" + Uri.EscapeDataString(UnitMailbox));
        await Assertions.Expect(page.Locator("#no-keepers")).ToBeVisibleAsync();
        await page.FillAsync("#keeper-address", address);
        await page.ClickAsync("#add-keeper");
        await Assertions.Expect(page.Locator("#keeper-list")).ToContainTextAsync("Trịnh Minh Khoa");
        await Assertions.Expect(page.Locator("#action-done")).ToContainTextAsync(UnitMailbox + "*" + address);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("29-quan-tri-nguoi-quan-ly-hop-thu.png"), FullPage = true });
        var keepers = (await served.Data.RunAsync("account", "keeper", "list", UnitMailbox, "--json")).Ok().Json;
        Assert.Equal(address, Assert.Single(keepers.EnumerateArray()).GetProperty("keeper").GetString());
        Assert.Equal(Admin, keepers[0].GetProperty("assignedBy").GetString());
    }
}
