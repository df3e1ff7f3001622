namespace GovMail.Storage.Mail;

/// <summary>What happened to a mailbox, as far as a session that has it open needs to know.</summary>
public enum MailboxChangeKind
{
    /// <summary>New messages (delivery, APPEND, COPY or MOVE into it).</summary>
    MessagesAdded,
    /// <summary>Flags or keywords of messages changed.</summary>
    FlagsChanged,
    /// <summary>Messages were removed (EXPUNGE, MOVE out of it).</summary>
    MessagesExpunged,
    /// <summary>The mailbox was renamed or deleted.</summary>
    MailboxChanged,
    /// <summary>Notices may have been missed (the node lost its connection to the other nodes for a while): anything may have changed.</summary>
    Missed,
}

/// <summary>
/// One change notice: small and flat on purpose, so that it fits a PostgreSQL NOTIFY payload when notices cross nodes.
/// A notice only says "look again"; the receiver reads what changed from the database (its MODSEQ tells how far).
/// </summary>
public readonly record struct MailboxChange(long MailboxId, MailboxChangeKind Kind, long ModSeq);

/// <summary>Receives the changes of the mailboxes it subscribed to. Called on the publisher's thread: it must only take note and return.</summary>
public interface IMailboxListener
{
    void OnMailboxChanged(in MailboxChange change);
}

/// <summary>
/// The one notification bus of mail-store changes (thông báo thay đổi hộp thư): IMAP sessions in IDLE, later webmail push,
/// subscribe to the mailboxes they show; the mail store, SMTP delivery and the web publish after they commit.
/// <para>
/// This implementation works inside one process. Scale-out replaces it by a subclass that overrides
/// <see cref="Publish"/> to send a PostgreSQL <c>NOTIFY</c>, and calls <see cref="Dispatch"/> for every notice its
/// <c>LISTEN</c> connection receives (its own included), so subscribers never know the difference.
/// </para>
/// </summary>
public class MailboxNotifications
{
    private static readonly IMailboxListener[] None = [];

    private readonly Lock _lock = new();
    // Copy-on-write arrays: publishing reads without locking and without allocating.
    private readonly Dictionary<long, IMailboxListener[]> _listeners = [];

    /// <summary>Mailboxes with at least one subscriber.</summary>
    public int SubscribedMailboxes
    {
        get { lock (_lock) return _listeners.Count; }
    }

    /// <summary>The mailboxes with at least one subscriber, as of now.</summary>
    protected IReadOnlyList<long> SubscribedMailboxIds()
    {
        lock (_lock) return [.. _listeners.Keys];
    }

    /// <summary>Announces a committed change to everyone listening to its mailbox.</summary>
    public virtual void Publish(MailboxChange change) => Dispatch(change);

    /// <summary>Announces each delivered copy; connect <c>MailDelivery.Delivered</c> here.</summary>
    public void PublishDelivered(IReadOnlyList<DeliveredCopy> copies)
    {
        foreach (var copy in copies) Publish(new MailboxChange(copy.MailboxId, MailboxChangeKind.MessagesAdded, copy.ModSeq));
    }

    /// <summary>Starts telling <paramref name="listener"/> about <paramref name="mailboxId"/>; dispose the result to stop.</summary>
    public Subscription Subscribe(long mailboxId, IMailboxListener listener)
    {
        lock (_lock)
        {
            var current = _listeners.GetValueOrDefault(mailboxId, None);
            _listeners[mailboxId] = [.. current, listener];
        }
        return new Subscription(this, mailboxId, listener);
    }

    /// <summary>Hands a change to the local subscribers of its mailbox.</summary>
    protected void Dispatch(in MailboxChange change)
    {
        IMailboxListener[]? listeners;
        lock (_lock) _listeners.TryGetValue(change.MailboxId, out listeners);
        if (listeners is null) return;
        foreach (var listener in listeners) listener.OnMailboxChanged(change);
    }

    private void Unsubscribe(long mailboxId, IMailboxListener listener)
    {
        lock (_lock)
        {
            if (!_listeners.TryGetValue(mailboxId, out var current)) return;
            var index = Array.IndexOf(current, listener);
            if (index < 0) return;
            if (current.Length == 1)
            {
                _listeners.Remove(mailboxId);
                return;
            }
            var rest = new IMailboxListener[current.Length - 1];
            Array.Copy(current, 0, rest, 0, index);
            Array.Copy(current, index + 1, rest, index, current.Length - index - 1);
            _listeners[mailboxId] = rest;
        }
    }

    /// <summary>One listener on one mailbox; disposing it unsubscribes (more than once is harmless).</summary>
    public sealed class Subscription : IDisposable
    {
        private MailboxNotifications? _bus;
        private readonly long _mailboxId;
        private readonly IMailboxListener _listener;

        internal Subscription(MailboxNotifications bus, long mailboxId, IMailboxListener listener)
        {
            _bus = bus;
            _mailboxId = mailboxId;
            _listener = listener;
        }

        public void Dispose() => Interlocked.Exchange(ref _bus, null)?.Unsubscribe(_mailboxId, _listener);
    }
}
