using System.CommandLine;
using GovMail.Configuration;
using GovMail.Core;

namespace GovMail.Cli;

/// <summary>
/// The <c>govmail</c> command line (docs/cli.md). Every command takes <c>--data</c> and <c>--json</c>; bad input ends with one plain
/// line on standard error and a non-zero exit code, never a stack trace.
/// </summary>
public static class CliApp
{
    public static readonly Option<string?> Data = new("--data")
    {
        Description = "Data folder (default ./data, or GOVMAIL_DATA) / Thư mục dữ liệu",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Machine-readable JSON output / Kết quả dạng JSON",
        Recursive = true,
    };

    public static readonly Option<string?> Db = new("--db")
    {
        Description = "Database engine: sqlite (default) or postgres / Cơ sở dữ liệu: sqlite hoặc postgres",
        Recursive = true,
    };

    public static readonly Option<string?> Connection = new("--connection")
    {
        Description = "Database connection string (PostgreSQL) / Chuỗi kết nối cơ sở dữ liệu",
        Recursive = true,
    };

    public static readonly Option<string?> As = new("--as")
    {
        Description = "Run as this administrator, within their roles' scope (default: the local operator, unrestricted) / Thực hiện với quyền của quản trị viên này",
        Recursive = true,
    };

    public static RootCommand Build(Func<ParseResult, CliOutput> outputFor, TimeProvider? clock)
    {
        var root = new RootCommand("GovMail — the official mail system of a city or province / Hệ thống thư điện tử công vụ");
        root.Options.Add(Data);
        root.Options.Add(Json);
        root.Options.Add(Db);
        root.Options.Add(Connection);
        root.Options.Add(As);

        Func<ParseResult, IDictionary<string, string?>?, CliContext> context = (pr, extra) =>
        {
            var overrides = new Dictionary<string, string?>
            {
                ["Database:Provider"] = pr.GetValue(Db),
                ["Database:ConnectionString"] = pr.GetValue(Connection),
            };
            if (extra is not null) foreach (var kv in extra) overrides[kv.Key] = kv.Value;
            return CliContext.Create(pr.GetValue(Data), overrides, outputFor(pr), clock, pr.GetValue(As));
        };

        root.Subcommands.Add(InitCommand.Build(context));
        root.Subcommands.Add(ServeCommand.Build(context));
        root.Subcommands.Add(UnitCommands.Build(context));
        root.Subcommands.Add(AccountCommands.Build(context));
        root.Subcommands.Add(AliasCommands.Build(context));
        root.Subcommands.Add(GroupCommands.Build(context));
        root.Subcommands.Add(PolicyCommands.Build(context));
        root.Subcommands.Add(AuditCommands.Build(context));
        root.Subcommands.Add(QueueCommands.Build(context));
        root.Subcommands.Add(DkimCommands.Build(context));
        root.Subcommands.Add(UsageCommands.Build(context));
        root.Subcommands.Add(ReportCommands.Build(context));
        root.Subcommands.Add(MigrateCommands.Build(context));
        root.Subcommands.Add(MailboxCommands.Build(context));
        foreach (var command in BackupCommands.Build(context)) root.Subcommands.Add(command);
        foreach (var command in InstallCommands.Build(context)) root.Subcommands.Add(command);
        root.Subcommands.Add(AdminCommands.Build(context));
        return root;
    }

    /// <summary>Runs the command line and returns the exit code: 0 done, 1 refused, 2 bad command line, 70 unexpected failure.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null,
        TimeProvider? clock = null, CancellationToken ct = default)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var root = Build(pr => new CliOutput(output, error, pr.GetValue(Json)), clock);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var command = string.Join(' ', parse.CommandResult.Command.Name == root.Name ? [] : CommandPath(parse));
            // "govmail frobnicate" is an unknown command, not a missing one: name the token the parser could not place.
            var problem = parse.UnmatchedTokens.Count > 0
                ? parse.Errors.FirstOrDefault(e => e.Message.Contains(parse.UnmatchedTokens[0], StringComparison.Ordinal)) ?? parse.Errors[0]
                : parse.Errors[0];
            error.WriteLine($"govmail: {problem.Message} (govmail {command}{(command.Length > 0 ? " " : "")}--help)");
            return 2;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
            }, ct);
        }
        catch (CliException e)
        {
            error.WriteLine("govmail: " + e.Problem.Message());
            return e.ExitCode;
        }
        catch (OptionsException e)
        {
            error.WriteLine("govmail: " + e.Problem.Message());
            return 2;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 130;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // An unexpected failure: still one line; the detail only when asked for.
            var inner = e;
            while (inner.InnerException is not null) inner = inner.InnerException;
            error.WriteLine($"govmail: {Messages.Format("UnexpectedError", null, [inner.Message])}");
            if (Environment.GetEnvironmentVariable("GOVMAIL_DEBUG") == "1") error.WriteLine(e.ToString());
            return 70;
        }
    }

    private static IEnumerable<string> CommandPath(System.CommandLine.ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null && r.Parent is System.CommandLine.Parsing.CommandResult p; r = p)
            names.Add(r.Command.Name);
        names.Reverse();
        return names;
    }
}
