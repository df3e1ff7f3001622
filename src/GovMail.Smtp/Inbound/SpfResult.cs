namespace GovMail.Smtp.Inbound;

/// <summary>The result of an SPF check (RFC 7208 §2.6), as written in <c>Authentication-Results</c> (lower case).</summary>
public enum SpfResult
{
    /// <summary>No SPF record, or no domain to check.</summary>
    None,
    Neutral,
    Pass,
    /// <summary>The domain says this address may not send for it ("-all").</summary>
    Fail,
    /// <summary>Probably not authorised ("~all").</summary>
    SoftFail,
    /// <summary>A DNS timeout or server failure; trying later may give a real answer.</summary>
    TempError,
    /// <summary>The published record cannot be used: bad syntax, several records, over the lookup limits.</summary>
    PermError,
}

/// <summary>What an SPF check found: the result, the domain it was about and, when it went wrong, why (for the log and the header comment).</summary>
public sealed record SpfCheck(SpfResult Result, string Domain, string? Problem = null);
