using GovMail.Core.Usage;
using GovMail.Storage.Database;

namespace GovMail.Storage.Usage;

/// <summary>The one place usage events are written (logins, sent, received, read, webmail sessions).</summary>
public sealed class UsageRecorder(GovMailDatabase database, TimeProvider clock)
{
    public async Task RecordAsync(string address, Guid? accountId, UsageKind kind, UsageProtocol protocol, string? remote,
        CancellationToken ct = default)
    {
        await using var db = database.Open();
        Add(db, address, accountId, kind, protocol, remote, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Adds an event to a unit of work that the caller commits (so a delivery and its events commit together).</summary>
    public static void Add(GovMailDbContext db, string address, Guid? accountId, UsageKind kind, UsageProtocol protocol, string? remote,
        DateTimeOffset at, Guid? keeperId = null) =>
        db.UsageEvents.Add(new UsageEvent
        {
            Address = address.Length > 320 ? address[..320] : address,
            AccountId = accountId,
            Kind = kind,
            Protocol = protocol,
            RemoteAddress = remote,
            At = at,
            KeeperAccountId = keeperId,
        });
}
