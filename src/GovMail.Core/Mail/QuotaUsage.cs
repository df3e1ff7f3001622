namespace GovMail.Core.Mail;

/// <summary>How much of its quota an account uses, kept up to date by every delivery, append and expunge.</summary>
public sealed class QuotaUsage
{
    public Guid AccountId { get; set; }
    public long UsedBytes { get; set; }
    public long MessageCount { get; set; }
}
