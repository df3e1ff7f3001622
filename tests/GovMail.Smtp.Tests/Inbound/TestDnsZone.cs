using System.Net;
using DnsClient;
using System.Net.Sockets;
using GovMail.Smtp.Dkim;
using GovMail.Smtp.Inbound;

namespace GovMail.Smtp.Tests.Inbound;

/// <summary>
/// A fixed DNS zone in memory for the inbound checks: TXT, A, AAAA, MX and PTR records by name, names whose lookups fail
/// (as a timeout or SERVFAIL would), and the questions asked, in order.
/// </summary>
internal sealed class TestDnsZone : IDnsResolver
{
    private readonly Dictionary<(string Name, string Type), List<string>> _records = [];
    private readonly HashSet<string> _failing = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _hanging = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Questions { get; } = [];

    public TestDnsZone Txt(string name, params string[] values) => Add(name, "TXT", values);

    public TestDnsZone A(string name, params string[] addresses) =>
        Add(name, "A", addresses.Where(a => IPAddress.Parse(a).AddressFamily == AddressFamily.InterNetwork).ToArray())
            .Add(name, "AAAA", addresses.Where(a => IPAddress.Parse(a).AddressFamily == AddressFamily.InterNetworkV6).ToArray());

    public TestDnsZone Mx(string name, params string[] hosts) => Add(name, "MX", hosts);

    public TestDnsZone Ptr(string address, params string[] names) => Add(IPAddress.Parse(address).GetArpaName(), "PTR", names);

    public TestDnsZone Publish(DkimDnsRecord record) => Txt(record.Name, string.Concat(record.Strings));

    /// <summary>Every lookup of this name fails (a timeout, as far as the checks can tell).</summary>
    public TestDnsZone Fail(string name)
    {
        _failing.Add(name.TrimEnd('.'));
        return this;
    }

    /// <summary>Lookups of this name never get an answer; they end only when the asker gives up (cancels).</summary>
    public TestDnsZone Hang(string name)
    {
        _hanging.Add(name.TrimEnd('.'));
        return this;
    }

    private TestDnsZone Add(string name, string type, string[] values)
    {
        if (values.Length == 0) return this;
        var key = (name.TrimEnd('.').ToLowerInvariant(), type);
        if (!_records.TryGetValue(key, out var list)) _records[key] = list = [];
        list.AddRange(values);
        return this;
    }

    private DnsAnswer<T> Answer<T>(string name, string type, Func<string, T> parse)
    {
        name = name.TrimEnd('.').ToLowerInvariant();
        lock (Questions) Questions.Add($"{type} {name}");
        if (_failing.Contains(name)) return DnsAnswer<T>.Failed;
        return _records.TryGetValue((name, type), out var values) ? DnsAnswer<T>.Of(values.Select(parse).ToList()) : DnsAnswer<T>.NotFound;
    }

    private async Task<DnsAnswer<T>> AskAsync<T>(string name, string type, Func<string, T> parse, CancellationToken ct)
    {
        var answer = Answer(name, type, parse);
        if (_hanging.Contains(name.TrimEnd('.'))) await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        return answer;
    }

    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct) => AskAsync(name, "TXT", v => v, ct);

    public Task<DnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken ct) =>
        AskAsync(name, family == AddressFamily.InterNetworkV6 ? "AAAA" : "A", IPAddress.Parse, ct);

    public Task<DnsAnswer<string>> MxAsync(string name, CancellationToken ct) => AskAsync(name, "MX", v => v, ct);

    public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct) => AskAsync(address.GetArpaName(), "PTR", v => v, ct);
}
