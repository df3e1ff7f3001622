namespace GovMail.Core.Accounts;

/// <summary>
/// A person assigned to keep a unit's collective mailbox (người được giao quản lý hộp thư đơn vị, seed 003): they open it
/// in IMAP, SMTP and the web with their own password, and everything they do there is attributed to them.
/// </summary>
public sealed class MailboxKeeper
{
    public long Id { get; set; }

    /// <summary>The collective mailbox kept.</summary>
    public Guid MailboxAccountId { get; set; }

    /// <summary>The individual account of the keeper.</summary>
    public Guid KeeperAccountId { get; set; }

    public required string AssignedBy { get; set; }
    public DateTimeOffset AssignedAt { get; set; }
}

/// <summary>
/// How a keeper names the mailbox they open with their own password: <c>MAILBOX*KEEPER</c> as the user name (the
/// convention Dovecot's master users made common, which every mail program can type), or the SASL PLAIN authorization
/// identity (RFC 4616) set to the mailbox.
/// </summary>
public static class DelegatedLogin
{
    public const char Separator = '*';

    /// <summary>Splits <c>unit@x*keeper@x</c>; false for an ordinary user name.</summary>
    public static bool TrySplit(string user, out string mailbox, out string keeper)
    {
        var at = user.IndexOf(Separator);
        mailbox = keeper = "";
        if (at <= 0 || at == user.Length - 1 || user.IndexOf(Separator, at + 1) >= 0) return false;
        mailbox = user[..at];
        keeper = user[(at + 1)..];
        return true;
    }
}
