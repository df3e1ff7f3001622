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
    /// <summary>The rows say whom each message went to (Sent, Drafts): the page's summaries are read for it.</summary>
    public bool Recipients { get; init; }

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

    /// <summary>A search in the default order counts its matches up to this many ("hơn 1.000 thư" above it).</summary>
    public int SearchCountCap { get; init; } = 1000;

    public async Task<MessagePage> ListAsync(long mailboxId, MessageListRequest request, CancellationToken ct)
    {
        HashSet<uint>? matches = null;
        if (request.FoldedSearch is { } newest && request.Sort == MessageSort.Date && !request.Ascending)
        {
            // Newest first (what a search shows unless asked otherwise): only the matches up to the page, or up to the cap
            // of the count, are looked for, when the full-text index says there are many.
            var limit = Math.Max(SearchCountCap, request.Skip + request.Take) + 1;
            var required = request.FlaggedOnly ? MessageFlags.Flagged : MessageFlags.None;
            var excluded = MessageFlags.Deleted | (request.UnreadOnly ? MessageFlags.Seen : MessageFlags.None);
            if (await queries.NewestTextMatchesAsync(mailboxId, newest, required, excluded, limit, ct) is { } found)
            {
                if (found.Newest is { } newestFirst)
                {
                    var capped = newestFirst.Count >= limit;
                    var shown = newestFirst.Skip(request.Skip).Take(request.Take).ToList();
                    await using var pageDb = database.Open();
                    return new MessagePage(capped ? limit - 1 : newestFirst.Count, await ItemsAsync(pageDb, mailboxId, shown, request.Recipients, ct), capped);
                }
                // Few candidates: the same lookup gave every match, ordered and filtered below as any search.
                matches = found.All;
            }
        }
        if (matches is null && request.FoldedSearch is { } folded)
            matches = await queries.TextMatchesAsync(mailboxId, folded, ct: ct);
        if (matches is { Count: 0 }) return new MessagePage(0, []);
        await using var db = database.Open();
        var rows = db.MailboxMessages.AsNoTracking().Where(m => m.MailboxId == mailboxId && (m.Flags & MessageFlags.Deleted) == 0);
        if (request.UnreadOnly) rows = rows.Where(m => (m.Flags & MessageFlags.Seen) == 0);
        if (request.FlaggedOnly) rows = rows.Where(m => (m.Flags & MessageFlags.Flagged) != 0);

        // The page is chosen in the folder's own rows (ordered through an index: UID, or the sort keys copied at delivery),
        // and only its messages are joined for what the rows show.
        int total;
        List<uint> page;
        if (matches is null || matches.Count <= MaxMatchesInQuery)
        {
            if (matches is not null)
            {
                var uids = matches.ToList();
                rows = rows.Where(m => uids.Contains(m.Uid));
            }
            total = await rows.CountAsync(ct);
            page = total <= request.Skip ? [] : await Order(rows, request.Sort, request.Ascending).Skip(request.Skip).Take(request.Take)
                .Select(m => m.Uid).ToListAsync(ct);
        }
        else
        {
            // Many matches (a common word in a large folder): the sort keys of the folder are read once from its rows (the
            // UID alone in date order, from the index) and filtered here.
            List<MailboxMessage> keys = request.Sort switch
            {
                MessageSort.Date => [.. (await rows.Select(m => m.Uid).ToListAsync(ct)).Select(uid => new MailboxMessage { Uid = uid })],
                _ => await rows.Select(m => new MailboxMessage { Uid = m.Uid, Size = m.Size, SortSubject = m.SortSubject, SortSender = m.SortSender })
                    .ToListAsync(ct),
            };
            keys.RemoveAll(k => !matches.Contains(k.Uid));
            total = keys.Count;
            page = [.. Order(keys.AsQueryable(), request.Sort, request.Ascending).Skip(request.Skip).Take(request.Take).Select(k => k.Uid)];
        }
        return new MessagePage(total, await ItemsAsync(db, mailboxId, page, request.Recipients, ct));
    }

    /// <summary>What the rows of a page show, in the page's order: the messages of these UIDs joined for their cached columns.</summary>
    private static async Task<IReadOnlyList<MessageListItem>> ItemsAsync(GovMailDbContext db, long mailboxId, List<uint> page, bool recipients,
        CancellationToken ct)
    {
        if (page.Count == 0) return [];
        var rows = await (
                from m in db.MailboxMessages.AsNoTracking()
                where m.MailboxId == mailboxId && page.Contains(m.Uid)
                join s in db.Messages on m.MessageId equals s.Id
                select new
                {
                    Item = new MessageListItem(m.Uid, m.Flags, m.InternalDate, m.Size, s.FromName, s.FromAddress, s.Subject, s.Preview,
                        s.HasAttachments, s.SentDate),
                    Summary = recipients ? s.Summary : null,
                })
            .ToListAsync(ct);
        var byUid = rows.ToDictionary(r => r.Item.Uid, r => r.Summary is null ? r.Item : r.Item with { Recipients = RecipientsOf(r.Summary) });
        return [.. page.Where(byUid.ContainsKey).Select(u => byUid[u])];
    }

    /// <summary>The To and Cc of a cached summary as a row shows them: display names, else addresses.</summary>
    public static string RecipientsOf(string summary)
    {
        var envelope = MessageSummary.FromJson(summary).Envelope;
        return Names(envelope.To.Concat(envelope.Cc));
    }

    /// <summary>Addresses as a row shows them, groups opened: display names, else addresses, comma separated.</summary>
    public static string Names(IEnumerable<AddressSummary> addresses) =>
        string.Join(", ", addresses.SelectMany(a => a.Members ?? [a]).Select(a => string.IsNullOrWhiteSpace(a.Name) ? $"{a.Mailbox}@{a.Host}" : a.Name));

    /// <summary>The messages around <paramref name="uid"/> in the default order (newest first): the newer one and the older one, or null.</summary>
    public async Task<(uint? Newer, uint? Older)> NeighboursAsync(long mailboxId, uint uid, CancellationToken ct)
    {
        await using var db = database.Open();
        var rows = db.MailboxMessages.AsNoTracking().Where(m => m.MailboxId == mailboxId && (m.Flags & MessageFlags.Deleted) == 0);
        var newer = await rows.Where(m => m.Uid > uid).OrderBy(m => m.Uid).Select(m => (uint?)m.Uid).FirstOrDefaultAsync(ct);
        var older = await rows.Where(m => m.Uid < uid).OrderByDescending(m => m.Uid).Select(m => (uint?)m.Uid).FirstOrDefaultAsync(ct);
        return (newer, older);
    }

    private static IQueryable<MailboxMessage> Order(IQueryable<MailboxMessage> rows, MessageSort sort, bool ascending) => (sort, ascending) switch
    {
        (MessageSort.Sender, true) => rows.OrderBy(r => r.SortSender).ThenByDescending(r => r.Uid),
        (MessageSort.Sender, false) => rows.OrderByDescending(r => r.SortSender).ThenByDescending(r => r.Uid),
        (MessageSort.Subject, true) => rows.OrderBy(r => r.SortSubject).ThenByDescending(r => r.Uid),
        (MessageSort.Subject, false) => rows.OrderByDescending(r => r.SortSubject).ThenByDescending(r => r.Uid),
        (MessageSort.Size, true) => rows.OrderBy(r => r.Size).ThenByDescending(r => r.Uid),
        (MessageSort.Size, false) => rows.OrderByDescending(r => r.Size).ThenByDescending(r => r.Uid),
        (_, true) => rows.OrderBy(r => r.Uid),
        _ => rows.OrderByDescending(r => r.Uid),
    };
}
