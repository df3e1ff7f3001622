using GovMail.Core.Usage;
using GovMail.Storage.Security;

namespace GovMail.Imap;

/// <summary>LOGIN and AUTHENTICATE through the one <see cref="LoginService"/> every protocol uses.</summary>
internal sealed class ImapLogin(ImapServices services, TimeProvider clock)
{
    public Task<LoginResult> AuthenticateAsync(string user, string password, string remote, CancellationToken ct, string? authorizationId = null) =>
        new LoginService(services.Database, clock).LogInAsync(new LoginAttempt(user, password, UsageProtocol.Imap, remote) { For = authorizationId }, ct);
}
