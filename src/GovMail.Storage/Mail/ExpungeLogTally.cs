using System.Collections.Concurrent;

namespace GovMail.Storage.Mail;

/// <summary>
/// How many UIDs this process logged as expunged per mailbox since the mailbox's log was last counted, so that the log is
/// counted (and pruned) once per <c>every</c> UIDs instead of at every expunge. In memory and per process: after a restart,
/// or on another node, the tally starts again, so a log can grow past its limit by less than one <c>every</c> per process
/// before it is counted — a bound, not a leak. The table forgets everything when it grows past its cap, which delays counts
/// the same way.
/// </summary>
internal static class ExpungeLogTally
{
    private const int MaxEntries = 100_000;
    private static readonly ConcurrentDictionary<(string Database, long MailboxId), int> Logged = new();

    /// <summary>
    /// Adds <paramref name="uids"/> to the mailbox's tally; true (and the tally starts again) when it reached
    /// <paramref name="every"/> (at least 1: a log limit under ten is counted at every expunge).
    /// </summary>
    public static bool Due(string database, long mailboxId, int uids, int every)
    {
        var key = (database, mailboxId);
        var now = Logged.AddOrUpdate(key, uids, (_, n) => n + uids);
        if (now < Math.Max(1, every))
        {
            if (Logged.Count > MaxEntries) Logged.Clear();
            return false;
        }
        Logged.TryRemove(key, out _);
        return true;
    }
}
