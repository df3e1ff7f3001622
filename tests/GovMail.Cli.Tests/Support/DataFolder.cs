using GovMail.Storage.Database;
using Microsoft.Data.Sqlite;

namespace GovMail.Cli.Tests.Support;

/// <summary>A fresh, empty data folder for one test, and <c>govmail</c> run in this process against it.</summary>
internal sealed class DataFolder : IDisposable
{
    public const string Domain = "tphcm.gov.vn";
    public const string Organisation = "Sở Thông tin và Truyền thông";

    public DataFolder(TimeProvider? clock = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "govmail-cli-" + Guid.NewGuid().ToString("N")[..12]);
        Clock = clock ?? new FixedClock(FixedClock.Monday);
    }

    public string Path { get; }
    public TimeProvider Clock { get; }
    public string Database => System.IO.Path.Combine(Path, "govmail.db");

    /// <summary>A file name inside a sibling folder that is removed with this one.</summary>
    public string File(string name)
    {
        var dir = Path + "-files";
        System.IO.Directory.CreateDirectory(dir);
        return System.IO.Path.Combine(dir, name);
    }

    /// <summary>Runs <c>govmail ARGS --data THIS</c> in this process.</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunInAsync(Path, Clock, args);

    public static async Task<CliResult> RunInAsync(string dataFolder, TimeProvider clock, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        // A bound so that a command that hangs fails its test instead of the whole run.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var code = await CliApp.RunAsync([.. args, "--data", dataFolder], output, error, clock, timeout.Token);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary><c>govmail init</c> for the Ho Chi Minh City department of information and communications.</summary>
    public async Task<CliResult> InitAsync() =>
        (await RunAsync("init", "--domain", Domain, "--name", Organisation)).Ok();

    /// <summary>An initialised folder with a small tree: Sở Văn hóa và Thể thao → Phòng Nghệ thuật, Phòng Quản lý Thể dục thể thao.</summary>
    public async Task InitWithUnitsAsync()
    {
        await InitAsync();
        (await RunAsync("unit", "add", "Sở Văn hóa và Thể thao")).Ok();
        (await RunAsync("unit", "add", "Phòng Nghệ thuật", "--parent", "Sở Văn hóa và Thể thao")).Ok();
        (await RunAsync("unit", "add", "Phòng Quản lý Thể dục thể thao", "--parent", "Sở Văn hóa và Thể thao")).Ok();
    }

    /// <summary>Opens the folder's database the way the program does.</summary>
    public GovMailDbContext OpenDatabase() => new GovMailDatabase(DatabaseSettings.SqliteIn(Path)).Open();

    public void Dispose()
    {
        SqliteConnection.ClearPool(new SqliteConnection(DatabaseSettings.SqliteIn(Path).ConnectionString));
        foreach (var dir in new[] { Path, Path + "-files" })
        {
            try { if (System.IO.Directory.Exists(dir)) System.IO.Directory.Delete(dir, recursive: true); }
            catch (IOException) { /* a temp folder left behind is harmless */ }
            catch (UnauthorizedAccessException) { }
        }
    }
}

