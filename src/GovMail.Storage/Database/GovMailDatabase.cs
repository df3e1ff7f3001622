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

    /// <summary>Applies pending migrations; on SQLite also switches the file to WAL mode.</summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
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
