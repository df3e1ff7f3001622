using GovMail.Core.Usage;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Imap;

/// <summary>
/// LOGIN and AUTHENTICATE against the directory: a bare user name is taken on the tenant's primary domain; every
/// attempt is recorded as a usage event (by the directory) with the client's address.
/// </summary>
internal sealed class ImapLogin(ImapServices services, TimeProvider clock)
{
    public async Task<LoginResult> AuthenticateAsync(string user, string password, string remote, CancellationToken ct)
    {
        var address = user.Trim();
        if (!address.Contains('@'))
        {
            await using var db = services.Database.Open();
            var domain = await db.Domains.AsNoTracking().Where(d => d.IsPrimary).Select(d => d.Name).FirstOrDefaultAsync(ct);
            if (domain is not null) address += "@" + domain;
        }
        var accounts = new AccountDirectory(services.Database, clock, services.Hasher);
        return await accounts.AuthenticateAsync(address, password, UsageProtocol.Imap, remote, ct);
    }
}
