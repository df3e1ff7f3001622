namespace GovMail.Smtp.Protocol;

/// <summary>The SMTP commands the server understands (RFC 5321 and the extensions it offers).</summary>
public enum SmtpCommandKind
{
    Helo,
    Ehlo,
    Mail,
    Rcpt,
    Data,
    /// <summary>RFC 3030 CHUNKING.</summary>
    Bdat,
    Rset,
    Noop,
    Quit,
    Vrfy,
    /// <summary>Understood only to be refused: it would list a group's members to anyone.</summary>
    Expn,
    Help,
    /// <summary>RFC 3207.</summary>
    StartTls,
    /// <summary>RFC 4954.</summary>
    Auth,
}
