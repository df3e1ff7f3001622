using System.Net;
using GovMail.Core;

namespace GovMail.Smtp;

/// <summary>What an SMTP listener is for: MX (port 25) or submission by the tenant's own users (587 with STARTTLS, 465 implicit TLS).</summary>
public enum SmtpListenerKind
{
    /// <summary>Mail from the Internet: no AUTH, only the tenant's own recipients, never relays.</summary>
    Mx,
    /// <summary>Authenticated submission after STARTTLS (587).</summary>
    Submission,
    /// <summary>Authenticated submission over implicit TLS (465).</summary>
    Submissions,
}

/// <summary>The mail transaction as the server accepted it: who sent it, for whom, from where.</summary>
public sealed record SmtpEnvelope(
    string? MailFrom,
    IReadOnlyList<SmtpRecipient> Recipients,
    SmtpListenerKind Listener,
    IPAddress RemoteAddress,
    string HeloName,
    bool Tls,
    string? AuthenticatedAs,
    bool SmtpUtf8,
    bool EightBitMime,
    /// <summary>DSN (RFC 3461) RET and ENVID parameters of MAIL FROM.</summary>
    string? DsnReturn,
    string? DsnEnvelopeId)
{
    /// <summary>The <c>Authentication-Results:</c> field (CRLF-terminated) the inbound checks wrote, put on the stored copy; null when not checked.</summary>
    public string? AuthenticationResults { get; init; }

    /// <summary>The inbound checks and the tenant's policy send this message to the recipients' Junk folder instead of INBOX.</summary>
    public bool Quarantine { get; init; }

    /// <summary>How the sender handed the message in, for the usage event of a submission (webmail submits through the same pipeline).</summary>
    public Core.Usage.UsageProtocol Protocol { get; init; } = Core.Usage.UsageProtocol.Smtp;

    /// <summary>The keeper who sent as the collective mailbox <see cref="AuthenticatedAs"/>: the sending is attributed to them.</summary>
    public string? Keeper { get; init; }
}

/// <summary>One RCPT TO, with the DSN parameters that came with it.</summary>
public sealed record SmtpRecipient(string Address, string? DsnNotify, string? DsnOriginalRecipient);

/// <summary>A reply the server sends: code, enhanced status code, plain-words text (Vietnamese then English where it helps).</summary>
public sealed record SmtpReply(int Code, string? Enhanced, string Text)
{
    public bool IsPositive => Code is >= 200 and < 400;
    public bool IsTemporary => Code is >= 400 and < 500;
}

/// <summary>Checks credentials given with AUTH; on success says which account logged in.</summary>
public interface ISmtpAuthenticator
{
    Task<SmtpAuthResult> AuthenticateAsync(string user, string password, IPAddress remote, SmtpListenerKind listener, CancellationToken ct);
}

public sealed record SmtpAuthResult(bool Succeeded, string? Account, SmtpReply? Refusal)
{
    /// <summary>The keeper who logged in to the collective mailbox <see cref="Account"/> with their own password.</summary>
    public string? Keeper { get; init; }
}

/// <summary>The rules of the transaction that need the directory: who may send as whom, which recipients exist, quota.</summary>
public interface ISmtpPolicy
{
    /// <summary>MAIL FROM: may this sender be used on this listener (by this authenticated account)? Null reply means yes.</summary>
    Task<SmtpReply?> CheckSenderAsync(string? mailFrom, SmtpListenerKind listener, string? authenticatedAs, long declaredSize, CancellationToken ct);

    /// <summary>RCPT TO: is this recipient acceptable (local and existing, or relay allowed for authenticated submission)? Null reply means yes.</summary>
    Task<SmtpReply?> CheckRecipientAsync(string recipient, SmtpListenerKind listener, string? authenticatedAs, long declaredSize, CancellationToken ct);
}

/// <summary>
/// Takes a received message and makes it durable: stored, fsynced and committed before this returns a positive reply.
/// The message file is a spool file the session wrote; the sink may move or copy it but must not assume it stays.
/// </summary>
public interface IMessageSink
{
    Task<SmtpReply> DeliverAsync(SmtpEnvelope envelope, string messageFile, long size, CancellationToken ct);
}
