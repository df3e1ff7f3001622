using GovMail.Core.Mail;
using GovMail.Smtp.Outbound;
using GovMail.Smtp.Protocol;
using System.Text;
using GovMail.Core.Accounts;
using GovMail.Core.Usage;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Mail;
using GovMail.Storage.Usage;
using Microsoft.Extensions.Logging;

namespace GovMail.Smtp.Delivery;

/// <summary>
/// The delivery pipeline behind every SMTP listener: puts the trace headers on the message, stores it as a durable blob,
/// files it into each local recipient's INBOX (aliases and groups expanded) and queues it for recipients on other domains —
/// all committed before the session says 250.
/// </summary>
public sealed class MailDelivery : IMessageSink
{
    private readonly GovMailDatabase database;
    private readonly IBlobStore blobs;
    private readonly TimeProvider clock;
    private readonly string hostName;
    private readonly ILogger<MailDelivery> log;
    private readonly MailStore _store;
    private readonly AddressBook _addressBook;
    private readonly OutboundQueue _queue;
    private readonly DeliveryStatusNotifier _notices;
    private readonly DeliveryRouting _routing;

    public MailDelivery(GovMailDatabase database, IBlobStore blobs, TimeProvider clock, string hostName, ILogger<MailDelivery> log)
    {
        this.database = database;
        this.blobs = blobs;
        this.clock = clock;
        this.hostName = hostName;
        this.log = log;
        _store = new MailStore(database, clock);
        _addressBook = new AddressBook(database, clock);
        _queue = new OutboundQueue(database, clock);
        _routing = new DeliveryRouting(database, blobs, clock);
        _notices = new DeliveryStatusNotifier(database, blobs, clock, new OutboundRelayOptions { HostName = hostName }, log);
        // A notice to a local sender is a delivery like any other; one to another domain wakes the relay.
        _notices.Delivered += copies => Delivered?.Invoke(copies);
        _notices.Queued += () => Queued?.Invoke();
    }

    /// <summary>
    /// Called after a commit with the mailboxes that got a new message (delivery status notices to local senders included),
    /// for IDLE and webmail push.
    /// </summary>
    public event Action<IReadOnlyList<DeliveredCopy>>? Delivered;

    /// <summary>Called after a message was queued for other domains, so the relay can start at once.</summary>
    public event Action? Queued;

