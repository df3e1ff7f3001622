using GovMail.Cli.Tests.Support;

namespace GovMail.Cli.Tests;

public sealed class HelpTests
{
    [Theory]
    [InlineData("init", "Khởi tạo hệ thống")]
    [InlineData("serve", "Chạy máy chủ thư")]
    [InlineData("unit add", "Thêm đơn vị")]
    [InlineData("account add", "Cấp hộp thư")]
    [InlineData("account list", "Danh sách tài khoản")]
    [InlineData("account import", "Cấp hộp thư theo danh sách cán bộ")]
    [InlineData("account export", "Xuất danh sách tài khoản")]
    [InlineData("alias add", "Thêm bí danh")]
    [InlineData("group members", "Những người nhận thư")]
    public async Task Every_command_explains_itself_in_english_and_vietnamese_and_names_data_and_json(string command, string vietnamese)
    {
        using var data = new DataFolder();

        var help = (await data.RunAsync([.. command.Split(' '), "--help"])).Ok();

        Assert.Contains(vietnamese, help.Out, StringComparison.Ordinal);
        Assert.Contains(" / ", help.Out, StringComparison.Ordinal);
        Assert.Contains("--data", help.Out, StringComparison.Ordinal);
        Assert.Contains("--json", help.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data.Path), "asking for help creates nothing");
    }
}
