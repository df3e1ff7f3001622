using System.Text.Json;
using GovMail.Core.Mail;
using GovMail.Core.Mail.Threading;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace GovMail.Web.Mail;

/// <summary>A message of a conversation, with what the list and the conversation page show of it (all cached at delivery).</summary>
public sealed class ConversationMessage(int sequence, long mailboxId, uint uid, MessageFlags flags, DateTimeOffset internalDate,
    string? fromName, string? fromAddress, string? subject, string? preview, bool hasAttachments, DateTimeOffset? sentDate,
    ConversationList.ThreadFields? fields)
    : ThreadMessage(sequence, subject, sentDate ?? internalDate, fields?.Envelope?.MessageId, fields?.Envelope?.InReplyTo, fields?.References)
{
    public long MailboxId { get; } = mailboxId;
    public uint Uid { get; } = uid;
    public MessageFlags Flags { get; } = flags;
    public DateTimeOffset InternalDate { get; } = internalDate;
    public string? FromName { get; } = fromName;
    public string? FromAddress { get; } = fromAddress;
    public string? Subject { get; } = subject;
    public string? Preview { get; } = preview;
    public bool HasAttachments { get; } = hasAttachments;
    public IReadOnlyList<AddressSummary> To { get; } = fields?.Envelope?.To ?? [];
    public bool Unread => (Flags & MessageFlags.Seen) == 0;
    public bool Flagged => (Flags & MessageFlags.Flagged) != 0;

    /// <summary>The sender as a row shows them: the display name, else the address.</summary>
    public string Sender => string.IsNullOrWhiteSpace(FromName) ? FromAddress ?? "" : FromName;
}

/// <summary>
/// One conversation (hội thoại) of a folder: the messages of one REFERENCES thread that are in the folder, and the user's own
/// replies from Đã gửi that belong to it, oldest first.
/// </summary>
public sealed class Conversation(long mailboxId, IReadOnlyList<ConversationMessage> messages)
{
    public long MailboxId { get; } = mailboxId;

    /// <summary>Oldest first (sent date, then arrival).</summary>
    public IReadOnlyList<ConversationMessage> Messages { get; } = messages;

    /// <summary>The messages that are in the folder itself: those the row's actions change.</summary>
    public IEnumerable<ConversationMessage> InFolder => Messages.Where(m => m.MailboxId == MailboxId);

    /// <summary>The newest message by arrival: the row's date and the order of the list.</summary>
    public ConversationMessage Newest => Messages.MaxBy(m => (m.InternalDate, m.Sequence))!;

    /// <summary>The conversation's address in the folder: the UID of its newest message there.</summary>
    public uint Id => InFolder.MaxBy(m => (m.InternalDate, m.Sequence))!.Uid;

    public bool Unread => InFolder.Any(m => m.Unread);
    public bool Flagged => InFolder.Any(m => m.Flagged);
    public bool HasAttachments => Messages.Any(m => m.HasAttachments);
    public string? Subject => Messages[0].Subject;

    /// <summary>The senders in the order they first wrote, by given name ("Anh, Bình, tôi"); <paramref name="me"/> for the owner's own.</summary>
    public IReadOnlyList<string> Participants(string ownAddress, string me)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var m in Messages)
        {
            var key = m.FromAddress ?? m.FromName ?? "";
            if (!seen.Add(key)) continue;
            names.Add(string.Equals(m.FromAddress, ownAddress, StringComparison.OrdinalIgnoreCase) ? me : ShortName(m));
        }
        return names;
    }

    /// <summary>The given name, the last word of a Vietnamese name; else the address's local part.</summary>
    private static string ShortName(ConversationMessage m)
    {
        if (!string.IsNullOrWhiteSpace(m.FromName)) return m.FromName.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
        var address = m.FromAddress ?? "";
        var at = address.IndexOf('@');
        return at > 0 ? address[..at] : address;
    }
}

/// <summary>A page of conversations and how many there are in all.</summary>
public sealed record ConversationPage(int Total, IReadOnlyList<Conversation> Items);

/// <summary>
/// The conversation view of a folder (xem theo hội thoại): its messages and those of Đã gửi threaded by the one
/// THREAD=REFERENCES implementation IMAP uses (<see cref="MessageThreader"/>), each thread with a message in the folder one
/// conversation. Only cached columns are read (the subject, sender, dates, flags and the summary's Message-ID, In-Reply-To
/// and References); no message is parsed. Filters and search apply to the folder's messages: a conversation matches when
/// one of them does.
/// </summary>
public sealed class ConversationList(GovMailDatabase database, MailboxQueries queries) : IDisposable
{
    /// <summary>Most messages whose threading fields are kept; past it the least used go first.</summary>
    internal const int CachedMessages = 100_000;

    // A message never changes, so what threading reads of its summary is kept by its id: a folder is threaded again at each
    // look (flags and new mail change it), but its summaries are read and parsed once, not at every page.
    private readonly MemoryCache _fields = new(new MemoryCacheOptions { SizeLimit = CachedMessages, CompactionPercentage = 0.1 });

