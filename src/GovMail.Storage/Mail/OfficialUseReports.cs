using GovMail.Core;
using GovMail.Core.Security;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Mail;

/// <summary>
/// Seed 004's two reports with the tenant's domain lists, for a unit's subtree: sign-up mail received
/// (<see cref="RegistrationMail"/>) and public webmail contacts in sent mail (<see cref="PublicWebmailMail"/>). The command line,
/// the JSON API and the admin portal all call this, so they give the same rows and the same JSON.
/// </summary>
public sealed class OfficialUseReports(GovMailDatabase database, OfficialUseDomains domains)
{
    public OfficialUseDomains Domains => domains;

    /// <summary>The units of <paramref name="unitReference"/>'s subtree (a name or path), or null for the whole tenant.</summary>
    public async Task<Result<HashSet<Guid>?>> SubtreeAsync(string? unitReference, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(unitReference)) return Result<HashSet<Guid>?>.Ok(null);
        await using var db = database.Open();
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        var unit = UnitDirectory.Resolve(units, unitReference);
        if (!unit.IsOk) return unit.Problem!;
        return UnitTree.Subtree(unit.Value!.Id, units);
    }

    public Task<IReadOnlyList<RegistrationMailRow>> RegistrationsAsync(DateTimeOffset? since, ISet<Guid>? units, CancellationToken ct = default) =>
        new RegistrationMail(database).ListAsync(domains.RegistrationSenders, since, units, ct);

    public Task<IReadOnlyList<PublicWebmailRow>> PublicWebmailAsync(DateTimeOffset? since, ISet<Guid>? units, CancellationToken ct = default) =>
        new PublicWebmailMail(database).ListAsync(domains.PublicMail, since, units, ct);

    /// <summary><c>govmail report registrations --format json</c>.</summary>
    public object RegistrationsJson(IReadOnlyList<RegistrationMailRow> rows) => new
    {
        senderDomains = domains.RegistrationSenders,
        agencies = rows.GroupBy(r => r.Agency).Select(g => new
        {
            agency = g.Key,
            accounts = g.Select(r => r.Address).Distinct().Count(),
            messages = g.Select(r => new
            {
                address = r.Address, displayName = r.DisplayName, unit = r.UnitPath, sender = r.Sender, senderDomain = r.SenderDomain,
                subject = r.Subject, receivedAt = r.ReceivedAt,
            }),
        }),
    };

    /// <summary><c>govmail report public-webmail --format json</c>.</summary>
    public object PublicWebmailJson(IReadOnlyList<PublicWebmailRow> rows) => new
    {
        publicMailDomains = domains.PublicMail,
        agencies = rows.GroupBy(r => r.Agency).Select(g => new
        {
            agency = g.Key,
            accounts = g.Select(r => r.Address).Distinct().Count(),
            messages = g.Select(r => new
            {
                address = r.Address, displayName = r.DisplayName, unit = r.UnitPath, publicAddress = r.PublicAddress,
                subject = r.Subject, sentAt = r.SentAt,
            }),
        }),
    };
}
