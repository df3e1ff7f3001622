using System.Net;
using GovMail.Smtp.Inbound;

namespace GovMail.Smtp.Tests.Inbound;

/// <summary>check_host() of RFC 7208 against a fixed zone: mechanisms, qualifiers, include and redirect, limits and errors.</summary>
public sealed class SpfEvaluatorTests
{
    private const string Sender = "van.thu@example.com";

    private static async Task<SpfCheck> CheckAsync(TestDnsZone zone, string ip, string domain = "example.com", string sender = Sender) =>
        await new SpfEvaluator(zone).CheckHostAsync(IPAddress.Parse(ip), domain, sender, "mail.example.com", CancellationToken.None);

    private static TestDnsZone Record(string spf) => new TestDnsZone().Txt("example.com", "google-site-verification=abc", spf);

    [Theory]
    [InlineData("v=spf1 ip4:192.0.2.0/24 -all", "192.0.2.10", SpfResult.Pass)]
    [InlineData("v=spf1 ip4:192.0.2.0/24 -all", "198.51.100.1", SpfResult.Fail)]
    [InlineData("v=spf1 ip4:192.0.2.0/24 ~all", "198.51.100.1", SpfResult.SoftFail)]
    [InlineData("v=spf1 ip4:192.0.2.0/24 ?all", "198.51.100.1", SpfResult.Neutral)]
    [InlineData("v=spf1 ip4:192.0.2.0/24", "198.51.100.1", SpfResult.Neutral)]
    [InlineData("v=spf1 -ip4:192.0.2.7 +all", "192.0.2.7", SpfResult.Fail)]
    [InlineData("v=spf1 ~ip4:192.0.2.7 +all", "192.0.2.8", SpfResult.Pass)]
    [InlineData("V=SPF1 IP4:192.0.2.7 -ALL", "192.0.2.7", SpfResult.Pass)]
    [InlineData("v=spf1 ip4:192.0.2.1/24 -all", "192.0.2.200", SpfResult.Pass)]
    [InlineData("v=spf1 ip6:2001:db8::/32 -all", "2001:db8:1::25", SpfResult.Pass)]
    [InlineData("v=spf1 ip6:2001:db8::/32 -all", "2001:db9::25", SpfResult.Fail)]
    [InlineData("v=spf1 ip6:2001:db8::/32 -all", "192.0.2.1", SpfResult.Fail)]
    [InlineData("v=spf1 ip4:192.0.2.0/24 -all", "::ffff:192.0.2.9", SpfResult.Pass)]
    public async Task Addresses_and_qualifiers_give_the_result_of_the_first_matching_directive(string record, string ip, SpfResult expected)
    {
        Assert.Equal(expected, (await CheckAsync(Record(record), ip)).Result);
    }

    [Theory]
    [InlineData("v=spf1 a -all", "192.0.2.1", SpfResult.Pass)]
    [InlineData("v=spf1 a -all", "192.0.2.2", SpfResult.Fail)]
    [InlineData("v=spf1 a/24 -all", "192.0.2.77", SpfResult.Pass)]
    [InlineData("v=spf1 a:relay.example.net -all", "203.0.113.9", SpfResult.Pass)]
    [InlineData("v=spf1 a//64 -all", "2001:db8:0:1::99", SpfResult.Pass)]
    [InlineData("v=spf1 a -all", "2001:db8:0:1::99", SpfResult.Fail)]
    [InlineData("v=spf1 mx -all", "198.51.100.20", SpfResult.Pass)]
    [InlineData("v=spf1 mx -all", "198.51.100.21", SpfResult.Pass)]
    [InlineData("v=spf1 mx:example.net -all", "198.51.100.20", SpfResult.Fail)]
    [InlineData("v=spf1 mx/30 -all", "198.51.100.22", SpfResult.Pass)]
    public async Task A_and_mx_match_the_addresses_of_the_domain_and_of_its_mail_exchangers(string record, string ip, SpfResult expected)
    {
        var zone = Record(record)
            .A("example.com", "192.0.2.1", "2001:db8:0:1::1")
            .A("relay.example.net", "203.0.113.9")
            .Mx("example.com", "mx1.example.com", "mx2.example.com")
            .A("mx1.example.com", "198.51.100.20")
            .A("mx2.example.com", "198.51.100.21");
        Assert.Equal(expected, (await CheckAsync(zone, ip)).Result);
    }

    [Fact]
    public async Task Include_chain_passes_on_a_match_deep_down_and_otherwise_falls_through_to_the_outer_all()
    {
        var zone = Record("v=spf1 include:_spf.example.net -all")
            .Txt("_spf.example.net", "v=spf1 include:_spf.example.org ~all")
            .Txt("_spf.example.org", "v=spf1 ip4:203.0.113.5 -all");

        Assert.Equal(SpfResult.Pass, (await CheckAsync(zone, "203.0.113.5")).Result);
        // The inner ~all and -all only mean "no match" for include; the outer -all decides.
        Assert.Equal(SpfResult.Fail, (await CheckAsync(zone, "203.0.113.6")).Result);
    }

