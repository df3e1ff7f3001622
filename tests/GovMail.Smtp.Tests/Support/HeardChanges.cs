using System.Collections.Concurrent;
using GovMail.Storage.Mail;

namespace GovMail.Smtp.Tests.Support;

/// <summary>A subscriber on the notification bus, as an IMAP session in IDLE is: it notes every change it is told of.</summary>
internal sealed class HeardChanges : IMailboxListener
{
    private readonly ConcurrentQueue<MailboxChange> _changes = new();

    public IReadOnlyList<MailboxChange> Changes => _changes.ToArray();

    public void OnMailboxChanged(in MailboxChange change) => _changes.Enqueue(change);
}
