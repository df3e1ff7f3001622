namespace GovMail.Smtp.Inbound;

/// <summary>The DMARC result of a message (RFC 7489 §11.2): pass, fail, none (no policy), or a DNS/syntax error.</summary>
public enum DmarcResult
{
    None,
    Pass,
    Fail,
    TempError,
    PermError,
}

/// <summary>
/// The DMARC verdict: the result, the From domain, the policy that applies to it (sp= for a subdomain whose record was found
/// at the organisational domain) and the policy to act on — the applicable one, or one step milder when pct= left this
/// message out of the sample.
/// </summary>
public sealed record DmarcCheck(DmarcResult Result, string? FromDomain, DmarcPolicy Policy = DmarcPolicy.None, DmarcPolicy Disposition = DmarcPolicy.None,
    string? Problem = null);

/// <summary>
/// DMARC (RFC 7489): finds the policy record at <c>_dmarc.</c> the From domain, else at <c>_dmarc.</c> its organisational
/// domain (<see cref="OrganizationalDomain"/>), and passes the message when SPF passed for an aligned MAIL FROM domain or a
/// DKIM signature passed for an aligned d= domain.
/// </summary>
public sealed class DmarcEvaluator(IDnsResolver dns, Func<int>? sample = null)
{
    private readonly Func<int> _sample = sample ?? (() => Random.Shared.Next(100));

    /// <param name="fromDomain">The domain of the single RFC 5322 From address; null when there is none or several.</param>
    /// <param name="spf">The SPF result for the MAIL FROM (or HELO) identity, with its domain.</param>
    public async Task<DmarcCheck> EvaluateAsync(string? fromDomain, SpfCheck spf, IReadOnlyList<DkimCheck> dkim, CancellationToken ct)
    {
        if (fromDomain is null) return new DmarcCheck(DmarcResult.PermError, null, Problem: "no single From domain");
        var from = SpfEvaluator.NormaliseDomain(fromDomain);
        if (from is null) return new DmarcCheck(DmarcResult.PermError, fromDomain, Problem: "From domain is not a domain name");

        var organisation = OrganizationalDomain.Of(from);
        var (record, status) = await FindAsync(from, ct);
        var atOrganisation = false;
        if (record is null && status != DnsLookupStatus.Failed && organisation != from)
        {
            (record, status) = await FindAsync(organisation, ct);
            atOrganisation = true;
        }
        if (status == DnsLookupStatus.Failed) return new DmarcCheck(DmarcResult.TempError, from, Problem: "DNS lookup of the DMARC record failed");
        if (record is null) return new DmarcCheck(DmarcResult.None, from);

        var policy = atOrganisation ? record.SubdomainPolicy ?? record.Policy : record.Policy;
        var spfAligned = spf.Result == SpfResult.Pass && OrganizationalDomain.Aligned(spf.Domain, from, record.StrictSpf);
        var dkimAligned = dkim.Any(d => d.Result == DkimResult.Pass && d.Domain is not null && OrganizationalDomain.Aligned(d.Domain, from, record.StrictDkim));
        if (spfAligned || dkimAligned) return new DmarcCheck(DmarcResult.Pass, from, policy);

        var disposition = policy;
        if (record.Percent < 100 && _sample() >= record.Percent)
            disposition = policy == DmarcPolicy.Reject ? DmarcPolicy.Quarantine : DmarcPolicy.None;
        return new DmarcCheck(DmarcResult.Fail, from, policy, disposition);
    }

    /// <summary>The one DMARC record at <c>_dmarc.domain</c>; none when there are none or several (§6.6.3).</summary>
    private async Task<(DmarcRecord?, DnsLookupStatus)> FindAsync(string domain, CancellationToken ct)
    {
        var answer = await dns.TxtAsync("_dmarc." + domain, ct);
        if (answer.Status != DnsLookupStatus.Found) return (null, answer.Status);
        var records = answer.Records.Where(t => t.StartsWith("v=DMARC1", StringComparison.Ordinal)).ToList();
        return (records.Count == 1 ? DmarcRecord.Parse(records[0]) : null, DnsLookupStatus.Found);
    }
}
