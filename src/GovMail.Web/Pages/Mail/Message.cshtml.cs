using GovMail.Core.Mail;
using GovMail.Storage.Mail;
using GovMail.Web.Mail;
using Microsoft.AspNetCore.Mvc;
using MimeKit;

namespace GovMail.Web.Pages.Mail;

/// <summary>
/// Reading a message (đọc thư): opening it marks it read for its owner, which counts as a read in usage exactly as \Seen
/// over IMAP does; the body is shown in a sandboxed frame, remote images only on request; attachments are listed.
/// </summary>
public sealed class MessageModel(MessageReading reading, MailStore store, MessageActions actions, MessageList list) : MailPageModel
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
            if ((Opened.Row.Flags & MessageFlags.Deleted) == 0) CountAsRead(Opened.Mailbox.Id);
        }
        (Newer, Older) = await list.NeighboursAsync(Opened.Mailbox.Id, Opened.Row.Uid, HttpContext.RequestAborted);
        if (Opened.HtmlBody is { } html && !ShowImages)
            BlockedImages = MailHtmlSanitizer.Sanitize(html, false, _ => null).BlockedImages;
        return Page();
    }

    /// <summary>Delete: to Trash; from Trash, for good.</summary>
    public Task<IActionResult> OnPostDeleteAsync() => ApplyAsync(MessageAction.Delete, null);

    public Task<IActionResult> OnPostUnreadAsync() => ApplyAsync(MessageAction.Unread, null);

    /// <summary>Any action of the reading page (read/unread, flag, move, delete); the reader goes back to the folder, or stays for a flag.</summary>
    public Task<IActionResult> OnPostActionAsync([FromForm(Name = "thao-tac")] string? actionName, [FromForm(Name = "den")] long? target) =>
        MessageActions.Parse(actionName) is { } action ? ApplyAsync(action, target) : Task.FromResult<IActionResult>(BadRequest());

    private async Task<IActionResult> ApplyAsync(MessageAction action, long? target)
    {
        if (!await OpenAsync()) return NotFound();
        if (!await actions.ApplyAsync(Mailbox, Opened.Mailbox.Id, [Opened.Row.Uid], action, target, HttpContext)) return NotFound();
        return action is MessageAction.Flag or MessageAction.Unflag or MessageAction.Read
            ? Redirect($"/thu/{Opened.Mailbox.Id}/{Opened.Row.Uid}")
            : Redirect(MessageActions.LocalUrl(ReturnUrl) ?? $"/thu/{Opened.Mailbox.Id}");
    }

    /// <summary>The list the reader came from (its sort, filters, search and page), to go back to after an action.</summary>
    [FromQuery(Name = "tu")]
    public string? ReturnUrl { get; set; }

    public string BackUrl => MessageActions.LocalUrl(ReturnUrl) ?? $"/thu/{Opened.Mailbox.Id}";

    /// <summary>The newer and the older message of the folder (k and j), or null at either end.</summary>
    public uint? Newer { get; private set; }
    public uint? Older { get; private set; }

    public string MessageUrl(uint uid) => $"/thu/{Opened.Mailbox.Id}/{uid}" + (MessageActions.LocalUrl(ReturnUrl) is { } back ? "?tu=" + Uri.EscapeDataString(back) : "");

    public bool Flagged => (Opened.Row.Flags & MessageFlags.Flagged) != 0;

    private async Task<bool> OpenAsync()
    {
        if (Uid is < 1 or > uint.MaxValue) return false;
        // The folders were loaded for the side bar: the mailbox is looked up there, not asked for again.
        if (Folders.FirstOrDefault(f => f.Mailbox.Id == MailboxId) is not { } folder) return false;
        if (await reading.OpenAsync(folder.Mailbox, (uint)Uid, HttpContext.RequestAborted) is not { } opened) return false;
        Opened = opened;
        CurrentFolderId = opened.Mailbox.Id;
        return true;
    }

    private Task SetSeenAsync(FlagOperation operation) =>
        store.StoreFlagsAsync(Opened.Mailbox.Id, [Opened.Row.Uid], new FlagChange(operation, MessageFlags.Seen, []),
            MessageActions.ReaderOf(Mailbox, HttpContext), HttpContext.RequestAborted);

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
