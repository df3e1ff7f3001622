using GovMail.Storage.Mail;

namespace GovMail.Imap.Tests.Storage;

public sealed class MailboxNotificationsTests
{
    private sealed class Listener : IMailboxListener
    {
        public List<MailboxChange> Changes { get; } = [];
        public void OnMailboxChanged(in MailboxChange change) => Changes.Add(change);
    }

    [Fact]
    public void Subscribers_hear_only_their_mailbox_until_they_unsubscribe()
    {
        var bus = new MailboxNotifications();
        var inbox = new Listener();
        var other = new Listener();
        using var first = bus.Subscribe(1, inbox);
        var second = bus.Subscribe(2, other);

        bus.PublishDelivered([new DeliveredCopy(Guid.NewGuid(), 1, 7, 42), new DeliveredCopy(Guid.NewGuid(), 3, 1, 5)]);
        bus.Publish(new MailboxChange(2, MailboxChangeKind.FlagsChanged, 9));
        second.Dispose();
        second.Dispose();
        bus.Publish(new MailboxChange(2, MailboxChangeKind.MessagesExpunged, 10));

        Assert.Equal([new MailboxChange(1, MailboxChangeKind.MessagesAdded, 42)], inbox.Changes);
        Assert.Equal([new MailboxChange(2, MailboxChangeKind.FlagsChanged, 9)], other.Changes);
        Assert.Equal(1, bus.SubscribedMailboxes);
    }

    [Fact]
    public void Many_sessions_on_one_mailbox_all_hear_a_change()
    {
        var bus = new MailboxNotifications();
        var listeners = Enumerable.Range(0, 50).Select(_ => new Listener()).ToList();
        var subscriptions = listeners.Select(l => bus.Subscribe(5, l)).ToList();
        subscriptions[10].Dispose();
        bus.Publish(new MailboxChange(5, MailboxChangeKind.MessagesAdded, 1));
        Assert.Equal(49, listeners.Count(l => l.Changes.Count == 1));
        Assert.Empty(listeners[10].Changes);
    }
}
