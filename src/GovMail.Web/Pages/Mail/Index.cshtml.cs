using GovMail.Core.Mail;
using GovMail.Storage.Mail;
using GovMail.Web.Mail;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Mail;

/// <summary>A folder's message list (danh sách thư): newest first, a page at a time, optionally only the unread.</summary>
public sealed class IndexModel(TimeProvider clock) : MailPageModel
{
    public const int PageSize = 25;

    [FromRoute]
    public long? MailboxId { get; set; }

    [FromQuery(Name = "trang")]
    public int PageNumber { get; set; } = 1;

    [FromQuery(Name = "chua-doc")]
    public bool UnreadOnly { get; set; }

    [FromQuery(Name = "da-gui")]
    public bool JustSent { get; set; }

    [FromQuery(Name = "doi-mat-khau")]
    public bool PasswordChanged { get; set; }

    public FolderEntry Current { get; private set; } = null!;
    public MessagePage Messages { get; private set; } = new(0, []);
    public int PageCount => Math.Max(1, (Messages.Total + PageSize - 1) / PageSize);
    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task<IActionResult> OnGetAsync()
    {
        var folder = MailboxId is { } id ? Folders.FirstOrDefault(f => f.Mailbox.Id == id) : Folder(MailboxRole.Inbox);
        if (folder is null) return NotFound();
        Current = folder;
        CurrentFolderId = folder.Mailbox.Id;
        PageNumber = Math.Max(1, PageNumber);
        Messages = await Queries.ListPageAsync(folder.Mailbox.Id, (PageNumber - 1) * PageSize, PageSize, UnreadOnly, HttpContext.RequestAborted);
        return Page();
    }

    public string PageUrl(int page, bool unread) =>
        $"/thu/{Current.Mailbox.Id}" + (page > 1 || unread ? "?" : "") + (page > 1 ? $"trang={page}" : "") + (page > 1 && unread ? "&" : "") + (unread ? "chua-doc=true" : "");

    /// <summary>The person shown in a row: the recipient in Sent and Drafts would be nicer, the sender for now.</summary>
    public static string Sender(MessageListItem m) =>
        string.IsNullOrWhiteSpace(m.FromName) ? m.FromAddress ?? "" : m.FromName;
}
