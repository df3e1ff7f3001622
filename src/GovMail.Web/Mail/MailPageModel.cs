using GovMail.Storage.Mail;
using GovMail.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace GovMail.Web.Mail;

/// <summary>A folder in the side bar with its unread count.</summary>
public sealed record FolderEntry(MailboxInfo Mailbox, int Unread);

/// <summary>
/// The pages of the mail area: the signed-in account and its folders with their unread counts (two narrow queries), loaded
/// before each handler so the layout can draw the side bar.
/// </summary>
public abstract class MailPageModel : PageModel
{
    public WebUser CurrentUser { get; private set; } = null!;
    public IReadOnlyList<FolderEntry> Folders { get; private set; } = [];
    public long? CurrentFolderId { get; protected set; }

    public string Initials
    {
        get
        {
            var words = CurrentUser.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return words.Length switch
            {
                0 => "?",
                1 => words[0][..1].ToUpperInvariant(),
                _ => (words[^2][..1] + words[^1][..1]).ToUpperInvariant(),
            };
        }
    }

    protected MailboxQueries Queries => HttpContext.RequestServices.GetRequiredService<MailboxQueries>();

    public FolderEntry? Folder(Core.Mail.MailboxRole role) => Folders.FirstOrDefault(f => f.Mailbox.Role == role);

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (WebUser.From(User) is not { } user)
        {
            context.Result = new ChallengeResult(WebSessions.Scheme);
            return;
        }
        CurrentUser = user;
        await LoadFoldersAsync();
        await next();
    }

    protected async Task LoadFoldersAsync()
    {
        var ct = HttpContext.RequestAborted;
        var mailboxes = await Queries.ListAsync(CurrentUser.AccountId, ct);
        var unread = await Queries.UnseenCountsAsync(CurrentUser.AccountId, ct);
        Folders = [.. FolderLabels.Sorted(mailboxes).Select(m => new FolderEntry(m, unread.GetValueOrDefault(m.Id)))];
    }

    /// <summary>One unread message of a folder was just marked read here: its count in the side bar goes down without asking again.</summary>
    protected void CountAsRead(long mailboxId) =>
        Folders = [.. Folders.Select(f => f.Mailbox.Id == mailboxId && f.Unread > 0 ? f with { Unread = f.Unread - 1 } : f)];
}
