using System.Diagnostics.Metrics;

namespace GovMail.Smtp;

/// <summary>
/// Mail flow as .NET metrics (published on <c>/metrics</c> by the host): <c>govmail_smtp_messages_total</c> by <c>result</c>
/// (accepted, refused) for messages given to SMTP, and <c>govmail_outbound_recipients_total</c> by <c>result</c> (delivered,
/// deferred, bounced) for each delivery attempt to another domain.
/// </summary>
public static class SmtpMetrics
{
    public static readonly Meter Meter = new("GovMail");

    private static readonly Counter<long> Messages = Meter.CreateCounter<long>("smtp_messages_total", description: "Messages given over SMTP, by result");
    private static readonly Counter<long> Outbound = Meter.CreateCounter<long>("outbound_recipients_total", description: "Outbound delivery attempts per recipient, by result");

    public static void Message(bool accepted) => Messages.Add(1, new KeyValuePair<string, object?>("result", accepted ? "accepted" : "refused"));

    public static void OutboundAttempts(int delivered, int deferred, int bounced)
    {
        if (delivered > 0) Outbound.Add(delivered, new KeyValuePair<string, object?>("result", "delivered"));
        if (deferred > 0) Outbound.Add(deferred, new KeyValuePair<string, object?>("result", "deferred"));
        if (bounced > 0) Outbound.Add(bounced, new KeyValuePair<string, object?>("result", "bounced"));
    }
}
