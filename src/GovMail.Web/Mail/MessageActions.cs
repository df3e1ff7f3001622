using GovMail.Core.Mail;
using GovMail.Core.Usage;
using GovMail.Storage.Mail;
using GovMail.Web.Security;
using Microsoft.AspNetCore.Http;

namespace GovMail.Web.Mail;

/// <summary>What the user can do to messages from the list or the reading page.</summary>
public enum MessageAction
{
    Read,
    Unread,
    Flag,
    Unflag,
    Move,
    Delete,
}

/// <summary>
/// The message actions of the web (đánh dấu đã đọc/chưa đọc, gắn cờ, chuyển thư mục, xóa) on one message or a selection,
/// through the mail store exactly as IMAP STORE, MOVE and EXPUNGE do: each change takes a MODSEQ and is published on the
/// notification bus after commit, so IMAP sessions (IDLE, NOOP) and other web pages see it. Delete moves to Thùng rác;
/// from Thùng rác (or without one) it expunges for good. Folders that are not the signed-in account's are "not found".
/// </summary>
public sealed class MessageActions(MailStore store, MessageReading reading)
{
    /// <summary>Who reads through the web in this request, as the usage record of a message marked read names them (and the keeper of a unit mailbox).</summary>
    public static MessageReader ReaderOf(WebUser user, HttpContext http) =>
        new(user.Address, user.AccountId, UsageProtocol.Web, http.Connection.RemoteIpAddress?.ToString()) { KeeperAccountId = user.Keeper?.AccountId };

    /// <summary>Applies <paramref name="action"/>; false when a folder named is not the user's (nothing is changed then).</summary>
    public async Task<bool> ApplyAsync(WebUser user, long mailboxId, IReadOnlyCollection<uint> uids, MessageAction action, long? targetMailboxId,
        HttpContext http)
    {
        var ct = http.RequestAborted;
        if (await reading.MailboxAsync(user, mailboxId, ct) is not { } mailbox) return false;
        if (uids.Count == 0) return true;
        var reader = ReaderOf(user, http);
        if (FlagOf(action) is { } flag)
        {
            await store.StoreFlagsAsync(mailbox.Id, uids, new FlagChange(flag.Operation, flag.Flag, []), reader, ct);
            return true;
        }
        switch (action)
        {
            case MessageAction.Move:
                if (targetMailboxId is not { } targetId || await reading.MailboxAsync(user, targetId, ct) is not { } target) return false;
                if (target.Id != mailbox.Id) await store.CopyAsync(mailbox.Id, uids, target.Id, user.AccountId, move: true, ct);
                return true;
            case MessageAction.Delete:
                var trash = (await reading.MailboxesAsync(user, ct)).FirstOrDefault(m => m.Role == MailboxRole.Trash);
                if (trash is null || trash.Id == mailbox.Id) await ExpungeAsync(mailbox.Id, user, uids, ct);
                else await store.CopyAsync(mailbox.Id, uids, trash.Id, user.AccountId, move: true, ct);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The flag change an action is, or null for the actions that move messages.</summary>
    private static (FlagOperation Operation, MessageFlags Flag)? FlagOf(MessageAction action) => action switch
    {
        MessageAction.Read => (FlagOperation.Add, MessageFlags.Seen),
        MessageAction.Unread => (FlagOperation.Remove, MessageFlags.Seen),
        MessageAction.Flag => (FlagOperation.Add, MessageFlags.Flagged),
        MessageAction.Unflag => (FlagOperation.Remove, MessageFlags.Flagged),
        _ => null,
    };

    /// <summary>Removes messages for good (delete from Thùng rác, a draft replaced or sent): \Deleted, then expunged.</summary>
    public async Task ExpungeAsync(long mailboxId, WebUser user, IReadOnlyCollection<uint> uids, CancellationToken ct)
    {
        await store.StoreFlagsAsync(mailboxId, uids, new FlagChange(FlagOperation.Add, MessageFlags.Deleted, []), null, ct);
        await store.ExpungeAsync(mailboxId, user.AccountId, uids, ct);
    }

    /// <summary>The action a form names (<c>Read</c>, <c>Move</c>…), or null for anything else.</summary>
    public static MessageAction? Parse(string? name) =>
        Enum.TryParse<MessageAction>(name, ignoreCase: true, out var action) && Enum.IsDefined(action) && !char.IsAsciiDigit(name![0]) ? action : null;

    /// <summary>A URL the page itself gave to come back to, or null (never another site: <c>//host</c> and <c>/\host</c> are refused).</summary>
    public static string? LocalUrl(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : null;
}
