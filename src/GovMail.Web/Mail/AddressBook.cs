using System.Collections.Concurrent;
using GovMail.Core.Accounts;
using GovMail.Core.Text;
using GovMail.Storage.Database;
using GovMail.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Web.Mail;

/// <summary>One line of the global address list: a person (with title and unit) or a group of the tenant.</summary>
public sealed record DirectoryEntry(string Name, string Address, string? Title, string? Unit);

/// <summary>
/// The city's global address list for address autocomplete (danh bạ): the accounts of the signed-in user's own tenant that
/// can receive mail and its groups with an address, found by name, address, title or unit with diacritics folded
/// (<c>nguyen van</c> finds <c>Nguyễn Văn An</c>). Another tenant's people are never listed. The list of a tenant is
/// read at most once a minute.
/// </summary>
public sealed class AddressBook(GovMailDatabase database, TimeProvider clock)
{
    public const int MaxResults = 8;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<Guid, (DateTimeOffset At, string Stamp, IReadOnlyList<(DirectoryEntry Entry, string Key)> Entries)> _tenants = new();

    public static void Map(IEndpointRouteBuilder e) =>
        e.MapGet("/danh-ba/tim", async (HttpContext http, AddressBook book, string? q) =>
        {
            if (WebUser.From(http.User) is not { } user) return Results.Unauthorized();
            http.Response.Headers.CacheControl = "private, no-store";
            return Results.Json(await book.FindAsync(user, q ?? "", http.RequestAborted));
        }).RequireAuthorization(WebSessions.MailPolicy);

    public async Task<IReadOnlyList<DirectoryEntry>> FindAsync(WebUser user, string query, CancellationToken ct)
    {
        var key = VietnameseText.Key(query);
        if (key.Length == 0 || key.Length > 100) return [];
        var entries = await EntriesAsync(user, ct);
        return [.. entries
            .Select(e => (e.Entry, Rank: Rank(e.Key, e.Entry, key)))
            .Where(e => e.Rank >= 0)
            .OrderBy(e => e.Rank).ThenBy(e => e.Entry.Name, StringComparer.Create(Core.Messages.Vietnamese, false))
            .Take(MaxResults)
            .Select(e => e.Entry)];
    }

    /// <summary>0: the name starts with the text; 1: a word of the name or the address does; 2: it appears anywhere; −1: not at all.</summary>
    private static int Rank(string entryKey, DirectoryEntry entry, string key)
    {
        var at = entryKey.IndexOf(key, StringComparison.Ordinal);
        if (at < 0) return -1;
        if (at == 0) return 0;
        if (entryKey[at - 1] == ' ' || entry.Address.StartsWith(key, StringComparison.OrdinalIgnoreCase)) return 1;
        return 2;
    }

    private async Task<IReadOnlyList<(DirectoryEntry Entry, string Key)>> EntriesAsync(WebUser user, CancellationToken ct)
    {
        await using var db = database.Open();
        var tenant = await db.Accounts.AsNoTracking().Where(a => a.Id == user.AccountId).Select(a => a.TenantId).FirstOrDefaultAsync(ct);
        var now = clock.GetUtcNow();
        // Someone issued (or closed) since the list was read: read it again at once, not after the minute.
        var accounts = db.Accounts.AsNoTracking().Where(a => a.TenantId == tenant);
        var stamp = $"{await accounts.CountAsync(ct)}/{await accounts.Where(a => a.State == AccountState.Disabled || a.State == AccountState.Closed).CountAsync(ct)}"
            + $"/{await db.Groups.CountAsync(g => g.TenantId == tenant, ct)}";
        if (_tenants.TryGetValue(tenant, out var cached) && now - cached.At < Lifetime && cached.Stamp == stamp) return cached.Entries;
        var people = await (
                from a in db.Accounts.AsNoTracking()
                where a.TenantId == tenant && a.State != AccountState.Closed && a.State != AccountState.Disabled && a.State != AccountState.Purged
                join u in db.Units on a.UnitId equals u.Id into units
                from u in units.DefaultIfEmpty()
                select new DirectoryEntry(a.DisplayName, a.Address, a.Title, u != null ? u.Name : null))
            .ToListAsync(ct);
        var groups = await db.Groups.AsNoTracking().Where(g => g.TenantId == tenant && g.Address != null)
            .Select(g => new DirectoryEntry(g.Name, g.Address!, null, null)).ToListAsync(ct);
        var entries = people.Concat(groups)
            .Select(e => (e, VietnameseText.Key($"{e.Name} {e.Address} {e.Title} {e.Unit}")))
            .ToList();
        _tenants[tenant] = (now, stamp, entries);
        return entries;
    }
}
