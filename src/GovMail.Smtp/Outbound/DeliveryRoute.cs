namespace GovMail.Smtp.Outbound;

/// <summary>
/// How mail for one recipient domain leaves: the hosts to try in order on one port, or why it cannot leave at all (a refusal
/// that applies to every recipient of the domain).
/// </summary>
public sealed record DeliveryRoute(IReadOnlyList<string> Hosts, int Port, RelayReply? Refusal = null)
{
    /// <summary>Domains with the same key share one connection.</summary>
    public string Key => Refusal is null ? string.Join(',', Hosts).ToLowerInvariant() + ":" + Port : "refused:" + Refusal;

    public static DeliveryRoute Refused(RelayReply refusal) => new([], 0, refusal);
}

/// <summary>Chooses the route of a recipient domain: the transport map first, then MX.</summary>
public sealed class OutboundRouter(TransportMap transports, IMailExchangerLookup mailExchangers, int mxPort)
{
    public async Task<DeliveryRoute> RouteAsync(string domain, CancellationToken ct)
    {
        if (transports.Find(domain) is { } relay) return new DeliveryRoute([relay.Host], relay.Port);
        var mx = await mailExchangers.LookupAsync(domain, ct);
        return mx.Status switch
        {
            MailExchangerStatus.Found when mx.Hosts.Count > 0 => new DeliveryRoute(mx.Hosts, mxPort),
            MailExchangerStatus.NullMx => DeliveryRoute.Refused(RelayReply.Local("5.1.10", $"{domain} accepts no mail (null MX)")),
            MailExchangerStatus.NoSuchDomain => DeliveryRoute.Refused(RelayReply.Local("5.1.2", $"domain {domain} does not exist")),
            MailExchangerStatus.NoMailServer or MailExchangerStatus.Found =>
                DeliveryRoute.Refused(RelayReply.Local("5.1.2", $"domain {domain} has no mail server")),
            _ => DeliveryRoute.Refused(RelayReply.Local("4.4.3", $"DNS lookup of {domain} failed" + (mx.Detail is { } d ? $": {d}" : ""))),
        };
    }
}
