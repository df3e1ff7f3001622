using System.Security.Cryptography;
using System.Text.Json;
using GovMail.Storage.Database;
using GovMail.Storage.Tests.Database;
using Npgsql;

namespace GovMail.EndToEnd.Tests.Support;

/// <summary>
/// Several <c>govmail serve</c> nodes as an operator deploys them for a city (docs/scale-out.md): each in a process and a data
/// folder of its own (TLS certificate, spool), all on one new PostgreSQL database of the test server and one shared blob folder
/// (mounted as each node's <c>blobs/</c>, here a symbolic link), with the same secret key. The tenant is the one of
/// <see cref="TenantDataFolder"/>; the first node to start creates it.
/// </summary>
internal sealed class GovMailCluster : IAsyncDisposable
{
    private readonly string _server;
    private readonly string _databaseName;

    private GovMailCluster(string root, string server, string databaseName, DatabaseSettings database, IReadOnlyList<TenantDataFolder> folders)
    {
        Root = root;
        _server = server;
        _databaseName = databaseName;
        Database = database;
        Folders = folders;
        Nodes = new GovMailServer?[folders.Count];
    }

    public string Root { get; }
    public string SharedBlobs => Path.Combine(Root, "blobs");
    public DatabaseSettings Database { get; }

    /// <summary>Each node's data folder; its <see cref="TenantDataFolder.Database"/> is the shared PostgreSQL.</summary>
    public IReadOnlyList<TenantDataFolder> Folders { get; }

    /// <summary>The running node of each folder (null until started).</summary>
    public GovMailServer?[] Nodes { get; }

    public GovMailServer this[int node] => Nodes[node] ?? throw new InvalidOperationException($"node {node} is not running");

    /// <summary>
    /// Data folders for <paramref name="nodes"/> nodes on a new, empty database. <paramref name="outbound"/> is the nodes'
    /// <c>Outbound</c> section (e.g. a transport map to a test sink).
    /// </summary>
    public static async Task<GovMailCluster> CreateAsync(int nodes, object? outbound = null)
    {
        var server = await PostgresTestServer.ConnectionStringAsync();
        var name = "govmail_cluster_" + Guid.NewGuid().ToString("N")[..12];
        await PostgresTestServer.ExecuteAsync(server, $"CREATE DATABASE {name}", CancellationToken.None);
        var database = new DatabaseSettings(DatabaseProvider.Postgres, new NpgsqlConnectionStringBuilder(PostgresTestServer.ConnectionStringFor(server, name))
        {
            // Several nodes and the test itself share the test server's connections.
            MaxPoolSize = 20,
        }.ConnectionString);
        var root = Path.Combine(Path.GetTempPath(), "govmail-cluster-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(root, "blobs"));
        var secretKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var folders = new List<TenantDataFolder>();
        for (var n = 1; n <= nodes; n++)
        {
            var path = Path.Combine(root, $"node{n}");
            Directory.CreateDirectory(path);
            Directory.CreateSymbolicLink(Path.Combine(path, "blobs"), Path.Combine(root, "blobs"));
            var settings = new Dictionary<string, object?>
            {
                ["Database"] = new { Provider = "postgres", database.ConnectionString },
                ["Tenant"] = new { TenantDataFolder.Domain, Name = TenantDataFolder.Organisation },
                ["Security"] = new { SecretKey = secretKey },
                ["HostName"] = $"node{n}.mail.tphcm.gov.vn",
            };
            if (outbound is not null) settings["Outbound"] = outbound;
            await File.WriteAllTextAsync(Path.Combine(path, "govmail.json"), JsonSerializer.Serialize(settings));
            folders.Add(TenantDataFolder.At(path, database));
        }
        return new GovMailCluster(root, server, name, database, folders);
    }

    /// <summary>Starts the given nodes (all by default) at the same moment and waits until each answers <c>/healthz</c>.</summary>
    public async Task StartAsync(params int[] nodes)
    {
        if (nodes.Length == 0) nodes = [.. Enumerable.Range(0, Folders.Count)];
        // Each node a machine of its own: nothing shared through the user's home folder (where ASP.NET Core would keep a key
        // ring of its own), only through the database and the blob folder.
        var started = await Task.WhenAll(nodes.Select(n => Task.Run(() => GovMailServer.StartAsync(Folders[n].Path,
            new Dictionary<string, string?> { ["HOME"] = Folders[n].Path }))));
        for (var i = 0; i < nodes.Length; i++) Nodes[nodes[i]] = started[i];
    }

    /// <summary>Log entries at Error or Critical level of every node still counted (killed ones included).</summary>
    public IReadOnlyList<string> ErrorLog(params int[] nodes) =>
        [.. nodes.SelectMany(n => Nodes[n]?.ErrorLog ?? [])];

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes.Where(n => n is not null))
        {
            await node!.StopAsync();
            node.Dispose();
        }
        NpgsqlConnection.ClearAllPools();
        await PostgresTestServer.ExecuteAsync(_server, $"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)", CancellationToken.None);
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { /* a temp folder left behind is harmless */ }
        catch (UnauthorizedAccessException) { }
    }
}
