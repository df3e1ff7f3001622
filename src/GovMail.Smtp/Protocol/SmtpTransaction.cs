namespace GovMail.Smtp.Protocol;

/// <summary>One mail transaction: from MAIL to the end of DATA or BDAT LAST (or RSET).</summary>
internal sealed class SmtpTransaction(SmtpPath from, MailParameters parameters)
{
    public SmtpPath From { get; } = from;
    public MailParameters Parameters { get; } = parameters;
    public List<SmtpRecipient> Recipients { get; } = [];

    /// <summary>The message file, open while BDAT chunks arrive.</summary>
    public MessageSpool? Spool { get; set; }

    /// <summary>A BDAT chunk was accepted: DATA and RCPT are now out of sequence (RFC 3030 section 3).</summary>
    public bool Chunking { get; set; }

    public bool SmtpUtf8 => Parameters.SmtpUtf8;

    public bool HasRecipient(string address)
    {
        foreach (var recipient in Recipients)
        {
            if (string.Equals(recipient.Address, address, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
