using System.Collections.Concurrent;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using GovMail.Storage.Tests.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace GovMail.Storage.Tests.Mail;

/// <summary>
/// The cross-node bus on a real PostgreSQL: buses standing for nodes (each with its own connection string to the one database,
/// as separate processes would have) hear each other's changes through LISTEN/NOTIFY, not their own twice, and after losing
/// the listening connection tell every open mailbox to look again.
/// </summary>
public sealed class PostgresMailboxNotificationsTests : IAsyncLifetime
{
    // Only bounds a broken run; a notice normally arrives in milliseconds.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private TestDatabase _test = null!;

    public async Task InitializeAsync() => _test = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);

    public async Task DisposeAsync() => await _test.DisposeAsync();

    /// <summary>A node's view of the shared database: the same database under a connection string of its own.</summary>
    private GovMailDatabase Node(string name) => new(new DatabaseSettings(DatabaseProvider.Postgres,
        new NpgsqlConnectionStringBuilder(_test.Database.Settings.ConnectionString) { ApplicationName = "govmail-" + name }.ConnectionString));

    private static Task<PostgresMailboxNotifications> BusAsync(GovMailDatabase node) =>
        PostgresMailboxNotifications.StartAsync(node, NullLogger.Instance);

    private sealed class Heard : IMailboxListener
    {
        public ConcurrentQueue<MailboxChange> Changes { get; } = new();
        public void OnMailboxChanged(in MailboxChange change) => Changes.Enqueue(change);

        public async Task<MailboxChange> WaitForAsync(Func<MailboxChange, bool> which)
        {
            var until = DateTime.UtcNow + Patience;
            while (DateTime.UtcNow < until)
            {
                foreach (var c in Changes) if (which(c)) return c;
                await Task.Delay(10);
            }
            throw new TimeoutException("the notice never arrived; heard: " + string.Join(", ", Changes));
        }
    }

    [Fact]
    public async Task A_change_published_on_one_node_reaches_the_subscribers_of_the_others_and_its_own_once()
    {
        await using var a = await BusAsync(Node("a"));
        await using var b = await BusAsync(Node("b"));
        await using var c = await BusAsync(Node("c"));
        var onA = new Heard();
        var onB = new Heard();
        var onC = new Heard();
        using var subA = a.Subscribe(42, onA);
        using var subB = b.Subscribe(42, onB);
        using var subC = c.Subscribe(7, onC);

        b.Publish(new MailboxChange(42, MailboxChangeKind.MessagesAdded, 1001));
        Assert.Equal(new MailboxChange(42, MailboxChangeKind.MessagesAdded, 1001), await onA.WaitForAsync(_ => true));
        // On its own node the subscriber heard it at once, as without PostgreSQL.
        Assert.Equal([new MailboxChange(42, MailboxChangeKind.MessagesAdded, 1001)], onB.Changes);

        // A later notice from another node reaches b after b's own would have come back: b did not hand its own out twice.
        a.Publish(new MailboxChange(42, MailboxChangeKind.MessagesExpunged, 1002));
        await onB.WaitForAsync(x => x.ModSeq == 1002);
        Assert.Equal([1001L, 1002L], onB.Changes.Select(x => x.ModSeq));
        c.Publish(new MailboxChange(42, MailboxChangeKind.FlagsChanged, 1003));
        await onA.WaitForAsync(x => x.ModSeq == 1003);
        Assert.Equal(
            [new MailboxChange(42, MailboxChangeKind.MessagesAdded, 1001), new MailboxChange(42, MailboxChangeKind.MessagesExpunged, 1002),
             new MailboxChange(42, MailboxChangeKind.FlagsChanged, 1003)],
            onA.Changes);
        // A mailbox nobody on c follows never reached c's subscriber of another mailbox.
        Assert.Empty(onC.Changes);
    }

    [Fact]
    public async Task After_the_listening_connection_is_cut_every_open_mailbox_looks_again_and_later_changes_are_heard()
    {
        var nodeA = Node("a");
        await using var a = await BusAsync(nodeA);
        await using var b = await BusAsync(Node("b"));
        var onA = new Heard();
        using var sub = a.Subscribe(42, onA);
        using var other = a.Subscribe(43, new Heard());
        Assert.Equal(1, a.Connections);

        // What a restart of PostgreSQL or a broken network does to the node's listening connection.
        await PostgresTestServer.ExecuteAsync(_test.Database.Settings.ConnectionString,
            $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() " +
            $"AND application_name = '{PostgresMailboxNotifications.ApplicationName}'", CancellationToken.None);
        // A change committed while a is reconnecting may be lost as a notice; the look-again makes up for it.
        b.Publish(new MailboxChange(42, MailboxChangeKind.MessagesAdded, 2001));

        var missed = await onA.WaitForAsync(x => x.Kind == MailboxChangeKind.Missed);
        Assert.Equal(42, missed.MailboxId);
        Assert.True(a.Connections >= 2);

        b.Publish(new MailboxChange(42, MailboxChangeKind.FlagsChanged, 2002));
        Assert.Equal(MailboxChangeKind.FlagsChanged, (await onA.WaitForAsync(x => x.ModSeq == 2002)).Kind);
    }

    [Fact]
    public async Task A_directory_change_committed_on_one_node_makes_the_others_forget_their_cached_recipients()
    {
        var nodeA = Node("a");
        var nodeB = Node("b");
        await using var a = await BusAsync(nodeA);
        await using var b = await BusAsync(nodeB);
        var before = DirectoryChanges.VersionOf(nodeA);

        var init = await new GovMail.Storage.Directory.TenantDirectory(nodeB, _test.Clock, _test.Hasher)
            .InitAsync("hcm.gov.vn", "Ủy ban nhân dân Thành phố Hồ Chí Minh", null);
        Assert.True(init.IsOk);

        var until = DateTime.UtcNow + Patience;
        while (DirectoryChanges.VersionOf(nodeA) == before)
        {
            Assert.True(DateTime.UtcNow < until, "node a never heard of the directory change made on node b");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Nodes_migrating_a_new_database_at_once_take_turns_and_each_migration_is_applied_once()
    {
        await using var empty = await TestDatabase.CreateAsync(DatabaseProvider.Postgres, migrate: false);
        var nodes = Enumerable.Range(1, 3).Select(n => new GovMailDatabase(new DatabaseSettings(DatabaseProvider.Postgres,
            new NpgsqlConnectionStringBuilder(empty.Database.Settings.ConnectionString) { ApplicationName = $"govmail-node{n}" }.ConnectionString))).ToList();

        await Task.WhenAll(nodes.Select(n => Task.Run(() => n.MigrateAsync())));

        await using var db = empty.Database.Open();
        await using var connection = new NpgsqlConnection(empty.Database.Settings.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*), count(DISTINCT \"MigrationId\") FROM __migrations", connection);
        await using var reader = await count.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(db.Database.GetMigrations().Count(), reader.GetInt64(0));
        Assert.Equal(reader.GetInt64(0), reader.GetInt64(1));
    }

    [Fact]
    public async Task The_start_lock_is_held_by_one_node_at_a_time()
    {
        var first = await Node("a").LockForStartAsync();
        var second = Node("b").LockForStartAsync();
        // Still waiting while the first holds it: the probe from a third session cannot take it either.
        await using (var probe = new NpgsqlConnection(_test.Database.Settings.ConnectionString))
        {
            await probe.OpenAsync();
            await using var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(@k)", probe);
            tryLock.Parameters.AddWithValue("k", GovMailDatabase.StartLockKey);
            Assert.False((bool)(await tryLock.ExecuteScalarAsync())!);
        }
        Assert.False(second.IsCompleted);
        await first.DisposeAsync();
        await using var held = await second.WaitAsync(Patience);
    }
}
