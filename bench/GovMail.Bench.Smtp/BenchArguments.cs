using System.Globalization;

namespace GovMail.Bench.Smtp;

/// <summary>
/// The command-line options every GovMail benchmark shares (work folder, build, the docs section, environment for the
/// govmail process) and a cursor that reads the rest; each benchmark's own options class derives from it and names its
/// own switches. Linked into the IMAP benchmark as well.
/// </summary>
public abstract class BenchArguments
{
    public string? WorkDir { get; private set; }
    public bool Keep { get; private set; }
    public bool Build { get; private set; } = true;
    public bool WriteDoc { get; private set; } = true;
    public bool Help { get; private set; }
    public Dictionary<string, string> GovMailEnv { get; } = [];
    public List<string> Arguments { get; } = [];

    /// <summary>The project folder under bench/, as shown in the command line written to docs/performance.md.</summary>
    protected abstract string Project { get; }

    /// <summary>Takes the benchmark's own switch at <see cref="Cursor.Current"/>; false when the switch is not one of its own.</summary>
    protected abstract bool Read(Cursor args);

    /// <summary>Checks the options together once all are read.</summary>
    protected virtual void Validate() { }

    /// <summary>
    /// Reads the command line into <paramref name="options"/> with the invariant culture set for the run; returns the exit code
    /// when the run ends here (2 after a bad option, 0 after --help, each with the usage printed), else null.
    /// </summary>
    public static int? Start<T>(string[] args, string usage, out T options) where T : BenchArguments, new()
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        options = new T();
        try { options.ParseAll(args); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(usage);
            return 2;
        }
        if (!options.Help) return null;
        Console.WriteLine(usage);
        return 0;
    }

    private void ParseAll(string[] args)
    {
        Arguments.AddRange(args);
        var cursor = new Cursor(args);
        while (cursor.MoveNext())
        {
            switch (cursor.Current)
            {
                case "--work": WorkDir = Path.GetFullPath(cursor.Next()); Keep = true; break;
                case "--keep": Keep = true; break;
                case "--no-build": Build = false; break;
                case "--no-doc": WriteDoc = false; break;
                case "--govmail-env":
                    var kv = cursor.Next().Split('=', 2);
                    if (kv.Length != 2) throw new ArgumentException("--govmail-env takes NAME=VALUE");
                    GovMailEnv[kv[0]] = kv[1];
                    break;
                case "-h" or "--help": Help = true; break;
                default:
                    if (!Read(cursor)) throw new ArgumentException($"unknown option {cursor.Current}");
                    break;
            }
        }
        Validate();
    }

    /// <summary>The command as someone would type it again (the run.sh wrapper when it started us).</summary>
    public string CommandLine()
    {
        var wrapper = Environment.GetEnvironmentVariable("GOVMAIL_BENCH_COMMAND");
        var shown = string.Join(' ', Arguments.Select(a => a.Contains(' ') || a.Length == 0 ? $"'{a}'" : a));
        return (wrapper is { Length: > 0 } ? $"{wrapper} {shown}" : $"dotnet run -c Release --project bench/{Project} -- {shown}").TrimEnd();
    }

    /// <summary>Reads a comma-separated target list, mapping each name through <paramref name="known"/> (null: unknown).</summary>
    protected static List<string> ReadTargets(string text, Func<string, string?> known)
    {
        var targets = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => known(t.ToLowerInvariant()) ?? throw new ArgumentException($"--targets: unknown target '{t}'"))
            .Distinct().ToList();
        return targets.Count > 0 ? targets : throw new ArgumentException("--targets: none given");
    }

    public sealed class Cursor(string[] args)
    {
        private int index = -1;

        public string Current => args[index];

        public bool MoveNext() => ++index < args.Length;

        public string Next() => index + 1 < args.Length ? args[++index] : throw new ArgumentException($"{args[index]} needs a value");

        public int Int(int min)
        {
            var name = Current;
            var v = Next();
            return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
                ? n : throw new ArgumentException($"{name}: '{v}' is not a whole number ≥ {min}");
        }
    }
}
