using System.Diagnostics.Metrics;
using GovMail.Core.Usage;

namespace GovMail.Storage.Security;

/// <summary>
/// Logins of every protocol as .NET metrics (published on <c>/metrics</c> by the host): <c>govmail_logins_total</c> by
/// <c>protocol</c> and <c>result</c> (ok, wrong-credentials, locked, disabled, must-change-password, …).
/// </summary>
public static class LoginMetrics
{
    public static readonly Meter Meter = new("GovMail");

    private static readonly Counter<long> Logins = Meter.CreateCounter<long>("logins_total", description: "Login attempts, by protocol and result");

    public static void Record(UsageProtocol protocol, LoginOutcome outcome) =>
        Logins.Add(1, new KeyValuePair<string, object?>("protocol", protocol.ToString().ToLowerInvariant()),
            new KeyValuePair<string, object?>("result", Kebab(outcome.ToString())));

    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
