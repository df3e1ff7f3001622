using System.Net;
using MimeKit;

namespace GovMail.Smtp.Inbound;

/// <summary>What the inbound checks found about one message, and the <c>Authentication-Results</c> field that records it.</summary>
public sealed record InboundVerdict(SpfCheck Spf, bool SpfOfHelo, IReadOnlyList<DkimCheck> Dkim, DmarcCheck Dmarc, string Header)
{
    /// <summary>The From domain's owner asks to refuse the message (DMARC fail with p=reject after pct sampling).</summary>
    public bool Reject => Dmarc is { Result: DmarcResult.Fail, Disposition: DmarcPolicy.Reject };

    /// <summary>The From domain's owner asks to treat the message as suspicious (DMARC fail with p=quarantine).</summary>
    public bool DmarcQuarantine => Dmarc is { Result: DmarcResult.Fail, Disposition: DmarcPolicy.Quarantine };

    /// <summary>The envelope sender's domain says this address may not send for it (SPF "-all" matched).</summary>
    public bool SpfFail => Spf.Result == SpfResult.Fail;
}

/// <summary>
/// SPF, DKIM and DMARC for a message that came in over MX: SPF of the MAIL FROM domain (of the HELO name for a null sender)
/// against the connecting address, every DKIM signature, and DMARC of the From domain on those two results.
/// </summary>
public sealed class InboundChecker(IDnsResolver dns, string authServId, TimeProvider clock, TimeSpan? dnsBudget = null)
{
    /// <summary>The most time the DNS questions of one message may take together, unless the constructor says otherwise.</summary>
    public static readonly TimeSpan DefaultDnsBudget = TimeSpan.FromSeconds(30);

    private readonly TimeSpan _dnsBudget = dnsBudget ?? DefaultDnsBudget;

    public string AuthServId => authServId;

    /// <param name="message">The message as parsed, or null when it could not be parsed (then DKIM is none and DMARC permerror).</param>
    public async Task<InboundVerdict> CheckAsync(SmtpEnvelope envelope, MimeMessage? message, CancellationToken ct)
    {
        var budget = new DnsBudget(dns, clock.GetUtcNow() + _dnsBudget, clock);
        var ofHelo = envelope.MailFrom is null;
        var spf = await CheckSpfAsync(new SpfEvaluator(budget), envelope, ct);
        IReadOnlyList<DkimCheck> dkim = message is null ? [new DkimCheck(DkimResult.None)] : await new DkimChecker(budget, clock).VerifyAsync(message, ct);
        var dmarc = await new DmarcEvaluator(budget).EvaluateAsync(message is null ? null : FromDomain(message), spf, dkim, ct);
        return new InboundVerdict(spf, ofHelo, dkim, dmarc, AuthenticationResults.Format(authServId, spf, ofHelo, dkim, dmarc));
    }

    private static Task<SpfCheck> CheckSpfAsync(SpfEvaluator evaluator, SmtpEnvelope envelope, CancellationToken ct)
    {
        var helo = envelope.HeloName;
        var sender = envelope.MailFrom ?? "postmaster@" + helo;
        var domain = sender[(sender.LastIndexOf('@') + 1)..];
        // An address literal is no domain to ask (HELO [192.0.2.1], or MAIL FROM:<a@[192.0.2.1]>).
        if (domain.Length == 0 || domain.StartsWith('[') || IPAddress.TryParse(domain, out _))
            return Task.FromResult(new SpfCheck(SpfResult.None, domain));
        return evaluator.CheckHostAsync(envelope.RemoteAddress, domain, sender, helo, ct);
    }

    /// <summary>The domain of the message's From, when there is exactly one From field naming one domain (RFC 7489 §6.6.1).</summary>
    public static string? FromDomain(MimeMessage message)
    {
        var fields = 0;
        foreach (var header in message.Headers)
            if (header.Id == HeaderId.From) fields++;
        if (fields != 1) return null;
        var domains = message.From.Mailboxes.Select(m => m.Domain).Where(d => !string.IsNullOrEmpty(d))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return domains.Count == 1 ? domains[0] : null;
    }
}
