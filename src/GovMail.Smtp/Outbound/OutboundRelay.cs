using System.Net.Security;
using GovMail.Core.Mail;
using GovMail.Smtp.Dkim;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace GovMail.Smtp.Outbound;

/// <summary>
/// The outbound relay (chuyển thư đi): takes due messages from the outbound queue and hands them to the servers of their
/// recipients' domains — by the transport map or by MX — with opportunistic STARTTLS, DKIM-signed for the From domain.
/// Each recipient ends delivered (2xx), failed (5xx, or still undelivered after <see cref="OutboundRelayOptions.MaxQueueTime"/>)
/// or waits for the next attempt (4xx, no connection). The sender is told of failures and of long delays.
/// <para>
/// Run one per node with <see cref="RunAsync"/>; any number of relays can share a database, each message being claimed by
/// one at a time (<see cref="OutboundQueue.ClaimDueAsync"/>). <see cref="Wake"/> after queuing skips the poll wait.
/// </para>
/// </summary>
public sealed class OutboundRelay
{
    private const int MaxStoredText = 2000;

    private readonly IBlobStore _blobs;
    private readonly OutboundRelayOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly OutboundQueue _queue;
    private readonly OutboundRouter _router;
    private readonly RetrySchedule _schedule;
    private readonly DkimMessageSigner _signer;
    private readonly DeliveryStatusNotifier _notifier;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private DateTimeOffset _nextPurge = DateTimeOffset.MinValue;

    public OutboundRelay(GovMailDatabase database, IBlobStore blobs, OutboundRelayOptions options, DkimKeyStore dkimKeys,
        IMailExchangerLookup mailExchangers, TimeProvider clock, ILogger<OutboundRelay> log)
    {
        options.Validate();
        _blobs = blobs;
        _options = options;
        _clock = clock;
        _log = log;
        _queue = new OutboundQueue(database, clock);
        _router = new OutboundRouter(TransportMap.Parse(options.Transports), mailExchangers, options.MxPort);
        _schedule = options.Schedule();
        _signer = new DkimMessageSigner(dkimKeys);
        _notifier = new DeliveryStatusNotifier(database, blobs, clock, options, log);
        _notifier.Queued += Wake;
        _notifier.Delivered += copies => Delivered?.Invoke(copies);
    }

    /// <summary>Called after a delivery status notice was filed into local mailboxes, for IDLE and webmail push.</summary>
    public event Action<IReadOnlyList<DeliveredCopy>>? Delivered;

    /// <summary>Something was queued: look at the queue now instead of at the next poll.</summary>
    public void Wake()
    {
        try { if (_wake.CurrentCount == 0) _wake.Release(); }
        catch (SemaphoreFullException) { }
    }

