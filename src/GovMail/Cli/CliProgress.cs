using System.Diagnostics;
using GovMail.Core;
using GovMail.Core.Progress;
using Spectre.Console;

namespace GovMail.Cli;

/// <summary>
/// Progress of a long command (import, migrate, backup, restore, large reports) on the error stream, so the output stays
/// clean for scripts: on a terminal a bar per stage with counts, speed and time left (Spectre.Console); otherwise plain
/// lines, at most one a second per stage and one when the stage ends.
/// </summary>
public static class CliProgress
{
    public static async Task<T> RunAsync<T>(CliOutput output, Func<IProgressCounter, Task<T>> work)
    {
        if (ReferenceEquals(output.Error, Console.Error) && !Console.IsErrorRedirected && !output.Json)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            return await console.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new CountColumn(),
                    new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(ctx => work(new Bars(ctx)));
        }
        var lines = new Lines(output.Error);
        try { return await work(lines); }
        finally { lines.End(); }
    }

    /// <summary>
    /// Work that cannot count its items (one query, one transaction) as a stage of one step: a bar with a spinner and the time
    /// taken on a terminal, a line when it starts and one when it ends otherwise.
    /// </summary>
    public static Task<T> StageAsync<T>(CliOutput output, string label, Func<Task<T>> work) =>
        RunAsync(output, async progress =>
        {
            progress.Begin(label, 1);
            var result = await work();
            progress.Advance();
            return result;
        });

    private sealed class CountColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text($"{task.Value:N0}/{task.MaxValue:N0}");
    }

    private sealed class Bars(ProgressContext context) : IProgressCounter
    {
        private ProgressTask? _task;

        public void Begin(string label, long total)
        {
            if (_task is { } previous) previous.StopTask();
            _task = context.AddTask(Markup.Escape(label), maxValue: Math.Max(total, 1));
            if (total == 0) _task.Value = 1;
        }

        public void Advance(long count = 1) => _task?.Increment(count);
    }

    private sealed class Lines(TextWriter error) : IProgressCounter
    {
        private readonly Stopwatch _clock = new();
        private TimeSpan _lastLine;
        private string? _label;
        private long _total;
        private long _done;
        private long _written = -1;

        public void Begin(string label, long total)
        {
            End();
            (_label, _total, _done) = (label, total, 0);
            _clock.Restart();
            _lastLine = TimeSpan.Zero;
            Write();
        }

        public void Advance(long count = 1)
        {
            _done += count;
            if (_clock.Elapsed - _lastLine >= TimeSpan.FromSeconds(1)) Write();
        }

        public void End()
        {
            if (_label is not null && _done != _written) Write();
            _label = null;
        }

        private void Write()
        {
            _lastLine = _clock.Elapsed;
            _written = _done;
            var percent = _total == 0 ? 100 : (int)(100 * _done / _total);
            var left = _done == 0 || _done >= _total ? TimeSpan.Zero : _clock.Elapsed * ((double)(_total - _done) / _done);
            error.WriteLine(Messages.Format("ProgressLine", null, [_label, _done, _total, percent, left.ToString(@"hh\:mm\:ss")]));
            error.Flush();
        }
    }
}
