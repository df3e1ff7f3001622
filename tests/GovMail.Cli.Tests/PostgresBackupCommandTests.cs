using GovMail.Cli.Tests.Support;
using GovMail.Core.Mail;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Npgsql;

namespace GovMail.Cli.Tests;

/// <summary>
/// <c>govmail backup</c>/<c>restore</c> on PostgreSQL (pg_dump/pg_restore of Debian's postgresql-client) against the test server
/// named by <c>GOVMAIL_TEST_POSTGRES</c> (<c>scripts/postgres-test-cluster start</c> prints one).
/// </summary>
public sealed class PostgresBackupCommandTests
{
    [Fact]
    public async Task A_backup_on_postgresql_restores_into_an_empty_database_and_a_new_data_folder_byte_for_byte()
    {
        var server = await ServerAsync();
        var source = await CreateDatabaseAsync(server);
        var target = await CreateDatabaseAsync(server);
        using var data = new DataFolder();
        using var restored = new DataFolder();
        string[] on = ["--db", "postgres", "--connection", source];
        await MailboxExportCommandTests.SetUpAsync(data, new GovMailDatabase(new DatabaseSettings(DatabaseProvider.Postgres, source)), on);
        var before = await MailboxExportCommandTests.FoldersAsync(new GovMailDatabase(new DatabaseSettings(DatabaseProvider.Postgres, source)), data.Path);

        // Mail keeps arriving in INBOX while the backup runs.
        using var stop = new CancellationTokenSource();
        var arriving = DeliverUntilAsync(new GovMailDatabase(new DatabaseSettings(DatabaseProvider.Postgres, source)), data, stop.Token);
        var backupDir = data.File("sao-luu");
        var backup = (await data.RunAsync(["backup", "-o", backupDir, "--json", .. on])).Ok();
        await stop.CancelAsync();
        var delivered = await arriving;
        Assert.Equal("postgres", backup.Json.GetProperty("provider").GetString());
        Assert.InRange(backup.Json.GetProperty("blobs").GetInt32(), 6, 6 + delivered);
        Assert.True(File.Exists(Path.Combine(backupDir, "govmail.pgdump")));

        // Not into a database that has tables, nor as SQLite.
        Assert.Contains("trống", (await restored.RunAsync(["restore", backupDir, .. on])).Refused(1).Err, StringComparison.Ordinal);
        Assert.Contains("postgres", (await restored.RunAsync("restore", backupDir)).Refused(1).Err, StringComparison.Ordinal);

        (await restored.RunAsync(["restore", backupDir, "--db", "postgres", "--connection", target])).Ok();
        var after = await MailboxExportCommandTests.FoldersAsync(new GovMailDatabase(new DatabaseSettings(DatabaseProvider.Postgres, target)), restored.Path);
        // Everything stored before the backup began is there byte for byte; what arrived meanwhile follows in INBOX, with its body.
        Assert.StartsWith(before["INBOX"], after["INBOX"], StringComparison.Ordinal);
        Assert.Equal(before.Where(f => f.Key != "INBOX"), after.Where(f => f.Key != "INBOX"));
        Assert.Contains("lvtam@tphcm.gov.vn", (await restored.RunAsync("account", "list", "--db", "postgres", "--connection", target)).Ok().Out, StringComparison.Ordinal);
    }

    /// <summary>Appends letters to Lê Văn Tám's INBOX until stopped; returns how many.</summary>
    private static async Task<int> DeliverUntilAsync(GovMailDatabase database, DataFolder data, CancellationToken stop)
    {
        var import = new MailImport(database, new FileBlobStore(Path.Combine(data.Path, "blobs")), data.Clock);
        Guid id;
        await using (var db = database.Open()) id = (await db.Accounts.SingleAsync(a => a.Address == "lvtam@tphcm.gov.vn")).Id;
        var inbox = await import.TargetMailboxAsync(id, "INBOX", MailboxRole.Inbox, CancellationToken.None);
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            var message = new MimeMessage { Subject = $"Thư đến trong lúc sao lưu số {n}", MessageId = $"during-{n}@tphcm.gov.vn", Body = new TextPart("plain") { Text = "Nội dung." } };
            message.From.Add(new MailboxAddress("Văn phòng", "vanphong@tphcm.gov.vn"));
            await import.CopyAsync(inbox, "during", "INBOX", 1, (uint)(n + 1), (s, ct) => message.WriteToAsync(s, ct), MessageFlags.None, [], null, CancellationToken.None);
            n++;
        }
        return n;
    }

    /// <summary><c>GOVMAIL_TEST_POSTGRES</c>, or the connection string <c>scripts/postgres-test-cluster start</c> prints (as the storage tests do).</summary>
    private static async Task<string> ServerAsync()
    {
        if (Environment.GetEnvironmentVariable("GOVMAIL_TEST_POSTGRES") is { Length: > 0 } named) return named;
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "GovMail.slnx"))) root = root.Parent;
        Assert.NotNull(root);
        using var script = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(Path.Combine(root.FullName, "scripts", "postgres-test-cluster"))
        {
            ArgumentList = { "start" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var printed = script.StandardOutput.ReadToEndAsync();
        var errors = script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync();
        Assert.True(script.ExitCode == 0, $"GOVMAIL_TEST_POSTGRES is not set and scripts/postgres-test-cluster start failed: {await errors}");
        return (await printed).Trim();
    }

    private static async Task<string> CreateDatabaseAsync(string server)
    {
        var name = "govmail_b_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
    }
}
