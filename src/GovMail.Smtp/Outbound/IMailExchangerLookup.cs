namespace GovMail.Smtp.Outbound;

/// <summary>Finds the hosts that receive mail for a domain (MX, RFC 5321 §5.1). Behind an interface so tests need no DNS.</summary>
public interface IMailExchangerLookup
{
    Task<MailExchangers> LookupAsync(string domain, CancellationToken ct);
}

/// <summary>The answer of an MX lookup.</summary>
public enum MailExchangerStatus
{
    /// <summary>Hosts to try, best preference first (the domain itself when it has only an address record).</summary>
    Found,
    /// <summary>The domain publishes "MX 0 ." (RFC 7505): it accepts no mail.</summary>
    NullMx,
    /// <summary>The domain does not exist.</summary>
    NoSuchDomain,
    /// <summary>The domain exists but has neither MX nor address records.</summary>
    NoMailServer,
    /// <summary>DNS did not answer (timeout, SERVFAIL): try again later.</summary>
    TemporaryFailure,
}

public sealed record MailExchangers(MailExchangerStatus Status, IReadOnlyList<string> Hosts, string? Detail = null)
{
    public static MailExchangers Of(params string[] hosts) => new(MailExchangerStatus.Found, hosts);
    public static MailExchangers Failed(MailExchangerStatus status, string? detail = null) => new(status, [], detail);
}
