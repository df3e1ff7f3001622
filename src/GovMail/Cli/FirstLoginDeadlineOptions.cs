using System.CommandLine;
using GovMail.Core;

namespace GovMail.Cli;

/// <summary>
/// <c>--first-login-deadline dd/MM/yyyy</c> or <c>--first-login-days N</c>: a batch's own first-login deadline instead of the
/// tenant's window (seed 001: issued 21/05, changed by 23/05). The deadline is the end of that day in Vietnam.
/// </summary>
public sealed class FirstLoginDeadlineOptions
{
    public Option<string?> Date { get; } = new("--first-login-deadline", "--deadline")
    {
        Description = "Last day to change the temporary password, dd/MM/yyyy (default: the tenant's window) / Hạn đổi mật khẩu lần đầu",
    };

    public Option<int?> Days { get; } = CliOptions.Number("--first-login-days",
        "Days to change the temporary password, from today / Số ngày để đổi mật khẩu lần đầu", 1, 90);

    public void AddTo(Command command)
    {
        command.Options.Add(Date);
        command.Options.Add(Days);
    }

    /// <summary>The deadline asked for, or null for the tenant's default window.</summary>
    public DateTimeOffset? Read(ParseResult result, TimeProvider clock)
    {
        var date = result.GetValue(Date);
        var days = result.GetValue(Days);
        if (date is not null && days is not null) throw new CliException(Problem.Of("FirstLoginDeadlineOptionsConflict"), 2);
        var now = clock.GetUtcNow();
        if (days is { } n) return Core.Time.VietnamTime.EndOfWindow(now, n);
        if (date is null) return null;
        var day = AccountCommands.ParseDate(date);
        var until = Core.Time.VietnamTime.EndOfDay(day);
        return until < now ? throw new CliException(Problem.Of("DeadlineInPast", day), 2) : until;
    }
}
