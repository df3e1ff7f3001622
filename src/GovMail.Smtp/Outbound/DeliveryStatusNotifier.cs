using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Mail;
using GovMail.Smtp.Delivery;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace GovMail.Smtp.Outbound;

/// <summary>
/// Tells the sender what became of a queued message (RFC 3464), honouring each recipient's NOTIFY. A notice to a sender on
/// the tenant's own domains is filed straight into their INBOX; one to another domain is queued with an empty envelope sender,
/// and a message with an empty envelope sender (itself a notice) never gets one.
/// </summary>
public sealed class DeliveryStatusNotifier(GovMailDatabase database, IBlobStore blobs, TimeProvider clock, OutboundRelayOptions options, ILogger log)
{
    private readonly OutboundQueue _queue = new(database, clock);

    /// <summary>Raised when a notice was queued for another domain, so the relay can pick it up without waiting.</summary>
    public event Action? Queued;

    /// <summary>Raised when a notice was filed into local mailboxes, so IMAP IDLE and webmail hear of it.</summary>
    public event Action<IReadOnlyList<DeliveredCopy>>? Delivered;

    /// <summary>Sends one notice about the recipients that asked for this kind of notice; returns whether one was sent.</summary>
    public async Task<bool> NotifyAsync(OutboundMessage message, IReadOnlyList<RecipientStatus> recipients, DateTimeOffset? willRetryUntil,
        CancellationToken ct)
    {
        // Never bounce a bounce: a message without a return path has nobody to tell (RFC 3461 §6.2, RFC 5321 §4.5.5).
        if (string.IsNullOrEmpty(message.MailFrom)) return false;
        var wanted = recipients.Where(r => DsnParameters.Wants(r.Recipient.DsnNotify, r.Action)).ToList();
        if (wanted.Count == 0) return false;

        var now = clock.GetUtcNow();
        var domains = await LocalDomains.LoadAsync(database, ct);
        var postmaster = new MailboxAddress(Messages.Get("DsnFromName", Messages.Vietnamese), "MAILER-DAEMON@" + await PostmasterDomainAsync(ct));
        var request = new DeliveryStatusReport.Request(options.HostName, postmaster, message.MailFrom, message, wanted, now, willRetryUntil,
            options.FullReturnLimit);
        MimeMessage report;
        Stream? original = await blobs.ExistsAsync(message.BlobKey, ct) ? await blobs.OpenReadAsync(message.BlobKey, ct) : null;
        await using (original)
            report = DeliveryStatusReport.Build(request, original);

        if (domains.IsLocal(message.MailFrom)) await FileLocallyAsync(message, report, ct);
        else await QueueAsync(message, report, ct);
        log.LogInformation("Delivery status notice ({Action}) for message {Id} sent to <{Sender}> about {Count} recipients",
            wanted.Min(r => r.Action), message.Id, message.MailFrom, wanted.Count);
        return true;
    }

    /// <summary>
    /// Tells the sender of a message accepted over SMTP about local recipients that did not get their copy (a group member
    /// whose mailbox is full). <paramref name="storedBlob"/> is the copy the others got: its headers go back with the notice.
    /// </summary>
    public Task<bool> NotifyUndeliveredAsync(SmtpEnvelope envelope, string? storedBlob, IReadOnlyList<RecipientStatus> recipients,
        DateTimeOffset receivedAt, CancellationToken ct) =>
        NotifyAsync(new OutboundMessage
        {
            BlobKey = storedBlob ?? "",
            MailFrom = envelope.MailFrom ?? "",
            CreatedAt = receivedAt,
            DsnReturn = envelope.DsnReturn,
            DsnEnvelopeId = envelope.DsnEnvelopeId,
        }, recipients, null, ct);

    private async Task FileLocallyAsync(OutboundMessage message, MimeMessage report, CancellationToken ct)
    {
        var accounts = await new AddressBook(database, clock).ResolveRecipientsAsync(message.MailFrom, ct);
        var targets = accounts.Where(a => a.State is not (AccountState.Disabled or AccountState.Closed or AccountState.Purged))
            .Select(a => new DeliveryTarget(a.Id, a.Address) { RecordAs = null }).ToList();
        if (targets.Count == 0 && message.SenderAccountId is { } senderId)
        {
            await using var db = database.Open();
            var sender = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == senderId, ct);
            if (sender is not null) targets.Add(new DeliveryTarget(sender.Id, sender.Address) { RecordAs = null });
        }
        if (targets.Count == 0)
        {
            log.LogWarning("Delivery status notice for message {Id} dropped: local sender <{Sender}> has no mailbox", message.Id, message.MailFrom);
            return;
        }
        var copies = await new LocalMail(database, blobs, clock).FileAsync(report, targets, ct, returnPath: "");
        Delivered?.Invoke(copies);
    }

    private async Task QueueAsync(OutboundMessage message, MimeMessage report, CancellationToken ct)
    {
        var (key, size) = await blobs.PutAsync((stream, c) => report.WriteToAsync(Format, stream, c), ct);
        try
        {
            // NOTIFY=NEVER: a notice about a notice helps nobody.
            await _queue.EnqueueAsync(key, size, "", null, [(message.MailFrom, "NEVER", null)], null, null, ct);
        }
        catch
        {
            await blobs.DeleteAsync(key, CancellationToken.None);
            throw;
        }
        Queued?.Invoke();
    }

    /// <summary>Notices come from MAILER-DAEMON at the tenant's primary domain, so they are DKIM-signed like other mail.</summary>
    private async Task<string> PostmasterDomainAsync(CancellationToken ct)
    {
        await using var db = database.Open();
        var domains = await db.Domains.AsNoTracking().OrderByDescending(d => d.IsPrimary).Select(d => d.Name).FirstOrDefaultAsync(ct);
        return domains ?? options.HostName;
    }

    private static readonly FormatOptions Format = CreateFormat();

    private static FormatOptions CreateFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
