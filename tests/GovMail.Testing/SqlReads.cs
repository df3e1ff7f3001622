using System.Diagnostics;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GovMail.Testing;

/// <summary>
/// Counts the SELECT statements EF Core runs on one database whose text names <c>what</c> (a table, a column), from the
/// moment it is made until it is disposed: for tests that pin what a path reads, and what it no longer reads once kept.
/// </summary>
public sealed class SqlReads : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly (string DataSource, string Database) _database;
    private readonly string _what;
    private readonly List<IDisposable> _subscriptions = [];
    private int _count;

    /// <summary>
    /// Starts counting once EF Core sees the listener: it looks again whether anyone listens to its commands only when its
    /// logging cache time (a second) has passed, so a count started without waiting misses what runs meanwhile.
    /// </summary>
    public static async Task<SqlReads> StartAsync(GovMailDatabase database, string what)
    {
        var reads = new SqlReads(database, what);
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        return reads;
    }

    private SqlReads(GovMailDatabase database, string what)
    {
        using (var db = database.Open())
        {
            var connection = db.Database.GetDbConnection();
            _database = (connection.DataSource, connection.Database);
        }
        _what = what;
        _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
    }

    public void Reset() => Interlocked.Exchange(ref _count, 0);

    public int Count => Volatile.Read(ref _count);

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name) lock (_subscriptions) _subscriptions.Add(listener.Subscribe(this));
    }

    public void OnNext(KeyValuePair<string, object?> e)
    {
        if (e.Key != RelationalEventId.CommandExecuting.Name || e.Value is not CommandEventData { Command: var command }) return;
        if (command.Connection is not { } c || (c.DataSource, c.Database) != _database) return;
        if (command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
            && command.CommandText.Contains(_what, StringComparison.Ordinal))
            Interlocked.Increment(ref _count);
    }

    public void OnCompleted() { }

    public void OnError(Exception error) { }

    public void Dispose()
    {
        lock (_subscriptions) foreach (var s in _subscriptions) s.Dispose();
    }
}
