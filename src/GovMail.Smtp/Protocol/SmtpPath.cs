namespace GovMail.Smtp.Protocol;

/// <summary>
/// The address inside the angle brackets of MAIL FROM or RCPT TO, with any source route dropped (RFC 5321 section 4.1.1.3
/// says to ignore it). <see cref="Address"/> is <c>local@domain</c> as sent, a quoted local part keeps its quotes; the null
/// reverse path <c>&lt;&gt;</c> has an empty address.
/// </summary>
public sealed record SmtpPath(string Address, bool IsNull, bool IsNonAscii)
{
    public static readonly SmtpPath Null = new("", IsNull: true, IsNonAscii: false);
}
