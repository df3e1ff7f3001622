using System.Collections.Concurrent;
using System.Data.Common;
using GovMail.Core.Accounts;
using GovMail.Core.Directory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GovMail.Storage.Database;

/// <summary>
/// A counter per database (by connection string, so every <see cref="GovMailDatabase"/> of this process on the same data
/// shares it) that moves each time a change to who receives mail commits: accounts, aliases, groups and their members,
/// units, domains, delivery rules (forwarding, automatic replies). Caches of recipients keep the version they were read under and are stale once it moved. Changes made by
/// another process are seen only when the nodes share PostgreSQL (<see cref="Mail.PostgresMailboxNotifications"/> carries them);
/// such caches also expire by age.
/// </summary>
public static class DirectoryChanges
{
    private static readonly ConcurrentDictionary<string, long> Versions = new(StringComparer.Ordinal);

    public static long VersionOf(GovMailDatabase database) => Versions.GetValueOrDefault(database.Settings.ConnectionString);

    /// <summary>A directory change was committed through this process (by connection string); the cross-node bus tells the other nodes.</summary>
    internal static event Action<string>? Committed;

    internal static void Bump(string? connectionString)
    {
        if (connectionString is not null) Versions.AddOrUpdate(connectionString, 1, (_, v) => v + 1);
    }

    internal static void BumpCommitted(string? connectionString)
    {
        if (connectionString is null) return;
        Bump(connectionString);
        Committed?.Invoke(connectionString);
    }

    internal static bool Touches(DbContext context)
    {
        foreach (var e in context.ChangeTracker.Entries())
            if (e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && e.Entity is Account or Alias or DistributionGroup or GroupMember or OrgUnit or MailDomain or Core.Mail.DeliveryRule)
                return true;
        return false;
    }
}

/// <summary>
/// Moves <see cref="DirectoryChanges"/> once a directory change is committed: after the save, or, inside a transaction,
/// after its commit (a reader in between still sees the old rows and must not keep them under the new version).
/// </summary>
internal sealed class DirectoryChangeInterceptor : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    public static readonly DirectoryChangeInterceptor Instance = new();

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    private static void Note(DbContext? context)
    {
        if (context is GovMailDbContext db && !db.DirectoryChangePending && DirectoryChanges.Touches(db)) db.DirectoryChangePending = true;
    }

    private static void Saved(DbContext? context)
    {
        if (context is GovMailDbContext { DirectoryChangePending: true } db && db.Database.CurrentTransaction is null) Committed(db);
    }

    private static void Committed(DbContext? context)
    {
        if (context is not GovMailDbContext { DirectoryChangePending: true } db) return;
        db.DirectoryChangePending = false;
        DirectoryChanges.BumpCommitted(db.Database.GetConnectionString());
    }
}
