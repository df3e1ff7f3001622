using GovMail.Core.Mail;
using GovMail.Core.Text;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Web.Mail;

/// <summary>What a message list can be ordered by (sắp xếp): arrival (the date column), sender, subject or size.</summary>
public enum MessageSort
{
    Date,
    Sender,
    Subject,
    Size,
}

/// <summary>What the user asked of a folder's list: order, filters, the words searched for and the page.</summary>
public sealed record MessageListRequest(MessageSort Sort, bool Ascending, bool UnreadOnly, bool FlaggedOnly, string? Search, int Skip, int Take)
{
    /// <summary>The search text folded as the mail store folds what it indexes (lower case, no diacritics): <c>Công Văn</c> → <c>cong van</c>.</summary>
    public string? FoldedSearch => string.IsNullOrWhiteSpace(Search) ? null : VietnameseText.Fold(Search.Trim()).ToLowerInvariant();
}

/// <summary>
/// A folder's message list for the web (danh sách thư): the rows cached at delivery, ordered and filtered in the database,
/// a page at a time. Search goes through the mail store's own text search (<see cref="MailboxQueries.TextMatchesAsync"/>,
/// the full-text index prefilter IMAP SEARCH uses), so <c>cong van</c> finds <c>công văn</c> in the subject, the people
/// and the text. Date order is arrival order (the UID), which the (mailbox, UID) index answers without sorting.
/// </summary>
public sealed class MessageList(GovMailDatabase database, MailboxQueries queries)
{
    /// <summary>Up to this many search matches are handed to the database as a list; above it they are filtered here.</summary>
    public int MaxMatchesInQuery { get; init; } = 500;

    public async Task<MessagePage> ListAsync(long mailboxId, MessageListRequest request, CancellationToken ct)
    {
        HashSet<uint>? matches = null;
        if (request.FoldedSearch is { } folded)
        {
            matches = await queries.TextMatchesAsync(mailboxId, folded, ct: ct);
            if (matches.Count == 0) return new MessagePage(0, []);
        }
        await using var db = database.Open();
        var rows = db.MailboxMessages.AsNoTracking().Where(m => m.MailboxId == mailboxId && (m.Flags & MessageFlags.Deleted) == 0);
        if (request.UnreadOnly) rows = rows.Where(m => (m.Flags & MessageFlags.Seen) == 0);
        if (request.FlaggedOnly) rows = rows.Where(m => (m.Flags & MessageFlags.Flagged) != 0);
        var joined = from m in rows
                     join s in db.Messages on m.MessageId equals s.Id
                     select new Row
                     {
                         Uid = m.Uid, Flags = m.Flags, InternalDate = m.InternalDate, Size = m.Size, FromName = s.FromName,
                         FromAddress = s.FromAddress, Subject = s.Subject, Preview = s.Preview, HasAttachments = s.HasAttachments, SentDate = s.SentDate,
                     };

        if (matches is null || matches.Count <= MaxMatchesInQuery)
        {
            if (matches is not null)
            {
                var uids = matches.ToList();
                joined = joined.Where(r => uids.Contains(r.Uid));
            }
            var total = await joined.CountAsync(ct);
            var items = await Order(joined, request.Sort, request.Ascending).Skip(request.Skip).Take(request.Take).ToListAsync(ct);
            return new MessagePage(total, [.. items.Select(r => r.Item)]);
        }

        // Many matches (a common word in a large folder): the sort keys of the folder are read once and filtered here. In
        // date order the key is the UID itself, read from the (mailbox, UID) index without touching the messages.
        List<Row> keys = request.Sort == MessageSort.Date
            ? [.. (await rows.Select(m => m.Uid).ToListAsync(ct)).Select(uid => new Row { Uid = uid })]
            : await joined.Select(r => new Row { Uid = r.Uid, Size = r.Size, FromName = r.FromName, FromAddress = r.FromAddress, Subject = r.Subject })
                .ToListAsync(ct);
        keys.RemoveAll(k => !matches.Contains(k.Uid));
        var page = Order(keys.AsQueryable(), request.Sort, request.Ascending).Skip(request.Skip).Take(request.Take).Select(k => k.Uid).ToList();
        var rowsOfPage = await joined.Where(r => page.Contains(r.Uid)).ToListAsync(ct);
        var byUid = rowsOfPage.ToDictionary(r => r.Uid);
        return new MessagePage(keys.Count, [.. page.Where(byUid.ContainsKey).Select(u => byUid[u].Item)]);
    }

    /// <summary>The messages around <paramref name="uid"/> in the default order (newest first): the newer one and the older one, or null.</summary>
    public async Task<(uint? Newer, uint? Older)> NeighboursAsync(long mailboxId, uint uid, CancellationToken ct)
    {
        await using var db = database.Open();
        var rows = db.MailboxMessages.AsNoTracking().Where(m => m.MailboxId == mailboxId && (m.Flags & MessageFlags.Deleted) == 0);
        var newer = await rows.Where(m => m.Uid > uid).OrderBy(m => m.Uid).Select(m => (uint?)m.Uid).FirstOrDefaultAsync(ct);
        var older = await rows.Where(m => m.Uid < uid).OrderByDescending(m => m.Uid).Select(m => (uint?)m.Uid).FirstOrDefaultAsync(ct);
        return (newer, older);
    }

    private static IQueryable<Row> Order(IQueryable<Row> rows, MessageSort sort, bool ascending) => (sort, ascending) switch
    {
        (MessageSort.Sender, true) => rows.OrderBy(r => r.FromName ?? r.FromAddress).ThenByDescending(r => r.Uid),
        (MessageSort.Sender, false) => rows.OrderByDescending(r => r.FromName ?? r.FromAddress).ThenByDescending(r => r.Uid),
        (MessageSort.Subject, true) => rows.OrderBy(r => r.Subject).ThenByDescending(r => r.Uid),
        (MessageSort.Subject, false) => rows.OrderByDescending(r => r.Subject).ThenByDescending(r => r.Uid),
        (MessageSort.Size, true) => rows.OrderBy(r => r.Size).ThenByDescending(r => r.Uid),
        (MessageSort.Size, false) => rows.OrderByDescending(r => r.Size).ThenByDescending(r => r.Uid),
        (_, true) => rows.OrderBy(r => r.Uid),
        _ => rows.OrderByDescending(r => r.Uid),
    };

    private sealed class Row
    {
        public uint Uid { get; init; }
        public MessageFlags Flags { get; init; }
        public DateTimeOffset InternalDate { get; init; }
        public long Size { get; init; }
        public string? FromName { get; init; }
        public string? FromAddress { get; init; }
        public string? Subject { get; init; }
        public string? Preview { get; init; }
        public bool HasAttachments { get; init; }
        public DateTimeOffset? SentDate { get; init; }

        public MessageListItem Item => new(Uid, Flags, InternalDate, Size, FromName, FromAddress, Subject, Preview, HasAttachments, SentDate);
    }
}
