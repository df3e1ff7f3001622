using GovMail.Core.Mail;
using GovMail.Storage.Mail;

namespace GovMail.Migration;

/// <summary>How folders of other mail systems are named in GovMail.</summary>
internal static class FolderNames
{
    /// <summary>The GovMail name of a folder path: its levels joined by GovMail's separator ('/'), a '/' inside a level made '-'.</summary>
    public static string Target(IEnumerable<string> levels) =>
        string.Join(MailStore.Separator, levels.Select(l => l.Replace(MailStore.Separator, '-')));

    /// <summary>The special use the usual top-level names of Exchange, Zimbra, Outlook, Thunderbird and Dovecot stand for.</summary>
    public static MailboxRole RoleOf(string name) => name.ToLowerInvariant() switch
    {
        "inbox" => MailboxRole.Inbox,
        "sent" or "sent items" or "sent messages" or "sent mail" => MailboxRole.Sent,
        "drafts" => MailboxRole.Drafts,
        "trash" or "deleted items" or "deleted messages" => MailboxRole.Trash,
        "junk" or "junk e-mail" or "junk email" or "spam" => MailboxRole.Junk,
        "archive" or "archives" => MailboxRole.Archive,
        _ => MailboxRole.None,
    };
}
