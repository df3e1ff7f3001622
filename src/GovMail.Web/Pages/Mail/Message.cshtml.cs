using GovMail.Core.Mail;
using GovMail.Core.Usage;
using GovMail.Storage.Mail;
using GovMail.Web.Mail;
using Microsoft.AspNetCore.Mvc;
using MimeKit;

namespace GovMail.Web.Pages.Mail;

/// <summary>
/// Reading a message (đọc thư): opening it marks it read for its owner, which counts as a read in usage exactly as \Seen
/// over IMAP does; the body is shown in a sandboxed frame, remote images only on request; attachments are listed.
/// </summary>
public sealed class MessageModel(MessageReading reading, MailStore store) : MailPageModel
{
    [FromRoute]
    public long MailboxId { get; set; }

    [FromRoute]
    public long Uid { get; set; }

    /// <summary><c>?anh=1</c>: the reader asked to see the remote images of this message.</summary>
    [FromQuery(Name = "anh")]
    public int? Images { get; set; }

    public bool ShowImages => Images == 1;

    public OpenedMessage Opened { get; private set; } = null!;
    public int BlockedImages { get; private set; }
    public MimeMessage Message => Opened.Message;

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await OpenAsync()) return NotFound();
        if ((Opened.Row.Flags & MessageFlags.Seen) == 0)
        {
            await SetSeenAsync(FlagOperation.Add);
            await LoadFoldersAsync();
        }
        if (Opened.HtmlBody is { } html && !ShowImages)
            BlockedImages = MailHtmlSanitizer.Sanitize(html, false, _ => null).BlockedImages;
        return Page();
    }

    /// <summary>Delete: to Trash; from Trash, for good.</summary>
    public async Task<IActionResult> OnPostDeleteAsync()
    {
        if (!await OpenAsync()) return NotFound();
        var ct = HttpContext.RequestAborted;
        uint[] uids = [Opened.Row.Uid];
        if (Opened.Mailbox.Role == MailboxRole.Trash || Folder(MailboxRole.Trash) is not { } trash)
        {
            await store.StoreFlagsAsync(Opened.Mailbox.Id, uids, new FlagChange(FlagOperation.Add, MessageFlags.Deleted, []), null, ct);
            await store.ExpungeAsync(Opened.Mailbox.Id, CurrentUser.AccountId, uids, ct);
        }
        else
        {
            await store.CopyAsync(Opened.Mailbox.Id, uids, trash.Mailbox.Id, CurrentUser.AccountId, move: true, ct);
        }
        return Redirect($"/thu/{Opened.Mailbox.Id}");
    }

    public async Task<IActionResult> OnPostUnreadAsync()
    {
        if (!await OpenAsync()) return NotFound();
        await SetSeenAsync(FlagOperation.Remove);
        return Redirect($"/thu/{Opened.Mailbox.Id}");
    }

    private async Task<bool> OpenAsync()
    {
        if (Uid is < 1 or > uint.MaxValue) return false;
        if (await reading.OpenAsync(CurrentUser, MailboxId, (uint)Uid, HttpContext.RequestAborted) is not { } opened) return false;
        Opened = opened;
        CurrentFolderId = opened.Mailbox.Id;
        return true;
    }

    private Task SetSeenAsync(FlagOperation operation) =>
        store.StoreFlagsAsync(Opened.Mailbox.Id, [Opened.Row.Uid], new FlagChange(operation, MessageFlags.Seen, []),
            new MessageReader(CurrentUser.Address, CurrentUser.AccountId, UsageProtocol.Web, HttpContext.Connection.RemoteIpAddress?.ToString()),
            HttpContext.RequestAborted);

    /// <summary>The letter in the sender's avatar: the initial of the given name (the last word of a Vietnamese name).</summary>
    public static string Initial(MailboxAddress? sender)
    {
        var name = string.IsNullOrWhiteSpace(sender?.Name) ? sender?.Address : sender.Name;
        var word = name?.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return string.IsNullOrEmpty(word) ? "?" : word[..1].ToUpperInvariant();
    }

    public static string Person(InternetAddress a) => a switch
    {
        MailboxAddress m when !string.IsNullOrWhiteSpace(m.Name) => $"{m.Name} <{m.Address}>",
        MailboxAddress m => m.Address,
        _ => a.ToString(),
    };
}
