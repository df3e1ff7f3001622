using System.Text;

namespace GovMail.Smtp.Protocol;

/// <summary>Decoding of the SASL responses AUTH PLAIN (RFC 4616) and AUTH LOGIN send, base64 over UTF-8.</summary>
public static class SaslCredentials
{
    /// <summary>Decodes one base64 response; "=" is the empty response (RFC 4954 section 4). False if it is not base64 or not UTF-8.</summary>
    public static bool TryDecode(string response, out string text)
    {
        text = "";
        if (response == "=") return true;
        var bytes = new byte[(response.Length + 3) / 4 * 3];
        if (!Convert.TryFromBase64String(response, bytes, out var length)) return false;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        finally
        {
            Array.Clear(bytes);
        }
    }

    /// <summary>
    /// Splits a decoded PLAIN response, <c>authzid NUL authcid NUL passwd</c>. An authorization identity other than the
    /// user's own is refused: nobody may log in as one account and act as another.
    /// </summary>
    public static bool TrySplitPlain(string decoded, out string user, out string password)
    {
        user = password = "";
        var first = decoded.IndexOf('\0');
        if (first < 0) return false;
        var second = decoded.IndexOf('\0', first + 1);
        if (second < 0 || decoded.IndexOf('\0', second + 1) >= 0) return false;
        var authorizationId = decoded[..first];
        user = decoded[(first + 1)..second];
        password = decoded[(second + 1)..];
        if (user.Length == 0 || password.Length == 0) return false;
        // An authorization identity other than the user names a collective mailbox the user keeps: the directory decides,
        // given the MAILBOX*KEEPER form every protocol accepts.
        if (authorizationId.Length > 0 && !string.Equals(authorizationId, user, StringComparison.OrdinalIgnoreCase))
            user = authorizationId + Core.Accounts.DelegatedLogin.Separator + user;
        return true;
    }
}
