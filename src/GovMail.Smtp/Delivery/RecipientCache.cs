using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using GovMail.Core.Accounts;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;

namespace GovMail.Smtp.Delivery;

/// <summary>
/// Who an address delivers to (<see cref="AddressBook.ResolveRecipientsAsync"/>), remembered per database so that a RCPT and
/// the delivery after it, and the next messages to the same people, do not query the directory again. An entry is used only
/// while the directory has not changed in this process since it was read (<see cref="DirectoryChanges"/>) and for at most
/// 10 seconds (changes made by another process, the CLI say). Unknown addresses are not remembered, so an account just
/// added anywhere receives mail at once.
/// </summary>
internal static class RecipientCache
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private const int MaxEntries = 100_000;
    private static readonly ConditionalWeakTable<GovMailDatabase, ConcurrentDictionary<string, Entry>> Caches = new();

    private sealed record Entry(IReadOnlyList<Account> Accounts, long Version, long LoadedAt);

    public static async Task<IReadOnlyList<Account>> ResolveAsync(GovMailDatabase database, AddressBook addressBook, string address,
        CancellationToken ct)
    {
        var key = address.Trim().ToLowerInvariant();
        var entries = Caches.GetValue(database, _ => new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal));
        // Read before the query: a change committed while the query runs moves the version past this one.
        var version = DirectoryChanges.VersionOf(database);
        if (entries.TryGetValue(key, out var hit) && hit.Version == version && Stopwatch.GetElapsedTime(hit.LoadedAt) < CacheFor)
            return hit.Accounts;
        var accounts = await addressBook.ResolveRecipientsAsync(key, ct);
        if (accounts.Count > 0)
        {
            if (entries.Count >= MaxEntries) entries.Clear();
            entries[key] = new Entry(accounts, version, Stopwatch.GetTimestamp());
        }
        return accounts;
    }
}
