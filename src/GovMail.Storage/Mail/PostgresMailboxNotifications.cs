using System.Globalization;
using System.Threading.Channels;
using GovMail.Storage.Database;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GovMail.Storage.Mail;

/// <summary>
/// The notification bus of several nodes sharing one PostgreSQL (thông báo giữa các máy chủ): every change published here is
/// handed to this node's subscribers at once and sent to the other nodes with <c>NOTIFY</c>; one dedicated connection per node
/// <c>LISTEN</c>s and hands the other nodes' notices to the local subscribers. An IMAP session in IDLE on one node thus hears of
/// a delivery, a flag change or an expunge committed on another.
/// <para>
/// The listening connection is watched (a query every <see cref="PingInterval"/> while nothing arrives) and opened again when
/// lost. Notices sent while it was down are gone, so after every reconnection each subscribed mailbox gets a
/// <see cref="MailboxChangeKind.Missed"/> notice: its sessions read the database again and miss nothing. Directory changes
/// (accounts, aliases, groups) travel the same way, so recipient caches on the other nodes drop what they held.
/// </para>
/// </summary>
public sealed class PostgresMailboxNotifications : MailboxNotifications, IAsyncDisposable
{
    /// <summary>The channel of the notices; NOTIFY is per database, so nodes of another installation never hear them.</summary>
    public const string Channel = "govmail_changes";

    /// <summary>How the listening connection shows in <c>pg_stat_activity.application_name</c>.</summary>
    public const string ApplicationName = "govmail-listen";

    private const int MaxBatch = 500;
    private const int SendAttempts = 5;

    private readonly string _database;
    private readonly string _listenConnectionString;
    private readonly ILogger _log;
    private readonly Channel<string> _outbox = System.Threading.Channels.Channel.CreateUnbounded<string>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<string> _directoryChanged;
    private Task _listen = Task.CompletedTask;
    private Task _send = Task.CompletedTask;
    private int _connections;

