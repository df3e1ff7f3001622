using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace GovMail.Storage.Database;

/// <summary>Opens <see cref="GovMailDbContext"/>s for the configured engine and brings the schema up to date.</summary>
public sealed class GovMailDatabase(DatabaseSettings settings)
{
    public DatabaseSettings Settings { get; } = settings;

    // Built once: options built anew for every context made EF Core compare them with its cache of service providers each
    // time, a measurable share of the CPU of each IMAP command (several contexts a command).
    private DbContextOptions<SqliteGovMailDbContext>? _sqlite;
    private DbContextOptions<PostgresGovMailDbContext>? _postgres;

    public GovMailDbContext Open() => Settings.Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteGovMailDbContext(_sqlite ??= SqliteOptions(Settings.ConnectionString)),
        DatabaseProvider.Postgres => new PostgresGovMailDbContext(_postgres ??= PostgresOptions(Settings.ConnectionString)),
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

    public override void ConnectionOpened(System.Data.Common.DbConnection connection,
        Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection,
        Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
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
