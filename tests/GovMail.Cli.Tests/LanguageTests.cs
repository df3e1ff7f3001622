using GovMail.Cli.Tests.Support;
using GovMail.Core;

namespace GovMail.Cli.Tests;

/// <summary>
/// <see cref="Messages.UserCulture"/> is one setting for the whole process, so the tests that change it run alone,
/// after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class UserCultureCollection
{
    public const string Name = "User culture";
}

[Collection(UserCultureCollection.Name)]
public sealed class LanguageTests
{
    [Fact]
    public async Task Messages_are_in_vietnamese_with_diacritics_by_default()
    {
        using var data = new DataFolder();

        var noTenant = await data.RunAsync("account", "list");
        var init = (await data.RunAsync("init", "--domain", "tphcm.gov.vn", "--name", "Sở Văn hóa và Thể thao")).Ok();
        var unknownUnit = await data.RunAsync("account", "add", "--name", "Lê Đức Thịnh", "--unit", "Phòng Nghệ thuật");
        var badDate = await data.RunAsync("account", "add", "--name", "Lê Đức Thịnh", "--unit", "Sở Văn hóa và Thể thao", "--issued", "31/02/2024");

        Assert.Equal("govmail: Hệ thống chưa được khởi tạo trong thư mục dữ liệu này: chạy \"govmail init --domain … --name …\" hoặc \"govmail serve\".",
            noTenant.Refused(1).ErrorLines[0]);
        Assert.StartsWith("Đã khởi tạo hệ thống thư cho Sở Văn hóa và Thể thao (tên miền tphcm.gov.vn).", init.Out, StringComparison.Ordinal);
        Assert.Contains("mật khẩu dùng một lần", init.Out, StringComparison.Ordinal);
        Assert.Equal("govmail: Không tìm thấy đơn vị \"Phòng Nghệ thuật\".", unknownUnit.Refused(1).ErrorLines[0]);
        Assert.Equal("govmail: Ngày không hợp lệ: 31/02/2024 (dùng YYYY-MM-DD hoặc dd/MM/yyyy).", badDate.Refused(2).ErrorLines[0]);
    }

    [Fact]
    public async Task English_speaking_operators_get_english_messages()
    {
        using var data = new DataFolder();
        var before = Messages.UserCulture;
        Messages.UserCulture = Messages.English;
        try
        {
            var noTenant = await data.RunAsync("account", "list");
            var init = (await data.RunAsync("init", "--domain", "tphcm.gov.vn", "--name", "Sở Văn hóa và Thể thao")).Ok();
            var unknownUnit = await data.RunAsync("account", "add", "--name", "Lê Đức Thịnh", "--unit", "Phòng Nghệ thuật");

            Assert.StartsWith("govmail: No mail system is set up in this data folder", noTenant.Refused(1).ErrorLines[0], StringComparison.Ordinal);
            Assert.StartsWith("Initialised the mail system of Sở Văn hóa và Thể thao (domain tphcm.gov.vn).", init.Out, StringComparison.Ordinal);
            Assert.Contains("one-time password", init.Out, StringComparison.Ordinal);
            Assert.Equal("govmail: No unit \"Phòng Nghệ thuật\".", unknownUnit.Refused(1).ErrorLines[0]);
        }
        finally
        {
            Messages.UserCulture = before;
        }
    }
}
