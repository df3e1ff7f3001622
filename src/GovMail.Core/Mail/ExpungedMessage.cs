namespace GovMail.Core.Mail;

/// <summary>
/// A message that left a mailbox (expunged or moved away): its UID and the MODSEQ of the change. Kept so an IMAP
/// client that reconnects with QRESYNC learns exactly which of the UIDs it knew are gone (VANISHED (EARLIER)), even
/// after a restart.
/// </summary>
public sealed class ExpungedMessage
{
    public long MailboxId { get; set; }
    public uint Uid { get; set; }
    public long ModSeq { get; set; }
}
