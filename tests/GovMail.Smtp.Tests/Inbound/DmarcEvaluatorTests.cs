using GovMail.Smtp.Inbound;

namespace GovMail.Smtp.Tests.Inbound;

/// <summary>DMARC (RFC 7489): policy discovery, relaxed and strict alignment of SPF and DKIM with the From domain, p/sp/pct.</summary>
public sealed class DmarcEvaluatorTests
{
    private static readonly SpfCheck NoSpf = new(SpfResult.None, "example.net");

    private static Task<DmarcCheck> EvaluateAsync(TestDnsZone zone, string from, SpfCheck spf, params DkimCheck[] dkim) =>
        new DmarcEvaluator(zone, () => 50).EvaluateAsync(from, spf, dkim.Length == 0 ? [new DkimCheck(DkimResult.None)] : dkim, CancellationToken.None);

    private static TestDnsZone Policy(string record, string domain = "example.com") => new TestDnsZone().Txt("_dmarc." + domain, record);

    [Theory]
    [InlineData("example.com", true)]
    [InlineData("bounces.example.com", true)]
    [InlineData("example.net", false)]
    public async Task Spf_pass_counts_when_the_mail_from_domain_is_aligned_relaxed(string mailFromDomain, bool passes)
    {
        var check = await EvaluateAsync(Policy("v=DMARC1; p=reject"), "example.com", new SpfCheck(SpfResult.Pass, mailFromDomain));
        Assert.Equal(passes ? DmarcResult.Pass : DmarcResult.Fail, check.Result);
        Assert.Equal(DmarcPolicy.Reject, check.Policy);
    }

    [Fact]
    public async Task Strict_alignment_wants_the_exact_domain()
    {
        var zone = Policy("v=DMARC1; p=quarantine; aspf=s; adkim=s");
        Assert.Equal(DmarcResult.Fail, (await EvaluateAsync(zone, "example.com", new SpfCheck(SpfResult.Pass, "bounces.example.com"))).Result);
        Assert.Equal(DmarcResult.Fail, (await EvaluateAsync(zone, "example.com", NoSpf, new DkimCheck(DkimResult.Pass, "mail.example.com"))).Result);
        Assert.Equal(DmarcResult.Pass, (await EvaluateAsync(zone, "example.com", NoSpf, new DkimCheck(DkimResult.Pass, "example.com"))).Result);
    }

    [Fact]
    public async Task An_aligned_dkim_pass_is_enough_even_when_spf_fails_and_a_failing_or_foreign_signature_is_not()
    {
        var zone = Policy("v=DMARC1; p=reject");
        var spfFail = new SpfCheck(SpfResult.Fail, "example.com");
        Assert.Equal(DmarcResult.Pass, (await EvaluateAsync(zone, "example.com", spfFail,
            new DkimCheck(DkimResult.Fail, "example.com"), new DkimCheck(DkimResult.Pass, "mail.example.com"))).Result);
        Assert.Equal(DmarcResult.Fail, (await EvaluateAsync(zone, "example.com", spfFail, new DkimCheck(DkimResult.Fail, "example.com"))).Result);
        Assert.Equal(DmarcResult.Fail, (await EvaluateAsync(zone, "example.com", spfFail, new DkimCheck(DkimResult.Pass, "mailer.example.net"))).Result);
        // SPF neutral or softfail is no pass, aligned or not.
        Assert.Equal(DmarcResult.Fail, (await EvaluateAsync(zone, "example.com", new SpfCheck(SpfResult.SoftFail, "example.com"))).Result);
    }

    [Fact]
    public async Task Subdomain_without_its_own_record_uses_the_organisational_record_and_its_sp()
    {
        var zone = Policy("v=DMARC1; p=reject; sp=quarantine", "hanoi.gov.vn");
        var sub = await EvaluateAsync(zone, "svhtt.hanoi.gov.vn", NoSpf);
        Assert.Equal((DmarcResult.Fail, DmarcPolicy.Quarantine, DmarcPolicy.Quarantine), (sub.Result, sub.Policy, sub.Disposition));
        var organisation = await EvaluateAsync(zone, "hanoi.gov.vn", NoSpf);
        Assert.Equal((DmarcResult.Fail, DmarcPolicy.Reject), (organisation.Result, organisation.Policy));
        Assert.Equal(["TXT _dmarc.svhtt.hanoi.gov.vn", "TXT _dmarc.hanoi.gov.vn", "TXT _dmarc.hanoi.gov.vn"], zone.Questions);
    }

    [Fact]
    public async Task A_record_at_the_from_domain_itself_applies_its_p_not_sp()
    {
        var zone = Policy("v=DMARC1; p=reject; sp=none", "svhtt.hanoi.gov.vn");
        Assert.Equal(DmarcPolicy.Reject, (await EvaluateAsync(zone, "svhtt.hanoi.gov.vn", NoSpf)).Disposition);
    }

    [Fact]
    public async Task No_record_is_none_and_a_failing_lookup_is_temperror()
    {
        Assert.Equal(DmarcResult.None, (await EvaluateAsync(new TestDnsZone(), "example.com", NoSpf)).Result);
        Assert.Equal(DmarcResult.None, (await EvaluateAsync(Policy("v=spf1 -all"), "example.com", NoSpf)).Result);
        Assert.Equal(DmarcResult.None, (await EvaluateAsync(Policy("v=DMARC1; p=bogus"), "example.com", NoSpf)).Result);
        Assert.Equal(DmarcResult.None, (await EvaluateAsync(new TestDnsZone().Txt("_dmarc.example.com", "v=DMARC1; p=reject", "v=DMARC1; p=none"), "example.com", NoSpf)).Result);
        Assert.Equal(DmarcResult.TempError, (await EvaluateAsync(new TestDnsZone().Fail("_dmarc.example.com"), "example.com", NoSpf)).Result);
        Assert.Equal(DmarcResult.PermError, (await new DmarcEvaluator(new TestDnsZone()).EvaluateAsync(null, NoSpf, [], CancellationToken.None)).Result);
    }

    [Fact]
    public async Task Pct_leaves_unsampled_messages_one_step_milder()
    {
        // The test sampler draws 50: inside pct=60, outside pct=40.
        Assert.Equal(DmarcPolicy.Reject, (await EvaluateAsync(Policy("v=DMARC1; p=reject; pct=60"), "example.com", NoSpf)).Disposition);
        Assert.Equal(DmarcPolicy.Quarantine, (await EvaluateAsync(Policy("v=DMARC1; p=reject; pct=40"), "example.com", NoSpf)).Disposition);
        Assert.Equal(DmarcPolicy.None, (await EvaluateAsync(Policy("v=DMARC1; p=quarantine; pct=40"), "example.com", NoSpf)).Disposition);
    }

    [Theory]
    [InlineData("tphcm.gov.vn", "tphcm.gov.vn")]
    [InlineData("svhtt.hanoi.gov.vn", "hanoi.gov.vn")]
    [InlineData("mail.example.com", "example.com")]
    [InlineData("a.b.example.co.uk", "example.co.uk")]
    [InlineData("example.com", "example.com")]
    [InlineData("vn", "vn")]
    public void Organisational_domain_is_one_label_under_the_public_suffix(string domain, string expected)
    {
        Assert.Equal(expected, OrganizationalDomain.Of(domain));
    }
}
