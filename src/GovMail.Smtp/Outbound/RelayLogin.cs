namespace GovMail.Smtp.Outbound;

/// <summary>
/// The account this server logs in with at a smarthost or other next hop that requires SMTP AUTH (section
/// <c>Outbound:Logins:HOST</c>). The login is only ever sent after STARTTLS.
/// </summary>
public sealed class RelayLogin
{
    public string User { get; set; } = "";
    public string Password { get; set; } = "";

    /// <summary>
    /// Refuse a host whose certificate does not verify (default), so a password is never handed to an impostor. Turn off only
    /// for a smarthost on the agency's own network with a self-signed certificate.
    /// </summary>
    public bool VerifyCertificate { get; set; } = true;
}
