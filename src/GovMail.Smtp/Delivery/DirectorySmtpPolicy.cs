using GovMail.Smtp.Protocol;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Smtp.Delivery;

/// <summary>
/// The directory's rules for a transaction: MX takes mail only for existing local recipients and never relays; submission
/// may send only as the account's own address or aliases, to anyone; a full mailbox is a temporary refusal (for a group,
/// only when every member's mailbox is full).
/// </summary>
public sealed class DirectorySmtpPolicy(GovMailDatabase database, TimeProvider clock) : ISmtpPolicy
{
    private readonly AddressBook _addressBook = new(database, clock);

    public async Task<SmtpReply?> CheckSenderAsync(string? mailFrom, SmtpListenerKind listener, string? authenticatedAs, long declaredSize,
        CancellationToken ct)
    {
        if (listener == SmtpListenerKind.Mx) return null;
        if (authenticatedAs is null) return SmtpReplies.AuthRequired;
        if (string.IsNullOrEmpty(mailFrom)) return SmtpReplies.SenderNotOwned(mailFrom ?? "");
        var from = mailFrom.Trim().ToLowerInvariant();
        var me = authenticatedAs.Trim().ToLowerInvariant();
        if (from == me) return null;
        await using var db = database.Open();
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Address == me, ct);
        if (account is not null && await db.Aliases.AnyAsync(a => a.Address == from && a.AccountId == account.Id, ct)) return null;
        return SmtpReplies.SenderNotOwned(mailFrom);
    }

    public async Task<SmtpReply?> CheckRecipientAsync(string recipient, SmtpListenerKind listener, string? authenticatedAs, long declaredSize,
        CancellationToken ct)
    {
        var domains = await LocalDomains.LoadAsync(database, ct);
        if (!domains.IsLocal(recipient))
            return listener == SmtpListenerKind.Mx || authenticatedAs is null ? SmtpReplies.RelayDenied : null;

        var accounts = await RecipientCache.ResolveAsync(database, _addressBook, recipient, ct);
        if (accounts.Count == 0) return SmtpReplies.NoSuchMailbox(recipient);
        if (accounts.Count == 1)
        {
            var a = accounts[0];
            if (!MailboxQuota.Receives(a) && !await DeliveryRouting.AcceptsAsync(database, clock, a, ct)) return SmtpReplies.MailboxDisabled(recipient);
            if (!await MailboxQuota.HasRoomAsync(database, clock, a, declaredSize, ct)) return SmtpReplies.MailboxFullFor(recipient);
            return null;
        }
        // A group: a member whose mailbox is full does not hold up the others (the sender is told about that member after
        // delivery); only when every member's mailbox is full is the group as a whole refused for now.
        var anyRoom = false;
        foreach (var member in accounts)
            if (MailboxQuota.Receives(member) && await MailboxQuota.HasRoomAsync(database, clock, member, declaredSize, ct))
            {
                anyRoom = true;
                break;
            }
        if (!anyRoom && accounts.Any(MailboxQuota.Receives)) return SmtpReplies.MailboxFullFor(recipient);
        return null;
    }
}
