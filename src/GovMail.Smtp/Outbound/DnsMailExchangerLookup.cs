using DnsClient;
using DnsClient.Protocol;

namespace GovMail.Smtp.Outbound;

/// <summary>MX lookup through DnsClient: MX records by preference, the domain's own A/AAAA when it has none, null MX honoured.</summary>
public sealed class DnsMailExchangerLookup(ILookupClient dns) : IMailExchangerLookup
{
    /// <summary>With the machine's resolvers.</summary>
    public DnsMailExchangerLookup() : this(new LookupClient(new LookupClientOptions { UseCache = true, Timeout = TimeSpan.FromSeconds(10), Retries = 2 }))
    {
    }

    public async Task<MailExchangers> LookupAsync(string domain, CancellationToken ct)
    {
        string ascii;
        try { ascii = new System.Globalization.IdnMapping().GetAscii(domain.TrimEnd('.')); }
        catch (ArgumentException) { return MailExchangers.Failed(MailExchangerStatus.NoSuchDomain, "not a domain name"); }
        try
        {
            var mx = await dns.QueryAsync(ascii, QueryType.MX, QueryClass.IN, ct);
            if (mx.HasError)
                return mx.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain
                    ? MailExchangers.Failed(MailExchangerStatus.NoSuchDomain, mx.ErrorMessage)
                    : MailExchangers.Failed(MailExchangerStatus.TemporaryFailure, mx.ErrorMessage);
            var records = mx.Answers.MxRecords().OrderBy(r => r.Preference).ToList();
            if (records.Count == 1 && records[0].Exchange.Value is "." or "")
                return MailExchangers.Failed(MailExchangerStatus.NullMx);
            if (records.Count > 0)
                return new MailExchangers(MailExchangerStatus.Found,
                    records.Select(r => r.Exchange.Value.TrimEnd('.')).Where(h => h.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList());

            // No MX: the domain's own address is its implicit MX (RFC 5321 §5.1).
            foreach (var type in new[] { QueryType.A, QueryType.AAAA })
            {
                var address = await dns.QueryAsync(ascii, type, QueryClass.IN, ct);
                if (address.HasError && address.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
                    return MailExchangers.Failed(MailExchangerStatus.TemporaryFailure, address.ErrorMessage);
                if (address.Answers.OfType<AddressRecord>().Any()) return MailExchangers.Of(ascii);
            }
            return MailExchangers.Failed(MailExchangerStatus.NoMailServer);
        }
        catch (DnsResponseException e)
        {
            return MailExchangers.Failed(MailExchangerStatus.TemporaryFailure, e.Message);
        }
    }
}
