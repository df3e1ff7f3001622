namespace GovMail.Smtp.Protocol;

/// <summary>The BODY= parameter of MAIL (RFC 6152, RFC 3030).</summary>
public enum SmtpBodyType
{
    /// <summary>No BODY parameter: 7-bit text per RFC 5321.</summary>
    Unspecified,
    SevenBit,
    EightBitMime,
    /// <summary>Binary content, which may only be sent with BDAT; this server does not offer it.</summary>
    BinaryMime,
}
