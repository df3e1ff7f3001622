// Copied from tests/GovMail.Storage.Tests/Database/TestDatabase.cs (the storage tests own the original); only the start date differs.
using System.Diagnostics;
using GovMail.Core.Security;
using GovMail.Storage.Database;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace GovMail.Reports.Tests.Support;

/// <summary>
/// A database of its own for one test, on either engine: a new SQLite file in a new temporary folder, or a new
/// PostgreSQL database (<c>govmail_t_…</c>) on the test server. Disposing deletes it, so tests can run in parallel.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>08:00 on 10/07/2024 in Vietnam: after the two quarters the tests build histories for.</summary>
    public static readonly DateTimeOffset Start = new(2024, 7, 10, 8, 0, 0, TimeSpan.FromHours(7));

    private readonly Func<Task> _drop;

    private TestDatabase(GovMailDatabase database, Func<Task> drop)
    {
        Database = database;
        _drop = drop;
    }

    public GovMailDatabase Database { get; }

    public DatabaseProvider Provider => Database.Settings.Provider;

    /// <summary>The one clock every directory of the test reads; move it with <c>Advance</c> or <c>SetUtcNow</c>.</summary>
    public FakeTimeProvider Clock { get; } = new(Start.ToUniversalTime());

    /// <summary>Argon2id at its cheapest, so that tests hash hundreds of passwords in milliseconds.</summary>
    public PasswordHasher Hasher { get; } = new(memoryKiB: 1024, iterations: 1);

    /// <summary>
    /// A new database with every migration applied, or an empty one when <paramref name="migrate"/> is false. A migrated
    /// database is a copy of one migrated once per test run (<see cref="MigratedTemplate"/>), so that a test pays for a
    /// file copy or a <c>CREATE DATABASE … TEMPLATE</c> rather than for the whole schema's DDL.
    /// </summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, bool migrate = true, CancellationToken ct = default) =>
        provider switch
        {
            DatabaseProvider.Sqlite => await CreateSqliteAsync(migrate ? await MigratedTemplate.SqliteAsync() : null, ct),
            DatabaseProvider.Postgres => await CreatePostgresAsync(migrate ? await MigratedTemplate.PostgresAsync() : null, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
        };

    /// <summary>A new SQLite file in a folder of its own: a copy of <paramref name="template"/>, or none yet (empty).</summary>
    internal static async Task<TestDatabase> CreateSqliteAsync(string? template, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), "govmail-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        var settings = DatabaseSettings.SqliteIn(folder);
        if (template is not null)
        {
            await using var source = File.OpenRead(template);
            await using var copy = File.Create(new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource);
            await source.CopyToAsync(copy, ct);
        }
        return new TestDatabase(new GovMailDatabase(settings), () =>
        {
            // Pooled connections keep the file (and its -wal and -shm companions) open.
            using (var connection = new SqliteConnection(settings.ConnectionString)) SqliteConnection.ClearPool(connection);
            System.IO.Directory.Delete(folder, recursive: true);
            return Task.CompletedTask;
        });
    }

    /// <summary>A new PostgreSQL database: a copy of the <paramref name="template"/> database, or an empty one.</summary>
    internal static async Task<TestDatabase> CreatePostgresAsync(string? template, CancellationToken ct)
    {
        var server = await PostgresTestServer.ConnectionStringAsync();
        var name = "govmail_t_" + Guid.NewGuid().ToString("N");
        await PostgresTestServer.ExecuteAsync(server, $"CREATE DATABASE {name}" + (template is null ? "" : $" TEMPLATE {template}"), ct);
        var connectionString = PostgresTestServer.ConnectionStringFor(server, name);
        return new TestDatabase(new GovMailDatabase(new DatabaseSettings(DatabaseProvider.Postgres, connectionString)), async () =>
        {
            using (var connection = new NpgsqlConnection(connectionString)) NpgsqlConnection.ClearPool(connection);
            await PostgresTestServer.ExecuteAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", CancellationToken.None);
        });
    }

    public async ValueTask DisposeAsync() => await _drop();
}

