using GovMail.Core.Mail;
using GovMail.Storage.Mail;
using GovMail.Web.Mail;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Mail;

/// <summary>
/// Reading a conversation (đọc hội thoại): every message of the thread in the folder and the user's own replies from Đã gửi,
/// oldest first, the newest open and the others folded to a line. Opening it marks the shown messages read for their owner,
/// as opening one message does (a usage read each, as \Seen over IMAP).
/// </summary>
public sealed class ConversationModel(ConversationList conversations, MailStore store) : MailPageModel
{
    [FromRoute]
    public long MailboxId { get; set; }

    /// <summary>The UID of one of the conversation's messages in the folder.</summary>
    [FromRoute]
    public long Uid { get; set; }

    /// <summary>The list the reader came from, to go back to.</summary>
    [FromQuery(Name = "tu")]
    public string? ReturnUrl { get; set; }

    public Conversation Conversation { get; private set; } = null!;
    public FolderEntry Current { get; private set; } = null!;

    public string BackUrl => MessageActions.LocalUrl(ReturnUrl) ?? $"/thu/{Current.Mailbox.Id}";

    public async Task<IActionResult> OnGetAsync()
    {
        if (Uid is < 1 or > uint.MaxValue) return NotFound();
        // The folders were loaded for the side bar: another account's folder is not among them, so "not found".
        if (Folders.FirstOrDefault(f => f.Mailbox.Id == MailboxId) is not { } folder) return NotFound();
        Current = folder;
        CurrentFolderId = folder.Mailbox.Id;
        var ct = HttpContext.RequestAborted;
        if (await conversations.FindAsync(folder.Mailbox.Id, Folder(MailboxRole.Sent)?.Mailbox.Id, (uint)Uid, ct) is not { } conversation)
            return NotFound();
        Conversation = conversation;
        var reader = MessageActions.ReaderOf(Mailbox, HttpContext);
        var unread = conversation.Messages.Where(m => m.Unread).GroupBy(m => m.MailboxId).ToList();
        foreach (var folderUnread in unread)
            await store.StoreFlagsAsync(folderUnread.Key, [.. folderUnread.Select(m => m.Uid)], new FlagChange(FlagOperation.Add, MessageFlags.Seen, []),
                reader, ct);
        // The side bar's unread counts changed by as many.
        if (unread.Count > 0) await LoadFoldersAsync();
        return Page();
    }

    /// <summary>The folder a message of the conversation is in (the reader's folder, or Đã gửi).</summary>
    public MailboxInfo FolderOf(ConversationMessage m) => Folders.First(f => f.Mailbox.Id == m.MailboxId).Mailbox;

    /// <summary>The first words of a message for its folded line.</summary>
    public static string FirstWords(ConversationMessage m) => m.Preview is { Length: > 120 } p ? p[..120] + "…" : m.Preview ?? "";

    public static string Recipients(ConversationMessage m) =>
        string.Join(", ", m.To.Select(a => string.IsNullOrWhiteSpace(a.Name) ? $"{a.Mailbox}@{a.Host}" : $"{a.Name} <{a.Mailbox}@{a.Host}>"));
}
