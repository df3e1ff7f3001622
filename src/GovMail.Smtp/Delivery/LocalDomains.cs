using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Smtp.Delivery;

/// <summary>The tenant's mail domains: mail to these is delivered here, mail to any other is relayed (or refused on MX).</summary>
public sealed class LocalDomains(IReadOnlySet<string> domains)
{
    public static async Task<LocalDomains> LoadAsync(GovMailDatabase database, CancellationToken ct)
    {
        await using var db = database.Open();
        var names = await db.Domains.AsNoTracking().Select(d => d.Name).ToListAsync(ct);
        return new LocalDomains(names.ToHashSet(StringComparer.OrdinalIgnoreCase));
    }

    public bool IsLocal(string address)
    {
        var at = address.LastIndexOf('@');
        return at > 0 && domains.Contains(address[(at + 1)..].TrimEnd('.'));
    }
}
