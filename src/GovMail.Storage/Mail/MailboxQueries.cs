using GovMail.Core.Mail;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Mail;

/// <summary>
/// The reads a mail protocol session makes over and over (list, status, the UID map, FETCH, SEARCH, change sync): no
/// change tracking, narrow projections, one short-lived context per call so no connection is held while a client reads.
/// </summary>
public sealed class MailboxQueries(GovMailDatabase database)
{
    /// <summary>Every mailbox of an account, by name.</summary>
    public async Task<IReadOnlyList<MailboxInfo>> ListAsync(Guid accountId, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var list = await db.Mailboxes.AsNoTracking().Where(m => m.AccountId == accountId)
            .Select(m => new MailboxInfo(m.Id, m.AccountId, m.Name, m.Role, m.Subscribed, m.UidValidity, m.UidNext, m.HighestModSeq))
            .ToListAsync(ct);
        list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    /// <summary>One mailbox of an account by its exact name, or null.</summary>
    public async Task<MailboxInfo?> FindAsync(Guid accountId, string name, CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await SessionQueries.Mailbox.For(db)(db, accountId, name);
    }

    /// <summary>The counters a session compares to learn whether anything changed; null when the mailbox is gone.</summary>
    public async Task<MailboxState?> StateAsync(long mailboxId, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var row = await db.Mailboxes.AsNoTracking().Where(m => m.Id == mailboxId)
            .Select(m => new { m.UidNext, m.HighestModSeq }).FirstOrDefaultAsync(ct);
        if (row is null) return null;
        var count = await db.MailboxMessages.CountAsync(m => m.MailboxId == mailboxId, ct);
        return new MailboxState(row.UidNext, row.HighestModSeq, count);
    }

    /// <summary>The STATUS counters of a mailbox.</summary>
    public async Task<MailboxStatus> StatusAsync(MailboxInfo mailbox, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var id = mailbox.Id;
        var head = await db.Mailboxes.AsNoTracking().Where(m => m.Id == id)
            .Select(m => new { m.UidNext, m.HighestModSeq, m.UidValidity }).FirstOrDefaultAsync(ct);
        var counts = await db.MailboxMessages.AsNoTracking().Where(m => m.MailboxId == id)
            .GroupBy(m => 1)
            .Select(g => new
            {
                Messages = g.Count(),
                Unseen = g.Count(m => (m.Flags & MessageFlags.Seen) == 0),
                Deleted = g.Count(m => (m.Flags & MessageFlags.Deleted) != 0),
                Size = g.Sum(m => m.Size),
            })
            .FirstOrDefaultAsync(ct);
        return new MailboxStatus(counts?.Messages ?? 0, counts?.Unseen ?? 0, counts?.Deleted ?? 0, counts?.Size ?? 0,
            head?.UidNext ?? mailbox.UidNext, head?.UidValidity ?? mailbox.UidValidity, head?.HighestModSeq ?? mailbox.HighestModSeq);
    }

    /// <summary>The UIDs of a mailbox in ascending order: the sequence-number map of a session.</summary>
    public async Task<List<uint>> UidsAsync(long mailboxId, uint afterUid = 0, CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await SessionQueries.ToListAsync(SessionQueries.Uids.For(db)(db, mailboxId, afterUid), ct);
    }

    /// <summary>The lowest UID without \Seen, or null.</summary>
    public async Task<uint?> FirstUnseenUidAsync(long mailboxId, CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await SessionQueries.FirstUnseenUid.For(db)(db, mailboxId);
    }

    /// <summary>The keywords used in a mailbox, for the FLAGS response of SELECT.</summary>
    public async Task<IReadOnlyList<string>> KeywordsAsync(long mailboxId, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var lists = await SessionQueries.ToListAsync(SessionQueries.Keywords.For(db)(db, mailboxId), ct);
        var keywords = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var list in lists)
            foreach (var keyword in list.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                keywords.Add(keyword);
        return [.. keywords];
    }

    /// <summary>Flags of the messages whose MODSEQ is above <paramref name="modSeq"/>, by UID.</summary>
    public async Task<List<MessageFlagsRow>> ChangedSinceAsync(long mailboxId, long modSeq, CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await db.MailboxMessages.AsNoTracking().Where(m => m.MailboxId == mailboxId && m.ModSeq > modSeq)
            .OrderBy(m => m.Uid).Select(m => new MessageFlagsRow(m.Uid, m.ModSeq, m.Flags, m.Keywords)).ToListAsync(ct);
    }

    /// <summary>
    /// The UIDs that left a mailbox under a MODSEQ above <paramref name="modSeq"/>, ascending (QRESYNC VANISHED
    /// (EARLIER)); not <see cref="VanishedLog.Complete"/> when entries after <paramref name="modSeq"/> were pruned from the log.
    /// </summary>
    public async Task<VanishedLog> VanishedSinceAsync(long mailboxId, long modSeq, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var pruned = await db.Mailboxes.AsNoTracking().Where(m => m.Id == mailboxId).Select(m => m.ExpungeLogPrunedModSeq).FirstOrDefaultAsync(ct);
        if (pruned > modSeq) return new VanishedLog([], Complete: false);
        var uids = await db.ExpungedMessages.AsNoTracking().Where(m => m.MailboxId == mailboxId && m.ModSeq > modSeq)
            .OrderBy(m => m.Uid).Select(m => m.Uid).ToListAsync(ct);
        return new VanishedLog(uids, Complete: true);
    }

    /// <summary>
    /// What FETCH needs of at most <paramref name="limit"/> messages with UIDs in [<paramref name="fromUid"/>, <paramref name="toUid"/>],
    /// ascending. With <paramref name="content"/> it adds the blob key, the header length and the cached summary.
    /// </summary>
    public async Task<List<MessageRow>> FetchAsync(long mailboxId, uint fromUid, uint toUid, int limit, bool content, CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await SessionQueries.ToListAsync(
            (content ? SessionQueries.FetchContent : SessionQueries.FetchFlags).For(db)(db, mailboxId, fromUid, toUid, limit), ct);
    }

    /// <summary>What SEARCH evaluates for every message of a mailbox, ascending by UID; the summary only when asked.</summary>
    public async Task<List<SearchRow>> SearchRowsAsync(long mailboxId, bool withSummary, CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await SessionQueries.ToListAsync(SessionQueries.SearchRows.For(db)(db, mailboxId, withSummary), ct);
    }

    /// <summary>
    /// UIDs of the messages whose folded search text (headers and text, diacritics removed, lower case) contains
    /// <paramref name="foldedText"/>, which the caller folds the same way; with <paramref name="bodyOnly"/> only the part
    /// after <see cref="MessageSummaryBuilder.BodyMarker"/> counts (IMAP SEARCH BODY).
    /// </summary>
    public async Task<HashSet<uint>> TextMatchesAsync(long mailboxId, string foldedText, bool bodyOnly = false, CancellationToken ct = default)
    {
        // The body: what follows the marker, or all of it when there is none (instr and strpos give 0, so from the first character).
        var sqliteText = bodyOnly ? "substr(s.\"SearchText\", instr(s.\"SearchText\", char(30)) + 1)" : "s.\"SearchText\"";
        var postgresText = bodyOnly ? "substr(s.\"SearchText\", strpos(s.\"SearchText\", chr(30)) + 1)" : "s.\"SearchText\"";
        await using var db = database.Open();
        // The full-text index (FTS5 trigrams on SQLite, a tsvector on PostgreSQL) finds the candidates; the substring
        // is confirmed on the search text, so the answer is exact. What the index cannot look up is scanned.
        string? sql = null;
        string? query = null;
        if (database.Settings.Provider == DatabaseProvider.Sqlite && FullTextQuery.Fts5Phrase(foldedText) is { } phrase)
        {
            query = phrase;
            sql = $"""
                SELECT mm."Uid" FROM message_search
                JOIN message_search_keys k ON k.search_rowid = message_search.rowid
                JOIN mailbox_messages mm ON mm."MessageId" = k.message_id
                JOIN messages s ON s."Id" = mm."MessageId"
                WHERE message_search MATCH @query AND mm."MailboxId" = @mailbox AND instr({sqliteText}, @text) > 0
                """;
        }
        else if (database.Settings.Provider == DatabaseProvider.Postgres && FullTextQuery.TsQuery(foldedText) is { } tsQuery)
        {
            query = tsQuery;
            sql = $"""
                SELECT mm."Uid" FROM mailbox_messages mm JOIN messages s ON s."Id" = mm."MessageId"
                WHERE mm."MailboxId" = @mailbox AND s.search_vector @@ to_tsquery('simple', @query) AND strpos({postgresText}, @text) > 0
                """;
        }
        if (sql is null && bodyOnly)
        {
            var texts = await db.MailboxMessages.AsNoTracking().Where(m => m.MailboxId == mailboxId)
                .Join(db.Messages, m => m.MessageId, s => s.Id, (m, s) => new { m.Uid, s.SearchText })
                .Where(x => x.SearchText != null && x.SearchText.Contains(foldedText))
                .ToListAsync(ct);
            var inBody = new HashSet<uint>();
            foreach (var x in texts)
                if (x.SearchText.AsSpan(x.SearchText!.IndexOf(MessageSummaryBuilder.BodyMarker, StringComparison.Ordinal) + 1)
                    .Contains(foldedText, StringComparison.Ordinal))
                    inBody.Add(x.Uid);
            return inBody;
        }
        if (sql is null)
        {
            var scanned = await db.MailboxMessages.AsNoTracking().Where(m => m.MailboxId == mailboxId)
                .Join(db.Messages, m => m.MessageId, s => s.Id, (m, s) => new { m.Uid, s.SearchText })
                .Where(x => x.SearchText != null && x.SearchText.Contains(foldedText))
                .Select(x => x.Uid).ToListAsync(ct);
            return [.. scanned];
        }

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        AddParameter(cmd, "@query", query!);
        AddParameter(cmd, "@mailbox", mailboxId);
        AddParameter(cmd, "@text", foldedText);
        var uids = new HashSet<uint>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) uids.Add(ReadUid(reader));
        return uids;
    }

