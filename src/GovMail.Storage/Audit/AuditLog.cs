using GovMail.Core.Audit;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Audit;

/// <summary>
/// Reading and checking the append-only audit log (nhật ký). Entries are appended by each service's own save, with the change
/// they record; <see cref="AppendAsync"/> is for work whose changes are already written (bulk deletes, files, jobs).
/// </summary>
public sealed class AuditLog(GovMailDatabase database)
{
    /// <summary>Appends one entry in a save of its own, which links it into the chain.</summary>
    public async Task AppendAsync(AuditEntry entry, CancellationToken ct = default)
    {
        await using var db = database.Open();
        db.Audit.Add(entry);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Entries about an account (its address as target or actor) and/or since a moment, oldest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string? account, DateTimeOffset? since, CancellationToken ct = default)
    {
        await using var db = database.Open();
        IQueryable<AuditEntry> q = db.Audit.AsNoTracking();
        if (account is not null)
        {
            var key = account.Trim().ToLowerInvariant();
            q = q.Where(a => a.Target == key || a.Actor == key);
        }
        if (since is { } s) q = q.Where(a => a.At >= s);
        return await q.OrderBy(a => a.Id).ToListAsync(ct);
    }

    /// <summary>
    /// As <see cref="ListAsync(string?, DateTimeOffset?, CancellationToken)"/>, limited for a scoped auditor to the entries by or
    /// about the accounts of <paramref name="units"/> (null: every entry).
    /// </summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string? account, DateTimeOffset? since, IReadOnlySet<Guid>? units,
        CancellationToken ct = default)
    {
        var entries = await ListAsync(account, since, ct);
        if (units is null) return entries;
        await using var db = database.Open();
        var inScope = (await db.Accounts.AsNoTracking().Where(a => units.Contains(a.UnitId)).Select(a => a.Address).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        return entries.Where(e => inScope.Contains(e.Actor) || (e.Target is { } t && inScope.Contains(t))).ToList();
    }

    /// <summary>
    /// Walks the chain from its first entry. Each entry's hash must match its fields and its predecessor's hash, and every
    /// entry must be reached exactly once: an edited row fails its own hash, a deleted or inserted one leaves its
    /// successor unlinked. Returns the first entry (by id) where the chain is broken, or none.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct = default)
    {
        await using var db = database.Open();
        var entries = await db.Audit.AsNoTracking().OrderBy(a => a.Id).ToListAsync(ct);
        var chained = entries.Where(e => e.PreviousHash is not null || e.Hash is not null).ToList();
        var legacy = entries.Count - chained.Count;
        // Entries older than the chain are sealed into it on the first append after the upgrade; until then they stand alone.
        if (chained.Count > 0 && entries.Take(legacy).Any(e => e.Hash is not null)) legacy = 0;
        var bySuccessorOf = new Dictionary<string, AuditEntry>(StringComparer.Ordinal);
        AuditEntry? broken = null;
        foreach (var e in chained)
        {
            if (!AuditChain.IsIntact(e) || !bySuccessorOf.TryAdd(e.PreviousHash!, e)) { broken ??= e; }
        }
        var reached = new HashSet<long>();
        var previous = AuditChain.Genesis;
        while (bySuccessorOf.TryGetValue(previous, out var next) && reached.Add(next.Id) && AuditChain.IsIntact(next)) previous = next.Hash!;
        var firstUnreached = chained.FirstOrDefault(e => !reached.Contains(e.Id));
        if (firstUnreached is not null && (broken is null || firstUnreached.Id < broken.Id)) broken = firstUnreached;
        return new AuditVerification(entries.Count, broken);
    }
}

/// <summary>The result of <see cref="AuditLog.VerifyAsync"/>: how many entries, and the first one that breaks the chain.</summary>
public sealed record AuditVerification(int Entries, AuditEntry? FirstBroken)
{
    public bool Intact => FirstBroken is null;
}
