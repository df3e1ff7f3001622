namespace GovMail.Core.Usage;

/// <summary>
/// One account's use on one local day in Asia/Ho_Chi_Minh (thống kê theo ngày), folded from its <see cref="UsageEvent"/>s.
/// Reports read these rows, never the raw events.
/// </summary>
public sealed class UsageDay
{
    public Guid AccountId { get; set; }
    public DateOnly Day { get; set; }
    public int Logins { get; set; }
    public int FailedLogins { get; set; }
    public int Sent { get; set; }
    public int Received { get; set; }
    public int Read { get; set; }
    public int Webmail { get; set; }

    /// <summary>The protocols used for activity that day, one bit per <see cref="UsageProtocol"/> (1 &lt;&lt; protocol).</summary>
    public int Protocols { get; set; }

    /// <summary>First and last activity of the day (logins, sent, read, webmail); null when the day had none.</summary>
    public DateTimeOffset? FirstAt { get; set; }

    public DateTimeOffset? LastAt { get; set; }

    public bool IsActive => Logins + Sent + Read + Webmail > 0;

    public DailyActivity Activity => new(Day, Logins, Sent, Read, Webmail);

    /// <summary>Whether activity that day came through <paramref name="protocol"/>.</summary>
    public bool Used(UsageProtocol protocol) => (Protocols & (1 << (int)protocol)) != 0;
}

/// <summary>
/// One account's active days in one month as bit masks (bit d−1 for day d), folded together with the daily rows: a
/// quarter's report reads three small rows per account and applies the working calendar itself, so a change of holidays
/// needs no refold.
/// </summary>
public sealed class UsageMonth
{
    public Guid AccountId { get; set; }

    /// <summary>The month as <c>yyyymm</c>, e.g. 202403.</summary>
    public int Month { get; set; }

    /// <summary>Days with activity (login, sent, read, webmail).</summary>
    public int ActiveDays { get; set; }

    /// <summary>Days with a message sent or read.</summary>
    public int MailDays { get; set; }

    public MonthActivity Activity => new(Month / 100, Month % 100, ActiveDays, MailDays);
}

/// <summary>How far the usage events have been folded into <see cref="UsageDay"/> rows: one row, id 1.</summary>
public sealed class UsageFoldState
{
    public int Id { get; set; }

    /// <summary>The id of the last event folded; events above it are pending.</summary>
    public long LastEventId { get; set; }

    public DateTimeOffset? FoldedAt { get; set; }
}

/// <summary>An account's first and last active local day over all folded history (for "never activated" and non-use).</summary>
public sealed class UsageAccountSummary
{
    public Guid AccountId { get; set; }
    public DateOnly FirstActiveOn { get; set; }
    public DateOnly LastActiveOn { get; set; }
}

/// <summary>
/// A span during which a person is not judged (miễn đánh giá): long leave, maternity leave, secondment, recorded by an
/// administrator with a reason.
/// </summary>
public sealed class UsageExemption
{
    public long Id { get; set; }
    public Guid AccountId { get; set; }
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
    public ExemptionKind Kind { get; set; }
    public required string Reason { get; set; }
    public required string RecordedBy { get; set; }
    public DateTimeOffset RecordedAt { get; set; }

    public ExemptSpan Span => new(From, To, Kind);
}

/// <summary>What a reviewer decided for one line of a governance list.</summary>
public enum GovernanceDecisionKind
{
    /// <summary>Áp dụng: the consequence is applied (grade down, cancellation proposed).</summary>
    Apply,
    /// <summary>Miễn: not applied, with a reason.</summary>
    Exempt,
}

/// <summary>An HR reviewer's decision on one line of a quarter's governance list (quyết định của bộ phận tổ chức).</summary>
public sealed class GovernanceDecision
{
    public long Id { get; set; }

    /// <summary>The quarter of the list, <c>2024-Q1</c>.</summary>
    public required string Quarter { get; set; }

    public GovernanceList List { get; set; }
    public Guid AccountId { get; set; }
    public GovernanceDecisionKind Decision { get; set; }
    public string? Reason { get; set; }
    public required string DecidedBy { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
}

/// <summary>A reminder (nhắc nhở) sent to a person for not using the mailbox; it counts in the governance lists (seed 001 mục 7).</summary>
public sealed class UsageReminder
{
    public long Id { get; set; }
    public Guid AccountId { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>The period the reminder was about, <c>2024-03</c> or <c>2024-Q1</c>.</summary>
    public required string Period { get; set; }

    /// <summary>"system" for the automatic reminder mail, otherwise the administrator.</summary>
    public required string SentBy { get; set; }

    public string? Note { get; set; }
}
