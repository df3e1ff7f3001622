using System.Net.Security;
using System.Text;
using GovMail.Imap.Commands;
using GovMail.Storage.Security;
using Microsoft.Extensions.Logging;

namespace GovMail.Imap.Protocol;

// STARTTLS, LOGIN, AUTHENTICATE PLAIN, ID, ENABLE.
internal sealed partial class ImapSession
{
    private async ValueTask<Reply> StartTlsAsync(SimpleCommand command)
    {
        if (_connection.IsTls) return Reply.Bad("TLS is already active.");
        SslServerAuthenticationOptions tls;
        try
        {
            tls = _context.Certificate.CreateAuthenticationOptions();
        }
        catch (Exception e)
        {
            _context.Logger.LogError(e, "IMAP session {SessionId}: the server certificate is not usable", _connection.Id);
            return Reply.No("TLS is not available now.", ImapResponseCodeKind.Unavailable);
        }
        // RFC 3501 section 6.2.1: whatever the client pipelined after STARTTLS is dropped with the plaintext reader.
        Writer.Status(command.Tag, ImapStatus.Ok, ImapResponseCodeKind.None, "Begin TLS negotiation now.");
        if (!await FlushAsync())
        {
            _ending = true;
            return Reply.AlreadySent;
        }
        await _connection.UpgradeToTlsAsync(tls, _options.TlsHandshakeTimeout);
        return Reply.AlreadySent;
    }

    private async ValueTask<Reply> LoginAsync(string user, string password, string? authorizationId = null)
    {
        // LOGINDISABLED: a password never crosses the network in clear text (RFC 3501 section 6.2.3).
        if (!_connection.IsTls) return CountedNo("Use STARTTLS first; logging in without TLS is not allowed.", ImapResponseCodeKind.PrivacyRequired);
        LoginResult result;
        try
        {
            result = await new ImapLogin(_context.Services, _context.Time).AuthenticateAsync(user, password, Remote, Aborted, authorizationId);
        }
        catch (Exception e) when (e is not OperationCanceledException || !Aborted.IsCancellationRequested)
        {
            _context.Logger.LogError(e, "IMAP session {SessionId}: login failed in the directory", _connection.Id);
            return Reply.No("Logging in is not possible right now; try again later.", ImapResponseCodeKind.Unavailable);
        }
        var url = _options.PasswordChangeUrl;
        switch (result.Outcome)
        {
            case LoginOutcome.Ok:
                _account = new SessionAccount(result.Account!.Id, result.Account.Address, result.Keeper?.Id);
                _state = SessionState.Authenticated;
                return Reply.Ok("Logged in.", ImapResponseCodeKind.Capability);
            case LoginOutcome.MustChangePassword or LoginOutcome.PasswordExpired:
                return CountedNo(result.Refusal(url)!, ImapResponseCodeKind.Alert);
            case LoginOutcome.NotKeeper:
                return CountedNo(result.Refusal(url)!, ImapResponseCodeKind.AuthorizationFailed);
            case LoginOutcome.Locked or LoginOutcome.Disabled:
                return CountedNo(result.Refusal(url)!, ImapResponseCodeKind.ContactAdmin);
            default:
                _context.Logger.LogDebug("IMAP session {SessionId}: login for {User} refused", _connection.Id, user);
                return CountedNo("Invalid user name or password.", ImapResponseCodeKind.AuthenticationFailed);
        }
    }

    /// <summary>A NO that counts as a mistake: failed logins bound the guesses one connection can make.</summary>
    private Reply CountedNo(string text, ImapResponseCode code)
    {
        _badCommands++;
        return Reply.No(text, code);
    }

    private async ValueTask<Reply> AuthenticateAsync(AuthenticateCommand command)
    {
        if (command.Mechanism != "PLAIN") return Reply.No("Unsupported authentication mechanism.", ImapResponseCodeKind.Cannot);
        if (!_connection.IsTls) return CountedNo("Use STARTTLS first; logging in without TLS is not allowed.", ImapResponseCodeKind.PrivacyRequired);
        var response = command.InitialResponse;
        if (response is null)
        {
            Writer.Raw("+ "u8);
            Writer.EndLine();
            var (status, text) = await ReadLineAsync();
            switch (status)
            {
                case LineStatus.Line:
                    response = text!;
                    break;
                case LineStatus.TooLong:
                    return Reply.Bad("Authentication response too long.");
                case LineStatus.TimedOut:
                    _ending = true;
                    Writer.Status(null, ImapStatus.Bye, ImapResponseCodeKind.None, "Autologout: no answer during authentication.");
                    return Reply.AlreadySent;
                default:
                    _ending = true;
                    return Reply.AlreadySent;
            }
        }
        if (response == "*") return Reply.Bad("Authentication cancelled.");
        // SASL-IR: "=" is an empty initial response (RFC 4959).
        var octets = response == "=" ? [] : DecodeBase64(response);
        if (octets is null) return Reply.Bad("Invalid base64 in the authentication response.");
        // PLAIN: authzid NUL authcid NUL password (RFC 4616); an authzid other than the user names a collective mailbox
        // the user keeps, which the directory allows or refuses.
        var parts = Encoding.UTF8.GetString(octets).Split('\0');
        if (parts.Length != 3 || parts[1].Length == 0) return CountedNo("Invalid user name or password.", ImapResponseCodeKind.AuthenticationFailed);
        return await LoginAsync(parts[1], parts[2], parts[0].Length > 0 ? parts[0] : null);
    }

    private static byte[]? DecodeBase64(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private ValueTask<Reply> Id(IdCommand command)
    {
        if (command.Fields.Count > 0)
            _context.Logger.LogInformation("IMAP session {SessionId} client: {Client}", _connection.Id,
                string.Join(", ", command.Fields.Select(f => $"{f.Name}={f.Value}")));
        Writer.Id([("name", _options.ServerName), ("vendor", "GovMail")]);
        return Done(Reply.Ok("ID completed."));
    }

    private ValueTask<Reply> Enable(EnableCommand command)
    {
        var enabled = new List<string>();
        foreach (var capability in command.Capabilities)
        {
            switch (capability)
            {
                case "UTF8=ACCEPT" when !_utf8:
                    _utf8 = true;
                    enabled.Add(capability);
                    break;
                case "CONDSTORE" when !_condStore || enabled.Contains("QRESYNC"):
                    _condStore = true;
                    enabled.Add(capability);
                    break;
                case "IMAP4REV2" when !_rev2:
                    // IMAP4rev2 names mailboxes in UTF-8 (RFC 9051 section 5.1), as UTF8=ACCEPT does.
                    _rev2 = true;
                    _utf8 = true;
                    enabled.Add("IMAP4rev2");
                    break;
                case "QRESYNC" when !_qresync:
                    // QRESYNC implies CONDSTORE (RFC 7162 section 3.2.3).
                    _qresync = true;
                    _condStore = true;
                    enabled.Add(capability);
                    break;
            }
        }
        Writer.Enabled(enabled);
        return Done(Reply.Ok("ENABLE completed."));
    }
}