    public void Dispose() => _fields.Dispose();

    /// <summary>The part of the cached summary threading reads; the rest of the JSON is skipped.</summary>
    public sealed record ThreadFields(ThreadEnvelope? Envelope, IReadOnlyList<string>? References);

    public sealed record ThreadEnvelope(string? MessageId, string? InReplyTo, IReadOnlyList<AddressSummary>? To);

    public async Task<ConversationPage> ListAsync(long mailboxId, long? sentMailboxId, MessageListRequest request, CancellationToken ct)
    {
        var all = await ThreadAsync(mailboxId, sentMailboxId, ct);
        HashSet<uint>? matches = request.FoldedSearch is { } folded ? await queries.TextMatchesAsync(mailboxId, folded, ct: ct) : null;
        var shown = all.Where(c => c.InFolder.Any(m =>
                (!request.UnreadOnly || m.Unread) && (!request.FlaggedOnly || m.Flagged) && (matches is null || matches.Contains(m.Uid))))
            .ToList();
        var ordered = request.Ascending
            ? shown.OrderBy(c => c.Newest.InternalDate).ThenBy(c => c.Newest.Sequence)
            : shown.OrderByDescending(c => c.Newest.InternalDate).ThenByDescending(c => c.Newest.Sequence);
        return new ConversationPage(shown.Count, [.. ordered.Skip(request.Skip).Take(request.Take)]);
    }

    /// <summary>The conversation of the folder holding the message <paramref name="uid"/> there, or null.</summary>
    public async Task<Conversation?> FindAsync(long mailboxId, long? sentMailboxId, uint uid, CancellationToken ct) =>
        (await ThreadAsync(mailboxId, sentMailboxId, ct)).FirstOrDefault(c => c.InFolder.Any(m => m.Uid == uid));

    /// <summary>Every conversation of the folder, in thread order.</summary>
    private async Task<List<Conversation>> ThreadAsync(long mailboxId, long? sentMailboxId, CancellationToken ct)
    {
        var sent = sentMailboxId is { } s && s != mailboxId ? s : -1;
        await using var db = database.Open();
        var rows = await (
                from m in db.MailboxMessages.AsNoTracking()
                where (m.MailboxId == mailboxId || m.MailboxId == sent) && (m.Flags & MessageFlags.Deleted) == 0
                join x in db.Messages on m.MessageId equals x.Id
                orderby m.MailboxId == mailboxId ? 0 : 1, m.Uid
                select new { m.MailboxId, m.Uid, m.Flags, m.InternalDate, x.Id, x.FromName, x.FromAddress, x.Subject, x.Preview, x.HasAttachments,
                    x.SentDate })
            .ToListAsync(ct);
        var fieldsOf = await FieldsAsync(db, rows.Select(r => r.Id), ct);
        var messages = new List<ConversationMessage>(rows.Count);
        var inFolder = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            var fields = fieldsOf.GetValueOrDefault(r.Id);
            // A message sent to oneself is in both folders: the folder's copy (read first) stands for it.
            var id = fields?.Envelope?.MessageId;
            if (r.MailboxId == mailboxId && id is { Length: > 0 }) inFolder.Add(id);
            else if (r.MailboxId != mailboxId && id is not null && inFolder.Contains(id)) continue;
            messages.Add(new ConversationMessage(messages.Count + 1, r.MailboxId, r.Uid, r.Flags, r.InternalDate, r.FromName, r.FromAddress,
                r.Subject, r.Preview, r.HasAttachments, r.SentDate, fields));
        }
        var conversations = new List<Conversation>();
        foreach (var thread in MessageThreader.References(messages))
        {
            var members = thread.Messages().ToList();
            if (!members.Any(m => m.MailboxId == mailboxId)) continue;
            members.Sort(ThreadMessage.CompareByDate);
            conversations.Add(new Conversation(mailboxId, members));
        }
        return conversations;
    }

    /// <summary>The threading fields of the messages <paramref name="ids"/>: kept ones from memory, the others read (only their summaries) and kept.</summary>
    private async Task<Dictionary<Guid, ThreadFields?>> FieldsAsync(GovMailDbContext db, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var found = new Dictionary<Guid, ThreadFields?>();
        var missing = new List<Guid>();
        foreach (var id in ids)
        {
            if (found.ContainsKey(id)) continue;
            if (_fields.TryGetValue(id, out ThreadFields? kept)) found[id] = kept;
            else missing.Add(id);
        }
        foreach (var chunk in missing.Chunk(1000))
        {
            var summaries = await db.Messages.AsNoTracking().Where(x => chunk.Contains(x.Id)).Select(x => new { x.Id, x.Summary }).ToListAsync(ct);
            foreach (var m in summaries)
            {
                var fields = JsonSerializer.Deserialize<ThreadFields>(m.Summary, MessageSummary.Json);
                found[m.Id] = fields;
                _fields.Set(m.Id, fields, new MemoryCacheEntryOptions { Size = 1 });
            }
        }
        return found;
    }
}
