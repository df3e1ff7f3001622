using GovMail.Smtp.Outbound;

namespace GovMail.Smtp.Tests.Outbound;

public sealed class TransportMapTests
{
    [Fact]
    public void Exact_domain_then_parent_entry_then_smarthost()
    {
        var map = TransportMap.Parse(new Dictionary<string, string>
        {
            ["hanoi.gov.vn"] = "relay.hanoi.gov.vn:2525",
            [".gov.vn"] = "[2001:db8::1]",
            ["*"] = "smarthost.vnpt.vn:587",
        });

        Assert.Equal(new RelayHost("relay.hanoi.gov.vn", 2525), map.Find("HANOI.gov.vn."));
        Assert.Equal(new RelayHost("2001:db8::1", 25), map.Find("sotttt.danang.gov.vn"));
        Assert.Equal(new RelayHost("smarthost.vnpt.vn", 587), map.Find("gmail.com"));
        Assert.Null(TransportMap.Parse(new Dictionary<string, string>()).Find("gmail.com"));
    }

    [Theory]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("host:abc")]
    [InlineData("[::1")]
    [InlineData(":25")]
    public void Bad_targets_are_refused(string target) =>
        Assert.Throws<FormatException>(() => TransportMap.Parse(new Dictionary<string, string> { ["x.vn"] = target }));
}