    public async Task<SmtpReply> DeliverAsync(SmtpEnvelope envelope, string messageFile, long size, CancellationToken ct)
    {
        var id = Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        var now = clock.GetUtcNow();
        string? localBlob = null, outboundBlob = null;
        try
        {
            var domains = await LocalDomains.LoadAsync(database, ct);
            var local = new List<(SmtpRecipient Rcpt, Account Account)>();
            var full = new List<(SmtpRecipient Rcpt, Account Account)>();
            var remote = new List<SmtpRecipient>();
            List<(Core.Mail.DeliveryRule, Account)>? ruled = null;
            foreach (var rcpt in envelope.Recipients)
            {
                if (domains.IsLocal(rcpt.Address))
                {
                    var accounts = await RecipientCache.ResolveAsync(database, _addressBook, rcpt.Address, ct);
                    foreach (var account in accounts)
                    {
                        // Delivery rules (a departed official's forwarding and automatic reply): see DeliveryRouting.
                        var route = await _routing.RouteAsync(account, ct);
                        foreach (var forward in route.Forward) local.Add((rcpt, forward));
                        if (route.Rule is { } rule) (ruled ??= []).Add((rule, account));
                        if (!route.FileHere || route.Rule is null && !MailboxQuota.Receives(account)) continue;
                        // A single recipient was checked at RCPT; a group's member whose mailbox is full misses this copy
                        // and the sender is told, while the other members get it.
                        if (accounts.Count > 1 && !await MailboxQuota.HasRoomAsync(database, clock, account, size, ct)) full.Add((rcpt, account));
                        else local.Add((rcpt, account));
                    }
                }
                else if (envelope.AuthenticatedAs is not null) remote.Add(rcpt);
            }
            // Someone also reached through another address (or a single recipient) got the copy after all.
            full = full.Where(f => !local.Exists(l => l.Account.Id == f.Account.Id)).DistinctBy(f => f.Account.Id).ToList();

            var received = TraceHeaders.Received(envelope, hostName, id, now);
            var copies = Array.Empty<DeliveredCopy>() as IReadOnlyList<DeliveredCopy>;
            var targets = local.DistinctBy(l => l.Account.Id).Select(l => new DeliveryTarget(l.Account.Id, l.Account.Address)
            {
                RemoteAddress = envelope.RemoteAddress.ToString(),
                Role = envelope.Quarantine ? Core.Mail.MailboxRole.Junk : Core.Mail.MailboxRole.Inbox,
            }).ToList();
            // A message of ordinary size is read once: written to the blob and parsed from memory.
            var content = size <= InMemoryLimit ? File.ReadAllBytes(messageFile) : null;
            if (targets.Count > 0)
            {
                var traces = TraceHeaders.ReturnPath(envelope.MailFrom) + envelope.AuthenticationResults + received;
                var whole = content is null ? null : Prepend(traces, content);
                var (key, stored, parsed) = whole is null
                    ? await blobs.PutMessageAsync((s, c) => WriteAsync(s, traces, messageFile, c), ct)
                    : await blobs.PutMessageAsync(whole, ct);
                localBlob = key;
                copies = await _store.DeliverAsync(new NewMessage(key, stored, parsed, now), targets, ct);
            }
            // The submitter is looked up once, for the queue's sender and the usage event.
            var submitterId = envelope.AuthenticatedAs is { } submitter ? await AccountIdAsync(submitter, ct) : null;
            if (remote.Count > 0)
            {
                var whole = content is null ? null : Prepend(received, content);
                var (key, stored) = await blobs.PutAsync((s, c) => whole is null ? WriteAsync(s, received, messageFile, c) : MessageBlobs.WriteWhole(s, whole), ct);
                outboundBlob = key;
                await _queue.EnqueueAsync(key, stored, envelope.MailFrom ?? "", submitterId,
                    remote.Select(r => (r.Address, r.DsnNotify, r.DsnOriginalRecipient)).ToList(), envelope.DsnReturn, envelope.DsnEnvelopeId, ct);
            }
            if (envelope.AuthenticatedAs is not null) await RecordSentAsync(envelope, envelope.AuthenticatedAs, submitterId, id, ct);

            log.LogInformation("Message {Id} from <{From}> accepted: {Local} local copies, {Remote} queued for other domains, {Full} mailboxes full",
                id, envelope.MailFrom, copies.Count, remote.Count, full.Count);
            if (ruled is not null) await AfterRulesAsync(ruled, envelope.MailFrom, messageFile, id, ct);
            if (copies.Count > 0) Delivered?.Invoke(copies);
            if (remote.Count > 0) Queued?.Invoke();
            if (full.Count > 0) await TellSenderAsync(id, envelope, localBlob, full, now, ct);
            return SmtpReplies.DeliveredAs(id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Message {Id} from <{From}> could not be stored", id, envelope.MailFrom);
            // Nothing was acknowledged: remove what was written so no half-delivered message stays.
            if (localBlob is not null) await TryDeleteAsync(localBlob);
            if (outboundBlob is not null) await TryDeleteAsync(outboundBlob);
            return SmtpReplies.LocalError;
        }
    }

    /// <summary>
    /// A delivery status notice to the sender naming the group members whose mailbox was full. The message is committed by
    /// now: a notice that cannot be sent is logged, never turned into a refusal.
    /// </summary>
    private async Task TellSenderAsync(string id, SmtpEnvelope envelope, string? storedBlob, List<(SmtpRecipient Rcpt, Account Account)> full,
        DateTimeOffset now, CancellationToken ct)
    {
        foreach (var (rcpt, account) in full)
            log.LogWarning("Message {Id}: mailbox of <{Member}> (member of <{Group}>) is full; not delivered there", id, account.Address, rcpt.Address);
        try
        {
            var statuses = full.Select(f => new RecipientStatus(
                new OutboundRecipient { Address = f.Account.Address, DsnNotify = f.Rcpt.DsnNotify, DsnOriginalRecipient = f.Rcpt.DsnOriginalRecipient },
                DsnAction.Failed, RelayReply.MailboxFull(f.Account.Address), now) { ExpandedFrom = f.Rcpt.Address }).ToList();
            await _notices.NotifyUndeliveredAsync(envelope, storedBlob, statuses, now, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Message {Id}: could not tell <{From}> that some mailboxes were full", id, envelope.MailFrom);
        }
    }

    /// <summary>Forwards off-site and automatic replies, after the commit: a failure here is logged, never un-accepts the message.</summary>
    private async Task AfterRulesAsync(List<(Core.Mail.DeliveryRule, Account)> ruled, string? mailFrom, string messageFile, string id,
        CancellationToken ct)
    {
        try { await _routing.AfterDeliveryAsync(ruled, mailFrom, messageFile, ct); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Message {Id}: forwarding or automatic reply failed", id);
        }
    }

    /// <summary>
    /// The <c>sent</c> usage event of a submission; a keeper sending as a collective mailbox is named on it and in the audit log.
    /// </summary>
    private async Task RecordSentAsync(SmtpEnvelope envelope, string submitter, Guid? submitterId, string id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var keeperId = envelope.Keeper is { } k ? await AccountIdAsync(k, ct) : null;
        await using var db = database.Open();
        UsageRecorder.Add(db, submitter, submitterId, UsageKind.Sent, envelope.Protocol, envelope.RemoteAddress.ToString(), now, keeperId);
        if (envelope.Keeper is { } keeper)
            db.Audit.Add(new Core.Audit.AuditEntry { At = now, Actor = keeper, Action = "mailbox.keeper.send", Target = submitter, Detail = id });
        await db.SaveChangesAsync(ct);
    }

    private async Task<Guid?> AccountIdAsync(string address, CancellationToken ct)
    {
        var found = await new AccountDirectory(database, clock, Core.Security.PasswordHasher.Default).FindAsync(address, ct);
        return found.IsOk ? found.Value!.Account.Id : null;
    }

    /// <summary>Largest message read into memory at once; larger ones are copied from the spool file in pieces.</summary>
    private const long InMemoryLimit = 1024 * 1024;

    private static byte[] Prepend(string headers, byte[] content)
    {
        var whole = new byte[Encoding.UTF8.GetByteCount(headers) + content.Length];
        var n = Encoding.UTF8.GetBytes(headers, whole);
        content.CopyTo(whole, n);
        return whole;
    }

    private static async Task WriteAsync(Stream target, string headers, string messageFile, CancellationToken ct)
    {
        await target.WriteAsync(Encoding.UTF8.GetBytes(headers), ct);
        await using var source = new FileStream(messageFile, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await source.CopyToAsync(target, 64 * 1024, ct);
    }

    private async Task TryDeleteAsync(string key)
    {
        try { await blobs.DeleteAsync(key, CancellationToken.None); }
        catch (IOException e) { log.LogWarning(e, "Could not remove blob {Key}", key); }
    }
}
