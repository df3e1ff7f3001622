using GovMail.Cli.Tests.Support;

namespace GovMail.Cli.Tests;

/// <summary>
/// <c>govmail admin grant|revoke|list</c> and <c>--as ADDRESS</c>: an agency administrator sees and changes only their agency;
/// an HR reviewer and an auditor change nothing.
/// </summary>
public sealed class AdminScopeCommandTests
{
    private const string Culture = "Sở Văn hóa và Thể thao";
    private const string Tourism = "Sở Du lịch";
    private const string CultureAdmin = "vp.svhtt@tphcm.gov.vn";
    private const string TourismAdmin = "vp.sdl@tphcm.gov.vn";
    private const string Reviewer = "tcpc.svhtt@tphcm.gov.vn";
    private const string Auditor = "kiemtoan@tphcm.gov.vn";
    private const string Thinh = "ldthinh@tphcm.gov.vn";
    private const string Hai = "nvhai@tphcm.gov.vn";

    private static async Task<DataFolder> PreparedAsync()
    {
        var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("unit", "add", Tourism)).Ok();
        (await data.RunAsync("unit", "add", "Văn phòng", "--parent", Tourism)).Ok();
        (await data.RunAsync("account", "add", CultureAdmin, "--name", "Văn phòng Sở Văn hóa", "--unit", Culture)).Ok();
        (await data.RunAsync("account", "add", TourismAdmin, "--name", "Văn phòng Sở Du lịch", "--unit", Tourism)).Ok();
        (await data.RunAsync("account", "add", Reviewer, "--name", "Phòng Tổ chức Pháp chế", "--unit", Culture)).Ok();
        (await data.RunAsync("account", "add", Auditor, "--name", "Kiểm toán viên", "--unit", Culture)).Ok();
        (await data.RunAsync("account", "add", Thinh, "--name", "Lê Đức Thịnh", "--unit", "Phòng Nghệ thuật")).Ok();
        (await data.RunAsync("account", "add", Hai, "--name", "Nguyễn Văn Hải", "--unit", "Văn phòng")).Ok();
        (await data.RunAsync("admin", "grant", CultureAdmin, "--role", "agency-administrator")).Ok();
        (await data.RunAsync("admin", "grant", TourismAdmin, "--role", "agency-administrator", "--unit", Tourism)).Ok();
        (await data.RunAsync("admin", "grant", Reviewer, "--role", "hr-reviewer")).Ok();
        (await data.RunAsync("admin", "grant", Auditor, "--role", "auditor")).Ok();
        return data;
    }

    [Fact]
    public async Task An_agency_administrator_cannot_see_or_change_another_agency()
    {
        using var data = await PreparedAsync();

        var listed = (await data.RunAsync("account", "list", "--as", CultureAdmin, "--json")).Ok().Json.EnumerateArray()
            .Select(a => a.GetProperty("agency").GetString()).Distinct().ToList();
        Assert.Equal([Culture], listed);
        var units = (await data.RunAsync("unit", "list", "--as", CultureAdmin, "--json")).Ok().Json.EnumerateArray()
            .Select(u => u.GetProperty("path").GetString()!).ToList();
        Assert.All(units, u => Assert.StartsWith(Culture, u, StringComparison.Ordinal));

        var show = (await data.RunAsync("account", "show", Hai, "--as", CultureAdmin)).Refused(1);
        Assert.Contains("phạm vi quản lý", show.Err, StringComparison.Ordinal);
        (await data.RunAsync("account", "lock", Hai, "--as", CultureAdmin)).Refused(1);
        (await data.RunAsync("account", "retire", Hai, "--as", CultureAdmin, "--forward-to", TourismAdmin)).Refused(1);
        (await data.RunAsync("account", "transfer", Thinh, "--unit", Tourism, "--as", CultureAdmin)).Refused(1);
        (await data.RunAsync("account", "add", "--name", "Người Mới", "--unit", "Văn phòng", "--as", CultureAdmin)).Refused(1);
        (await data.RunAsync("unit", "add", "Phòng Mới", "--parent", Tourism, "--as", CultureAdmin)).Refused(1);
        (await data.RunAsync("report", "usage", "--period", "2026-02", "--agency", Tourism, "--format", "json", "--as", CultureAdmin)).Refused(1);
        (await data.RunAsync("report", "usage", "--period", "2026-02", "--format", "json", "--as", CultureAdmin)).Refused(1);
        (await data.RunAsync("policy", "set", "--first-login-days", "5", "--as", CultureAdmin)).Refused(1);
        (await data.RunAsync("admin", "grant", CultureAdmin, "--role", "city-operator", "--as", CultureAdmin)).Refused(1);
        Assert.Equal("pending-first-login", (await data.RunAsync("account", "show", Hai, "--json")).Ok().Json.GetProperty("state").GetString());

        // Within the agency the same administrator works, and the audit log names them.
        (await data.RunAsync("account", "lock", Thinh, "--as", CultureAdmin)).Ok();
        (await data.RunAsync("report", "usage", "--period", "2026-02", "--agency", Culture, "--format", "json", "--as", CultureAdmin)).Ok();
        var audit = (await data.RunAsync("audit", "list", "--account", Thinh, "--json")).Ok().Json.EnumerateArray().Last();
        Assert.Equal(("account.lock", CultureAdmin), (audit.GetProperty("action").GetString(), audit.GetProperty("actor").GetString()));
        (await data.RunAsync("account", "show", Hai, "--as", TourismAdmin)).Ok();
    }

    [Fact]
    public async Task An_agency_administrator_imports_a_staff_list_into_their_agency_only()
    {
        using var data = await PreparedAsync();
        var mixed = data.File("danh-sach-hai-so.csv");
        await File.WriteAllTextAsync(mixed,
            "STT,Họ và tên,Chức danh,Phòng ban,Cơ quan,Điện thoại\n" +
            $"1,Phan Thị Mai,Chuyên viên,Phòng Nghệ thuật,{Culture},\n" +
            $"2,Đỗ Văn Bình,Chuyên viên,Văn phòng,{Tourism},\n" +
            "3,Lý Thu Hà,Chuyên viên,Phòng Di sản,UBND quận 1,\n");

        // A row of another agency, or of an agency the list would create, is a bad row: nothing is issued.
        var refused = await data.RunAsync("account", "import", mixed, "--as", CultureAdmin);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"Dòng 3: Đơn vị {Tourism} / Văn phòng nằm ngoài phạm vi quản lý của {CultureAdmin}.", refused.ErrorLines);
        Assert.Contains(refused.ErrorLines, l => l.StartsWith("Dòng 4: Đơn vị UBND quận 1", StringComparison.Ordinal));
        Assert.DoesNotContain(refused.ErrorLines, l => l.StartsWith("Dòng 2:", StringComparison.Ordinal));
        Assert.DoesNotContain("Phan Thị Mai", (await data.RunAsync("account", "list", "--json")).Ok().Out, StringComparison.Ordinal);

        // Rows within the agency are issued, a new department under it included, and the audit log names the administrator.
        var own = data.File("danh-sach-so-van-hoa.csv");
        await File.WriteAllTextAsync(own,
            "STT,Họ và tên,Chức danh,Phòng ban,Cơ quan,Điện thoại\n" +
            $"1,Phan Thị Mai,Chuyên viên,Phòng Nghệ thuật,{Culture},\n" +
            $"2,Lý Thu Hà,Chuyên viên,Phòng Di sản,{Culture},\n");
        var imported = (await data.RunAsync("account", "import", own, "--as", CultureAdmin, "--json")).Ok().Json;
        Assert.True(imported.GetProperty("applied").GetBoolean());
        Assert.Equal(["Phòng Di sản"], imported.GetProperty("newUnits").EnumerateArray().Select(u => u.GetString()));
        var address = imported.GetProperty("accounts")[0].GetProperty("address").GetString()!;
        Assert.Equal(Culture, (await data.RunAsync("account", "show", address, "--as", CultureAdmin, "--json")).Ok().Json.GetProperty("agency").GetString());
        var audit = (await data.RunAsync("audit", "list", "--json")).Ok().Json.EnumerateArray().Last(a => a.GetProperty("action").GetString() == "account.import");
        Assert.Equal(CultureAdmin, audit.GetProperty("actor").GetString());

        // Someone who may not manage accounts at all is told so, in one line.
        var reviewer = (await data.RunAsync("account", "import", own, "--as", Reviewer)).Refused(1);
        Assert.Contains("cần quyền quản lý tài khoản", reviewer.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_hr_reviewer_and_an_auditor_read_but_change_nothing()
    {
        using var data = await PreparedAsync();

        (await data.RunAsync("account", "show", Thinh, "--as", Reviewer)).Ok();
        (await data.RunAsync("account", "lock", Thinh, "--as", Reviewer)).Refused(1);
        (await data.RunAsync("audit", "list", "--as", Reviewer)).Refused(1);
        (await data.RunAsync("account", "update", Thinh, "--title", "Chuyên viên", "--as", Auditor)).Refused(1);
        var audit = (await data.RunAsync("audit", "list", "--as", Auditor, "--json")).Ok().Json.EnumerateArray().ToList();
        Assert.NotEmpty(audit);
        Assert.DoesNotContain(audit, e => e.GetProperty("target").GetString() == Hai);
        (await data.RunAsync("audit", "verify", "--as", Auditor)).Ok();
    }

    [Fact]
    public async Task Running_as_someone_who_is_not_an_administrator_is_refused_and_revoke_takes_the_role_away()
    {
        using var data = await PreparedAsync();

        var refused = (await data.RunAsync("account", "list", "--as", Thinh)).Refused(1);
        Assert.Contains("không phải là quản trị viên", refused.Err, StringComparison.Ordinal);

        var admins = (await data.RunAsync("admin", "list", "--json")).Ok().Json.EnumerateArray()
            .Select(g => (g.GetProperty("address").GetString(), g.GetProperty("role").GetString(), g.GetProperty("scope").GetString())).ToList();
        Assert.Contains((CultureAdmin, "agency-administrator", Culture), admins);
        Assert.Contains(("admin@tphcm.gov.vn", "city-operator", null), admins);

        (await data.RunAsync("admin", "revoke", CultureAdmin, "--role", "agency-administrator")).Ok();
        (await data.RunAsync("account", "list", "--as", CultureAdmin)).Refused(1);
    }
}
