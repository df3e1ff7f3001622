namespace GovMail.Smtp.Outbound;

/// <summary>
/// Settings of the outbound relay (section <c>Outbound</c>: <c>GOVMAIL__OUTBOUND__…</c>). None is needed: by default mail
/// goes to each domain's MX hosts on port 25.
/// </summary>
public sealed class OutboundRelayOptions
{
    /// <summary>The name this server gives in EHLO and as Reporting-MTA; by default the machine's host name.</summary>
    public string HostName { get; set; } = System.Net.Dns.GetHostName();

    /// <summary>
    /// Where mail for a domain goes instead of its MX: <c>"example.org": "mx.example.org:2525"</c>; <c>".example.org"</c> also
    /// covers its subdomains; <c>"*"</c> is the smarthost for every other domain. The port defaults to 25.
    /// </summary>
    public Dictionary<string, string> Transports { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Logins for next hops that require SMTP AUTH, by host name as written in <see cref="Transports"/>:
    /// <c>"smtp.relay.gov.vn": { "User": "govmail", "Password": "…" }</c>. Such a host must offer STARTTLS.
    /// </summary>
    public Dictionary<string, RelayLogin> Logins { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The port of MX hosts (25; tests point it elsewhere).</summary>
    public int MxPort { get; set; } = 25;

    /// <summary>Waits between attempts, e.g. "5m 10m 30m 1h 2h 4h"; the last repeats.</summary>
    public string RetryDelays { get; set; } = RetrySchedule.DefaultDelays;

    /// <summary>How long a message may wait before it fails and the sender is told (5 days).</summary>
    public TimeSpan MaxQueueTime { get; set; } = TimeSpan.FromDays(5);

    /// <summary>After this long without delivery the sender is told once that the message is delayed; zero turns it off.</summary>
    public TimeSpan DelayNoticeAfter { get; set; } = TimeSpan.FromHours(4);

    /// <summary>How often <see cref="OutboundRelay.RunAsync"/> looks for due messages when nobody wakes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a relay owns a message it took; another node takes it over only after this. Must exceed the longest attempt
    /// (every host of every destination timing out).
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Messages taken per pass, and how many of them are delivered at the same time.</summary>
    public int BatchSize { get; set; } = 50;
    public int MaxParallelMessages { get; set; } = 8;

    /// <summary>The login for a next hop, if one is configured.</summary>
    public RelayLogin? LoginFor(string host) => Logins.GetValueOrDefault(host.Trim().TrimEnd('.'));

    /// <summary>How long to wait for a remote server's answer to one command.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>With RET=FULL the whole message goes back in a failure notice only up to this size; larger ones get their headers.</summary>
    public long FullReturnLimit { get; set; } = 1024 * 1024;

    /// <summary>Finished messages stay listed (<c>govmail queue list --all</c>) this long.</summary>
    public TimeSpan KeepFinishedFor { get; set; } = TimeSpan.FromDays(7);

    public RetrySchedule Schedule() => new(RetrySchedule.ParseDelays(RetryDelays), MaxQueueTime);

    /// <summary>Refuses settings the relay cannot work with; the message names the setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(HostName)) throw new ArgumentException("Outbound:HostName is empty");
        if (Lease <= TimeSpan.Zero) throw new ArgumentException("Outbound:Lease must be positive");
        if (PollInterval <= TimeSpan.Zero) throw new ArgumentException("Outbound:PollInterval must be positive");
        if (BatchSize < 1 || MaxParallelMessages < 1) throw new ArgumentException("Outbound:BatchSize and Outbound:MaxParallelMessages must be at least 1");
        if (MaxQueueTime <= TimeSpan.Zero) throw new ArgumentException("Outbound:MaxQueueTime must be positive");
        _ = Schedule();
        _ = TransportMap.Parse(Transports);
        foreach (var (host, login) in Logins)
            if (string.IsNullOrWhiteSpace(login.User) || string.IsNullOrEmpty(login.Password))
                throw new ArgumentException($"Outbound:Logins:{host} needs both User and Password");
    }
}
