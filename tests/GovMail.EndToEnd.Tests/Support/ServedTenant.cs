namespace GovMail.EndToEnd.Tests.Support;

/// <summary>A prepared data folder and <c>govmail serve</c> running on it, shared by the tests of one class.</summary>
public sealed class ServedTenant : IAsyncLifetime
{
    internal TenantDataFolder Data { get; private set; } = null!;
    internal GovMailServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Data = await TenantDataFolder.CreateAsync();
        Server = await GovMailServer.StartAsync(Data);
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.StopAsync();
            Server.Dispose();
        }
        Data?.Dispose();
    }
}
