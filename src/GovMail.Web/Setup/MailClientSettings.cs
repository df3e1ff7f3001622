namespace GovMail.Web.Setup;

/// <summary>
/// What a mail program needs to connect (thông số cài đặt chương trình thư): the host name in the certificate and the
/// ports that are open (0 when closed). Implicit TLS is preferred where both are open.
/// </summary>
public sealed record MailClientSettings(string HostName, int Imaps, int Imap, int Submissions, int Submission, string PublicUrl)
{
    public bool HasImap => Imaps > 0 || Imap > 0;
    public bool HasSmtp => Submissions > 0 || Submission > 0;

    public (int Port, bool ImplicitTls) ImapEndpoint => Imaps > 0 ? (Imaps, true) : (Imap, false);
    public (int Port, bool ImplicitTls) SmtpEndpoint => Submissions > 0 ? (Submissions, true) : (Submission, false);

    /// <summary>
    /// The server's certificate (with its private key) that signs the Apple configuration profile, the one the mail ports
    /// present, with its intermediates, found among the host's services; the device then shows the profile as signed by the
    /// host (verified when a public CA issued it). Null: unsigned.
    /// </summary>
    public Func<IServiceProvider, GovMail.Net.ServerCertificateChain?>? ProfileSigner { get; init; }

    /// <summary>The setup page's full address, the one the QR code carries to a phone.</summary>
    public string SetupUrl => PublicUrl.TrimEnd('/') + "/cai-dat-dien-thoai";
}
