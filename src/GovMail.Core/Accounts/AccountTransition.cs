namespace GovMail.Core.Accounts;

/// <summary>
/// One entry of an account's history: a state change or another lifecycle event (transfer, password reset,
/// profile change), with who did it, when and why.
/// </summary>
public sealed class AccountTransition
{
    public long Id { get; set; }
    public Guid AccountId { get; set; }
    public required string Event { get; set; }
    public AccountState? FromState { get; set; }
    public AccountState? ToState { get; set; }

    /// <summary>Address of the administrator, or "system" for scheduled jobs, or the holder themself.</summary>
    public required string Actor { get; set; }

    public string? Reason { get; set; }
    public DateTimeOffset At { get; set; }
}
