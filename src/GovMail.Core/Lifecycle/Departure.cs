using GovMail.Core.Accounts;

namespace GovMail.Core.Lifecycle;

/// <summary>Why a person's mailbox changes hands or ends (seed 003: chuyển công tác, thôi việc, nghỉ hưu; seed 000: hủy).</summary>
public enum LifecycleKind
{
    /// <summary>Chuyển công tác: the mailbox moves with the person.</summary>
    Transfer,
    /// <summary>Thôi việc.</summary>
    Resignation,
    /// <summary>Nghỉ hưu.</summary>
    Retirement,
    /// <summary>Hủy tài khoản: closed, kept for the retention period, then purged.</summary>
    Cancellation,
}

/// <summary>
/// What happens when an official resigns or retires: login stops at the start of the effective day (Vietnam time), mail to the
/// address is answered automatically and forwarded to the unit's mailbox for a period, then the account is closed.
/// </summary>
public sealed record DeparturePlan(LifecycleKind Kind, DateTimeOffset DisableAt, DateTimeOffset CloseAt, string ForwardTo)
{
    /// <summary>Default length of the forwarding period, in days.</summary>
    public const int DefaultForwardDays = 90;

    /// <summary>The plan for <paramref name="effective"/>; a day in the past or today takes effect now.</summary>
    public static Result<DeparturePlan> For(LifecycleKind kind, Account account, DateOnly? effective, int forwardDays, string forwardTo,
        DateTimeOffset now)
    {
        if (kind is not (LifecycleKind.Resignation or LifecycleKind.Retirement)) throw new ArgumentOutOfRangeException(nameof(kind));
        if (account.State is AccountState.Closed or AccountState.Purged or AccountState.Disabled)
            return Problem.Of("IllegalTransition", AccountLifecycle.Describe(account.State), LifecycleRules.Name(kind));
        if (forwardDays is < 0 or > 3650) return Problem.Of("ForwardDaysOutOfRange", forwardDays);
        if (string.Equals(forwardTo, account.Address, StringComparison.OrdinalIgnoreCase)) return Problem.Of("ForwardToSelf", forwardTo);
        var start = effective is { } day ? LifecycleRules.StartOfDay(day) : now;
        if (start < now) start = now;
        return new DeparturePlan(kind, start, start.AddDays(forwardDays), forwardTo);
    }

    /// <summary>The automatic reply sent to whoever writes to the departed official (Vietnamese first, then English).</summary>
    public string DefaultReply(Account account)
    {
        var day = Time.VietnamTime.Today(DisableAt);
        return Messages.Format(Kind == LifecycleKind.Retirement ? "AutoReplyRetired" : "AutoReplyResigned", Messages.Vietnamese,
                   [account.DisplayName, day, ForwardTo])
               + "\r\n\r\n"
               + Messages.Format(Kind == LifecycleKind.Retirement ? "AutoReplyRetired" : "AutoReplyResigned", Messages.English,
                   [account.DisplayName, day, ForwardTo]);
    }
}

/// <summary>Names and dates shared by the lifecycle workflows.</summary>
public static class LifecycleRules
{
    /// <summary>Default number of days a transferred person's old address keeps delivering as an alias.</summary>
    public const int DefaultOldAddressDays = 180;

    /// <summary>00:00 local time on <paramref name="day"/>, as a UTC instant.</summary>
    public static DateTimeOffset StartOfDay(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Time.VietnamTime.Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>The stable name used in the CLI, the audit log and HR change files.</summary>
    public static string Name(LifecycleKind kind) => kind switch
    {
        LifecycleKind.Transfer => "transfer",
        LifecycleKind.Resignation => "resign",
        LifecycleKind.Retirement => "retire",
        LifecycleKind.Cancellation => "cancel",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Reads the action column of an HR change file: "chuyển công tác", "nghỉ hưu", "thôi việc" (or "nghỉ việc"), "hủy"
    /// (or "hủy tài khoản"), with or without diacritics, or the English names.
    /// </summary>
    public static LifecycleKind? Parse(string text) => Text.VietnameseText.Key(text) switch
    {
        "chuyen cong tac" or "chuyen" or "transfer" or "dieu chuyen" => LifecycleKind.Transfer,
        "nghi huu" or "retire" or "retirement" => LifecycleKind.Retirement,
        "thoi viec" or "nghi viec" or "resign" or "resignation" => LifecycleKind.Resignation,
        "huy" or "huy tai khoan" or "huy hop thu" or "cancel" or "cancellation" => LifecycleKind.Cancellation,
        _ => null,
    };
}
