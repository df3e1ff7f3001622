namespace GovMail.Core.Progress;

/// <summary>
/// Where long work (an import, a migration, a backup, a report over the whole city) counts what it has done. The rooms that do
/// the work report through it; the command line shows it (a bar on a terminal, plain lines otherwise, <c>CliProgress</c>).
/// Calls come from one task at a time.
/// </summary>
public interface IProgressCounter
{
    /// <summary>Starts a stage (a step, an account, a file) of <paramref name="total"/> items; the previous stage ends.</summary>
    void Begin(string label, long total);

    /// <summary><paramref name="count"/> more items done.</summary>
    void Advance(long count = 1);
}

/// <summary>Progress nobody watches (the web, the scheduled jobs, tests).</summary>
public sealed class NoProgress : IProgressCounter
{
    public static readonly NoProgress Instance = new();

    private NoProgress() { }

    public void Begin(string label, long total) { }

    public void Advance(long count = 1) { }
}
