namespace GovMail.Imap.Selection;

/// <summary>
/// Wakes a session waiting in IDLE when a notice arrives for its mailbox. Set from any thread; a waiter that comes
/// after a set finds it already signalled. Allocates only when a session actually waits.
/// </summary>
internal sealed class ChangeSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _waiter;
    private bool _set;

    public void Set()
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            _set = true;
            waiter = _waiter;
            _waiter = null;
        }
        waiter?.TrySetResult();
    }

    /// <summary>A task that completes at the next <see cref="Set"/> (at once if one happened since the last <see cref="Reset"/>).</summary>
    public Task WaitAsync()
    {
        lock (_lock)
        {
            if (_set) return Task.CompletedTask;
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task;
        }
    }

    public void Reset()
    {
        lock (_lock) _set = false;
    }
}
