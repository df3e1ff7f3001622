using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using GovMail.Core.Mail;
using GovMail.Storage.Database;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Prometheus;

namespace GovMail.Hosting;

/// <summary>
/// <c>/metrics</c> (Prometheus text) and <c>/readyz</c>. The protocols count with .NET instruments of the meter "GovMail"
/// (connections, SMTP messages, outbound recipients, logins), which this class forwards to prometheus-net as
/// <c>govmail_NAME</c> with the measurements' tags as labels (counters stay counters, up-down counters become gauges); the
/// queue, storage and account gauges are read from the database when scraped (at most every 15 s); HTTP request durations
/// come from prometheus-net's middleware.
/// </summary>
public static class MetricsEndpoints
{
    private static readonly Gauge Queue = Metrics.CreateGauge("govmail_queue_messages", "Messages waiting in the outbound queue");
    private static readonly Gauge Storage = Metrics.CreateGauge("govmail_storage_used_bytes", "Octets of mail stored, over all mailboxes");
    private static readonly Gauge Accounts = Metrics.CreateGauge("govmail_accounts", "Mail accounts");
    private static DateTimeOffset _readAt = DateTimeOffset.MinValue;
    private static readonly ConcurrentDictionary<Instrument, Action<long, string[]>> Forwarders = new();
    private static MeterListener? _listener;

    /// <summary>Starts forwarding the GovMail instruments (once per process).</summary>
    private static void ForwardInstruments()
    {
        if (Interlocked.CompareExchange(ref _listener, new MeterListener(), null) is not null) return;
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "GovMail") l.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var labels = new string[tags.Length];
            for (var i = 0; i < tags.Length; i++) labels[i] = tags[i].Value?.ToString() ?? "";
            Forwarders.GetOrAdd(instrument, Forwarder, tags.ToArray().Select(t => t.Key).ToArray())(value, labels);
        });
        _listener.Start();
    }

    private static Action<long, string[]> Forwarder(Instrument instrument, string[] labelNames)
    {
        var name = "govmail_" + instrument.Name;
        var help = instrument.Description ?? instrument.Name;
        if (instrument is UpDownCounter<long>)
        {
            var gauge = Metrics.CreateGauge(name, help, labelNames);
            return (value, labels) => gauge.WithLabels(labels).Inc(value);
        }
        var counter = Metrics.CreateCounter(name, help, labelNames);
        return (value, labels) => counter.WithLabels(labels).Inc(value);
    }

    public static void Map(WebApplication app, GovMailDatabase database, TimeProvider clock)
    {
        ForwardInstruments();
        Metrics.DefaultRegistry.AddBeforeCollectCallback(async ct =>
        {
            var now = clock.GetUtcNow();
            if (now - _readAt < TimeSpan.FromSeconds(15)) return;
            _readAt = now;
            await using var db = database.Open();
            Queue.Set(await db.Outbound.CountAsync(m => m.State == OutboundState.Queued, ct));
            Storage.Set(await db.QuotaUsage.SumAsync(q => (long?)q.UsedBytes, ct) ?? 0);
            Accounts.Set(await db.Accounts.CountAsync(ct));
        });
        app.UseHttpMetrics();
        app.MapMetrics("/metrics");
        // Ready: started, and the database answers (a node without its database must be taken out of the balancer).
        app.MapGet("/readyz", async (CancellationToken ct) =>
        {
            if (!app.Lifetime.ApplicationStarted.IsCancellationRequested || app.Lifetime.ApplicationStopping.IsCancellationRequested)
                return Results.Json(new { status = "not-ready", reason = "starting or stopping" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            try
            {
                await using var db = database.Open();
                await db.Tenants.AsNoTracking().AnyAsync(ct);
                return Results.Json(new { status = "ready" });
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                return Results.Json(new { status = "not-ready", reason = "database: " + e.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
    }
}
