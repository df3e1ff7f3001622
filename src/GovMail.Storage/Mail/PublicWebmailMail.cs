using System.Linq.Expressions;
using GovMail.Core.Accounts;
using GovMail.Core.Mail;
using GovMail.Core.Security;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Mail;

/// <summary>
/// Seed 004: "trên một số văn bản … vẫn còn ghi địa chỉ liên hệ qua thư điện tử công cộng: gmail, yahoo mail". Lists the mail
/// officials sent whose text (body or signature) gives a public webmail address as contact. What they sent is what sits in
/// their Sent folders: the web and submission file their copy there, mail programs append it there. The database narrows the
/// candidates on the folded search text; <see cref="OfficialUse.PublicContactsIn"/> then reads each one's body text, quoted
/// replies and the message's own correspondents aside.
/// </summary>
public sealed class PublicWebmailMail(GovMailDatabase database)
{
    /// <param name="units">Only accounts in these units (an administrator's scope, an agency's subtree), or null for all.</param>
    public async Task<IReadOnlyList<PublicWebmailRow>> ListAsync(IReadOnlyCollection<string> publicMailDomains, DateTimeOffset? since,
        ISet<Guid>? units, CancellationToken ct = default)
    {
        var domains = publicMailDomains.Select(d => d.Trim().ToLowerInvariant()).Where(d => d.Length > 0).Distinct().ToList();
        if (domains.Count == 0) return [];
        await using var db = database.Open();
        var byId = (await db.Units.AsNoTracking().ToListAsync(ct)).ToDictionary(u => u.Id);
        var q = from mm in db.MailboxMessages.AsNoTracking()
                join mb in db.Mailboxes.AsNoTracking() on mm.MailboxId equals mb.Id
                join a in db.Accounts.AsNoTracking() on mb.AccountId equals a.Id
                where mb.Role == MailboxRole.Sent && (a.Kind == AccountKind.Individual || a.Kind == AccountKind.Collective)
                select new { mm.MessageId, mm.InternalDate, a.Id, a.Address, a.DisplayName, a.UnitId };
        if (since is { } s) q = q.Where(x => x.InternalDate >= s);
        if (units is not null)
        {
            var ids = units.ToList();
            q = q.Where(x => ids.Contains(x.UnitId));
        }
        var candidates = from x in q
                         join m in db.Messages.AsNoTracking().Where(MentionsAny(domains)) on x.MessageId equals m.Id
                         select new { x.MessageId, x.InternalDate, x.Id, x.Address, x.DisplayName, x.UnitId, m.Subject, m.SearchText };
        var rows = new List<PublicWebmailRow>();
        var seen = new HashSet<(Guid Account, Guid Message)>();
        foreach (var x in await candidates.ToListAsync(ct))
        {
            if (!seen.Add((x.Id, x.MessageId))) continue; // the same message copied into two Sent folders of one account
            var (headers, body) = Split(x.SearchText!);
            var correspondents = OfficialUse.PublicContactsIn(headers, domains);
            var unit = byId[x.UnitId];
            foreach (var found in OfficialUse.PublicContactsIn(body, domains, correspondents))
                rows.Add(new PublicWebmailRow(x.Address, x.DisplayName, UnitTree.PathOf(unit, byId), UnitTree.AgencyOf(unit, byId).Name,
                    found, x.Subject, x.InternalDate));
        }
        return rows.OrderBy(r => r.Agency, StringComparer.Ordinal).ThenBy(r => r.Address, StringComparer.Ordinal).ThenBy(r => r.SentAt).ToList();
    }

    /// <summary>The folded search text's header fields (subject, names and addresses of From, To, Cc) and its body text.</summary>
    private static (string Headers, string Body) Split(string searchText)
    {
        var marker = searchText.IndexOf(MessageSummaryBuilder.BodyMarker, StringComparison.Ordinal);
        return marker < 0 ? ("", searchText) : (searchText[..marker], searchText[(marker + 1)..]);
    }

    /// <summary><c>SearchText</c> holds <c>@domain</c> or <c>.domain</c> of one of the domains (a LIKE per domain, in one query).</summary>
    private static Expression<Func<StoredMessage, bool>> MentionsAny(IReadOnlyList<string> domains)
    {
        var m = Expression.Parameter(typeof(StoredMessage), "m");
        var text = Expression.Property(m, nameof(StoredMessage.SearchText));
        var contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
        Expression body = Expression.NotEqual(text, Expression.Constant(null, typeof(string)));
        Expression? any = null;
        foreach (var d in domains)
            foreach (var needle in new[] { "@" + d, "." + d })
            {
                Expression call = Expression.Call(text, contains, Expression.Constant(needle));
                any = any is null ? call : Expression.OrElse(any, call);
            }
        return Expression.Lambda<Func<StoredMessage, bool>>(Expression.AndAlso(body, any!), m);
    }
}

/// <summary>One public webmail address found in one sent message: the official, their unit and agency, the address, subject and date.</summary>
public sealed record PublicWebmailRow(string Address, string DisplayName, string UnitPath, string Agency, string PublicAddress,
    string? Subject, DateTimeOffset SentAt);
