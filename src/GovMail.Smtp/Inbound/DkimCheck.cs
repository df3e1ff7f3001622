namespace GovMail.Smtp.Inbound;

/// <summary>The result of verifying one DKIM signature, as <c>Authentication-Results</c> names it (RFC 8601 §2.7.1).</summary>
public enum DkimResult
{
    /// <summary>The message is not signed.</summary>
    None,
    Pass,
    /// <summary>The signature does not verify: the message was changed, or signed with another key.</summary>
    Fail,
    /// <summary>The signature cannot be used (unknown algorithm, key too short or the signature expired).</summary>
    Neutral,
    /// <summary>The key could not be fetched for now.</summary>
    TempError,
    /// <summary>The signature or its key is malformed or missing.</summary>
    PermError,
}

/// <summary>One signature's result, with the signing domain (d=), selector (s=) and the start of b= that tell signatures apart.</summary>
public sealed record DkimCheck(DkimResult Result, string? Domain = null, string? Selector = null, string? Signature = null, string? Problem = null);
