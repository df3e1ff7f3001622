using GovMail.Cli.Tests.Support;

namespace GovMail.Cli.Tests;

/// <summary><c>govmail account keeper add|remove|list</c>: who keeps a unit's collective mailbox (seed 003), scoped and audited.</summary>
public sealed class KeeperCommandTests
{
    private const string Culture = "Sở Văn hóa và Thể thao";
    private const string Tourism = "Sở Du lịch";
    private const string UnitMailbox = "pnt@tphcm.gov.vn";
    private const string Tam = "lvtam@tphcm.gov.vn";
    private const string TourismAdmin = "vp.sdl@tphcm.gov.vn";

    [Fact]
    public async Task An_administrator_assigns_lists_and_removes_a_keeper_and_each_change_is_audited()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("unit", "add", Tourism)).Ok();
        (await data.RunAsync("account", "add", UnitMailbox, "--name", "Phòng Nghệ thuật", "--unit", "Phòng Nghệ thuật", "--kind", "collective")).Ok();
        (await data.RunAsync("account", "add", Tam, "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật")).Ok();
        (await data.RunAsync("account", "add", TourismAdmin, "--name", "Văn phòng Sở Du lịch", "--unit", Tourism)).Ok();
        (await data.RunAsync("admin", "grant", TourismAdmin, "--role", "agency-administrator", "--unit", Tourism)).Ok();

        var added = (await data.RunAsync("account", "keeper", "add", UnitMailbox, Tam)).Ok().Out;
        Assert.Contains($"Đã giao {Tam} (Lê Văn Tám) quản lý hộp thư {UnitMailbox}. Đăng nhập: {UnitMailbox}*{Tam}", added, StringComparison.Ordinal);
        var listed = Assert.Single((await data.RunAsync("account", "keeper", "list", UnitMailbox, "--json")).Ok().Json.EnumerateArray());
        Assert.Equal((UnitMailbox, Tam, "Lê Văn Tám"),
            (listed.GetProperty("mailbox").GetString(), listed.GetProperty("keeper").GetString(), listed.GetProperty("keeperName").GetString()));

        // Refusals are one plain line: twice the same keeper, a person's mailbox, another agency's administrator.
        Assert.Contains("đã được giao quản lý hộp thư", (await data.RunAsync("account", "keeper", "add", UnitMailbox, Tam)).Refused(1).Err);
        Assert.Contains("không phải hộp thư tập thể", (await data.RunAsync("account", "keeper", "add", Tam, TourismAdmin)).Refused(1).Err);
        (await data.RunAsync("account", "keeper", "remove", UnitMailbox, Tam, "--as", TourismAdmin)).Refused(1);
        Assert.Empty((await data.RunAsync("account", "keeper", "list", "--as", TourismAdmin, "--json")).Ok().Json.EnumerateArray());

        (await data.RunAsync("account", "keeper", "remove", UnitMailbox, Tam)).Ok();
        Assert.Contains("Chưa có người quản lý hộp thư nào.", (await data.RunAsync("account", "keeper", "list")).Ok().Out, StringComparison.Ordinal);
        var audit = (await data.RunAsync("audit", "list", "--account", UnitMailbox, "--json")).Ok().Json.EnumerateArray()
            .Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Equal(["account.add", "mailbox.keeper.assign", "mailbox.keeper.remove"], audit);
    }
}