/// <summary>
/// The schema, migrated once per test run and engine by <see cref="GovMailDatabase.MigrateAsync"/>; every test database
/// starts as a copy of it. Removed when the test run ends.
/// </summary>
internal static class MigratedTemplate
{
    private static readonly Lazy<Task<TestDatabase>> Sqlite = new(() => MigrateAsync(TestDatabase.CreateSqliteAsync(null, default)));
    private static readonly Lazy<Task<TestDatabase>> Postgres = new(() => MigrateAsync(TestDatabase.CreatePostgresAsync(null, default)));

    /// <summary>The path of the migrated SQLite file, closed and checkpointed so that a plain copy is a whole database.</summary>
    public static async Task<string> SqliteAsync()
    {
        var template = await Sqlite.Value;
        return new SqliteConnectionStringBuilder(template.Database.Settings.ConnectionString).DataSource;
    }

    /// <summary>The name of the migrated PostgreSQL database, with no connection open to it (CREATE DATABASE … TEMPLATE needs none).</summary>
    public static async Task<string> PostgresAsync()
    {
        var template = await Postgres.Value;
        return new NpgsqlConnectionStringBuilder(template.Database.Settings.ConnectionString).Database!;
    }

    private static async Task<TestDatabase> MigrateAsync(Task<TestDatabase> creating)
    {
        var template = await creating;
        try
        {
            await template.Database.MigrateAsync();
            if (template.Provider == DatabaseProvider.Sqlite)
            {
                await using (var db = template.Database.Open())
                    await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
                using var connection = new SqliteConnection(template.Database.Settings.ConnectionString);
                SqliteConnection.ClearPool(connection);
            }
            else
            {
                using var connection = new NpgsqlConnection(template.Database.Settings.ConnectionString);
                NpgsqlConnection.ClearPool(connection);
            }
        }
        catch
        {
            await template.DisposeAsync();
            throw;
        }
        // xunit 2 has no end-of-run hook for a static; process exit is synchronous, so the drop is waited for here.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => template.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return template;
    }
}

/// <summary>
/// The PostgreSQL server the tests create their databases on: the one <c>GOVMAIL_TEST_POSTGRES</c> names, or else the
/// throw-away cluster that <c>scripts/postgres-test-cluster start</c> installs, starts (or finds running) and prints.
/// When neither works the PostgreSQL tests fail with the reason; they are never skipped.
/// </summary>
public static class PostgresTestServer
{
    public const string Variable = "GOVMAIL_TEST_POSTGRES";

    private static readonly Lazy<Task<string>> Server = new(FindAsync);

    /// <summary>The server's connection string (its maintenance database), found once per test run.</summary>
    public static Task<string> ConnectionStringAsync() => Server.Value;

    public static string ConnectionStringFor(string server, string database) =>
        new NpgsqlConnectionStringBuilder(server) { Database = database, IncludeErrorDetail = true }.ConnectionString;

    public static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<string> FindAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(Variable);
        var (connectionString, source) = string.IsNullOrWhiteSpace(fromEnvironment)
            ? (await StartClusterAsync(), "scripts/postgres-test-cluster start")
            : (fromEnvironment.Trim(), Variable);
        try
        {
            await ExecuteAsync(connectionString, "SELECT 1", CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL tests need a server, but the one from {source} ('{connectionString}') cannot be reached: {ex.Message}", ex);
        }
        return connectionString;
    }

    private static async Task<string> StartClusterAsync()
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "postgres-test-cluster");
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { script, "start" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string output, errors;
        int exitCode;
        try
        {
            using var process = Process.Start(start)
                ?? throw new InvalidOperationException($"{Variable} is not set and {script} could not be started.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            // Installing PostgreSQL from Debian on a fresh machine takes a few minutes.
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            await process.WaitForExitAsync(timeout.Token);
            (output, errors, exitCode) = (await stdout, await stderr, process.ExitCode);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            throw new InvalidOperationException($"{Variable} is not set and '{script} start' did not finish: {ex.Message}", ex);
        }
        var connectionString = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .LastOrDefault(line => line.StartsWith("Host=", StringComparison.Ordinal));
        if (exitCode != 0 || connectionString is null)
            throw new InvalidOperationException(
                $"{Variable} is not set and '{script} start' failed (exit code {exitCode}); set {Variable} to a PostgreSQL " +
                $"connection string (a superuser role) or fix the script.\n{errors.Trim()}");
        return connectionString;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GovMail.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"{Variable} is not set and GovMail.slnx (the repository root) is not above {AppContext.BaseDirectory}.");
    }
}
