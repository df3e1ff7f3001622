namespace GovMail.Smtp.Protocol;

/// <summary>The ESMTP parameters of MAIL FROM. DSN values (ENVID) are kept in their xtext form, as sent.</summary>
public sealed record MailParameters
{
    public static readonly MailParameters None = new();

    /// <summary>SIZE=: the client's estimate of the message size; 0 when not given.</summary>
    public long Size { get; init; }

    public SmtpBodyType Body { get; init; }

    /// <summary>SMTPUTF8: addresses and headers may be UTF-8.</summary>
    public bool SmtpUtf8 { get; init; }

    /// <summary>RET=FULL or RET=HDRS.</summary>
    public string? Return { get; init; }

    /// <summary>ENVID=, xtext-encoded.</summary>
    public string? EnvelopeId { get; init; }

    /// <summary>AUTH=: the original submitter (RFC 4954 section 5), xtext-encoded, or "&lt;&gt;". Recorded, not trusted.</summary>
    public string? Auth { get; init; }
}
