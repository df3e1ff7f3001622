using GovMail.Smtp.Protocol;
using System.Net;
using GovMail.Core.Security;
using GovMail.Core.Usage;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Smtp.Delivery;

/// <summary>
/// AUTH against the directory. A bare user name is taken on the tenant's primary domain. An account that still has to change
/// its first (or reset) password is refused with where to change it; every attempt is recorded as a usage event.
/// </summary>
public sealed class DirectorySmtpAuthenticator(GovMailDatabase database, TimeProvider clock, string passwordChangeUrl) : ISmtpAuthenticator
{
    public async Task<SmtpAuthResult> AuthenticateAsync(string user, string password, IPAddress remote, SmtpListenerKind listener,
        CancellationToken ct)
    {
        var address = user.Trim();
        if (!address.Contains('@'))
        {
            await using var db = database.Open();
            var domain = await db.Domains.AsNoTracking().Where(d => d.IsPrimary).Select(d => d.Name).FirstOrDefaultAsync(ct);
            if (domain is not null) address += "@" + domain;
        }
        var accounts = new AccountDirectory(database, clock, PasswordHasher.Default);
        var result = await accounts.AuthenticateAsync(address, password, UsageProtocol.Smtp, remote.ToString(), ct);
        return result.Outcome switch
        {
            LoginOutcome.Ok => new SmtpAuthResult(true, result.Account!.Address, null),
            LoginOutcome.MustChangePassword => new SmtpAuthResult(false, null, SmtpReplies.MustChangePassword(passwordChangeUrl)),
            LoginOutcome.Locked => new SmtpAuthResult(false, null, SmtpReplies.AccountLocked),
            LoginOutcome.Disabled => new SmtpAuthResult(false, null, SmtpReplies.AccountDisabled),
            _ => new SmtpAuthResult(false, null, SmtpReplies.AuthFailed),
        };
    }
}
