using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using MimeKit;

namespace GovMail.Storage.Mail;

/// <summary>
/// Files a message the system itself writes (reminders, summaries) into local mailboxes: the blob is written durably, parsed
/// like received mail, then delivered through <see cref="MailStore.DeliverAsync"/>; the blob is removed if delivery fails.
/// Once committed, the copies are announced on <see cref="Notifications"/> so IMAP IDLE and webmail hear of them.
/// </summary>
public sealed class LocalMail(GovMailDatabase database, IBlobStore blobs, TimeProvider clock)
{
    private static readonly FormatOptions Format = new() { NewLineFormat = NewLineFormat.Dos };

    /// <summary>The bus sessions listen on; none in a command that runs without them.</summary>
    public MailboxNotifications? Notifications { get; init; }

    /// <summary>
    /// Files <paramref name="message"/>; with <paramref name="returnPath"/> (<c>""</c> for a notice that must never be
    /// answered) a <c>Return-Path:</c> line goes on top, as on mail received over SMTP.
    /// </summary>
    public async Task<IReadOnlyList<DeliveredCopy>> FileAsync(MimeMessage message, IReadOnlyList<DeliveryTarget> targets, CancellationToken ct,
        string? returnPath = null)
    {
        var (key, size, parsed) = await blobs.PutMessageAsync(async (stream, c) =>
        {
            if (returnPath is not null) await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"Return-Path: <{returnPath}>\r\n"), c);
            await message.WriteToAsync(Format, stream, c);
        }, ct);
        IReadOnlyList<DeliveredCopy> copies;
        try
        {
            copies = await new MailStore(database, clock).DeliverAsync(new NewMessage(key, size, parsed, clock.GetUtcNow()), targets, ct);
        }
        catch
        {
            await blobs.DeleteAsync(key, CancellationToken.None);
            throw;
        }
        Notifications?.PublishDelivered(copies);
        return copies;
    }
}
