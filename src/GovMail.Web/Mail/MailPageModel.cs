using GovMail.Storage.Directory;
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
    /// <summary>The person signed in.</summary>
    public WebUser CurrentUser { get; private set; } = null!;

    /// <summary>
    /// The mailbox the mail pages show and send from: the person's own, or the unit mailbox they keep and switched to
    /// (<see cref="WebUser.Kept"/>), which names them as its <see cref="WebUser.Keeper"/>.
    /// </summary>
    public WebUser Mailbox => CurrentUser.Mailbox;

    /// <summary>The unit mailboxes the person keeps (hộp thư đơn vị được giao quản lý), to switch to.</summary>
    public IReadOnlyList<string> KeptMailboxes { get; private set; } = [];
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
        var keepers = HttpContext.RequestServices.GetRequiredService<MailboxKeepers>();
        KeptMailboxes = [.. (await keepers.ListAsync(user.Address, HttpContext.RequestAborted)).Value?.Where(k => k.Keeper == user.Address)
            .Select(k => k.Mailbox) ?? []];
        await next();
    }

    protected async Task LoadFoldersAsync()
    {
        var ct = HttpContext.RequestAborted;
        var mailboxes = await Queries.ListAsync(Mailbox.AccountId, ct);
        var unread = await Queries.UnseenCountsAsync(Mailbox.AccountId, ct);
        Folders = [.. FolderLabels.Sorted(mailboxes).Select(m => new FolderEntry(m, unread.GetValueOrDefault(m.Id)))];
    }

    /// <summary>One unread message of a folder was just marked read here: its count in the side bar goes down without asking again.</summary>
    protected void CountAsRead(long mailboxId) =>
        Folders = [.. Folders.Select(f => f.Mailbox.Id == mailboxId && f.Unread > 0 ? f with { Unread = f.Unread - 1 } : f)];
}
