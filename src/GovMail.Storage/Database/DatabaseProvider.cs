namespace GovMail.Storage.Database;

/// <summary>The database engine behind the metadata: SQLite for one server, PostgreSQL for scale.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Where the metadata lives.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>The embedded default: <c>govmail.db</c> in the data folder, in WAL mode.</summary>
    public static DatabaseSettings SqliteIn(string dataDirectory) =>
        new(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(dataDirectory, "govmail.db")};Pooling=True");

    /// <summary>The provider a setting names, or null when it names none.</summary>
    public static DatabaseProvider? ParseProvider(string text) => text.Trim().ToLowerInvariant() switch
    {
        "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
        _ => null,
    };
}
