using GovMail.Storage.Blobs;
using GovMail.Storage.Mail;
using GovMail.Web.Security;
using MimeKit;

namespace GovMail.Web.Mail;

/// <summary>
/// Opens one message of the signed-in account for reading: the mailbox must be theirs, the row comes from the mail store's
/// FETCH query and the body from the blob, parsed by MimeKit (headers decoded, RFC 2047 and 2231 included).
/// </summary>
public sealed class MessageReading(MailboxQueries queries, IBlobStore blobs)
{
    /// <summary>The account's mailbox with this id, or null (another account's mailbox is "not found", never "forbidden").</summary>
    public async Task<MailboxInfo?> MailboxAsync(WebUser user, long mailboxId, CancellationToken ct)
    {
        var all = await MailboxesAsync(user, ct);
        return all.FirstOrDefault(m => m.Id == mailboxId);
    }

    /// <summary>Every mailbox of the signed-in account.</summary>
    public Task<IReadOnlyList<MailboxInfo>> MailboxesAsync(WebUser user, CancellationToken ct) => queries.ListAsync(user.AccountId, ct);

    public async Task<OpenedMessage?> OpenAsync(WebUser user, long mailboxId, uint uid, CancellationToken ct) =>
        await MailboxAsync(user, mailboxId, ct) is { } mailbox ? await OpenAsync(mailbox, uid, ct) : null;

    /// <summary>A message of a mailbox the caller has already found among the signed-in account's own.</summary>
    public async Task<OpenedMessage?> OpenAsync(MailboxInfo mailbox, uint uid, CancellationToken ct)
    {
        var rows = await queries.FetchAsync(mailbox.Id, uid, uid, 1, content: true, ct);
        if (rows.Count == 0 || rows[0].BlobKey is not { } key) return null;
        MimeMessage message;
        await using (var stream = await blobs.OpenReadAsync(key, ct)) message = await MimeMessage.LoadAsync(stream, ct);
        return new OpenedMessage(mailbox, rows[0], message);
    }
}

/// <summary>A message opened for reading, with its parts numbered the way the attachment links name them.</summary>
public sealed class OpenedMessage(MailboxInfo mailbox, MessageRow row, MimeMessage message)
{
    private IReadOnlyList<MessagePart>? _parts;

    public MailboxInfo Mailbox { get; } = mailbox;
    public MessageRow Row { get; } = row;
    public MimeMessage Message { get; } = message;

    public string? HtmlBody => Message.HtmlBody;
    public string? TextBody => Message.TextBody;

    /// <summary>Every leaf part, numbered from 0 in document order.</summary>
    public IReadOnlyList<MessagePart> Parts => _parts ??= [.. Message.BodyParts.OfType<MimePart>().Select((p, i) => new MessagePart(i, p))];

    /// <summary>The parts shown as attachments: marked as such, or named files that are not the text being shown.</summary>
    public IEnumerable<MessagePart> Attachments => Parts.Where(p => p.Part.IsAttachment
        || (p.Part.FileName is not null && p.Part.ContentId is null && p.Part is not TextPart { IsAttachment: false, FileName: null }));

    /// <summary>The part a <c>cid:</c> URL of the HTML body names, or null.</summary>
    public MessagePart? ByContentId(string contentId)
    {
        var id = contentId.Trim('<', '>');
        return Parts.FirstOrDefault(p => string.Equals(p.Part.ContentId?.Trim('<', '>'), id, StringComparison.OrdinalIgnoreCase));
    }
}

public sealed record MessagePart(int Index, MimePart Part)
{
    public string FileName => Part.FileName ?? $"tep-{Index + 1}.{Part.ContentType.MediaSubtype}";
}
