namespace GovMail.Smtp.Protocol;

/// <summary>The ESMTP parameters of RCPT TO (RFC 3461 DSN), kept as sent.</summary>
public sealed record RecipientParameters
{
    public static readonly RecipientParameters None = new();

    /// <summary>NOTIFY=NEVER or a comma-separated list of SUCCESS, FAILURE, DELAY (upper case).</summary>
    public string? Notify { get; init; }

    /// <summary>ORCPT=addr-type;xtext, as sent.</summary>
    public string? OriginalRecipient { get; init; }
}
