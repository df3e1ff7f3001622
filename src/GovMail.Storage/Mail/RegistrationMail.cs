using GovMail.Core.Accounts;
using GovMail.Core.Security;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Mail;

/// <summary>
/// Seed 004: "không sử dụng thư điện tử công vụ để đăng ký … mạng xã hội, ngân hàng điện tử". Lists mail received in officials'
/// mailboxes from the sender domains of social networks, e-commerce and e-banking, which shows the official address was used
/// to sign up there.
/// </summary>
public sealed class RegistrationMail(GovMailDatabase database)
{
    /// <param name="units">Only accounts in these units (an administrator's scope), or null for all.</param>
    public async Task<IReadOnlyList<RegistrationMailRow>> ListAsync(IReadOnlyCollection<string> senderDomains, DateTimeOffset? since,
        ISet<Guid>? units, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var byId = (await db.Units.AsNoTracking().ToListAsync(ct)).ToDictionary(u => u.Id);
        var rows = new List<RegistrationMailRow>();
        foreach (var domain in senderDomains.Select(d => d.Trim().ToLowerInvariant()).Where(d => d.Length > 0).Distinct())
        {
            var exact = "@" + domain;
            var below = "." + domain;
            var q = from mm in db.MailboxMessages.AsNoTracking()
                    join mb in db.Mailboxes.AsNoTracking() on mm.MailboxId equals mb.Id
                    join m in db.Messages.AsNoTracking() on mm.MessageId equals m.Id
                    join a in db.Accounts.AsNoTracking() on mb.AccountId equals a.Id
                    where m.FromAddress != null && (m.FromAddress.EndsWith(exact) || m.FromAddress.EndsWith(below))
                        && a.Kind == AccountKind.Individual
                    select new { a.Address, a.DisplayName, a.UnitId, m.FromAddress, m.Subject, m.ReceivedAt };
            if (since is { } s) q = q.Where(x => x.ReceivedAt >= s);
            foreach (var x in await q.ToListAsync(ct))
            {
                if (units is not null && !units.Contains(x.UnitId)) continue;
                if (!OfficialUse.IsInDomains(x.FromAddress, [domain])) continue;
                var unit = byId[x.UnitId];
                rows.Add(new RegistrationMailRow(x.Address, x.DisplayName, UnitTree.PathOf(unit, byId), UnitTree.AgencyOf(unit, byId).Name,
                    x.FromAddress!, domain, x.Subject, x.ReceivedAt));
            }
        }
        return rows.DistinctBy(r => (r.Address, r.Sender, r.Subject, r.ReceivedAt))
            .OrderBy(r => r.Agency, StringComparer.Ordinal).ThenBy(r => r.Address, StringComparer.Ordinal).ThenBy(r => r.ReceivedAt).ToList();
    }
}

/// <summary>One such message: the official, their unit and agency, the sender, the listed domain it matched, subject and time.</summary>
public sealed record RegistrationMailRow(string Address, string DisplayName, string UnitPath, string Agency, string Sender, string SenderDomain,
    string? Subject, DateTimeOffset ReceivedAt);
