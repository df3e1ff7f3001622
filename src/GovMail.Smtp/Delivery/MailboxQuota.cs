using GovMail.Core.Accounts;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;

namespace GovMail.Smtp.Delivery;

/// <summary>Whether a recipient's mailbox (hộp thư) has room for a message of a given size.</summary>
internal static class MailboxQuota
{
    public static async Task<bool> HasRoomAsync(GovMailDatabase database, TimeProvider clock, Account account, long size, CancellationToken ct)
    {
        var used = await new MailStore(database, clock).UsedBytesAsync(account.Id, ct);
        return used + Math.Max(0, size) <= account.QuotaBytes;
    }

    /// <summary>Disabled, closed and purged accounts receive nothing.</summary>
    public static bool Receives(Account account) =>
        account.State is not (AccountState.Disabled or AccountState.Closed or AccountState.Purged);
}
