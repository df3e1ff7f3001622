namespace GovMail.Core.Mail;

/// <summary>
/// What happens to mail for an account during a period besides (or instead of) filing it: forwarding to another address and
/// an automatic reply. Lifecycle workflows set one for a departed official (thư trả lời tự động, chuyển tiếp đến hộp thư đơn vị);
/// the delivery pipeline consults it.
/// </summary>
public sealed class DeliveryRule
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid AccountId { get; set; }

    /// <summary>Address mail is forwarded to, or null.</summary>
    public string? ForwardTo { get; set; }

    /// <summary>File a copy in the account's own INBOX as well, even while its login is disabled (the agency's record).</summary>
    public bool KeepCopy { get; set; } = true;

    public string? AutoReplySubject { get; set; }
    public string? AutoReplyBody { get; set; }

    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset EndsAt { get; set; }

    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? Reason { get; set; }

    public bool IsActive(DateTimeOffset now) => StartsAt <= now && now < EndsAt;
}

/// <summary>One automatic reply sent, so a sender hears it once per rule and period (RFC 3834 section 2).</summary>
public sealed class AutoReplySent
{
    public long Id { get; set; }
    public Guid RuleId { get; set; }
    public required string Sender { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>
/// When an automatic reply may be sent (RFC 3834): never to a bounce (empty return path), a mailer daemon or a list,
/// never to mail that is itself automatic, and at most once per sender in <see cref="ReplyInterval"/>.
/// </summary>
public static class AutoReplyRule
{
    public static readonly TimeSpan ReplyInterval = TimeSpan.FromDays(7);

    /// <param name="returnPath">The envelope sender (MAIL FROM), empty for a bounce.</param>
    /// <param name="header">The received message's header field by name, or null when absent.</param>
    public static bool MayReply(string? returnPath, Func<string, string?> header)
    {
        if (string.IsNullOrWhiteSpace(returnPath)) return false;
        var local = returnPath.Split('@')[0].ToLowerInvariant();
        if (local is "mailer-daemon" or "postmaster" or "noreply" or "no-reply" or "donotreply" or "do-not-reply"
            || local.StartsWith("owner-", StringComparison.Ordinal) || local.EndsWith("-request", StringComparison.Ordinal))
            return false;
        if (header("Auto-Submitted") is { } auto && !auto.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase)) return false;
        if (header("Precedence") is { } p && p.Trim().ToLowerInvariant() is "bulk" or "list" or "junk") return false;
        if (header("List-Id") is not null || header("List-Unsubscribe") is not null) return false;
        if (header("X-Auto-Response-Suppress") is { } s && (s.Contains("OOF", StringComparison.OrdinalIgnoreCase) || s.Contains("All", StringComparison.OrdinalIgnoreCase)))
            return false;
        return true;
    }
}
