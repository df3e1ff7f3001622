using GovMail.Core.Mail;
using GovMail.Storage.Mail;
using GovMail.Web.Localization;

namespace GovMail.Web.Mail;

/// <summary>How folders are named and ordered on screen: the standard ones by their role in the user's language
/// (Hộp thư đến, Đã gửi, Thư nháp…), first and in a fixed order; the user's own by name after them.</summary>
public static class FolderLabels
{
    private static readonly MailboxRole[] Order =
        [MailboxRole.Inbox, MailboxRole.Drafts, MailboxRole.Sent, MailboxRole.Archive, MailboxRole.Junk, MailboxRole.Trash];

    public static string Label(MailboxInfo mailbox) => mailbox.Role switch
    {
        MailboxRole.None => mailbox.Name,
        var role => WebText.T("WebFolder" + role),
    };

    /// <summary>A short name for the icon of the folder (a CSS class).</summary>
    public static string Icon(MailboxRole role) => role.ToString().ToLowerInvariant();

    public static IReadOnlyList<MailboxInfo> Sorted(IReadOnlyList<MailboxInfo> mailboxes) =>
        [.. mailboxes.OrderBy(m => m.Role == MailboxRole.None ? Order.Length : Math.Max(0, Array.IndexOf(Order, m.Role)))
            .ThenBy(m => m.Name, StringComparer.Ordinal)];
}
