using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Smtp.Delivery;

/// <summary>The tenant's mail domains: mail to these is delivered here, mail to any other is relayed (or refused on MX).</summary>
public sealed class LocalDomains(IReadOnlySet<string> domains)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<GovMailDatabase, Cached> Cache = new();

    private sealed record Cached(LocalDomains Domains, long LoadedAt);

    /// <summary>
    /// The domains, read at most every 30 seconds per database: every RCPT asks, and domains change a few times a year.
    /// </summary>
    public static async Task<LocalDomains> LoadAsync(GovMailDatabase database, CancellationToken ct)
    {
        if (Cache.TryGetValue(database, out var cached) && System.Diagnostics.Stopwatch.GetElapsedTime(cached.LoadedAt) < CacheFor)
            return cached.Domains;
        await using var db = database.Open();
        var names = await db.Domains.AsNoTracking().Select(d => d.Name).ToListAsync(ct);
        var domains = new LocalDomains(names.ToHashSet(StringComparer.OrdinalIgnoreCase));
        Cache.AddOrUpdate(database, new Cached(domains, System.Diagnostics.Stopwatch.GetTimestamp()));
        return domains;
    }

    public bool IsLocal(string address)
    {
        var at = address.LastIndexOf('@');
        return at > 0 && domains.Contains(address[(at + 1)..].TrimEnd('.'));
    }
}
