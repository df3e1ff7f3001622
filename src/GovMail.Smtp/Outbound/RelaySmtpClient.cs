using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace GovMail.Smtp.Outbound;

/// <summary>
/// MailKit's SMTP client as the relay needs it: every RCPT TO reply is recorded instead of one refusal aborting the whole
/// transaction, NOTIFY, RET and ENVID travel on to servers that support DSN (ORCPT is MailKit's own choice: its hook cannot
/// be overridden), and the message is DKIM-signed after MailKit has prepared it for this server's encoding limits, so the
/// signature covers exactly the bytes sent.
/// </summary>
internal sealed class RelaySmtpClient : SmtpClient
{
    private readonly Func<FormatOptions, MimeMessage, string?>? _sign;
    private readonly Dictionary<MailboxAddress, string?> _notify = new(ReferenceEqualityComparer.Instance);

    public RelaySmtpClient(Func<FormatOptions, MimeMessage, string?>? sign) => _sign = sign;

    /// <summary>RCPT TO replies of the last transaction, by the mailbox objects passed to SendAsync.</summary>
    public Dictionary<MailboxAddress, SmtpResponse> RecipientReplies { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The domain whose key signed the last message, if any.</summary>
    public string? SignedBy { get; private set; }

    public string? EnvelopeId { get; set; }

    public void SetNotify(MailboxAddress mailbox, string? notify) => _notify[mailbox] = notify;

    protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
        RecipientReplies[mailbox] = response;

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
        RecipientReplies[mailbox] = response;

    protected override void OnNoRecipientsAccepted(MimeMessage message) => throw new NoRecipientAcceptedException();

    protected override string? GetEnvelopeId(MimeMessage message) => EnvelopeId;

    /// <summary>The sender's NOTIFY for this recipient, passed on as given; none when the sender gave none.</summary>
    protected override DeliveryStatusNotification? GetDeliveryStatusNotifications(MimeMessage message, MailboxAddress mailbox)
    {
        if (!_notify.TryGetValue(mailbox, out var given) || string.IsNullOrWhiteSpace(given)) return null;
        var notify = DsnParameters.ParseNotify(given);
        if (notify == DsnNotify.Never) return DeliveryStatusNotification.Never;
        DeliveryStatusNotification result = 0;
        if (notify.HasFlag(DsnNotify.Success)) result |= DeliveryStatusNotification.Success;
        if (notify.HasFlag(DsnNotify.Failure)) result |= DeliveryStatusNotification.Failure;
        if (notify.HasFlag(DsnNotify.Delay)) result |= DeliveryStatusNotification.Delay;
        return result;
    }

    protected override void Prepare(FormatOptions options, MimeMessage message, EncodingConstraint constraint, int maxLineLength)
    {
        base.Prepare(options, message, constraint, maxLineLength);
        SignedBy = _sign?.Invoke(options, message);
    }

    /// <summary>Thrown when the server refused every recipient, so DATA is never sent.</summary>
    internal sealed class NoRecipientAcceptedException() : Exception("no recipient was accepted");
}
