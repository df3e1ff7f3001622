using System.Text;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Mail;

/// <summary>
/// The mail writer's hottest statements (flag changes, removing rows, the expunge log, counting the quota) written out in SQL that both
/// engines read alike, instead of LINQ <c>ExecuteUpdate</c>/<c>ExecuteDelete</c>, which EF Core translates through its query
/// pipeline (expression trees, cache lookup) on every call: a few percent of the server's CPU in the IMAP workload's
/// profile. Values go through <c>ExecuteSqlRaw</c>'s <c>{n}</c> placeholders, so EF's type mappings bind them (a Guid as
/// SQLite's text, an enum as its number) exactly as the LINQ forms did.
/// </summary>
internal static class WriterSql
{
    /// <summary>Most values one statement binds in its IN list; a longer list runs in parts (SQLite's and PostgreSQL's limits are far above).</summary>
    internal const int Chunk = 500;

    /// <summary>
    /// Runs <paramref name="sql"/> once per part of <paramref name="ids"/>, its <c>{ids}</c> replaced by the part's
    /// placeholders after the <paramref name="leading"/> values'; returns the rows changed in all.
    /// </summary>
    public static async Task<int> WithIdsAsync<T>(GovMailDbContext db, string sql, object[] leading, IReadOnlyList<T> ids, CancellationToken ct)
        where T : notnull
    {
        var total = 0;
        for (var start = 0; start < ids.Count; start += Chunk)
        {
            var count = Math.Min(Chunk, ids.Count - start);
            var values = new object[leading.Length + count];
            leading.CopyTo(values, 0);
            var marks = new StringBuilder(count * 6);
            for (var i = 0; i < count; i++)
            {
                if (i > 0) marks.Append(", ");
                marks.Append('{').Append(leading.Length + i).Append('}');
                values[leading.Length + i] = ids[start + i];
            }
            total += await db.Database.ExecuteSqlRawAsync(sql.Replace("{ids}", marks.ToString(), StringComparison.Ordinal), values, ct);
        }
        return total;
    }

    /// <summary>Sets the flags, keywords and MODSEQ of the mailbox entries <paramref name="ids"/>.</summary>
    public static Task<int> SetFlagsAsync(GovMailDbContext db, IReadOnlyList<long> ids, Core.Mail.MessageFlags flags, string? keywords, long modSeq,
        CancellationToken ct) =>
        keywords is null
            ? WithIdsAsync(db, """UPDATE mailbox_messages SET "Flags" = {0}, "Keywords" = NULL, "ModSeq" = {1} WHERE "Id" IN ({ids})""",
                [(int)flags, modSeq], ids, ct)
            : WithIdsAsync(db, """UPDATE mailbox_messages SET "Flags" = {0}, "Keywords" = {1}, "ModSeq" = {2} WHERE "Id" IN ({ids})""",
                [(int)flags, keywords, modSeq], ids, ct);

    /// <summary>Deletes the mailbox entries <paramref name="ids"/>.</summary>
    public static Task<int> DeleteEntriesAsync(GovMailDbContext db, IReadOnlyList<long> ids, CancellationToken ct) =>
        WithIdsAsync(db, """DELETE FROM mailbox_messages WHERE "Id" IN ({ids})""", [], ids, ct);

    /// <summary>Deletes those of the stored messages <paramref name="ids"/> that no mailbox entry holds any more.</summary>
    public static Task<int> DeleteOrphanedMessagesAsync(GovMailDbContext db, IReadOnlyList<Guid> ids, CancellationToken ct) =>
        WithIdsAsync(db, """
            DELETE FROM messages WHERE "Id" IN ({ids})
              AND NOT EXISTS (SELECT 1 FROM mailbox_messages m WHERE m."MessageId" = messages."Id")
            """, [], ids, ct);

    /// <summary>Records in the expunge log that <paramref name="uids"/> left <paramref name="mailboxId"/> under <paramref name="modSeq"/>.</summary>
    public static async Task LogExpungedAsync(GovMailDbContext db, long mailboxId, IReadOnlyList<uint> uids, long modSeq, CancellationToken ct)
    {
        for (var start = 0; start < uids.Count; start += Chunk)
        {
            var count = Math.Min(Chunk, uids.Count - start);
            var values = new object[2 + count];
            values[0] = mailboxId;
            values[1] = modSeq;
            var rows = new StringBuilder(count * 16);
            for (var i = 0; i < count; i++)
            {
                if (i > 0) rows.Append(", ");
                rows.Append("({0}, {").Append(2 + i).Append("}, {1})");
                values[2 + i] = (long)uids[start + i];
            }
            rows.Insert(0, """INSERT INTO expunged_messages ("MailboxId", "Uid", "ModSeq") VALUES """);
            await db.Database.ExecuteSqlRawAsync(rows.ToString(), values, ct);
        }
    }

    /// <summary>Adds to the account's quota usage row; 0 when it has none yet.</summary>
    public static Task<int> AddUsageAsync(GovMailDbContext db, Guid accountId, long bytes, long messages, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync("""
            UPDATE quota_usage SET "UsedBytes" = "UsedBytes" + {1}, "MessageCount" = "MessageCount" + {2} WHERE "AccountId" = {0}
            """, [accountId, bytes, messages], ct);

    /// <summary>
    /// Adds to the account's quota usage row only if the account's quota has room for <paramref name="bytes"/> more (or it
    /// has no quota); 0 when it has no row or no room.
    /// </summary>
    public static Task<int> TakeRoomAsync(GovMailDbContext db, Guid accountId, long bytes, long messages, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync("""
            UPDATE quota_usage SET "UsedBytes" = "UsedBytes" + {1}, "MessageCount" = "MessageCount" + {2}
            WHERE "AccountId" = {0}
              AND EXISTS (SELECT 1 FROM accounts a WHERE a."Id" = {0} AND (a."QuotaBytes" <= 0 OR quota_usage."UsedBytes" + {1} <= a."QuotaBytes"))
            """, [accountId, bytes, messages], ct);
}