    private PostgresMailboxNotifications(string connectionString, ILogger log)
    {
        _database = connectionString;
        _log = log;
        _listenConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // Its own physical connection, never handed back to a pool that might give it to a query.
            Pooling = false,
            ApplicationName = ApplicationName,
            Timeout = 10,
            CommandTimeout = 10,
        }.ConnectionString;
        _directoryChanged = changed =>
        {
            if (string.Equals(changed, _database, StringComparison.Ordinal)) _outbox.Writer.TryWrite(Node + " d");
        };
    }

    /// <summary>This node's mark on its notices, so that it does not hand its own changes out twice.</summary>
    public string Node { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>How long the listening connection may stay silent before it is checked with a query.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times the listening connection was opened (1 when it was never lost).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>
    /// Starts listening on <paramref name="database"/> and returns once the first <c>LISTEN</c> is in place, so a node that says
    /// it is up hears every change committed afterwards.
    /// </summary>
    public static async Task<PostgresMailboxNotifications> StartAsync(GovMailDatabase database, ILogger log, CancellationToken ct = default)
    {
        if (database.Settings.Provider != DatabaseProvider.Postgres)
            throw new ArgumentException("LISTEN/NOTIFY needs PostgreSQL", nameof(database));
        var bus = new PostgresMailboxNotifications(database.Settings.ConnectionString, log);
        DirectoryChanges.Committed += bus._directoryChanged;
        bus._listen = Task.Run(() => bus.ListenAsync(bus._stop.Token), CancellationToken.None);
        bus._send = Task.Run(() => bus.SendAsync(bus._stop.Token), CancellationToken.None);
        try
        {
            await bus._listening.Task.WaitAsync(ct);
        }
        catch
        {
            await bus.DisposeAsync();
            throw;
        }
        return bus;
    }

    /// <summary>The bus for <paramref name="database"/>: across nodes on PostgreSQL, inside this process on SQLite.</summary>
    public static async Task<MailboxNotifications> ForAsync(GovMailDatabase database, ILogger log, CancellationToken ct = default) =>
        database.Settings.Provider == DatabaseProvider.Postgres ? await StartAsync(database, log, ct) : new MailboxNotifications();

    /// <summary>Hands the change to this node's subscribers now and sends it to the other nodes.</summary>
    public override void Publish(MailboxChange change)
    {
        Dispatch(change);
        _outbox.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture, $"{Node} m {change.MailboxId} {(int)change.Kind} {change.ModSeq}"));
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_listenConnectionString);
                connection.Notification += (_, e) => Received(e.Payload);
                await connection.OpenAsync(ct);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(ct);
                if (Interlocked.Increment(ref _connections) > 1)
                {
                    _log.LogInformation("Listening for changes of the other nodes again; every open mailbox looks again");
                    LookAgain();
                }
                _listening.TrySetResult();
                delay = TimeSpan.FromMilliseconds(100);
                while (true)
                {
                    if (await connection.WaitAsync(PingInterval, ct)) continue;
                    await using var ping = new NpgsqlCommand("SELECT 1", connection);
                    await ping.ExecuteScalarAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.LogWarning("The connection listening for the other nodes' changes failed ({Error}); opening it again in {Delay} ms",
                    e.Message, (int)delay.TotalMilliseconds);
            }
            try { await Task.Delay(delay, ct); }
            catch (OperationCanceledException) { return; }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    /// <summary>Every mailbox someone here follows may have changed unheard: tell its subscribers to read it again.</summary>
    private void LookAgain()
    {
        DirectoryChanges.Bump(_database);
        foreach (var mailboxId in SubscribedMailboxIds())
            Dispatch(new MailboxChange(mailboxId, MailboxChangeKind.Missed, 0));
    }

    /// <summary>One notice: <c>NODE m MAILBOX KIND MODSEQ</c> (a mailbox change) or <c>NODE d</c> (a directory change).</summary>
    private void Received(string payload)
    {
        var parts = payload.Split(' ');
        if (parts.Length < 2 || parts[0] == Node) return;
        try
        {
            if (parts is [_, "m", var mailbox, var kind, var modSeq]
                && long.TryParse(mailbox, NumberStyles.None, CultureInfo.InvariantCulture, out var mailboxId)
                && int.TryParse(kind, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && Enum.IsDefined((MailboxChangeKind)k)
                && long.TryParse(modSeq, NumberStyles.None, CultureInfo.InvariantCulture, out var m))
                Dispatch(new MailboxChange(mailboxId, (MailboxChangeKind)k, m));
            else if (parts is [_, "d"])
                DirectoryChanges.Bump(_database);
        }
        catch (Exception e)
        {
            // A subscriber's fault must not take the listening connection down with it.
            _log.LogError(e, "A subscriber failed on the notice {Payload}", payload);
        }
    }

    /// <summary>Sends what was published, many notices per round trip when they come quickly.</summary>
    private async Task SendAsync(CancellationToken ct)
    {
        var batch = new List<string>();
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(ct))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _outbox.Reader.TryRead(out var payload)) batch.Add(payload);
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await using var connection = new NpgsqlConnection(_database);
                        await connection.OpenAsync(ct);
                        await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, p) FROM unnest(@payloads) AS p", connection);
                        notify.Parameters.AddWithValue("channel", Channel);
                        notify.Parameters.AddWithValue("payloads", batch.ToArray());
                        await notify.ExecuteNonQueryAsync(ct);
                        break;
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        if (attempt >= SendAttempts)
                        {
                            // The database is away: the other nodes lost their listening connections too and look again when back.
                            _log.LogWarning("Could not tell the other nodes of {Count} changes ({Error})", batch.Count, e.Message);
                            break;
                        }
                        await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        DirectoryChanges.Committed -= _directoryChanged;
        _outbox.Writer.TryComplete();
        // What was published before stopping still goes out, within a short bound.
        try { await _send.WaitAsync(TimeSpan.FromSeconds(2)); }
        catch (TimeoutException) { }
        await _stop.CancelAsync();
        await Task.WhenAll(_listen, _send);
        _stop.Dispose();
    }
}
