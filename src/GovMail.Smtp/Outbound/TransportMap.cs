using System.Globalization;

namespace GovMail.Smtp.Outbound;

/// <summary>A configured next hop: mail for some domains goes to this host and port instead of their MX.</summary>
public sealed record RelayHost(string Host, int Port)
{
    /// <summary>Reads <c>host</c>, <c>host:port</c>, <c>[ipv6]</c> or <c>[ipv6]:port</c>.</summary>
    public static RelayHost Parse(string text, int defaultPort)
    {
        text = text.Trim();
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0) throw new FormatException($"not a host: {text}");
            host = text[1..close];
            if (close + 1 < text.Length)
                port = text[(close + 1)..].StartsWith(':') ? text[(close + 2)..] : throw new FormatException($"not a host: {text}");
        }
        else
        {
            var colon = text.LastIndexOf(':');
            (host, port) = colon < 0 ? (text, null) : (text[..colon], text[(colon + 1)..]);
        }
        if (host.Length == 0) throw new FormatException($"not a host: {text}");
        var number = defaultPort;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number is < 1 or > 65535))
            throw new FormatException($"not a port: {text}");
        return new RelayHost(host, number);
    }
}

/// <summary>
/// Per-domain routes that override MX lookup: an exact domain, <c>.parent</c> for every subdomain, <c>*</c> (smarthost) for
/// the rest. Domains without an entry go by MX.
/// </summary>
public sealed class TransportMap
{
    private readonly Dictionary<string, RelayHost> _routes;

    private TransportMap(Dictionary<string, RelayHost> routes) => _routes = routes;

    public static TransportMap Parse(IReadOnlyDictionary<string, string> entries, int defaultPort = 25)
    {
        var routes = new Dictionary<string, RelayHost>(StringComparer.OrdinalIgnoreCase);
        foreach (var (domain, target) in entries)
            routes[domain.Trim().TrimEnd('.').ToLowerInvariant()] = RelayHost.Parse(target, defaultPort);
        return new TransportMap(routes);
    }

    /// <summary>The configured next hop for a recipient domain, or null for MX delivery.</summary>
    public RelayHost? Find(string domain)
    {
        domain = domain.TrimEnd('.').ToLowerInvariant();
        if (_routes.TryGetValue(domain, out var exact)) return exact;
        for (var dot = domain.IndexOf('.'); dot >= 0; dot = domain.IndexOf('.', dot + 1))
            if (_routes.TryGetValue(domain[dot..], out var parent)) return parent;
        return _routes.GetValueOrDefault("*");
    }
}
