using GovMail.Core.Mail;
using GovMail.Storage.Blobs;
using GovMail.Storage.Mail;
using GovMail.Web.Security;
using MimeKit;

namespace GovMail.Web.Mail;

/// <summary>
/// Drafts of the web (thư nháp): each save files the whole message in the account's Thư nháp folder (\Draft, \Seen) through
/// the mail store, as an IMAP APPEND would, then removes the version it replaces; sending removes the last one. IMAP
/// clients see the same drafts, and the changes reach them on the notification bus.
/// </summary>
public sealed class DraftStore(MailStore store, IBlobStore blobs, MessageReading reading, MessageActions actions, TimeProvider clock)
{
    private static readonly FormatOptions Format = new() { NewLineFormat = NewLineFormat.Dos };

    /// <summary>The account's Drafts folder, or null when it has none.</summary>
    public async Task<MailboxInfo?> FolderAsync(WebUser user, CancellationToken ct) =>
        (await reading.MailboxesAsync(user, ct)).FirstOrDefault(m => m.Role == MailboxRole.Drafts);

    /// <summary>Files <paramref name="message"/> as the new version of the draft; the result names it, or says why it was not saved.</summary>
    public async Task<DraftSaved> SaveAsync(WebUser user, MimeMessage message, uint? previousUid, CancellationToken ct)
    {
        if (await FolderAsync(user, ct) is not { } drafts) return new DraftSaved(MailboxOutcome.NotFound, 0, 0);
        var (key, size, parsed) = await blobs.PutMessageAsync((stream, c) => message.WriteToAsync(Format, stream, c), ct);
        AppendResult appended;
        try
        {
            appended = await store.AppendAsync(drafts.Id, user.AccountId, new NewMessage(key, size, parsed, clock.GetUtcNow()),
                MessageFlags.Draft | MessageFlags.Seen, null, ct);
        }
        catch
        {
            await blobs.DeleteAsync(key, CancellationToken.None);
            throw;
        }
        if (appended.Outcome != MailboxOutcome.Done)
        {
            await blobs.DeleteAsync(key, CancellationToken.None);
            return new DraftSaved(appended.Outcome, drafts.Id, 0);
        }
        if (previousUid is { } previous && previous != appended.Uid) await actions.ExpungeAsync(drafts.Id, user, [previous], ct);
        return new DraftSaved(MailboxOutcome.Done, drafts.Id, appended.Uid);
    }

    /// <summary>Removes a draft for good (it was sent).</summary>
    public async Task DeleteAsync(WebUser user, uint uid, CancellationToken ct)
    {
        if (await FolderAsync(user, ct) is { } drafts) await actions.ExpungeAsync(drafts.Id, user, [uid], ct);
    }
}

/// <summary>What saving a draft did: <see cref="MailboxOutcome.Done"/> with the draft's folder and UID, or why not (over quota).</summary>
public sealed record DraftSaved(MailboxOutcome Outcome, long MailboxId, uint Uid);
