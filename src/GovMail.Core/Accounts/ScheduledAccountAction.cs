namespace GovMail.Core.Accounts;

/// <summary>
/// A state change decided now and carried out later by the server's scheduler: disabling a departing official's login on the
/// effective day, closing the account when the forwarding period ends.
/// </summary>
public sealed class ScheduledAccountAction
{
    public long Id { get; set; }
    public Guid AccountId { get; set; }
    public AccountAction Action { get; set; }
    public DateTimeOffset DueAt { get; set; }

    /// <summary>The administrator who decided it; the change itself is recorded as done by "system".</summary>
    public required string DecidedBy { get; set; }

    public string? Reason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it was carried out or given up; null while pending.</summary>
    public DateTimeOffset? DoneAt { get; set; }

    /// <summary>"done", or the refusal's code when the account had moved on (closed by hand, say).</summary>
    public string? Outcome { get; set; }
}
