using System.ComponentModel;
using System.Data;
using System.Diagnostics;
using GovMail.Cli;
using GovMail.Core;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GovMail.Operations;

/// <summary>
/// The database half of <c>govmail backup</c>/<c>restore</c> on PostgreSQL, through Debian's <c>pg_dump</c> and <c>pg_restore</c>
/// (package postgresql-client, the same major version as the server or newer). The dump is taken inside a transaction whose
/// snapshot is exported to pg_dump, so the blob keys read here and the dump are the database as of the same moment.
/// </summary>
public static class PostgresDump
{
    /// <summary>The dump's file name inside a backup (pg_dump's custom format).</summary>
    public const string FileName = "govmail.pgdump";

    /// <summary>Dumps the database into <paramref name="file"/>; returns the blob keys the dump refers to.</summary>
    public static async Task<HashSet<string>> DumpAsync(GovMailDatabase database, string file, CancellationToken ct)
    {
        await using var db = database.Open();
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var snapshot = await db.Database.SqlQueryRaw<string>("SELECT pg_export_snapshot() AS \"Value\"").SingleAsync(ct);
        var keys = new HashSet<string>(await db.Messages.AsNoTracking().Select(m => m.BlobKey).ToListAsync(ct), StringComparer.Ordinal);
        keys.UnionWith(await db.Outbound.AsNoTracking().Select(m => m.BlobKey).ToListAsync(ct));
        var partial = file + ".partial";
        await RunAsync("pg_dump", database, ["--format=custom", "--no-owner", "--no-privileges", "--snapshot=" + snapshot, "--file=" + partial], ct);
        await transaction.CommitAsync(ct);
        using (var f = new FileStream(partial, FileMode.Open, FileAccess.ReadWrite)) f.Flush(flushToDisk: true);
        File.Move(partial, file, overwrite: true);
        return keys;
    }

    /// <summary>Refuses to restore into a database that already holds tables.</summary>
    public static async Task RequireEmptyAsync(GovMailDatabase database, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(database.Settings.ConnectionString);
        await connection.OpenAsync(ct);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()", connection);
        if ((long)(await count.ExecuteScalarAsync(ct) ?? 0L) > 0) throw new CliException(Problem.Of("RestoreDatabaseNotEmpty", connection.Database));
    }

    /// <summary>Loads a dump into the (empty) database.</summary>
    public static Task RestoreAsync(GovMailDatabase database, string file, CancellationToken ct)
    {
        if (!File.Exists(file)) throw new CliException(Problem.Of("RestoreNotABackup", Path.GetDirectoryName(file)));
        return RunAsync("pg_restore", database, ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname=" + Database(database), file], ct);
    }

    private static string Database(GovMailDatabase database) => new NpgsqlConnectionStringBuilder(database.Settings.ConnectionString).Database ?? "";

    /// <summary>Runs a PostgreSQL client program with the connection in its environment (the password never on its command line).</summary>
    private static async Task RunAsync(string program, GovMailDatabase database, IEnumerable<string> arguments, CancellationToken ct)
    {
        var connection = new NpgsqlConnectionStringBuilder(database.Settings.ConnectionString);
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["PGHOST"] = connection.Host ?? "localhost";
        start.Environment["PGPORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (connection.Username is { } user) start.Environment["PGUSER"] = user;
        if (connection.Password is { } password) start.Environment["PGPASSWORD"] = password;
        if (connection.Database is { } name) start.Environment["PGDATABASE"] = name;
        Process process;
        try { process = Process.Start(start) ?? throw new Win32Exception(); }
        catch (Win32Exception) { throw new CliException(Problem.Of("BackupPostgresToolMissing", program)); }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync(ct);
            await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
                throw new CliException(Problem.Of("BackupPostgresToolFailed", program,
                    (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
