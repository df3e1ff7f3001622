using GovMail.Cli.Tests.Support;

namespace GovMail.Cli.Tests;

/// <summary><c>govmail admin token create|list|revoke</c>: an administrator's API tokens, shown once, listed without their text.</summary>
public sealed class AdminTokenCommandTests
{
    private const string Admin = "admin@tphcm.gov.vn";

    [Fact]
    public async Task A_token_is_printed_once_listed_by_its_prefix_and_revoked()
    {
        using var data = new DataFolder();
        await data.InitAsync();

        var made = (await data.RunAsync("admin", "token", "create", Admin, "--name", "Hệ thống báo cáo", "--json")).Ok().Json;
        var token = made.GetProperty("token").GetString()!;
        var id = made.GetProperty("id").GetInt64();
        Assert.StartsWith("gm_", token, StringComparison.Ordinal);

        var listed = (await data.RunAsync("admin", "token", "list", "--json")).Ok();
        Assert.DoesNotContain(token, listed.Out, StringComparison.Ordinal);
        var entry = Assert.Single(listed.Json.EnumerateArray());
        Assert.Equal("Hệ thống báo cáo", entry.GetProperty("name").GetString());
        Assert.StartsWith(entry.GetProperty("prefix").GetString()!, token, StringComparison.Ordinal);
        Assert.True(entry.GetProperty("active").GetBoolean());

        (await data.RunAsync("admin", "token", "revoke", Admin, id.ToString(System.Globalization.CultureInfo.InvariantCulture))).Ok();
        Assert.False(Assert.Single((await data.RunAsync("admin", "token", "list", Admin, "--json")).Ok().Json.EnumerateArray()).GetProperty("active").GetBoolean());
        var audit = (await data.RunAsync("audit", "list", "--json")).Ok().Out;
        Assert.Contains("admin.token.create", audit, StringComparison.Ordinal);
        Assert.Contains("admin.token.revoke", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_administrators_hold_tokens_and_only_their_own_unless_they_manage_roles()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", "vp.svhtt@tphcm.gov.vn", "--name", "Văn phòng Sở", "--unit", "Sở Văn hóa và Thể thao")).Ok();
        (await data.RunAsync("account", "add", "lvtam@tphcm.gov.vn", "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật")).Ok();
        (await data.RunAsync("admin", "grant", "vp.svhtt@tphcm.gov.vn", "--role", "agency-administrator")).Ok();

        (await data.RunAsync("admin", "token", "create", "lvtam@tphcm.gov.vn", "--name", "thử")).Refused(1);
        (await data.RunAsync("admin", "token", "create", Admin, "--name", "thử", "--as", "vp.svhtt@tphcm.gov.vn")).Refused(1);
        (await data.RunAsync("admin", "token", "list", "--as", "vp.svhtt@tphcm.gov.vn")).Refused(1);
        (await data.RunAsync("admin", "token", "create", "vp.svhtt@tphcm.gov.vn", "--name", "Báo cáo Sở", "--as", "vp.svhtt@tphcm.gov.vn")).Ok();
        Assert.Single((await data.RunAsync("admin", "token", "list", "vp.svhtt@tphcm.gov.vn", "--json", "--as", "vp.svhtt@tphcm.gov.vn")).Ok().Json.EnumerateArray());
    }
}
