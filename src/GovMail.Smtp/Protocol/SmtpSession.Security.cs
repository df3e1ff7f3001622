using System.Net.Security;
using Microsoft.Extensions.Logging;

namespace GovMail.Smtp.Protocol;

// STARTTLS and AUTH.
internal sealed partial class SmtpSession
{
    private async ValueTask<bool> HandleStartTlsAsync(long bufferedAfter)
    {
        if (_connection.IsTls) return await RefuseAsync(SmtpReplies.TlsAlreadyActive);
        if (_context.Certificate is not { } certificate) return Refuse(SmtpReplies.TlsNotAvailable);

        SslServerAuthenticationOptions tls;
        try
        {
            tls = certificate.CreateAuthenticationOptions();
        }
        catch (Exception e)
        {
            _context.Logger.LogError(e, "SMTP session {SessionId}: the server certificate is not usable", _connection.Id);
            return Refuse(SmtpReplies.TlsNotAvailable);
        }

        if (bufferedAfter > 0)
        {
            // RFC 3207 section 4.2: nothing sent in plaintext after STARTTLS may be acted on. Those octets are dropped
            // with the plaintext reader when the connection switches to TLS (CVE-2011-0411 and its kin).
            _context.Logger.LogWarning("SMTP session {SessionId}: {Octets} octets pipelined after STARTTLS discarded", _connection.Id, bufferedAfter);
        }
        Reply(SmtpReplies.ReadyToStartTls);
        if (!await FlushAsync()) return false;
        await _connection.UpgradeToTlsAsync(tls, _options.TlsHandshakeTimeout);

        // Everything learnt before TLS is forgotten; the client starts again with EHLO (RFC 3207 section 4.2).
        await ResetTransactionAsync();
        _heloName = null;
        _account = null;
        _keeper = null;
        return true;
    }

    private async ValueTask<bool> HandleAuthAsync(SmtpCommand command)
    {
        if (!_context.IsSubmission) return await RefuseAsync(SmtpReplies.AuthNotAvailable);
        if (!_connection.IsTls) return Refuse(SmtpReplies.StartTlsFirst);
        if (_heloName is null) return await RefuseAsync(SmtpReplies.NeedHelo);
        if (_account is not null) return await RefuseAsync(SmtpReplies.AlreadyAuthenticated);
        if (_transaction is not null) return await RefuseAsync(SmtpReplies.AuthDuringTransaction);

        string user, password;
        switch (command.Mechanism)
        {
            case "PLAIN":
            {
                var response = command.InitialResponse;
                if (response is null)
                {
                    Reply(SmtpReplies.AuthEmptyChallenge);
                    var line = await ReadLineAsync(LineKind.Response);
                    if (line.Status != LineStatus.Line) return await EndDuringAuthAsync(line);
                    response = line.Text!;
                }
                if (response == "*") return await RefuseAsync(SmtpReplies.AuthCancelled);
                if (!SaslCredentials.TryDecode(response, out var decoded)) return await RefuseAsync(SmtpReplies.InvalidBase64);
                if (!SaslCredentials.TrySplitPlain(decoded, out user, out password)) return await RefuseAsync(SmtpReplies.AuthFailed);
                break;
            }
            case "LOGIN":
            {
                var response = command.InitialResponse;
                if (response is null)
                {
                    Reply(SmtpReplies.AuthUsernameChallenge);
                    var line = await ReadLineAsync(LineKind.Response);
                    if (line.Status != LineStatus.Line) return await EndDuringAuthAsync(line);
                    response = line.Text!;
                }
                if (response == "*") return await RefuseAsync(SmtpReplies.AuthCancelled);
                if (!SaslCredentials.TryDecode(response, out user)) return await RefuseAsync(SmtpReplies.InvalidBase64);

                Reply(SmtpReplies.AuthPasswordChallenge);
                var passwordLine = await ReadLineAsync(LineKind.Response);
                if (passwordLine.Status != LineStatus.Line) return await EndDuringAuthAsync(passwordLine);
                if (passwordLine.Text == "*") return await RefuseAsync(SmtpReplies.AuthCancelled);
                if (!SaslCredentials.TryDecode(passwordLine.Text!, out password)) return await RefuseAsync(SmtpReplies.InvalidBase64);
                if (user.Length == 0 || password.Length == 0) return await RefuseAsync(SmtpReplies.AuthFailed);
                break;
            }
            default:
                return await RefuseAsync(SmtpReplies.UnknownMechanism);
        }

        SmtpAuthResult result;
        try
        {
            result = await _context.Authenticator.AuthenticateAsync(user, password, _connection.RemoteEndPoint.Address, _context.Kind, Aborted);
        }
        catch (Exception e) when (e is not OperationCanceledException || !Aborted.IsCancellationRequested)
        {
            _context.Logger.LogError(e, "SMTP session {SessionId}: the authenticator failed", _connection.Id);
            return Refuse(SmtpReplies.AuthTemporaryFailure);
        }
        if (!result.Succeeded)
        {
            _context.Logger.LogDebug("SMTP session {SessionId}: AUTH {Mechanism} for {User} refused", _connection.Id, command.Mechanism, user);
            // A wrong password counts as a mistake, which bounds the guesses one connection can make.
            var refusal = result.Refusal ?? SmtpReplies.AuthFailed;
            return refusal.IsTemporary ? Refuse(refusal) : await RefuseAsync(refusal);
        }
        _account = result.Account ?? user;
        _keeper = result.Keeper;
        Reply(SmtpReplies.AuthSucceeded);
        return true;
    }

    private async ValueTask<bool> EndDuringAuthAsync(LineRead line) => line.Status switch
    {
        LineStatus.TimedOut => await CloseAsync(SmtpReplies.Timeout(Host), "timeout during AUTH"),
        LineStatus.TooLong => await RefuseAsync(SmtpReplies.LineTooLong),
        _ => false,
    };
}
