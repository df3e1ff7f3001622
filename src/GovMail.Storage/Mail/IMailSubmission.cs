using GovMail.Core.Usage;
using MimeKit;

namespace GovMail.Storage.Mail;

/// <summary>
/// Sending a message an account wrote outside SMTP (webmail, later the API) through the same delivery pipeline as SMTP
/// submission: local recipients get it in their INBOX, others through the outbound queue, and the sender keeps a copy in
/// Sent. The host wires it to the SMTP room's pipeline; the web only sees this interface.
/// </summary>
public interface IMailSubmission
{
    Task<SubmissionResult> SubmitAsync(MailSubmission submission, CancellationToken ct = default);
}

/// <summary>
/// One message to send: who sends it (the account logged in), to whom (the envelope recipients: To, Cc and Bcc), the
/// message itself (its From must be the sender's address or alias) and where the request came from.
/// </summary>
public sealed record MailSubmission(Guid AccountId, string Sender, IReadOnlyList<string> Recipients, MimeMessage Message,
    UsageProtocol Protocol, string? RemoteAddress)
{
    /// <summary>The keeper sending as a unit's collective mailbox (<see cref="Sender"/>), named on the usage event and in the audit log.</summary>
    public string? Keeper { get; init; }
}

/// <summary>How a submission went. On refusal <see cref="Refusals"/> holds the server's plain sentence per refused address
/// (or one sentence for the whole message); nothing was sent then.</summary>
public sealed record SubmissionResult(bool Sent, IReadOnlyList<SubmissionRefusal> Refusals)
{
    public static SubmissionResult Done { get; } = new(true, []);
}

/// <summary>Why the pipeline would not take a message: the address concerned (null for the whole message) and the reply text.</summary>
public sealed record SubmissionRefusal(string? Address, string Text);