    [Fact]
    public async Task Include_of_a_domain_without_a_record_is_permerror_and_a_failing_lookup_is_temperror()
    {
        Assert.Equal(SpfResult.PermError, (await CheckAsync(Record("v=spf1 include:nothing.example.net -all"), "192.0.2.1")).Result);
        var failing = Record("v=spf1 include:slow.example.net -all").Fail("slow.example.net");
        Assert.Equal(SpfResult.TempError, (await CheckAsync(failing, "192.0.2.1")).Result);
    }

    [Fact]
    public async Task Redirect_is_followed_only_when_nothing_matched_and_a_target_without_record_is_permerror()
    {
        var zone = Record("v=spf1 ip4:192.0.2.1 redirect=_spf.example.net").Txt("_spf.example.net", "v=spf1 ip4:203.0.113.0/24 -all");
        Assert.Equal(SpfResult.Pass, (await CheckAsync(zone, "192.0.2.1")).Result);
        Assert.Equal(SpfResult.Pass, (await CheckAsync(zone, "203.0.113.44")).Result);
        Assert.Equal(SpfResult.Fail, (await CheckAsync(zone, "198.51.100.1")).Result);

        var allFirst = Record("v=spf1 ~all redirect=_spf.example.net").Txt("_spf.example.net", "v=spf1 +all");
        Assert.Equal(SpfResult.SoftFail, (await CheckAsync(allFirst, "198.51.100.1")).Result);

        Assert.Equal(SpfResult.PermError, (await CheckAsync(Record("v=spf1 redirect=none.example.net"), "192.0.2.1")).Result);
    }

    [Fact]
    public async Task Ten_dns_terms_are_allowed_and_the_eleventh_is_permerror()
    {
        static TestDnsZone Chain(int includes)
        {
            var zone = new TestDnsZone().Txt("example.com", "v=spf1 include:i1.example.net -all");
            for (var i = 1; i < includes; i++) zone.Txt($"i{i}.example.net", $"v=spf1 include:i{i + 1}.example.net -all");
            return zone.Txt($"i{includes}.example.net", "v=spf1 ip4:192.0.2.1 -all");
        }

        Assert.Equal(SpfResult.Pass, (await CheckAsync(Chain(10), "192.0.2.1")).Result);
        var over = await CheckAsync(Chain(11), "192.0.2.1");
        Assert.Equal(SpfResult.PermError, over.Result);
        Assert.Contains("10 DNS lookups", over.Problem);
    }

    [Fact]
    public async Task Ip_mechanisms_and_all_do_not_count_towards_the_lookup_limit_but_a_mx_exists_and_redirect_do()
    {
        var many = "v=spf1 " + string.Join(' ', Enumerable.Range(1, 30).Select(i => $"ip4:10.0.0.{i}")) + " a a a a a a a a a a -all";
        Assert.Equal(SpfResult.Fail, (await CheckAsync(Record(many).A("example.com", "192.0.2.1"), "198.51.100.1")).Result);
        var eleven = "v=spf1 a a a a a a a a a a a -all";
        Assert.Equal(SpfResult.PermError, (await CheckAsync(Record(eleven).A("example.com", "192.0.2.1"), "198.51.100.1")).Result);
    }

    [Fact]
    public async Task Two_void_lookups_are_tolerated_and_the_third_is_permerror()
    {
        Assert.Equal(SpfResult.Pass,
            (await CheckAsync(Record("v=spf1 a:gone1.example.com mx:gone2.example.com ip4:192.0.2.1 -all"), "192.0.2.1")).Result);
        var three = await CheckAsync(Record("v=spf1 a:gone1.example.com mx:gone2.example.com exists:gone3.example.com ip4:192.0.2.1 -all"), "192.0.2.1");
        Assert.Equal(SpfResult.PermError, three.Result);
        Assert.Contains("void", three.Problem);
    }

    [Fact]
    public async Task More_than_ten_mail_exchangers_is_permerror()
    {
        var zone = Record("v=spf1 mx -all").Mx("example.com", Enumerable.Range(1, 11).Select(i => $"mx{i}.example.com").ToArray());
        Assert.Equal(SpfResult.PermError, (await CheckAsync(zone, "192.0.2.1")).Result);
    }

    [Theory]
    [InlineData("v=spf1 ip4:300.1.1.1 -all")]
    [InlineData("v=spf1 ip4:192.0.2.1/33 -all")]
    [InlineData("v=spf1 ip4:192.0.2.1/024 -all")]
    [InlineData("v=spf1 ip6:2001:db8::/129 -all")]
    [InlineData("v=spf1 foo:example.com -all")]
    [InlineData("v=spf1 include -all")]
    [InlineData("v=spf1 all:example.com")]
    [InlineData("v=spf1 redirect=a.example.net redirect=b.example.net")]
    [InlineData("v=spf1 exists:%{z}.example.com -all")]
    [InlineData("v=spf1 exists:%{d0}.example.com -all")]
    [InlineData("v=spf1 a:example.123 -all")]
    [InlineData("v=spf1 =all")]
    public async Task Syntax_errors_are_permerror(string record)
    {
        var check = await CheckAsync(Record(record), "192.0.2.1");
        Assert.Equal(SpfResult.PermError, check.Result);
        Assert.NotNull(check.Problem);
    }

