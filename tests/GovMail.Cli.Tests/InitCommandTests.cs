using System.Text.RegularExpressions;
using GovMail.Cli.Tests.Support;
using GovMail.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Cli.Tests;

public sealed partial class InitCommandTests
{
    [Fact]
    public async Task Init_prints_the_admin_address_and_a_one_time_password_that_matches_the_stored_hash()
    {
        using var data = new DataFolder();

        var init = await data.InitAsync();

        Assert.Contains("Sở Thông tin và Truyền thông", init.Out, StringComparison.Ordinal);
        var shown = AdminPassword().Match(init.Out);
        Assert.True(shown.Success, init.Out);
        Assert.Equal("admin@tphcm.gov.vn", shown.Groups["address"].Value);
        var password = shown.Groups["password"].Value;
        Assert.True(password.Length >= 8, password);

        var admin = (await data.RunAsync("account", "show", "admin@tphcm.gov.vn", "--json")).Ok().Json;
        Assert.Equal("pending-first-login", admin.GetProperty("state").GetString());
        Assert.True(admin.GetProperty("mustChangePassword").GetBoolean());
        Assert.Equal("Sở Thông tin và Truyền thông", admin.GetProperty("unit").GetString());

        await using var db = data.OpenDatabase();
        var stored = await db.Accounts.AsNoTracking().SingleAsync(a => a.Address == "admin@tphcm.gov.vn");
        Assert.DoesNotContain(password, stored.PasswordHash, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify(password, stored.PasswordHash));
        Assert.False(PasswordHasher.Verify(password + "x", stored.PasswordHash));
    }

    [Fact]
    public async Task Init_with_json_gives_the_domain_the_admin_and_the_password()
    {
        using var data = new DataFolder();

        var json = (await data.RunAsync("init", "--domain", "TPHCM.gov.vn", "--name", "Thành phố Hồ Chí Minh", "--json")).Ok().Json;

        Assert.Equal("tphcm.gov.vn", json.GetProperty("domain").GetString());
        Assert.Equal("Thành phố Hồ Chí Minh", json.GetProperty("name").GetString());
        Assert.Equal("admin@tphcm.gov.vn", json.GetProperty("adminAddress").GetString());
        await using var db = data.OpenDatabase();
        var stored = await db.Accounts.AsNoTracking().SingleAsync();
        Assert.True(PasswordHasher.Verify(json.GetProperty("adminPassword").GetString()!, stored.PasswordHash));
    }

    [Fact]
    public async Task Second_init_of_the_same_data_folder_is_refused_and_keeps_the_first_tenant()
    {
        using var data = new DataFolder();
        await data.InitAsync();

        var again = await data.RunAsync("init", "--domain", "hanoi.gov.vn", "--name", "Thành phố Hà Nội");

        again.Refused(1);
        Assert.Contains("đã được khởi tạo", again.Err, StringComparison.Ordinal);
        var accounts = (await data.RunAsync("account", "list", "--json")).Ok().Json;
        Assert.Equal("admin@tphcm.gov.vn", Assert.Single(accounts.EnumerateArray()).GetProperty("address").GetString());
    }

    [GeneratedRegex(@"(?<address>\S+@\S+) — mật khẩu dùng một lần: (?<password>\S+) ")]
    private static partial Regex AdminPassword();
}
