namespace GovMail.Core.Directory;

/// <summary>
/// Which mail arriving from the Internet a tenant files in the recipient's Junk folder instead of INBOX (cách ly thư đáng ngờ).
/// The first value is the default, so tenants created before the setting existed quarantine DMARC failures.
/// </summary>
public enum InboundQuarantine
{
    /// <summary>Mail that fails DMARC where the From domain asks for quarantine (p=quarantine).</summary>
    Dmarc = 0,
    /// <summary>As <see cref="Dmarc"/>, and also mail whose envelope sender fails SPF ("-all"); forwarded mail may then land in Junk.</summary>
    DmarcAndSpf = 1,
    /// <summary>Nothing: everything accepted goes to INBOX (DMARC p=reject is still refused).</summary>
    Off = 2,
}
