using System.Net;
using System.Net.Sockets;

namespace GovMail.Smtp.Inbound;

/// <summary>How one DNS question ended, in the terms SPF, DKIM and DMARC need.</summary>
public enum DnsLookupStatus
{
    /// <summary>At least one record of the asked type.</summary>
    Found,
    /// <summary>NXDOMAIN, or the name exists without records of that type: a "void lookup" for SPF (RFC 7208 §4.6.4).</summary>
    NotFound,
    /// <summary>Timeout, SERVFAIL or no answer at all: a temporary error, never a hang.</summary>
    Failed,
}

/// <summary>The records one DNS question returned, or why there are none.</summary>
public sealed record DnsAnswer<T>(DnsLookupStatus Status, IReadOnlyList<T> Records)
{
    public static readonly DnsAnswer<T> NotFound = new(DnsLookupStatus.NotFound, []);
    public static readonly DnsAnswer<T> Failed = new(DnsLookupStatus.Failed, []);

    public static DnsAnswer<T> Of(IReadOnlyList<T> records) => records.Count == 0 ? NotFound : new(DnsLookupStatus.Found, records);
}

/// <summary>
/// The DNS questions the inbound checks ask. The server answers them with <see cref="DnsClientResolver"/>; tests with a
/// fixed in-memory zone. Implementations bound every question in time and report a timeout as <see cref="DnsLookupStatus.Failed"/>.
/// </summary>
public interface IDnsResolver
{
    /// <summary>TXT records at <paramref name="name"/>, each one's character-strings joined (RFC 7208 §3.3, RFC 6376 §3.6.2.2).</summary>
    Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct);

    /// <summary>A (<see cref="AddressFamily.InterNetwork"/>) or AAAA (<see cref="AddressFamily.InterNetworkV6"/>) records.</summary>
    Task<DnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken ct);

    /// <summary>The exchange host names of the MX records, lowest preference first.</summary>
    Task<DnsAnswer<string>> MxAsync(string name, CancellationToken ct);

    /// <summary>The host names of the PTR records of an address (reverse lookup).</summary>
    Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct);
}
