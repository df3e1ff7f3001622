namespace GovMail.Smtp.Protocol;

/// <summary>The ESMTP extensions a session advertises in its EHLO reply; which ones depend on the listener and on TLS.</summary>
[Flags]
public enum SmtpExtensions
{
    None = 0,
    /// <summary>RFC 2920: the client may send several commands before reading the replies.</summary>
    Pipelining = 1 << 0,
    /// <summary>RFC 1870: the maximum message size, and SIZE= on MAIL.</summary>
    Size = 1 << 1,
    /// <summary>RFC 6152: 8-bit message bodies.</summary>
    EightBitMime = 1 << 2,
    /// <summary>RFC 6531: UTF-8 addresses and headers.</summary>
    SmtpUtf8 = 1 << 3,
    /// <summary>RFC 2034: replies carry an enhanced status code such as 5.1.1.</summary>
    EnhancedStatusCodes = 1 << 4,
    /// <summary>RFC 3030: BDAT.</summary>
    Chunking = 1 << 5,
    /// <summary>RFC 3461: delivery status notification parameters.</summary>
    Dsn = 1 << 6,
    /// <summary>RFC 3207: the switch to TLS.</summary>
    StartTls = 1 << 7,
    /// <summary>RFC 4954: AUTH PLAIN and LOGIN.</summary>
    Auth = 1 << 8,
}
