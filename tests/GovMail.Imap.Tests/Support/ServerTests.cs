using GovMail.Storage.Database;

namespace GovMail.Imap.Tests.Support;

/// <summary>A test class with a fresh <see cref="ImapTestServer"/> per test, on the database engine given.</summary>
public abstract class ServerTests(DatabaseProvider provider = DatabaseProvider.Sqlite) : IAsyncLifetime
{
    internal ImapTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ImapTestServer.StartAsync(provider: provider);
        await SetUpAsync();
    }

    /// <summary>Mail and state each test of the class starts from.</summary>
    protected virtual Task SetUpAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