    [Fact]
    public async Task Unknown_modifiers_are_ignored()
    {
        Assert.Equal(SpfResult.Pass, (await CheckAsync(Record("v=spf1 moo=cow.example.com ip4:192.0.2.1 -all"), "192.0.2.1")).Result);
    }

    [Fact]
    public async Task No_record_is_none_two_records_are_permerror_and_a_failing_lookup_is_temperror()
    {
        Assert.Equal(SpfResult.None, (await CheckAsync(new TestDnsZone().Txt("example.com", "v=spf10 +all", "v=DMARC1; p=none"), "192.0.2.1")).Result);
        Assert.Equal(SpfResult.None, (await CheckAsync(new TestDnsZone(), "192.0.2.1")).Result);
        Assert.Equal(SpfResult.PermError, (await CheckAsync(new TestDnsZone().Txt("example.com", "v=spf1 -all", "v=spf1 +all"), "192.0.2.1")).Result);
        Assert.Equal(SpfResult.TempError, (await CheckAsync(new TestDnsZone().Fail("example.com"), "192.0.2.1")).Result);
        Assert.Equal(SpfResult.TempError,
            (await CheckAsync(Record("v=spf1 a:slow.example.net -all").Fail("slow.example.net"), "192.0.2.1")).Result);
    }

    [Fact]
    public async Task A_name_that_is_no_domain_is_none_without_any_lookup()
    {
        var zone = new TestDnsZone();
        Assert.Equal(SpfResult.None, (await CheckAsync(zone, "192.0.2.1", domain: "localhost")).Result);
        Assert.Equal(SpfResult.None, (await CheckAsync(zone, "192.0.2.1", domain: "a..example.com")).Result);
        Assert.Empty(zone.Questions);
    }

    [Fact]
    public async Task Ptr_matches_a_reverse_name_under_the_domain_that_resolves_back_to_the_address()
    {
        var zone = Record("v=spf1 ptr -all").Ptr("192.0.2.3", "mail.example.com").A("mail.example.com", "192.0.2.3")
            .Ptr("192.0.2.4", "mail.example.com");
        Assert.Equal(SpfResult.Pass, (await CheckAsync(zone, "192.0.2.3")).Result);
        // Its PTR claims mail.example.com, but that name does not resolve back to 192.0.2.4.
        Assert.Equal(SpfResult.Fail, (await CheckAsync(zone, "192.0.2.4")).Result);
    }

    // RFC 7208 §7.4, sender strong-bad@email.example.com from 192.0.2.3 (and 2001:db8::cb01).
    [Theory]
    [InlineData("%{s}", "strong-bad@email.example.com")]
    [InlineData("%{o}", "email.example.com")]
    [InlineData("%{d}", "email.example.com")]
    [InlineData("%{d4}", "email.example.com")]
    [InlineData("%{d3}", "email.example.com")]
    [InlineData("%{d2}", "example.com")]
    [InlineData("%{d1}", "com")]
    [InlineData("%{dr}", "com.example.email")]
    [InlineData("%{d2r}", "example.email")]
    [InlineData("%{l}", "strong-bad")]
    [InlineData("%{l-}", "strong.bad")]
    [InlineData("%{lr}", "strong-bad")]
    [InlineData("%{lr-}", "bad.strong")]
    [InlineData("%{l1r-}", "strong")]
    [InlineData("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com")]
    [InlineData("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com")]
    [InlineData("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net")]
    [InlineData("%%%_%-%{S}", "% %20strong-bad%40email.example.com")]
    public void Macros_expand_as_in_the_rfc_examples(string macro, string expected)
    {
        var context = new SpfMacroContext(IPAddress.Parse("192.0.2.3"), "strong-bad@email.example.com", "email.example.com", "mx.example.org");
        Assert.Equal(expected, SpfMacro.Expand(macro, context));
    }

    [Fact]
    public void Ipv6_macro_is_the_address_as_reversed_nibbles()
    {
        var context = new SpfMacroContext(IPAddress.Parse("2001:db8::cb01"), "strong-bad@email.example.com", "email.example.com", "mx.example.org");
        Assert.Equal("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com",
            SpfMacro.Expand("%{ir}.%{v}._spf.%{d2}", context));
    }

    [Fact]
    public async Task Exists_with_macros_asks_the_per_address_name_the_domain_publishes()
    {
        var zone = Record("v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all").A("1.2.0.192.van.thu._spf.example.com", "127.0.0.2");
        Assert.Equal(SpfResult.Pass, (await CheckAsync(zone, "192.0.2.1")).Result);
        Assert.Equal(SpfResult.Fail, (await CheckAsync(zone, "192.0.2.9")).Result);
        Assert.Contains("A 9.2.0.192.van.thu._spf.example.com", zone.Questions);
    }
}
