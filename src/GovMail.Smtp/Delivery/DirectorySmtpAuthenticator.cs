using System.Net;
using GovMail.Core.Usage;
using GovMail.Smtp.Protocol;
using GovMail.Storage.Database;
using GovMail.Storage.Security;

namespace GovMail.Smtp.Delivery;

/// <summary>
/// AUTH against the directory through the one <see cref="LoginService"/>: an account that still has to change its first
/// (or reset, or expired) password is refused with where to change it, a locked one with why.
/// </summary>
public sealed class DirectorySmtpAuthenticator(GovMailDatabase database, TimeProvider clock, string passwordChangeUrl) : ISmtpAuthenticator
{
    public async Task<SmtpAuthResult> AuthenticateAsync(string user, string password, IPAddress remote, SmtpListenerKind listener,
        CancellationToken ct)
    {
        var result = await new LoginService(database, clock)
            .LogInAsync(new LoginAttempt(user, password, UsageProtocol.Smtp, remote.ToString()), ct);
        if (result.Outcome == LoginOutcome.Ok) return new SmtpAuthResult(true, result.Account!.Address, null) { Keeper = result.Keeper?.Address };
        return new SmtpAuthResult(false, null, result.Refusal(passwordChangeUrl) is { } text ? SmtpReplies.LoginRefused(text) : SmtpReplies.AuthFailed);
    }
}
