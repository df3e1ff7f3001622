using GovMail.Storage.Mail;

namespace GovMail.Imap.Selection;

/// <summary>
/// The mailbox a session has selected, as the client knows it: the UID of each sequence number, the MODSEQ and UIDNEXT
/// it was last told about, and whether a notice has come in since. The UIDs are kept as runs (<see cref="UidMap"/>);
/// nothing else is cached.
/// </summary>
internal sealed class SelectedMailbox : IMailboxListener, IDisposable
{
    private readonly ChangeSignal _signal;
    private IDisposable? _subscription;
    private int _changed;
    private long _noticedModSeq;

    public SelectedMailbox(MailboxInfo mailbox, bool readOnly, ChangeSignal signal)
    {
        Mailbox = mailbox;
        ReadOnly = readOnly;
        KnownModSeq = mailbox.HighestModSeq;
        KnownUidNext = mailbox.UidNext;
        _signal = signal;
    }

    public MailboxInfo Mailbox { get; }
    public long Id => Mailbox.Id;

    /// <summary>Selected with EXAMINE: flags do not change, not even \Seen by reading.</summary>
    public bool ReadOnly { get; }

    /// <summary>The UID of sequence number n is <c>Uids[n - 1]</c>; ascending.</summary>
    public UidMap Uids { get; } = new();

    public int Count => Uids.Count;

    /// <summary>The highest MODSEQ whose changes the client has been told of.</summary>
    public long KnownModSeq { get; set; }

    public uint KnownUidNext { get; set; }

    /// <summary>
    /// Flag changes this session made and already reported, by UID with the MODSEQ they took, until the next sync: a
    /// client is not told again what its own STORE just answered.
    /// </summary>
    public Dictionary<uint, long> OwnChanges => _ownChanges ??= [];

    /// <summary>Whether there are <see cref="OwnChanges"/>, without making the dictionary (most sessions never need one).</summary>
    public bool HasOwnChanges => _ownChanges is { Count: > 0 };

    private Dictionary<uint, long>? _ownChanges;

    /// <summary>Drops the own changes once a sync has told the client everything up to now.</summary>
    public void ForgetOwnChanges() => _ownChanges = null;

    /// <summary>Expunges happened that could not be announced yet (during FETCH, STORE or SEARCH).</summary>
    public bool ExpungePending { get; set; }

    public void Subscribe(MailboxNotifications notifications) => _subscription = notifications.Subscribe(Mailbox.Id, this);

    /// <summary>The sequence number of a UID, or 0 when the client does not know the message.</summary>
    public int SequenceOf(uint uid)
    {
        var index = Uids.IndexOf(uid);
        return index < 0 ? 0 : index + 1;
    }

    public uint LargestUid => Uids.Largest;

    /// <summary>
    /// The notices that came in since the last call (and forgets them): 0 when none, else the highest MODSEQ they carried,
    /// or <see cref="long.MaxValue"/> when one could not say (a rename, missed notices). A session whose client already
    /// knows everything up to that MODSEQ (its own change, acknowledged) need not ask the database.
    /// </summary>
    public long TakeNotices()
    {
        if (Interlocked.Exchange(ref _changed, 0) == 0) return 0;
        var highest = Interlocked.Exchange(ref _noticedModSeq, 0);
        // A notice between the two exchanges left its flag for the next call and its MODSEQ in this one: the next call
        // then finds no MODSEQ and must ask.
        return highest == 0 ? long.MaxValue : highest;
    }

    public void OnMailboxChanged(in MailboxChange change)
    {
        var modSeq = change.Kind is MailboxChangeKind.MailboxChanged or MailboxChangeKind.Missed || change.ModSeq <= 0
            ? long.MaxValue
            : change.ModSeq;
        var seen = Volatile.Read(ref _noticedModSeq);
        while (modSeq > seen)
        {
            var was = Interlocked.CompareExchange(ref _noticedModSeq, modSeq, seen);
            if (was == seen) break;
            seen = was;
        }
        Volatile.Write(ref _changed, 1);
        _signal.Set();
    }

    public void Dispose() => Interlocked.Exchange(ref _subscription, null)?.Dispose();
}
