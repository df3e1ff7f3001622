using GovMail.Cli.Tests.Support;

namespace GovMail.Cli.Tests;

public sealed class PolicyCommandTests
{
    [Fact]
    public async Task The_default_policy_is_the_seeds_rule()
    {
        using var data = new DataFolder();
        await data.InitAsync();

        var policy = (await data.RunAsync("policy", "show", "--json")).Ok().Json;

        Assert.Equal(8, policy.GetProperty("password").GetProperty("minLength").GetInt32());
        Assert.True(policy.GetProperty("password").GetProperty("requireUpper").GetBoolean());
        Assert.True(policy.GetProperty("password").GetProperty("requireSpecial").GetBoolean());
        Assert.Equal(3, policy.GetProperty("firstLoginWindowDays").GetInt32());
        Assert.Equal(5L * 1024 * 1024 * 1024, policy.GetProperty("defaultQuotaBytes").GetInt64());
    }

    [Fact]
    public async Task A_changed_policy_applies_to_the_next_account()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();

        (await data.RunAsync("policy", "set", "--password-require-digit", "có", "--default-quota", "2GB", "--first-login-days", "5")).Ok();
        var weak = await data.RunAsync("account", "add", "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật", "--password", "Hoa#Sen!Vang");
        weak.Refused(1);
        Assert.Contains("chữ số", weak.Err, StringComparison.Ordinal);

        var added = (await data.RunAsync("account", "add", "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật", "--json")).Ok().Json;
        Assert.Equal(2L * 1024 * 1024 * 1024, added.GetProperty("quotaBytes").GetInt64());
        Assert.Contains(added.GetProperty("temporaryPassword").GetString()!, char.IsDigit);
        var show = (await data.RunAsync("policy", "show", "--json")).Ok().Json;
        Assert.Equal(5, show.GetProperty("firstLoginWindowDays").GetInt32());
        Assert.True(show.GetProperty("password").GetProperty("requireDigit").GetBoolean());
    }

    [Theory]
    [InlineData("--first-login-days", "abc")]
    [InlineData("--first-login-days", "200")]
    [InlineData("--password-min-length", "4")]
    [InlineData("--password-require-digit", "maybe")]
    [InlineData("--default-quota", "lots")]
    [InlineData("--inbound-quarantine", "sometimes")]
    public async Task Bad_policy_values_are_refused_in_one_line_and_change_nothing(string option, string value)
    {
        using var data = new DataFolder();
        await data.InitAsync();
        var before = (await data.RunAsync("policy", "show", "--json")).Ok().Out;

        (await data.RunAsync("policy", "set", option, value)).Refused();

        Assert.Equal(before, (await data.RunAsync("policy", "show", "--json")).Ok().Out);
    }

    [Fact]
    public async Task Inbound_quarantine_is_dmarc_by_default_and_can_take_spf_failures_too_or_be_turned_off()
    {
        using var data = new DataFolder();
        await data.InitAsync();
        Assert.Equal("dmarc", (await data.RunAsync("policy", "show", "--json")).Ok().Json.GetProperty("inboundQuarantine").GetString());

        (await data.RunAsync("policy", "set", "--inbound-quarantine", "dmarc-and-spf")).Ok();
        Assert.Equal("dmarc-and-spf", (await data.RunAsync("policy", "show", "--json")).Ok().Json.GetProperty("inboundQuarantine").GetString());
        Assert.Contains("không đạt SPF (dmarc-and-spf)", (await data.RunAsync("policy", "show")).Ok().Out, StringComparison.Ordinal);

        (await data.RunAsync("policy", "set", "--inbound-quarantine", "off")).Ok();
        Assert.Equal("off", (await data.RunAsync("policy", "show", "--json")).Ok().Json.GetProperty("inboundQuarantine").GetString());
    }

    [Fact]
    public async Task Members_of_an_unknown_address_is_refused()
    {
        using var data = new DataFolder();
        await data.InitAsync();
        (await data.RunAsync("group", "members", "khongco@tphcm.gov.vn")).Refused(1);
    }
}
