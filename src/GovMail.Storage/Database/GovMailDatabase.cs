using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace GovMail.Storage.Database;

/// <summary>Opens <see cref="GovMailDbContext"/>s for the configured engine and brings the schema up to date.</summary>
public sealed class GovMailDatabase(DatabaseSettings settings)
{
    public DatabaseSettings Settings { get; } = settings;

    // Contexts come from a pool: a new context sets up its EF Core services on first use (a scope of the internal service
    // provider and some thirty services), which was about a tenth of the server's CPU under the IMAP workload, where each
    // command opens several contexts. A pooled context keeps them; EF Core resets its change tracker, connection and
    // settings when it goes back, and GovMailDbContext clears its own pending-change fields.
    private PooledDbContextFactory<SqliteGovMailDbContext>? _sqlite;
    private PooledDbContextFactory<PostgresGovMailDbContext>? _postgres;

    /// <summary>Most idle contexts kept per database; more may be open at once, the rest are simply not kept.</summary>
    private const int PoolSize = 256;

    public GovMailDbContext Open() => Settings.Provider switch
    {
        DatabaseProvider.Sqlite => LazyInitializer.EnsureInitialized(ref _sqlite,
            () => new PooledDbContextFactory<SqliteGovMailDbContext>(SqliteOptions(Settings.ConnectionString), PoolSize)).CreateDbContext(),
        DatabaseProvider.Postgres => LazyInitializer.EnsureInitialized(ref _postgres,
            () => new PooledDbContextFactory<PostgresGovMailDbContext>(PostgresOptions(Settings.ConnectionString), PoolSize)).CreateDbContext(),
        _ => throw new InvalidOperationException($"unknown provider {Settings.Provider}"),
    };

    /// <summary>
    /// The key of the PostgreSQL advisory lock that nodes starting together take in turn around the migrations and the first
    /// start's set-up (<see cref="LockForStartAsync"/>).
    /// </summary>
    public const long StartLockKey = 0x476f764d61696c; // "GovMail"

    /// <summary>
    /// Applies pending migrations; on SQLite also switches the file to WAL mode. On PostgreSQL the nodes that start together
    /// take turns (<see cref="LockForStartAsync"/>): the first applies the migrations, the others find nothing left to do.
    /// </summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var turn = await LockForStartAsync(ct);
        if (Settings.Provider == DatabaseProvider.Sqlite)
        {
            var builder = new SqliteConnectionStringBuilder(Settings.ConnectionString);
            var dir = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(dir)) System.IO.Directory.CreateDirectory(dir);
        }
        await using var db = Open();
        if (Settings.Provider == DatabaseProvider.Sqlite)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        await db.Database.MigrateAsync(ct);
    }

    /// <summary>
    /// Waits until no other node is migrating or setting up a new database, and holds it off until the result is disposed:
    /// <c>pg_advisory_lock</c> on a connection of its own (a crashed holder's lock ends with its connection). On SQLite,
    /// where one machine holds the file, nothing to wait for. Not re-entrant across connections: do not nest.
    /// </summary>
    public async Task<IAsyncDisposable> LockForStartAsync(CancellationToken ct = default)
    {
        if (Settings.Provider != DatabaseProvider.Postgres) return NoLock.Instance;
        var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(Settings.ConnectionString)
        {
            Pooling = false,
            ApplicationName = "govmail-start",
        }.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var take = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection) { CommandTimeout = 0 };
            take.Parameters.AddWithValue("key", StartLockKey);
            await take.ExecuteNonQueryAsync(ct);
            return new AdvisoryLock(connection);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.InvalidCatalogName)
        {
            // No database yet: the migrations create it, and there is nothing to take turns on.
            await connection.DisposeAsync();
            return NoLock.Instance;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Closing the connection ends the session and with it the lock; no unlock statement that could fail halfway.</summary>
    private sealed class AdvisoryLock(Npgsql.NpgsqlConnection connection) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }

    internal static DbContextOptions<SqliteGovMailDbContext> SqliteOptions(string connectionString) =>
        new DbContextOptionsBuilder<SqliteGovMailDbContext>()
            .UseSqlite(connectionString, o => o.MigrationsHistoryTable("__migrations"))
            .AddInterceptors(new SqlitePragmas(), DirectoryChangeInterceptor.Instance, Mail.QuotaChangeInterceptor.Instance)
            .Options;

    internal static DbContextOptions<PostgresGovMailDbContext> PostgresOptions(string connectionString) =>
        new DbContextOptionsBuilder<PostgresGovMailDbContext>()
            .UseNpgsql(connectionString, o => o.MigrationsHistoryTable("__migrations"))
            .AddInterceptors(DirectoryChangeInterceptor.Instance, Mail.QuotaChangeInterceptor.Instance)
            .Options;
}

/// <summary>
/// Per-connection SQLite settings: wait for a writer instead of failing, enforce foreign keys, and sync the WAL at every
/// commit (synchronous=FULL): a committed delivery survives a power cut, not only a crash of the process. Deliveries are
/// committed in groups (<see cref="Mail.MailStore.DeliverAsync"/>), so that sync is paid once per group, not per message.
/// </summary>
internal sealed class SqlitePragmas : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    private const string Sql = "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;";

    // The settings belong to the native connection, which Microsoft.Data.Sqlite pools and hands out again on the next
    // Open: they are set once per native connection, not parsed and run again on every open.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Done = new();

    public override void ConnectionOpened(System.Data.Common.DbConnection connection,
        Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData)
    {
        if (AlreadySet(connection)) return;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        cmd.ExecuteNonQuery();
        Remember(connection);
    }

    public override async Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection,
        Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (AlreadySet(connection)) return;
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        Remember(connection);
    }

    private static bool AlreadySet(System.Data.Common.DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && Done.TryGetValue(handle, out _);

    private static void Remember(System.Data.Common.DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle }) Done.AddOrUpdate(handle, Done);
    }
}

/// <summary>Lets <c>dotnet ef migrations add … --context SqliteGovMailDbContext</c> build the model.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteGovMailDbContext>
{
    public SqliteGovMailDbContext CreateDbContext(string[] args) =>
        new(GovMailDatabase.SqliteOptions("Data Source=design.db"));
}

/// <summary>Lets <c>dotnet ef migrations add … --context PostgresGovMailDbContext</c> build the model.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresGovMailDbContext>
{
    public PostgresGovMailDbContext CreateDbContext(string[] args) =>
        new(GovMailDatabase.PostgresOptions("Host=localhost;Database=govmail_design"));
}
