using System.Net;
using GovMail.Core.Mail;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using MimeKit;

namespace GovMail.Smtp.Delivery;

/// <summary>
/// Submission from outside SMTP (webmail): the same checks a 587 session makes (the sender must own the From address, each
/// recipient must be acceptable), then the same sink SMTP delivers into — local INBOXes and the outbound queue, with the
/// trace header and the usage event — and finally a copy in the sender's Sent, marked read.
/// </summary>
public sealed class PipelineSubmission(
    GovMailDatabase database,
    IBlobStore blobs,
    IMessageSink sink,
    ISmtpPolicy policy,
    TimeProvider clock,
    string spoolDirectory,
    long maxMessageSize,
    MailboxNotifications? notifications = null) : IMailSubmission
{
    private static readonly FormatOptions Format = new() { NewLineFormat = NewLineFormat.Dos, International = true };

    public async Task<SubmissionResult> SubmitAsync(MailSubmission submission, CancellationToken ct = default)
    {
        if (submission.Recipients.Count == 0) return Refused(null, "No recipient / Chưa có người nhận");
        var from = submission.Message.From.Mailboxes.FirstOrDefault()?.Address ?? submission.Sender;
        Directory.CreateDirectory(spoolDirectory);
        var file = Path.Combine(spoolDirectory, "web-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
                await submission.Message.WriteToAsync(Format, stream, ct);
            var size = new FileInfo(file).Length;
            if (size > maxMessageSize)
                return Refused(null, $"Message too large (limit {maxMessageSize / (1024 * 1024)} MB) / Thư quá lớn (tối đa {maxMessageSize / (1024 * 1024)} MB)");

            if (await policy.CheckSenderAsync(from, SmtpListenerKind.Submission, submission.Sender, size, ct) is { } senderRefusal)
                return Refused(from, senderRefusal.Text);
            var refusals = new List<SubmissionRefusal>();
            foreach (var rcpt in submission.Recipients)
                if (await policy.CheckRecipientAsync(rcpt, SmtpListenerKind.Submission, submission.Sender, size, ct) is { } r)
                    refusals.Add(new SubmissionRefusal(rcpt, r.Text));
            if (refusals.Count > 0) return new SubmissionResult(false, refusals);

            var remote = IPAddress.TryParse(submission.RemoteAddress, out var ip) ? ip : IPAddress.Loopback;
            var envelope = new SmtpEnvelope(from, submission.Recipients.Select(r => new SmtpRecipient(r, null, null)).ToList(),
                SmtpListenerKind.Submission, remote, "webmail", Tls: true, submission.Sender,
                SmtpUtf8: submission.Recipients.Any(r => !IsAscii(r)) || !IsAscii(from), EightBitMime: true, null, null)
            {
                Protocol = submission.Protocol,
                Keeper = submission.Keeper,
            };
            var reply = await sink.DeliverAsync(envelope, file, size, ct);
            if (!reply.IsPositive) return Refused(null, reply.Text);
        }
        finally
        {
            try { File.Delete(file); }
            catch (IOException) { /* the spool is swept on start */ }
        }

        // The sender's copy, as written (no trace headers), read and not counted again as sent.
        var copies = await new LocalMail(database, blobs, clock).FileAsync(submission.Message,
            [new DeliveryTarget(submission.AccountId, submission.Sender) { Role = MailboxRole.Sent, Flags = MessageFlags.Seen, RecordAs = null }], ct);
        notifications?.PublishDelivered(copies);
        return SubmissionResult.Done;
    }

    private static SubmissionResult Refused(string? address, string text) => new(false, [new SubmissionRefusal(address, text)]);

    private static bool IsAscii(string s) => s.All(char.IsAscii);
}
