namespace GovMail.Smtp.Protocol;

/// <summary>
/// One parsed command line. Which members are set depends on <see cref="Kind"/>: <see cref="Argument"/> for HELO/EHLO
/// (the client's name), VRFY, HELP and NOOP; <see cref="Path"/> and parameters for MAIL and RCPT; the chunk for BDAT;
/// the mechanism and initial response for AUTH.
/// </summary>
public sealed class SmtpCommand
{
    private SmtpCommand(SmtpCommandKind kind) => Kind = kind;

    public SmtpCommandKind Kind { get; }
    public string? Argument { get; private init; }
    public SmtpPath? Path { get; private init; }
    public MailParameters MailParameters { get; private init; } = MailParameters.None;
    public RecipientParameters RecipientParameters { get; private init; } = RecipientParameters.None;

    /// <summary>BDAT: the octets that follow the command line.</summary>
    public long ChunkSize { get; private init; }

    /// <summary>BDAT ... LAST.</summary>
    public bool IsLastChunk { get; private init; }

    /// <summary>AUTH: the SASL mechanism, upper case.</summary>
    public string? Mechanism { get; private init; }

    /// <summary>AUTH: the initial response as sent (base64, or "=" for an empty one); null when none was given.</summary>
    public string? InitialResponse { get; private init; }

    public static SmtpCommand Simple(SmtpCommandKind kind, string? argument = null) => new(kind) { Argument = argument };
    public static SmtpCommand Mail(SmtpPath path, MailParameters parameters) => new(SmtpCommandKind.Mail) { Path = path, MailParameters = parameters };
    public static SmtpCommand Rcpt(SmtpPath path, RecipientParameters parameters) => new(SmtpCommandKind.Rcpt) { Path = path, RecipientParameters = parameters };
    public static SmtpCommand Bdat(long size, bool last) => new(SmtpCommandKind.Bdat) { ChunkSize = size, IsLastChunk = last };
    public static SmtpCommand Auth(string mechanism, string? initialResponse) => new(SmtpCommandKind.Auth) { Mechanism = mechanism, InitialResponse = initialResponse };

    public override string ToString() => Kind.ToString().ToUpperInvariant();
}
