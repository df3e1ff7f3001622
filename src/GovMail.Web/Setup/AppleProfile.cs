using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using GovMail.Net;

namespace GovMail.Web.Setup;

/// <summary>
/// The Apple configuration profile (hồ sơ cấu hình cho iPhone, iPad, Mac): one <c>com.apple.mail.managed</c> payload with the
/// IMAP and SMTP servers, the user's address and display name. No password is inside: the device asks for it when the
/// profile is installed. Signed (<see cref="Sign"/>) with the server's own certificate when the host has one, as Apple's
/// devices expect of a profile from a known server: "Verified" when a CA they trust issued the certificate.
/// </summary>
public static class AppleProfile
{
    public const string ContentType = "application/x-apple-aspen-config";

    public static byte[] Build(MailClientSettings mail, Guid accountId, string address, string displayName)
    {
        var imapPort = mail.ImapEndpoint.Port;
        var smtpPort = mail.SmtpEndpoint.Port;
        // Stable identifiers per account: installing the profile again replaces the earlier one instead of adding a second account.
        var identifier = string.Join('.', mail.HostName.Split('.').Reverse()) + ".govmail." + accountId.ToString("N");
        var account = Dict(
            ("PayloadType", "com.apple.mail.managed"),
            ("PayloadVersion", 1),
            ("PayloadIdentifier", identifier + ".mail"),
            ("PayloadUUID", Uuid(accountId, "mail")),
            ("PayloadDisplayName", "Thư công vụ " + address),
            ("EmailAccountDescription", "Thư công vụ " + address),
            ("EmailAccountName", displayName),
            ("EmailAccountType", "EmailTypeIMAP"),
            ("EmailAddress", address),
            ("IncomingMailServerAuthentication", "EmailAuthPassword"),
            ("IncomingMailServerHostName", mail.HostName),
            ("IncomingMailServerPortNumber", imapPort),
            // Apple's UseSSL means TLS: implicit on 993/465, STARTTLS on 143/587; the server never takes a password in clear.
            ("IncomingMailServerUseSSL", true),
            ("IncomingMailServerUsername", address),
            ("OutgoingMailServerAuthentication", "EmailAuthPassword"),
            ("OutgoingMailServerHostName", mail.HostName),
            ("OutgoingMailServerPortNumber", smtpPort),
            ("OutgoingMailServerUseSSL", true),
            ("OutgoingMailServerUsername", address),
            ("OutgoingPasswordSameAsIncomingPassword", true));
        var profile = Dict(
            ("PayloadContent", new XElement("array", account)),
            ("PayloadDisplayName", "Thư công vụ " + address),
            ("PayloadDescription", "Cài đặt hộp thư công vụ " + address + " (IMAP, SMTP). / Sets up the official mailbox " + address + "."),
            ("PayloadIdentifier", identifier),
            ("PayloadOrganization", mail.HostName),
            ("PayloadRemovalDisallowed", false),
            ("PayloadType", "Configuration"),
            ("PayloadUUID", Uuid(accountId, "profile")),
            ("PayloadVersion", 1));
        var doc = new XDocument(new XDeclaration("1.0", "UTF-8", null),
            new XDocumentType("plist", "-//Apple//DTD PLIST 1.0//EN", "http://www.apple.com/DTDs/PropertyList-1.0.dtd", null),
            new XElement("plist", new XAttribute("version", "1.0"), profile));
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
            doc.Save(writer);
        return buffer.ToArray();
    }

    /// <summary>
    /// The profile wrapped in a CMS SignedData (PKCS #7, DER) that carries the profile itself, signed with
    /// <paramref name="certificate"/>'s private key (SHA-256), with the certificate and its intermediates inside for the device
    /// to build the chain to a root it trusts.
    /// </summary>
    public static byte[] Sign(byte[] profile, ServerCertificateChain certificate)
    {
        var cms = new SignedCms(new ContentInfo(profile), detached: false);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate.Leaf)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"),
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        signer.Certificates.AddRange(certificate.Intermediates);
        cms.ComputeSignature(signer);
        return cms.Encode();
    }

    /// <summary>The file name offered for download.</summary>
    public static string FileName(string address) => address.Split('@')[0] + ".mobileconfig";

    private static XElement Dict(params (string Key, object Value)[] entries)
    {
        var dict = new XElement("dict");
        foreach (var (key, value) in entries)
        {
            dict.Add(new XElement("key", key));
            dict.Add(value switch
            {
                bool b => new XElement(b ? "true" : "false"),
                int i => new XElement("integer", i),
                XElement e => e,
                _ => new XElement("string", value.ToString()),
            });
        }
        return dict;
    }

    /// <summary>A UUID derived from the account, so the same account always gets the same payload identifiers.</summary>
    private static string Uuid(Guid accountId, string part)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(accountId.ToString("N") + "/" + part));
        return new Guid(hash.AsSpan(0, 16)).ToString().ToUpperInvariant();
    }
}
