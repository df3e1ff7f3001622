using GovMail.Cli.Tests.Support;

namespace GovMail.Cli.Tests;

public sealed class AliasAndGroupCommandTests
{
    [Fact]
    public async Task Alias_add_list_and_remove_and_an_alias_finds_its_account()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", "ldthinh", "--name", "Lê Đức Thịnh", "--unit", "Phòng Nghệ thuật")).Ok();

        var added = (await data.RunAsync("alias", "add", "thinh.le@tphcm.gov.vn", "ldthinh@tphcm.gov.vn", "--json")).Ok().Json;
        Assert.Equal("thinh.le@tphcm.gov.vn", added.GetProperty("alias").GetString());
        Assert.Equal("ldthinh@tphcm.gov.vn", added.GetProperty("account").GetString());

        var listed = Assert.Single((await data.RunAsync("alias", "list", "--json")).Ok().Json.EnumerateArray());
        Assert.Equal("thinh.le@tphcm.gov.vn", listed.GetProperty("alias").GetString());
        Assert.Equal("ldthinh@tphcm.gov.vn", listed.GetProperty("account").GetString());
        Assert.Equal("Lê Đức Thịnh", (await data.RunAsync("account", "show", "thinh.le@tphcm.gov.vn", "--json")).Ok().Json.GetProperty("displayName").GetString());
        // The alias is taken: no account may be issued on it.
        (await data.RunAsync("account", "add", "thinh.le", "--name", "Lê Thị Thịnh", "--unit", "Phòng Nghệ thuật")).Refused(1);

        var removed = (await data.RunAsync("alias", "remove", "thinh.le@tphcm.gov.vn")).Ok();
        Assert.Contains("Đã xóa bí danh thinh.le@tphcm.gov.vn.", removed.Out, StringComparison.Ordinal);
        Assert.Empty((await data.RunAsync("alias", "list", "--json")).Ok().Json.EnumerateArray());
        (await data.RunAsync("alias", "remove", "thinh.le@tphcm.gov.vn")).Refused(1);
    }

    [Fact]
    public async Task Group_add_and_add_member_make_a_distribution_list_of_named_people()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", "ldthinh", "--name", "Lê Đức Thịnh", "--unit", "Phòng Nghệ thuật")).Ok();
        (await data.RunAsync("account", "add", "tqtrong", "--name", "Trương Quốc Trọng", "--unit", "Phòng Quản lý Thể dục thể thao")).Ok();

        var group = (await data.RunAsync("group", "add", "bantochuc@tphcm.gov.vn", "--name", "Ban tổ chức Hội diễn", "--json")).Ok().Json;
        Assert.Equal("bantochuc@tphcm.gov.vn", group.GetProperty("address").GetString());
        Assert.Equal("Ban tổ chức Hội diễn", group.GetProperty("name").GetString());
        Assert.False(group.GetProperty("automatic").GetBoolean());

        (await data.RunAsync("group", "add-member", "bantochuc@tphcm.gov.vn", "ldthinh@tphcm.gov.vn")).Ok();
        var second = (await data.RunAsync("group", "add-member", "bantochuc@tphcm.gov.vn", "tqtrong@tphcm.gov.vn", "--json")).Ok().Json;
        Assert.Equal(2, second.GetProperty("members").GetInt32());

        var members = (await data.RunAsync("group", "members", "bantochuc@tphcm.gov.vn", "--json")).Ok().Json.EnumerateArray()
            .Select(m => (m.GetProperty("address").GetString(), m.GetProperty("displayName").GetString())).ToList();
        Assert.Equal([("ldthinh@tphcm.gov.vn", "Lê Đức Thịnh"), ("tqtrong@tphcm.gov.vn", "Trương Quốc Trọng")], members);
    }

    [Fact]
    public async Task A_units_automatic_group_reaches_everyone_in_the_unit_and_takes_no_hand_added_members()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", "ldthinh", "--name", "Lê Đức Thịnh", "--unit", "Phòng Nghệ thuật")).Ok();
        (await data.RunAsync("account", "add", "nthuyen", "--name", "Ngô Tường Huyền", "--unit", "Phòng Nghệ thuật")).Ok();
        (await data.RunAsync("account", "add", "tqtrong", "--name", "Trương Quốc Trọng", "--unit", "Phòng Quản lý Thể dục thể thao")).Ok();

        var group = (await data.RunAsync("group", "add", "phongnghethuat@tphcm.gov.vn", "--unit", "Phòng Nghệ thuật", "--json")).Ok().Json;
        Assert.True(group.GetProperty("automatic").GetBoolean());

        var members = (await data.RunAsync("group", "members", "phongnghethuat@tphcm.gov.vn", "--json")).Ok().Json.EnumerateArray()
            .Select(m => m.GetProperty("address").GetString()).ToList();
        Assert.Equal(["ldthinh@tphcm.gov.vn", "nthuyen@tphcm.gov.vn"], members);

        var refused = (await data.RunAsync("group", "add-member", "phongnghethuat@tphcm.gov.vn", "tqtrong@tphcm.gov.vn")).Refused(1);
        Assert.Contains("nhóm tự động", refused.Err, StringComparison.Ordinal);

        // Someone who joins the unit joins its group.
        (await data.RunAsync("account", "transfer", "tqtrong@tphcm.gov.vn", "--unit", "Phòng Nghệ thuật")).Ok();
        Assert.Equal(3, (await data.RunAsync("group", "members", "phongnghethuat@tphcm.gov.vn", "--json")).Ok().Json.GetArrayLength());
    }
}
