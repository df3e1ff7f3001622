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
public sealed class MailDelivery(
    GovMailDatabase database,
    IBlobStore blobs,
    TimeProvider clock,
    string hostName,
    ILogger<MailDelivery> log) : IMessageSink
{
    private readonly MailStore _store = new(database, clock);
    private readonly AddressBook _addressBook = new(database, clock);
    private readonly OutboundQueue _queue = new(database, clock);
    private readonly DeliveryRouting _routing = new(database, blobs, clock);

    /// <summary>Called after a commit with the mailboxes that got a new message, for IDLE and webmail push.</summary>
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
            var remote = new List<SmtpRecipient>();
            List<(Core.Mail.DeliveryRule, Account)>? ruled = null;
            foreach (var rcpt in envelope.Recipients)
            {
                if (domains.IsLocal(rcpt.Address))
                {
                    foreach (var account in await RecipientCache.ResolveAsync(database, _addressBook, rcpt.Address, ct))
                    {
                        // Delivery rules (a departed official's forwarding and automatic reply): see DeliveryRouting.
                        var route = await _routing.RouteAsync(account, ct);
                        if (route.FileHere) local.Add((rcpt, account));
                        foreach (var forward in route.Forward) local.Add((rcpt, forward));
                        if (route.Rule is { } rule) (ruled ??= []).Add((rule, account));
                    }
                }
                else if (envelope.AuthenticatedAs is not null) remote.Add(rcpt);
            }

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
                var (key, stored) = await blobs.PutAsync((s, c) => whole is null
                    ? WriteAsync(s, traces, messageFile, c)
                    : WriteAsync(s, whole), ct);
                localBlob = key;
                MessageSummaryBuilder.Result parsed;
                if (whole is not null) parsed = MessageSummaryBuilder.Build(new MemoryStream(whole, writable: false));
                else
                    await using (var read = blobs.OpenRead(key)) parsed = MessageSummaryBuilder.Build(read);
                copies = await _store.DeliverAsync(new NewMessage(key, stored, parsed, now), targets, ct);
            }
            if (remote.Count > 0)
            {
                var whole = content is null ? null : Prepend(received, content);
                var (key, stored) = await blobs.PutAsync((s, c) => whole is null ? WriteAsync(s, received, messageFile, c) : WriteAsync(s, whole), ct);
                outboundBlob = key;
                var sender = envelope.AuthenticatedAs is { } a ? await AccountIdAsync(a, ct) : null;
                await _queue.EnqueueAsync(key, stored, envelope.MailFrom ?? "", sender,
                    remote.Select(r => (r.Address, r.DsnNotify, r.DsnOriginalRecipient)).ToList(), envelope.DsnReturn, envelope.DsnEnvelopeId, ct);
            }
            if (envelope.AuthenticatedAs is { } submitter)
                await new UsageRecorder(database, clock).RecordAsync(submitter, await AccountIdAsync(submitter, ct), UsageKind.Sent,
                    UsageProtocol.Smtp, envelope.RemoteAddress.ToString(), ct);

            log.LogInformation("Message {Id} from <{From}> accepted: {Local} local copies, {Remote} queued for other domains",
                id, envelope.MailFrom, copies.Count, remote.Count);
            if (ruled is not null) await AfterRulesAsync(ruled, envelope.MailFrom, messageFile, id, ct);
            if (copies.Count > 0) Delivered?.Invoke(copies);
            if (remote.Count > 0) Queued?.Invoke();
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

    private static Task WriteAsync(Stream target, byte[] whole)
    {
        // Into the file's buffer: the blob store writes it out with its fsync, without a trip through the thread pool.
        target.Write(whole);
        return Task.CompletedTask;
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
