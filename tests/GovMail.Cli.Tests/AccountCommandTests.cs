using System.Text.Json;
using System.Text.RegularExpressions;
using GovMail.Cli.Tests.Support;
using GovMail.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Cli.Tests;

public sealed partial class AccountCommandTests
{
    private const string Art = "Phòng Nghệ thuật";
    private const string Sport = "Phòng Quản lý Thể dục thể thao";

    [Fact]
    public async Task Account_add_with_every_option_keeps_them_and_the_given_password_without_first_login_rule()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();

        var added = (await data.RunAsync("account", "add", "thinh.le@tphcm.gov.vn", "--name", "Lê Đức Thịnh", "--unit", Art,
            "--title", "Chuyên viên chính", "--password", "Hoa-Sen#2024x", "--no-must-change", "--issued", "2024-05-21",
            "--phone", "0973 439 103", "--quota", "10GB", "--json")).Ok().Json;

        Assert.Equal("thinh.le@tphcm.gov.vn", added.GetProperty("address").GetString());
        Assert.Equal("Lê Đức Thịnh", added.GetProperty("displayName").GetString());
        Assert.Equal("Chuyên viên chính", added.GetProperty("title").GetString());
        Assert.Equal(Art, added.GetProperty("unit").GetString());
        Assert.Equal("Sở Văn hóa và Thể thao / Phòng Nghệ thuật", added.GetProperty("unitPath").GetString());
        Assert.Equal("Sở Văn hóa và Thể thao", added.GetProperty("agency").GetString());
        Assert.Equal("individual", added.GetProperty("kind").GetString());
        Assert.Equal("active", added.GetProperty("state").GetString());
        Assert.False(added.GetProperty("mustChangePassword").GetBoolean());
        Assert.Equal(JsonValueKind.Null, added.GetProperty("temporaryPassword").ValueKind);
        Assert.Equal("2024-05-21", added.GetProperty("issuedOn").GetString());
        Assert.Equal(10L << 30, added.GetProperty("quotaBytes").GetInt64());
        Assert.True(PasswordHasher.Verify("Hoa-Sen#2024x", await StoredHashAsync(data, "thinh.le@tphcm.gov.vn")));
    }

    [Fact]
    public async Task Account_add_without_password_prints_a_temporary_one_and_waits_for_the_first_login()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();

        var added = (await data.RunAsync("account", "add", "ngoc.tran", "--name", "Trần Thị Bích Ngọc", "--unit", Sport)).Ok();

        Assert.Contains("Đã cấp hộp thư ngoc.tran@tphcm.gov.vn cho Trần Thị Bích Ngọc (Sở Văn hóa và Thể thao / Phòng Quản lý Thể dục thể thao).",
            added.Out, StringComparison.Ordinal);
        var temporary = TemporaryPasswordLine().Match(added.Out);
        Assert.True(temporary.Success, added.Out);
        Assert.True(PasswordHasher.Verify(temporary.Groups["password"].Value, await StoredHashAsync(data, "ngoc.tran@tphcm.gov.vn")));
        var shown = (await data.RunAsync("account", "show", "ngoc.tran@tphcm.gov.vn", "--json")).Ok().Json;
        Assert.Equal("pending-first-login", shown.GetProperty("state").GetString());
        Assert.True(shown.GetProperty("mustChangePassword").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, shown.GetProperty("passwordChangeDeadline").ValueKind);
        // Without --issued the mailbox is issued today (the clock's day in Vietnam).
        Assert.Equal("2026-03-02", shown.GetProperty("issuedOn").GetString());
    }

    [Fact]
    public async Task Account_add_of_a_collective_unit_mailbox_records_its_kind()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();

        var added = (await data.RunAsync("account", "add", "nghethuat", "--name", Art, "--unit", Art, "--kind", "collective", "--json")).Ok().Json;

        Assert.Equal("nghethuat@tphcm.gov.vn", added.GetProperty("address").GetString());
        Assert.Equal("collective", added.GetProperty("kind").GetString());
        Assert.Equal("Tập thể", ShowField((await data.RunAsync("account", "show", "nghethuat@tphcm.gov.vn")).Ok().Out, "Loại"));
    }

    [Fact]
    public async Task Account_add_without_address_generates_it_from_the_vietnamese_name_and_numbers_a_namesake()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();

        var first = (await data.RunAsync("account", "add", "--name", "Lê Đức Thịnh", "--unit", Art, "--json")).Ok().Json;
        var namesake = (await data.RunAsync("account", "add", "--name", "Lê Đức Thịnh", "--unit", Sport, "--json")).Ok().Json;
        var withD = (await data.RunAsync("account", "add", "--name", "Đặng Quốc Đạt", "--unit", Sport, "--json")).Ok().Json;

        Assert.Equal("ldthinh@tphcm.gov.vn", first.GetProperty("address").GetString());
        Assert.Equal("ldthinh1@tphcm.gov.vn", namesake.GetProperty("address").GetString());
        Assert.Equal("dqdat@tphcm.gov.vn", withD.GetProperty("address").GetString());
        Assert.Equal("Lê Đức Thịnh", namesake.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Account_list_filters_by_unit_and_shows_vietnamese_names()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", "--name", "Lê Đức Thịnh", "--unit", Art)).Ok();
        (await data.RunAsync("account", "add", "--name", "Ngô Tường Huyền", "--unit", Art, "--title", "Trưởng phòng")).Ok();
        (await data.RunAsync("account", "add", "--name", "Trương Quốc Trọng", "--unit", Sport)).Ok();

        var art = (await data.RunAsync("account", "list", "--unit", Art, "--json")).Ok().Json.EnumerateArray().ToList();
        var agency = (await data.RunAsync("account", "list", "--unit", "Sở Văn hóa và Thể thao", "--json")).Ok().Json.EnumerateArray().ToList();
        var text = (await data.RunAsync("account", "list", "--unit", Art)).Ok().Out;

        Assert.Equal(["Lê Đức Thịnh", "Ngô Tường Huyền"], art.Select(a => a.GetProperty("displayName").GetString()).Order(StringComparer.Ordinal));
        Assert.All(art, a =>
        {
            Assert.EndsWith("@tphcm.gov.vn", a.GetProperty("address").GetString(), StringComparison.Ordinal);
            Assert.Equal(Art, a.GetProperty("unit").GetString());
            Assert.Equal("pending-first-login", a.GetProperty("state").GetString());
        });
        // An agency's list takes in its departments.
        Assert.Equal(3, agency.Count);
        Assert.Contains("Ngô Tường Huyền", text, StringComparison.Ordinal);
        Assert.Contains("Trưởng phòng", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Trương Quốc Trọng", text, StringComparison.Ordinal);
        Assert.Contains("Tổng cộng 2 tài khoản.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Account_list_filters_by_state()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", "ldthinh", "--name", "Lê Đức Thịnh", "--unit", Art, "--password", "Hoa-Sen#2024x", "--no-must-change")).Ok();
        (await data.RunAsync("account", "add", "nthuyen", "--name", "Ngô Tường Huyền", "--unit", Art)).Ok();
        (await data.RunAsync("account", "add", "tqtrong", "--name", "Trương Quốc Trọng", "--unit", Art)).Ok();
        (await data.RunAsync("account", "lock", "tqtrong@tphcm.gov.vn", "--reason", "Nghỉ phép dài ngày")).Ok();

        string[] Addresses(CliResult r) => r.Ok().Json.EnumerateArray().Select(a => a.GetProperty("address").GetString()!).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(["ldthinh@tphcm.gov.vn"], Addresses(await data.RunAsync("account", "list", "--state", "active", "--json")));
        Assert.Equal(["tqtrong@tphcm.gov.vn"], Addresses(await data.RunAsync("account", "list", "--state", "locked", "--json")));
        Assert.Equal(["admin@tphcm.gov.vn", "nthuyen@tphcm.gov.vn"],
            Addresses(await data.RunAsync("account", "list", "--state", "pending-first-login", "--json")));
        Assert.Equal(["nthuyen@tphcm.gov.vn"], Addresses(await data.RunAsync("account", "list", "--unit", Art, "--state", "pending-first-login", "--json")));
    }

    [Fact]
    public async Task Lock_unlock_disable_reactivate_and_close_follow_the_state_machine_and_are_kept_in_the_history()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", "ldthinh", "--name", "Lê Đức Thịnh", "--unit", Art)).Ok();
        const string address = "ldthinh@tphcm.gov.vn";

        var locked = (await data.RunAsync("account", "lock", address, "--reason", "Theo đề nghị của Văn phòng Sở", "--json")).Ok().Json;
        Assert.Equal("locked", locked.GetProperty("state").GetString());
        Assert.Equal("administrator", locked.GetProperty("lockReason").GetString());

        // The holder never logged in, so unlocking sends the account back to the first login with a fresh password.
        var unlocked = (await data.RunAsync("account", "unlock", address, "--json")).Ok().Json;
        Assert.Equal("pending-first-login", unlocked.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, unlocked.GetProperty("lockReason").ValueKind);
        var fresh = unlocked.GetProperty("temporaryPassword").GetString()!;
        Assert.True(PasswordHasher.Verify(fresh, await StoredHashAsync(data, address)));

        Assert.Equal("disabled", (await data.RunAsync("account", "disable", address, "--reason", "Nghỉ hưu", "--json")).Ok().Json.GetProperty("state").GetString());
        Assert.Equal("pending-first-login", (await data.RunAsync("account", "reactivate", address, "--json")).Ok().Json.GetProperty("state").GetString());

        var closed = (await data.RunAsync("account", "close", address, "--reason", "Chuyển công tác ra ngoài thành phố")).Ok();
        Assert.Contains("Tài khoản ldthinh@tphcm.gov.vn: pending-first-login → closed.", closed.Out, StringComparison.Ordinal);

        var show = (await data.RunAsync("account", "show", address, "--json")).Ok().Json;
        Assert.Equal("closed", show.GetProperty("state").GetString());
        Assert.NotEqual(JsonValueKind.Null, show.GetProperty("closedAt").ValueKind);
        var history = show.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["issue", "lock", "unlock", "disable", "reactivate", "close"], history.Select(h => h.GetProperty("event").GetString()));
        Assert.Equal(["pending-first-login", "locked", "pending-first-login", "disabled", "pending-first-login", "closed"],
            history.Select(h => h.GetProperty("to").GetString()));
        Assert.Equal("Theo đề nghị của Văn phòng Sở", history[1].GetProperty("reason").GetString());
        Assert.Equal("Nghỉ hưu", history[3].GetProperty("reason").GetString());
        Assert.All(history.Skip(1), h => Assert.StartsWith("cli:", h.GetProperty("actor").GetString(), StringComparison.Ordinal));

        // A closed account leaves the ordinary list but stays on record.
        Assert.DoesNotContain(address, (await data.RunAsync("account", "list", "--json")).Ok().Out, StringComparison.Ordinal);
        Assert.Contains(address, (await data.RunAsync("account", "list", "--all", "--json")).Ok().Out, StringComparison.Ordinal);
        Assert.Contains(address, (await data.RunAsync("account", "list", "--state", "closed", "--json")).Ok().Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_password_issues_a_new_temporary_password_or_sets_the_given_one()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", "ldthinh", "--name", "Lê Đức Thịnh", "--unit", Art, "--password", "Hoa-Sen#2024x", "--no-must-change")).Ok();
        const string address = "ldthinh@tphcm.gov.vn";

        var generated = (await data.RunAsync("account", "reset-password", address, "--json")).Ok().Json;
        Assert.Equal(address, generated.GetProperty("address").GetString());
        var temporary = generated.GetProperty("temporaryPassword").GetString()!;
        Assert.NotEqual(JsonValueKind.Null, generated.GetProperty("deadline").ValueKind);
        Assert.True(PasswordHasher.Verify(temporary, await StoredHashAsync(data, address)));
        Assert.True((await data.RunAsync("account", "show", address, "--json")).Ok().Json.GetProperty("mustChangePassword").GetBoolean());

        var given = (await data.RunAsync("account", "reset-password", address, "--password", "Mai-Vang!2025q", "--no-must-change", "--json")).Ok().Json;
        Assert.Equal(JsonValueKind.Null, given.GetProperty("temporaryPassword").ValueKind);
        var hash = await StoredHashAsync(data, address);
        Assert.True(PasswordHasher.Verify("Mai-Vang!2025q", hash));
        Assert.False(PasswordHasher.Verify(temporary, hash));
    }

    [Fact]
    public async Task Transfer_moves_an_account_to_another_unit_and_records_why()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", "ldthinh", "--name", "Lê Đức Thịnh", "--unit", Art)).Ok();

        var moved = (await data.RunAsync("account", "transfer", "ldthinh@tphcm.gov.vn", "--unit", Sport, "--reason", "Quyết định 123/QĐ-SVHTT", "--json")).Ok().Json;

        Assert.Equal(Sport, moved.GetProperty("unit").GetString());
        Assert.Equal("Sở Văn hóa và Thể thao / Phòng Quản lý Thể dục thể thao", moved.GetProperty("unitPath").GetString());
        Assert.Empty((await data.RunAsync("account", "list", "--unit", Art, "--json")).Ok().Json.EnumerateArray());
        Assert.Single((await data.RunAsync("account", "list", "--unit", Sport, "--json")).Ok().Json.EnumerateArray());
        var history = (await data.RunAsync("account", "show", "ldthinh@tphcm.gov.vn", "--json")).Ok().Json.GetProperty("history").EnumerateArray();
        var transfer = Assert.Single(history, h => h.GetProperty("event").GetString() == "transfer");
        Assert.Contains("Quyết định 123/QĐ-SVHTT", transfer.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("Phòng Quản lý Thể dục thể thao", transfer.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_changes_the_profile_and_leaves_the_rest()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", "ldthinh", "--name", "Le Duc Thinh", "--unit", Art, "--title", "Chuyên viên")).Ok();

        var updated = (await data.RunAsync("account", "update", "ldthinh@tphcm.gov.vn", "--name", "Lê Đức Thịnh", "--title", "Phó Trưởng phòng",
            "--phone", "0973.439.103", "--quota", "2GB", "--json")).Ok().Json;

        Assert.Equal("ldthinh@tphcm.gov.vn", updated.GetProperty("address").GetString());
        Assert.Equal("Lê Đức Thịnh", updated.GetProperty("displayName").GetString());
        Assert.Equal("Phó Trưởng phòng", updated.GetProperty("title").GetString());
        Assert.Equal(2L << 30, updated.GetProperty("quotaBytes").GetInt64());
        Assert.Equal(Art, updated.GetProperty("unit").GetString());
        Assert.Equal("pending-first-login", updated.GetProperty("state").GetString());
        var shown = (await data.RunAsync("account", "show", "ldthinh@tphcm.gov.vn", "--json")).Ok().Json;
        Assert.Equal("Lê Đức Thịnh", shown.GetProperty("displayName").GetString());
        Assert.False(string.IsNullOrEmpty(shown.GetProperty("phone").GetString()));
    }

    [Fact]
    public async Task Show_prints_a_readable_card_in_vietnamese()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", "ldthinh", "--name", "Lê Đức Thịnh", "--unit", Art, "--title", "Chuyên viên", "--issued", "21/05/2024")).Ok();

        var card = (await data.RunAsync("account", "show", "ldthinh@tphcm.gov.vn")).Ok().Out;

        Assert.Equal("Lê Đức Thịnh", ShowField(card, "Tên thể hiện"));
        Assert.Equal("Sở Văn hóa và Thể thao / Phòng Nghệ thuật", ShowField(card, "Đơn vị"));
        Assert.Equal("21/05/2024", ShowField(card, "Ngày cấp"));
        Assert.Equal("5 GB", ShowField(card, "Dung lượng"));
    }

    private static async Task<string> StoredHashAsync(DataFolder data, string address)
    {
        await using var db = data.OpenDatabase();
        return await db.Accounts.AsNoTracking().Where(a => a.Address == address).Select(a => a.PasswordHash).SingleAsync();
    }

    /// <summary>The value on the line of <c>account show</c> whose label is <paramref name="label"/>.</summary>
    private static string? ShowField(string card, string label) =>
        card.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith(label + " ", StringComparison.Ordinal))
            .Select(l => l[label.Length..].Trim()).FirstOrDefault();

    [GeneratedRegex(@"Mật khẩu tạm: (?<password>\S+) — phải đổi trước \d\d/\d\d/\d{4} \d\d:\d\d")]
    private static partial Regex TemporaryPasswordLine();
}
