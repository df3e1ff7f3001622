using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace GovMail.Net;

/// <summary>
/// Connection figures of every listener, as .NET metrics (the host publishes them on <c>/metrics</c> in Prometheus format):
/// <c>govmail_connections_total</c> (accepted) and <c>govmail_connections_active</c>, by <c>listener</c>
/// (smtp, submission, submissions, imap, imaps).
/// </summary>
public static class NetMetrics
{
    public static readonly Meter Meter = new("GovMail");

    private static readonly Counter<long> Accepted = Meter.CreateCounter<long>("connections_total", description: "Connections accepted, by listener");
    private static readonly UpDownCounter<long> Active = Meter.CreateUpDownCounter<long>("connections_active", description: "Connections open now, by listener");

    public static void Opened(string listener)
    {
        var tag = new KeyValuePair<string, object?>("listener", listener);
        Accepted.Add(1, tag);
        Active.Add(1, tag);
    }

    public static void Closed(string listener) => Active.Add(-1, new KeyValuePair<string, object?>("listener", listener));
}