    /// <summary>
    /// Newest first, at most <paramref name="limit"/> UIDs of the messages of a mailbox whose folded search text contains
    /// <paramref name="foldedText"/> (as <see cref="TextMatchesAsync"/> finds them) and whose flags include every one of
    /// <paramref name="required"/> and none of <paramref name="excluded"/>: what a list shows of a search for a common word
    /// without confirming every match in the folder, only as many as asked for. When the full-text index has fewer than
    /// <paramref name="limit"/> candidates in all, the same lookup gives every match instead (what
    /// <see cref="TextMatchesAsync"/> would, flags not looked at), for the caller to filter and order. Null when the index
    /// cannot look the text up (SQLite, shorter than three characters): <see cref="TextMatchesAsync"/> scans. PostgreSQL
    /// looks any text up in the trigram index of the search text (pg_trgm; shorter than three characters it scans).
    /// </summary>
    public async Task<NewestTextMatches?> NewestTextMatchesAsync(long mailboxId, string foldedText, MessageFlags required, MessageFlags excluded, int limit,
        CancellationToken ct = default)
    {
        await using var db = database.Open();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        // One lookup of the full-text index (FTS5 trigrams on SQLite, pg_trgm on PostgreSQL): up to the limit of candidates,
        // each with its UID in this mailbox when the text is confirmed there. Fewer than the limit: that is every match, and
        // the folder need not be walked.
        string candidates, inMailbox, query;
        if (database.Settings.Provider == DatabaseProvider.Sqlite)
        {
            if (FullTextQuery.Fts5Phrase(foldedText) is not { } phrase) return null;
            query = phrase;
            candidates = """
                SELECT k.message_id AS id FROM message_search JOIN message_search_keys k ON k.search_rowid = message_search.rowid
                WHERE message_search MATCH @query LIMIT @limit
                """;
            // "+" keeps SQLite, which has no statistics of the table, from taking the (mailbox, …) index for the join and
            // walking the whole folder for every candidate (a minute for a common phrase in 100,000 messages): each
            // candidate is looked up by its message, then tested for the mailbox, and its text confirmed.
            inMailbox = """
                LEFT JOIN mailbox_messages mm ON mm."MessageId" = c.id AND +mm."MailboxId" = @mailbox
                    AND instr((SELECT s."SearchText" FROM messages s WHERE s."Id" = c.id), @text) > 0
                """;
        }
        else
        {
            // LIKE is exact (the trigram index's candidates are rechecked), so nothing is left to confirm. Each candidate is
            // looked up by its message ("OFFSET 0" keeps PostgreSQL from turning the lookups into a hash join over the
            // whole folder, which it prices lower and which reads every row of it).
            query = "%" + FullTextQuery.LikeEscape(foldedText) + "%";
            candidates = """SELECT s."Id" AS id FROM messages s WHERE s."SearchText" LIKE @query LIMIT @limit""";
            inMailbox = """
                LEFT JOIN LATERAL (SELECT m."Uid" FROM mailbox_messages m WHERE m."MessageId" = c.id AND m."MailboxId" = @mailbox OFFSET 0) mm ON true
                """;
        }
        await using (var probe = connection.CreateCommand())
        {
            probe.CommandText = $"""
                SELECT c.id, mm."Uid" FROM ({candidates}) c
                {inMailbox}
                """;
            AddParameter(probe, "@query", query);
            AddParameter(probe, "@limit", limit);
            AddParameter(probe, "@mailbox", mailboxId);
            AddParameter(probe, "@text", foldedText);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var all = new HashSet<uint>();
            await using (var reader = await probe.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct))
                {
                    seen.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
                    if (!await reader.IsDBNullAsync(1, ct)) all.Add(ReadUid(reader, 1));
                }
            if (seen.Count < limit) return new NewestTextMatches(null, all);
        }
        // Many candidates: the folder is walked newest first through its (mailbox, UID) index and the text is confirmed on
        // the rows that pass the flags, until enough are found. On SQLite the candidates of the full-text index are a set
        // to test against ("+" keeps the planner from walking them instead); on PostgreSQL strpos, which no index answers,
        // keeps the planner on the walk.
        var filter = FlagFilter(required, excluded);
        var sql = database.Settings.Provider == DatabaseProvider.Sqlite
            ? $"""
                SELECT mm."Uid" FROM mailbox_messages mm JOIN messages s ON s."Id" = mm."MessageId"
                WHERE mm."MailboxId" = @mailbox{filter}
                  AND +mm."MessageId" IN (SELECT k.message_id FROM message_search JOIN message_search_keys k ON k.search_rowid = message_search.rowid
                                          WHERE message_search MATCH @query)
                  AND instr(s."SearchText", @text) > 0
                ORDER BY mm."Uid" DESC LIMIT @limit
                """
            : $"""
                SELECT mm."Uid" FROM mailbox_messages mm JOIN messages s ON s."Id" = mm."MessageId"
                WHERE mm."MailboxId" = @mailbox{filter} AND strpos(s."SearchText", @text) > 0
                ORDER BY mm."Uid" DESC LIMIT @limit
                """;
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        if (database.Settings.Provider == DatabaseProvider.Sqlite) AddParameter(cmd, "@query", query);
        AddParameter(cmd, "@mailbox", mailboxId);
        AddParameter(cmd, "@text", foldedText);
        AddParameter(cmd, "@limit", limit);
        var uids = new List<uint>();
        await using var rows = await cmd.ExecuteReaderAsync(ct);
        while (await rows.ReadAsync(ct)) uids.Add(ReadUid(rows));
        return new NewestTextMatches(uids, null);
    }

    /// <summary>
    /// The flags as one test per flag, written out (<c>AND (mm."Flags" &amp; 8) = 0</c>), as the list's own queries write
    /// them: what the partial indexes and PostgreSQL's statistics of the flags are defined on, so the planner knows how
    /// many rows pass.
    /// </summary>
    private static string FlagFilter(MessageFlags required, MessageFlags excluded)
    {
        var filter = new System.Text.StringBuilder();
        foreach (var flag in Enum.GetValues<MessageFlags>())
        {
            if (flag == MessageFlags.None || !System.Numerics.BitOperations.IsPow2((int)flag)) continue;
            if ((excluded & flag) != 0) filter.Append(System.Globalization.CultureInfo.InvariantCulture, $""" AND (mm."Flags" & {(int)flag}) = 0""");
            if ((required & flag) != 0) filter.Append(System.Globalization.CultureInfo.InvariantCulture, $""" AND (mm."Flags" & {(int)flag}) <> 0""");
        }
        return filter.ToString();
    }

    private static uint ReadUid(System.Data.Common.DbDataReader reader, int ordinal = 0) =>
        (uint)Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    private static void AddParameter(System.Data.Common.DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    /// <summary>Unread messages per mailbox of an account (mailboxes without any are left out), in one query.</summary>
    public async Task<Dictionary<long, int>> UnseenCountsAsync(Guid accountId, CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await (
                from m in db.MailboxMessages.AsNoTracking()
                join b in db.Mailboxes on m.MailboxId equals b.Id
                where b.AccountId == accountId && (m.Flags & MessageFlags.Seen) == 0 && (m.Flags & MessageFlags.Deleted) == 0
                group m by m.MailboxId into g
                select new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
    }

    /// <summary>
    /// One page of a mailbox for a message list, newest first (highest UID first): what a list row shows, read from the
    /// columns cached at delivery. <paramref name="unseenOnly"/> keeps the unread ones. Messages marked \Deleted are left out.
    /// </summary>
    public async Task<MessagePage> ListPageAsync(long mailboxId, int skip, int take, bool unseenOnly, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var rows = db.MailboxMessages.AsNoTracking().Where(m => m.MailboxId == mailboxId && (m.Flags & MessageFlags.Deleted) == 0);
        if (unseenOnly) rows = rows.Where(m => (m.Flags & MessageFlags.Seen) == 0);
        var total = await rows.CountAsync(ct);
        var items = await (
                from m in rows
                join s in db.Messages on m.MessageId equals s.Id
                orderby m.Uid descending
                select new MessageListItem(m.Uid, m.Flags, m.InternalDate, m.Size, s.FromName, s.FromAddress, s.Subject, s.Preview,
                    s.HasAttachments, s.SentDate))
            .Skip(skip).Take(take).ToListAsync(ct);
        return new MessagePage(total, items);
    }

    /// <summary>An account's storage use against its quota.</summary>
    public async Task<QuotaInfo> QuotaAsync(Guid accountId, CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await SessionQueries.Quota.For(db)(db, accountId);
    }
}

/// <summary>What the expunge log says left a mailbox since a MODSEQ; incomplete when the log no longer reaches back that far.</summary>
public sealed record VanishedLog(List<uint> Uids, bool Complete);

/// <summary>A mailbox as protocol sessions see it.</summary>
public sealed record MailboxInfo(long Id, Guid AccountId, string Name, MailboxRole Role, bool Subscribed, uint UidValidity, uint UidNext, long HighestModSeq);

/// <summary>The counters that move whenever a mailbox changes.</summary>
public readonly record struct MailboxState(uint UidNext, long HighestModSeq, int Messages);

/// <summary>STATUS of a mailbox.</summary>
public sealed record MailboxStatus(int Messages, int Unseen, int Deleted, long Size, uint UidNext, uint UidValidity, long HighestModSeq);

/// <summary>The flags of one message in a mailbox.</summary>
public readonly record struct MessageFlagsRow(uint Uid, long ModSeq, MessageFlags Flags, string? Keywords);

/// <summary>One message as FETCH reads it; the blob key, header length and summary are set only when content was asked for.</summary>
public sealed record MessageRow(uint Uid, long ModSeq, MessageFlags Flags, string? Keywords, DateTimeOffset InternalDate, long Size,
    string? BlobKey, long HeaderLength, string? Summary);

/// <summary>One message as SEARCH evaluates it.</summary>
public sealed record SearchRow(uint Uid, long ModSeq, MessageFlags Flags, string? Keywords, DateTimeOffset InternalDate, long Size,
    DateTimeOffset? SentDate, string? Subject, string BlobKey, long HeaderLength, string? Summary);

/// <summary>
/// A text search of a folder (<see cref="MailboxQueries.NewestTextMatchesAsync"/>): <see cref="Newest"/>, the newest
/// matches that pass the flags, newest first, up to the limit; or <see cref="All"/>, every match whatever its flags,
/// unordered, when the full-text index had fewer candidates than the limit.
/// </summary>
public sealed record NewestTextMatches(List<uint>? Newest, HashSet<uint>? All);

/// <summary>A page of a message list and how many messages the whole list has.</summary>
/// <see cref="Capped"/>: the list has more than <see cref="Total"/> messages (a search counted up to a cap).
public sealed record MessagePage(int Total, IReadOnlyList<MessageListItem> Items, bool Capped = false);

/// <summary>One row of a message list (webmail): sender, subject, preview and flags as cached at delivery.</summary>
public sealed record MessageListItem(uint Uid, MessageFlags Flags, DateTimeOffset InternalDate, long Size, string? FromName,
    string? FromAddress, string? Subject, string? Preview, bool HasAttachments, DateTimeOffset? SentDate)
{
    /// <summary>Whom the message went to (names, else addresses, comma separated), read from the summary when the list shows it (Sent, Drafts).</summary>
    public string? Recipients { get; init; }
}

/// <summary>Storage used by an account and its limit, in octets.</summary>
public readonly record struct QuotaInfo(long UsedBytes, long MessageCount, long LimitBytes);
