using GovMail.Configuration;
using GovMail.Core;
using GovMail.Core.Security;
using GovMail.Storage.Security;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.Extensions.Configuration;

namespace GovMail.Cli;

/// <summary>What one command needs: the settings, where to write, and the directory services over the configured database.</summary>
public sealed class CliContext
{
    public required GovMailOptions Options { get; init; }
    public required IConfiguration Configuration { get; init; }
    public required CliOutput Output { get; init; }
    public required TimeProvider Clock { get; init; }
    public required GovMailDatabase Database { get; init; }
    public required PasswordHasher Hasher { get; init; }

    /// <summary>
    /// The administrator a command runs as (<c>--as ADDRESS</c>): their scope limits what it sees and changes, and the audit log
    /// names them. Null: the local operator at the server's shell, who may do everything.
    /// </summary>
    public string? AsAddress { get; init; }

    /// <summary>Who the audit log names: the <c>--as</c> administrator, or the shell user.</summary>
    public string Actor => AsAddress ?? "cli:" + Environment.UserName;

    public AdminAccess Access => new(Database, Clock);
    public AdminTokens Tokens => new(Database, Clock);
    public AdminTotp AdminTotp => new(Database, Clock, SecretProtector.For(Options.DataDirectory, Options.Security.SecretKey));

    private AdminScope? _scope;

    /// <summary>The scope of <see cref="AsAddress"/>; refuses a command run as someone who is not an administrator.</summary>
    public async Task<AdminScope> ScopeAsync(CancellationToken ct)
    {
        if (_scope is not null) return _scope;
        if (AsAddress is null) return _scope = AdminScope.Unrestricted(Actor);
        return _scope = (await Access.ScopeForAsync(AsAddress, ct)).OrFail();
    }

    /// <summary>Refuses unless the administrator may use <paramref name="permission"/> in the unit (null: the whole tenant).</summary>
    public async Task RequireAsync(Permission permission, string? unitReference, CancellationToken ct)
    {
        if (await Access.CheckUnitAsync(await ScopeAsync(ct), permission, unitReference, ct) is { } problem) throw new CliException(problem);
    }

    /// <summary>Refuses unless the administrator may use <paramref name="permission"/> on the account.</summary>
    public async Task RequireAccountAsync(Permission permission, string address, CancellationToken ct)
    {
        if (await Access.CheckAccountAsync(await ScopeAsync(ct), permission, address, ct) is { } problem) throw new CliException(problem);
    }

    /// <summary>The units the administrator may use <paramref name="permission"/> in, or null for all.</summary>
    public async Task<HashSet<Guid>?> UnitsInScopeAsync(Permission permission, CancellationToken ct)
    {
        var scope = await ScopeAsync(ct);
        if (scope.Roots(permission) is { Count: 0 }) throw new CliException(Problem.Of("TenantWideOutOfScope", scope.Actor));
        return await Access.UnitsAsync(scope, permission, ct);
    }

    private Storage.Blobs.IBlobStore? _blobs;

    /// <summary>The configured blob store (one per command, sharing its S3 client); refuses settings it cannot use.</summary>
    public Storage.Blobs.IBlobStore Blobs
    {
        get
        {
            if (_blobs is not null) return _blobs;
            if (Options.Blobs.Problem() is { } p) throw new CliException(Problem.Of(p.Code, p.Argument));
            return _blobs = Options.Blobs.Open(Options.DataDirectory);
        }
    }

    public TenantDirectory Tenants => new(Database, Clock, Hasher);
    public UnitDirectory Units => new(Database, Clock);
    public AccountDirectory Accounts => new(Database, Clock, Hasher);
    public AddressBook AddressBook => new(Database, Clock);
    public Storage.Lifecycle.LifecycleWorkflows Lifecycle => new(Database, Clock, Hasher);

    /// <summary>
    /// Builds the configuration from appsettings.json beside the program, govmail.json in the data folder,
    /// GOVMAIL__ environment variables, then the command-line overrides.
    /// </summary>
    public static CliContext Create(string? dataOption, IDictionary<string, string?> overrides, CliOutput output, TimeProvider? clock = null,
        string? asAddress = null)
    {
        var data = dataOption ?? Environment.GetEnvironmentVariable("GOVMAIL_DATA");
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables("GOVMAIL__");
        var early = builder.Build();
        var dataDir = Path.GetFullPath(data ?? early["Data"] ?? "./data");
        builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(dataDir, "govmail.json"), optional: true)
            .AddEnvironmentVariables("GOVMAIL__")
            .AddInMemoryCollection(overrides.Where(kv => kv.Value is not null));
        var configuration = builder.Build();
        var options = new GovMailOptions();
        configuration.Bind(options);
        options.Data = dataDir;
        var hasher = new PasswordHasher(options.Security.PasswordHashMemoryKiB, options.Security.PasswordHashIterations);
        return new CliContext
        {
            Options = options,
            Configuration = configuration,
            Output = output,
            Clock = clock ?? TimeProvider.System,
            Database = new GovMailDatabase(options.DatabaseSettings),
            Hasher = hasher,
            AsAddress = string.IsNullOrWhiteSpace(asAddress) ? null : asAddress.Trim().ToLowerInvariant(),
        };
    }

    /// <summary>Brings the schema up to date; for commands that need an existing tenant, refuses an uninitialised data folder.</summary>
    public async Task<Core.Directory.Tenant> OpenTenantAsync(CancellationToken ct)
    {
        RequireDataFolder();
        await Database.MigrateAsync(ct);
        var tenant = await Tenants.RequireAsync(ct);
        return tenant.IsOk ? tenant.Value! : throw new CliException(tenant.Problem!);
    }

    /// <summary>Refuses a data folder that was never initialised (no SQLite database and no connection string); opens nothing.</summary>
    public void RequireDataFolder()
    {
        if (Database.Settings.Provider == DatabaseProvider.Sqlite && !File.Exists(Path.Combine(Options.DataDirectory, "govmail.db"))
            && string.IsNullOrEmpty(Options.Database.ConnectionString))
            throw new CliException(Problem.Of("NoTenant"));
    }
}

/// <summary>An expected refusal that ends a command with one plain line and a non-zero exit code.</summary>
public sealed class CliException(Problem problem, int exitCode = 1) : Exception(problem.Message(Messages.English))
{
    public Problem Problem { get; } = problem;
    public int ExitCode { get; } = exitCode;
}

public static class ResultExtensions
{
    /// <summary>The value, or a <see cref="CliException"/> carrying the refusal.</summary>
    public static T OrFail<T>(this Result<T> result) => result.IsOk ? result.Value! : throw new CliException(result.Problem!);
}
