namespace GovMail.Core.Audit;

/// <summary>The actors the audit log and the account history name besides people.</summary>
public static class AuditActor
{
    /// <summary>The system itself (hệ thống): scheduled jobs, automatic locks and reminders, the first administrator.</summary>
    public const string System = "system";
}
