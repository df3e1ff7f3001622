namespace GovMail.Smtp.Protocol;

/// <summary>A parsed command, or the reply that explains why the line is not one.</summary>
public readonly struct SmtpParseResult
{
    private SmtpParseResult(SmtpCommand? command, SmtpReply? error, SmtpCommandKind? kind)
    {
        Command = command;
        Error = error;
        Kind = kind;
    }

    public SmtpCommand? Command { get; }
    public SmtpReply? Error { get; }

    /// <summary>The command the line named, when the verb was recognised (even if its arguments were not).</summary>
    public SmtpCommandKind? Kind { get; }

    public static SmtpParseResult Ok(SmtpCommand command) => new(command, null, command.Kind);
    public static SmtpParseResult Fail(SmtpReply error, SmtpCommandKind? kind) => new(null, error, kind);
}