    /// <summary>Relays until <paramref name="ct"/> is cancelled: a pass, then a wait of the poll interval or until woken.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        _log.LogInformation("Outbound relay started as {Host}", _options.HostName);
        while (!ct.IsCancellationRequested)
        {
            var taken = 0;
            try
            {
                taken = await RunOnceAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                _log.LogError(e, "Outbound relay pass failed; trying again after {Interval}", _options.PollInterval);
            }
            if (taken >= _options.BatchSize) continue; // more may be due right now
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            try
            {
                await Task.WhenAny(_wake.WaitAsync(wait.Token), Task.Delay(_options.PollInterval, _clock, wait.Token));
            }
            finally
            {
                await wait.CancelAsync();
            }
        }
        _log.LogInformation("Outbound relay stopped");
    }

    /// <summary>One pass: claims the messages due now and makes one delivery attempt for each. Returns how many were attempted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        var claimed = await _queue.ClaimDueAsync(_options.BatchSize, _options.Lease, ct);
        if (claimed.Count > 0)
            await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelMessages, CancellationToken = ct },
                async (message, c) =>
                {
                    try
                    {
                        await AttemptAsync(message, c);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !c.IsCancellationRequested)
                    {
                        // The claim stays: the message is tried again when its lease runs out.
                        _log.LogError(e, "Delivery attempt of message {Id} failed unexpectedly", message.Id);
                    }
                });
        await PurgeFinishedAsync(ct);
        return claimed.Count;
    }

    private async Task AttemptAsync(OutboundMessage message, CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        var pending = message.Recipients.Where(r => r.State == OutboundState.Queued).ToList();
        var outcomes = new Dictionary<OutboundRecipient, RelayReply>(ReferenceEqualityComparer.Instance);
        var relayed = new HashSet<OutboundRecipient>(ReferenceEqualityComparer.Instance);

        if (pending.Count > 0 && !await _blobs.ExistsAsync(message.BlobKey, ct))
        {
            foreach (var r in pending) outcomes[r] = RelayReply.Local("5.3.0", "the queued message body is missing");
        }
        else if (pending.Count > 0)
        {
            var routes = new Dictionary<string, (DeliveryRoute Route, List<OutboundRecipient> Recipients)>();
            foreach (var domain in pending.GroupBy(r => DomainOf(r.Address), StringComparer.OrdinalIgnoreCase))
            {
                DeliveryRoute route;
                try { route = await _router.RouteAsync(domain.Key, ct); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _log.LogWarning(e, "Route lookup for {Domain} failed", domain.Key);
                    route = DeliveryRoute.Refused(RelayReply.Local("4.4.3", $"route lookup for {domain.Key} failed: {e.Message}"));
                }
                if (route.Refusal is { } refusal)
                {
                    foreach (var r in domain) outcomes[r] = refusal;
                    continue;
                }
                if (!routes.TryGetValue(route.Key, out var group)) routes[route.Key] = group = (route, []);
                group.Recipients.AddRange(domain);
            }
            foreach (var (route, recipients) in routes.Values)
                await DeliverAsync(message, route, recipients, outcomes, relayed, ct);
        }

        var failed = new List<RecipientStatus>();
        var relayedNotices = new List<RecipientStatus>();
        foreach (var (r, reply) in outcomes)
        {
            r.LastReply = Truncate(reply.ToString());
            if (reply.IsPositive)
            {
                r.State = OutboundState.Delivered;
                if (relayed.Contains(r)) relayedNotices.Add(new RecipientStatus(r, DsnAction.Relayed, reply, now));
            }
            else if (reply.IsPermanent)
            {
                r.State = OutboundState.Failed;
                failed.Add(new RecipientStatus(r, DsnAction.Failed, reply, now));
            }
        }
        message.Attempts++;

        var waiting = pending.Where(r => r.State == OutboundState.Queued).ToList();
        if (waiting.Count > 0 && _schedule.IsExpired(message.CreatedAt, now))
        {
            foreach (var r in waiting)
            {
                // X.4.7: delivery time expired (RFC 3463); the last answer stays as the diagnostic.
                var last = RelayReply.Parse(r.LastReply) ?? RelayReply.Local("4.4.7", "not delivered");
                var expired = last with { Status = "4.4.7", Text = last.Code is null ? $"gave up after {_options.MaxQueueTime.TotalDays:0.#} days: {last.Text}" : last.Text };
                r.State = OutboundState.Failed;
                r.LastReply = Truncate(expired.ToString());
                failed.Add(new RecipientStatus(r, DsnAction.Failed, expired, now));
            }
            _log.LogWarning("Message {Id} expired after {Days} days with {Count} recipients undelivered", message.Id, _options.MaxQueueTime.TotalDays, waiting.Count);
            waiting.Clear();
        }

        SmtpMetrics.OutboundAttempts(outcomes.Count(o => o.Value.IsPositive), waiting.Count, failed.Count);
        await NotifySafelyAsync(message, failed, null, ct);
        await NotifySafelyAsync(message, relayedNotices, null, ct);
        var done = waiting.Count == 0;
        if (!done)
        {
            message.NextAttemptAt = _schedule.NextAttempt(message.CreatedAt, message.Attempts, now);
            message.LastError = waiting[0].LastReply;
            if (_options.DelayNoticeAfter > TimeSpan.Zero && message.DelayNotifiedAt is null && now - message.CreatedAt >= _options.DelayNoticeAfter)
            {
                var delayed = waiting.Select(r => new RecipientStatus(r, DsnAction.Delayed,
                    RelayReply.Parse(r.LastReply) ?? RelayReply.Local("4.0.0", "not delivered yet"), now)).ToList();
                await NotifySafelyAsync(message, delayed, _schedule.ExpiresAt(message.CreatedAt), ct);
                message.DelayNotifiedAt = now;
            }
        }
        else
        {
            message.State = message.Recipients.Any(r => r.State == OutboundState.Failed) ? OutboundState.Failed : OutboundState.Delivered;
            message.NextAttemptAt = now;
            message.LastError = failed.Count > 0 ? Truncate(failed[0].Reply.ToString()) : message.LastError;
        }
        if (!await _queue.SaveAsync(message, ct))
        {
            _log.LogWarning("Message {Id} was dropped while being delivered; its results are not kept", message.Id);
            return;
        }
        _log.LogInformation("Message {Id} attempt {Attempt}: {Delivered} delivered, {Failed} failed, {Waiting} waiting",
            message.Id, message.Attempts, outcomes.Values.Count(o => o.IsPositive), failed.Count, waiting.Count);

        if (done && !await _queue.IsBlobInUseAsync(message.BlobKey, message.Id, ct) && await _blobs.ExistsAsync(message.BlobKey, ct))
            await _blobs.DeleteAsync(message.BlobKey, ct);
    }

    /// <summary>One SMTP transaction for the recipients that share a route, trying its hosts in order until one answers.</summary>
    private async Task DeliverAsync(OutboundMessage message, DeliveryRoute route, List<OutboundRecipient> recipients,
        Dictionary<OutboundRecipient, RelayReply> outcomes, HashSet<OutboundRecipient> relayed, CancellationToken ct)
    {
        var mailboxes = new List<(OutboundRecipient Recipient, MailboxAddress Mailbox)>();
        foreach (var r in recipients)
        {
            if (TryMailbox(r.Address) is { } mailbox) mailboxes.Add((r, mailbox));
            else outcomes[r] = RelayReply.Local("5.1.3", $"bad recipient address <{r.Address}>");
        }
        if (mailboxes.Count == 0) return;
        var sender = message.MailFrom.Length == 0 ? new MailboxAddress("", "") : TryMailbox(message.MailFrom);
        if (sender is null)
        {
            foreach (var (r, _) in mailboxes) outcomes[r] = RelayReply.Local("5.1.7", $"bad sender address <{message.MailFrom}>");
            return;
        }

        RelayReply? problem = null;
        foreach (var host in route.Hosts)
        {
            try
            {
                await using var stream = await _blobs.OpenReadAsync(message.BlobKey, ct);
                var mime = await MimeMessage.LoadAsync(stream, persistent: true, ct);
                using var client = new RelaySmtpClient(_signer.Sign)
                {
                    LocalDomain = _options.HostName,
                    Timeout = (int)Math.Min(int.MaxValue, _options.CommandTimeout.TotalMilliseconds),
                    CheckCertificateRevocation = false,
                    EnvelopeId = string.IsNullOrEmpty(message.DsnEnvelopeId) ? null : DsnParameters.DecodeXtext(message.DsnEnvelopeId),
                    DeliveryStatusNotificationType = message.DsnReturn?.ToUpperInvariant() switch
                    {
                        "FULL" => DeliveryStatusNotificationType.Full,
                        "HDRS" => DeliveryStatusNotificationType.HeadersOnly,
                        _ => DeliveryStatusNotificationType.Unspecified,
                    },
                };
                var login = _options.LoginFor(host);
                client.ServerCertificateValidationCallback = (_, _, _, errors) => AcceptCertificate(host, errors, login);
                foreach (var (r, m) in mailboxes) client.SetNotify(m, r.DsnNotify);

                await ConnectAsync(client, host, route.Port, login, ct);
                var sendTo = mailboxes;
                if (!client.Capabilities.HasFlag(SmtpCapabilities.UTF8))
                {
                    // An address whose local part is not ASCII cannot be written without SMTPUTF8 (RFC 6531 §3.2); domains go as punycode.
                    var refusal = RelayReply.Local("5.6.7", $"{host} does not accept internationalised addresses (no SMTPUTF8)");
                    sendTo = HasAsciiLocalPart(message.MailFrom) ? mailboxes.Where(m => HasAsciiLocalPart(m.Recipient.Address)).ToList() : [];
                    foreach (var (r, _) in mailboxes.Except(sendTo)) outcomes[r] = refusal;
                    if (sendTo.Count == 0)
                    {
                        await QuitAsync(client);
                        return;
                    }
                }
                problem = await TransactAsync(client, message, mime, sender, sendTo, host, outcomes, relayed, ct);
                await QuitAsync(client);
                if (problem is null) return;
            }
            catch (SmtpCommandException e)
            {
                problem = RelayReply.FromServer(host, (int)e.StatusCode, e.Message);
                _log.LogInformation("Message {Id}: {Host}:{Port} answered {Reply}", message.Id, host, route.Port, problem);
            }
            catch (LoginFailedException e)
            {
                // A configuration problem, not the recipients': the message waits for the operator to fix the login.
                problem = e.Reply;
                _log.LogWarning("Message {Id}: {Problem}", message.Id, problem);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                problem = RelayReply.Local("4.4.1", $"no usable connection to {host}:{route.Port}: {e.Message}");
                _log.LogInformation("Message {Id}: {Problem}", message.Id, problem);
            }
        }
        foreach (var (r, _) in mailboxes)
            outcomes.TryAdd(r, problem ?? RelayReply.Local("4.4.1", "no mail server could be reached"));
    }

    /// <summary>
    /// MAIL, RCPT and DATA on a connected client, with each recipient's outcome recorded. Returns a temporary refusal of the
    /// sender, after which the next host is tried, or null when this host answered for every recipient.
    /// </summary>
    private async Task<RelayReply?> TransactAsync(RelaySmtpClient client, OutboundMessage message, MimeMessage mime, MailboxAddress sender,
        List<(OutboundRecipient Recipient, MailboxAddress Mailbox)> sendTo, string host,
        Dictionary<OutboundRecipient, RelayReply> outcomes, HashSet<OutboundRecipient> relayed, CancellationToken ct)
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.International = client.Capabilities.HasFlag(SmtpCapabilities.UTF8) && NeedsUtf8(mime, sender, sendTo);
        RelayReply RcptReply(MailboxAddress m) => client.RecipientReplies.TryGetValue(m, out var rcpt)
            ? RelayReply.FromServer(host, (int)rcpt.StatusCode, rcpt.Response)
            : RelayReply.Local("4.4.2", $"{host} did not answer RCPT TO");
        try
        {
            var dataReply = await client.SendAsync(format, mime, sender, sendTo.Select(m => m.Mailbox), ct);
            var dsnCapable = client.Capabilities.HasFlag(SmtpCapabilities.Dsn);
            foreach (var (r, m) in sendTo)
            {
                var rcpt = RcptReply(m);
                if (!rcpt.IsPositive)
                {
                    outcomes[r] = rcpt;
                    continue;
                }
                outcomes[r] = RelayReply.FromServer(host, 250, dataReply);
                // The sender asked to hear of success; a server without DSN will not tell, so this relay says "relayed".
                if (!dsnCapable && DsnParameters.ParseNotify(r.DsnNotify).HasFlag(DsnNotify.Success)) relayed.Add(r);
            }
            _log.LogInformation("Message {Id} to {Host} ({Tls}{Dkim}): {Reply}", message.Id, host,
                client.IsSecure ? "TLS" : "plain", client.SignedBy is { } d ? ", DKIM " + d : "", dataReply);
        }
        catch (RelaySmtpClient.NoRecipientAcceptedException)
        {
            foreach (var (r, m) in sendTo) outcomes[r] = RcptReply(m);
        }
        catch (SmtpCommandException e) when (e.ErrorCode == SmtpErrorCode.SenderNotAccepted)
        {
            var reply = RelayReply.FromServer(host, (int)e.StatusCode, e.Message);
            // A temporary refusal of the sender may be this host's alone: the next one is tried.
            if (!reply.IsPermanent) return reply;
            foreach (var (r, _) in sendTo) outcomes[r] = reply;
        }
        catch (SmtpCommandException e) when (e.ErrorCode == SmtpErrorCode.MessageNotAccepted)
        {
            // DATA refused: that answers for every recipient RCPT TO had accepted.
            var reply = RelayReply.FromServer(host, (int)e.StatusCode, e.Message);
            foreach (var (r, m) in sendTo)
                outcomes[r] = RcptReply(m) is { IsPositive: false } refused ? refused : reply;
        }
        return null;
    }

    /// <summary>
    /// STARTTLS whenever offered; a server whose TLS handshake fails gets the message in plain text rather than never. A host
    /// with a configured login gets it only over TLS, and the login before the message.
    /// </summary>
    private async Task ConnectAsync(RelaySmtpClient client, string host, int port, RelayLogin? login, CancellationToken ct)
    {
        if (login is not null)
        {
            await LogInAsync(client, host, port, login, ct);
            return;
        }
        try
        {
            await client.ConnectAsync(host, port, SecureSocketOptions.StartTlsWhenAvailable, ct);
        }
        catch (SslHandshakeException e)
        {
            _log.LogWarning("TLS handshake with {Host}:{Port} failed ({Error}); delivering without TLS", host, port, e.Message);
            if (client.IsConnected) await QuitAsync(client);
            await client.ConnectAsync(host, port, SecureSocketOptions.None, ct);
        }
    }

    private static async Task LogInAsync(RelaySmtpClient client, string host, int port, RelayLogin login, CancellationToken ct)
    {
        try
        {
            await client.ConnectAsync(host, port, SecureSocketOptions.StartTls, ct);
        }
        catch (NotSupportedException)
        {
            await QuitAsync(client);
            throw new LoginFailedException(RelayReply.Local("4.7.10", $"{host} does not offer STARTTLS; the login for it is never sent in clear"));
        }
        catch (SslHandshakeException e)
        {
            throw new LoginFailedException(RelayReply.Local("4.7.10", $"TLS with {host} failed, so the login was not sent: {e.Message}"));
        }
        try
        {
            await client.AuthenticateAsync(login.User, login.Password, ct);
        }
        catch (AuthenticationException e)
        {
            await QuitAsync(client);
            throw new LoginFailedException(RelayReply.Local("4.7.8", $"{host} refused the login of {login.User}: {e.Message}"));
        }
        catch (NotSupportedException)
        {
            await QuitAsync(client);
            throw new LoginFailedException(RelayReply.Local("4.7.8", $"{host} does not offer SMTP AUTH, but a login is configured for it"));
        }
    }

    /// <summary>A next hop's login could not be used: a temporary problem with this host, the reply says why.</summary>
    private sealed class LoginFailedException(RelayReply reply) : Exception(reply.ToString())
    {
        public RelayReply Reply { get; } = reply;
    }

    /// <summary>
    /// Opportunistic TLS (RFC 7435): an invalid certificate still encrypts; it is logged, not refused — unless a password is
    /// about to be sent to the host and its login asks for a verified certificate.
    /// </summary>
    private bool AcceptCertificate(string host, SslPolicyErrors errors, RelayLogin? login)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (login is { VerifyCertificate: true })
        {
            _log.LogWarning("TLS certificate of {Host} does not verify ({Errors}); its login is not sent", host, errors);
            return false;
        }
        _log.LogInformation("TLS certificate of {Host} does not verify ({Errors}); encrypting anyway", host, errors);
        return true;
    }

    private static async Task QuitAsync(SmtpClient client)
    {
        try { if (client.IsConnected) await client.DisconnectAsync(true, CancellationToken.None); }
        catch (Exception e) when (e is IOException or SmtpProtocolException or SmtpCommandException or TimeoutException or OperationCanceledException) { }
    }

    private async Task NotifySafelyAsync(OutboundMessage message, IReadOnlyList<RecipientStatus> recipients, DateTimeOffset? until, CancellationToken ct)
    {
        if (recipients.Count == 0) return;
        try
        {
            await _notifier.NotifyAsync(message, recipients, until, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogError(e, "Could not send the delivery status notice for message {Id} to <{Sender}>", message.Id, message.MailFrom);
        }
    }

    private async Task PurgeFinishedAsync(CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        if (now < _nextPurge) return;
        _nextPurge = now + TimeSpan.FromHours(1);
        var purged = await _queue.PurgeFinishedAsync(now - _options.KeepFinishedFor, ct);
        if (purged > 0) _log.LogInformation("Forgot {Count} finished outbound messages", purged);
    }

    /// <summary>SMTPUTF8 is needed when an address or a header (RFC 6532) is not ASCII.</summary>
    private static bool NeedsUtf8(MimeMessage message, MailboxAddress sender, List<(OutboundRecipient Recipient, MailboxAddress Mailbox)> recipients)
    {
        if (!sender.Address.All(char.IsAscii) || recipients.Any(r => !r.Recipient.Address.All(char.IsAscii))) return true;
        foreach (var header in message.Headers)
            foreach (var b in header.RawValue)
                if (b >= 0x80) return true;
        return false;
    }

    private static bool HasAsciiLocalPart(string address)
    {
        var at = address.LastIndexOf('@');
        return (at < 0 ? address : address[..at]).All(char.IsAscii);
    }

    private static MailboxAddress? TryMailbox(string address)
    {
        try { return new MailboxAddress("", address); }
        catch (ParseException) { return null; }
    }

    private static string DomainOf(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? "" : address[(at + 1)..].TrimEnd('.').ToLowerInvariant();
    }

    private static string Truncate(string text) => text.Length <= MaxStoredText ? text : text[..MaxStoredText];
}
