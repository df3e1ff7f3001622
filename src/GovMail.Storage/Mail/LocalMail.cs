using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using MimeKit;

namespace GovMail.Storage.Mail;

/// <summary>
/// Files a message the system itself writes (reminders, summaries) into local mailboxes: the blob is written durably, parsed
/// like received mail, then delivered through <see cref="MailStore.DeliverAsync"/>; the blob is removed if delivery fails.
/// </summary>
public sealed class LocalMail(GovMailDatabase database, IBlobStore blobs, TimeProvider clock)
{
    private static readonly FormatOptions Format = new() { NewLineFormat = NewLineFormat.Dos };

    public async Task<IReadOnlyList<DeliveredCopy>> FileAsync(MimeMessage message, IReadOnlyList<DeliveryTarget> targets, CancellationToken ct)
    {
        var (key, size) = await blobs.PutAsync((stream, c) => message.WriteToAsync(Format, stream, c), ct);
        try
        {
            MessageSummaryBuilder.Result parsed;
            await using (var read = blobs.OpenRead(key)) parsed = MessageSummaryBuilder.Build(read);
            return await new MailStore(database, clock).DeliverAsync(new NewMessage(key, size, parsed, clock.GetUtcNow()), targets, ct);
        }
        catch
        {
            await blobs.DeleteAsync(key, CancellationToken.None);
            throw;
        }
    }
}
