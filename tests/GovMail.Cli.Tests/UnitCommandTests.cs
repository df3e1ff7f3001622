using GovMail.Cli.Tests.Support;

namespace GovMail.Cli.Tests;

public sealed class UnitCommandTests
{
    [Fact]
    public async Task Unit_list_json_shows_the_tree_with_parents_paths_and_depths()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("unit", "add", "UBND huyện Bình Chánh")).Ok();
        (await data.RunAsync("unit", "add", "UBND xã Vĩnh Lộc A", "--parent", "UBND huyện Bình Chánh")).Ok();

        var units = (await data.RunAsync("unit", "list", "--json")).Ok().Json.EnumerateArray().ToList();

        var byName = units.ToDictionary(u => u.GetProperty("name").GetString()!);
        Assert.Equal(
            new[] { "Sở Thông tin và Truyền thông", "Sở Văn hóa và Thể thao", "Phòng Nghệ thuật", "Phòng Quản lý Thể dục thể thao", "UBND huyện Bình Chánh", "UBND xã Vĩnh Lộc A" }
                .Order(StringComparer.Ordinal),
            byName.Keys.Order(StringComparer.Ordinal));
        var agency = byName["Sở Văn hóa và Thể thao"];
        var department = byName["Phòng Nghệ thuật"];
        Assert.Equal(0, agency.GetProperty("depth").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, agency.GetProperty("parentId").ValueKind);
        Assert.Equal(1, department.GetProperty("depth").GetInt32());
        Assert.Equal(agency.GetProperty("id").GetString(), department.GetProperty("parentId").GetString());
        Assert.Equal("Sở Văn hóa và Thể thao / Phòng Nghệ thuật", department.GetProperty("path").GetString());
        Assert.Equal(byName["UBND huyện Bình Chánh"].GetProperty("id").GetString(), byName["UBND xã Vĩnh Lộc A"].GetProperty("parentId").GetString());
        // The tree is listed parent first.
        Assert.True(units.IndexOf(agency) < units.IndexOf(department));
        // The organisation named at init is the administrator's unit.
        Assert.Equal(1, byName["Sở Thông tin và Truyền thông"].GetProperty("accounts").GetInt32());
    }

    [Fact]
    public async Task Unit_add_prints_a_vietnamese_confirmation_and_json_names_the_parent()
    {
        using var data = new DataFolder();
        await data.InitAsync();

        var human = (await data.RunAsync("unit", "add", "Sở Văn hóa và Thể thao")).Ok();
        var json = (await data.RunAsync("unit", "add", "Phòng Nghệ thuật", "--parent", "Sở Văn hóa và Thể thao", "--json")).Ok().Json;

        Assert.Equal("Đã thêm đơn vị Sở Văn hóa và Thể thao.", human.Out.Trim());
        Assert.Equal("Phòng Nghệ thuật", json.GetProperty("name").GetString());
        Assert.Equal("Sở Văn hóa và Thể thao", json.GetProperty("parent").GetString());
    }

    [Fact]
    public async Task Unit_list_text_indents_children_under_their_parent()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();

        var lines = (await data.RunAsync("unit", "list")).Ok().Out.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        Assert.Contains(lines, l => l.StartsWith("Sở Văn hóa và Thể thao", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  Phòng Nghệ thuật", StringComparison.Ordinal));
    }
}
