using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace GovMail.Smtp.Inbound;

/// <summary>
/// <see cref="IDnsResolver"/> on DnsClient with the machine's resolvers. Each question has <see cref="Timeout"/> in all
/// (DnsClient's own retries included); past it, or on SERVFAIL or a network error, the answer is
/// <see cref="DnsLookupStatus.Failed"/> so the checks say temperror instead of waiting.
/// </summary>
public sealed class DnsClientResolver : IDnsResolver
{
    private readonly ILookupClient _dns;

    public DnsClientResolver(TimeSpan timeout)
        : this(new LookupClient(new LookupClientOptions
        {
            UseCache = true,
            Timeout = timeout / 2,
            Retries = 1,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
        }), timeout)
    {
    }

    public DnsClientResolver(ILookupClient dns, TimeSpan timeout)
    {
        _dns = dns;
        Timeout = timeout;
    }

    public TimeSpan Timeout { get; }

    public async Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct)
    {
        var answer = await QueryAsync(name, QueryType.TXT, ct);
        return answer is null ? DnsAnswer<string>.Failed
            : DnsAnswer<string>.Of(answer.Answers.TxtRecords().Select(r => string.Concat(r.Text)).ToList());
    }

    public async Task<DnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken ct)
    {
        var answer = await QueryAsync(name, family == AddressFamily.InterNetworkV6 ? QueryType.AAAA : QueryType.A, ct);
        if (answer is null) return DnsAnswer<IPAddress>.Failed;
        var addresses = family == AddressFamily.InterNetworkV6
            ? answer.Answers.AaaaRecords().Select(r => r.Address)
            : answer.Answers.ARecords().Select(r => r.Address);
        return DnsAnswer<IPAddress>.Of(addresses.ToList());
    }

    public async Task<DnsAnswer<string>> MxAsync(string name, CancellationToken ct)
    {
        var answer = await QueryAsync(name, QueryType.MX, ct);
        return answer is null ? DnsAnswer<string>.Failed
            : DnsAnswer<string>.Of(answer.Answers.MxRecords().OrderBy(r => r.Preference).Select(r => r.Exchange.Value.TrimEnd('.')).ToList());
    }

    public async Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct)
    {
        var answer = await QueryAsync(address.GetArpaName(), QueryType.PTR, ct);
        return answer is null ? DnsAnswer<string>.Failed
            : DnsAnswer<string>.Of(answer.Answers.PtrRecords().Select(r => r.PtrDomainName.Value.TrimEnd('.')).ToList());
    }

    /// <summary>The response when it is an answer or NXDOMAIN; null when the question failed or ran out of time.</summary>
    private async Task<IDnsQueryResponse?> QueryAsync(string name, QueryType type, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(Timeout);
        try
        {
            var response = await _dns.QueryAsync(name, type, QueryClass.IN, limit.Token);
            if (!response.HasError) return response;
            return response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain ? response : null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is DnsResponseException or SocketException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}
