using System.Text;
using System.Xml.Linq;
using GovMail.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using QRCoder;

namespace GovMail.Web.Setup;

/// <summary>
/// Answers mail programs ask before anyone types a server name: Thunderbird's autoconfig (at the well-known address and
/// at <c>/mail/config-v1.1.xml</c>) and Outlook's autodiscover (a POST with the address), plus the QR code of the
/// mobile setup page. Only the tenant's domains are answered.
/// </summary>
internal static class ClientDiscovery
{
    public static void Map(IEndpointRouteBuilder e)
    {
        e.MapGet("/.well-known/autoconfig/mail/config-v1.1.xml", AutoconfigAsync).AllowAnonymous();
        e.MapGet("/mail/config-v1.1.xml", AutoconfigAsync).AllowAnonymous();
        // Routes ignore case: Outlook's /Autodiscover/Autodiscover.xml lands here too.
        e.MapPost("/autodiscover/autodiscover.xml", AutodiscoverAsync).AllowAnonymous().DisableAntiforgery();
        e.MapGet("/cai-dat-dien-thoai/qr.png", QrCode).RequireAuthorization(WebSessions.MailPolicy);
        e.MapGet(AppleProfilePath, AppleProfileFile).RequireAuthorization(WebSessions.MailPolicy);
    }

    private static async Task<IResult> AutoconfigAsync(HttpContext http, WebSiteOptions options, string? emailaddress)
    {
        if (options.MailClients is not { } mail) return Results.NotFound();
        var domain = await DomainOfAsync(options, emailaddress, http.RequestAborted);
        if (domain is null) return Results.NotFound();
        var provider = new XElement("emailProvider", new XAttribute("id", domain),
            new XElement("domain", domain),
            new XElement("displayName", "Thư công vụ " + domain),
            new XElement("displayShortName", "Thư công vụ"));
        if (mail.HasImap)
        {
            var (port, tls) = mail.ImapEndpoint;
            provider.Add(Server("incomingServer", "imap", mail.HostName, port, tls));
        }
        if (mail.HasSmtp)
        {
            var (port, tls) = mail.SmtpEndpoint;
            provider.Add(Server("outgoingServer", "smtp", mail.HostName, port, tls));
        }
        var doc = new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("clientConfig", new XAttribute("version", "1.1"), provider));
        return Results.Content(doc.Declaration + "\n" + doc.Root, "application/xml; charset=utf-8", Encoding.UTF8);
    }

    private static XElement Server(string element, string type, string host, int port, bool implicitTls) =>
        new(element, new XAttribute("type", type),
            new XElement("hostname", host),
            new XElement("port", port),
            new XElement("socketType", implicitTls ? "SSL" : "STARTTLS"),
            new XElement("username", "%EMAILADDRESS%"),
            new XElement("authentication", "password-cleartext"));

    /// <summary>Outlook's autodiscover (POX): the request names the address; the answer gives IMAP and SMTP settings.</summary>
    private static async Task<IResult> AutodiscoverAsync(HttpContext http, WebSiteOptions options)
    {
        if (options.MailClients is not { } mail) return Results.NotFound();
        string? address = null;
        try
        {
            // A small request; anything larger or not XML is not an autodiscover request.
            if (http.Request.ContentLength > 64 * 1024) return Results.BadRequest();
            using var limited = new MemoryStream();
            await http.Request.Body.CopyToAsync(limited, http.RequestAborted);
            if (limited.Length > 64 * 1024) return Results.BadRequest();
            limited.Position = 0;
            using var reader = System.Xml.XmlReader.Create(limited, new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit, XmlResolver = null });
            var request = XDocument.Load(reader);
            address = request.Descendants().FirstOrDefault(x => x.Name.LocalName == "EMailAddress")?.Value.Trim();
        }
        catch (System.Xml.XmlException)
        {
            return Results.BadRequest();
        }
        if (await DomainOfAsync(options, address, http.RequestAborted) is null) return Results.NotFound();
        XNamespace ns = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
        XNamespace a = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";
        var account = new XElement(a + "Account", new XElement(a + "AccountType", "email"), new XElement(a + "Action", "settings"));
        if (mail.HasImap) account.Add(Protocol(a, "IMAP", mail.HostName, mail.ImapEndpoint, address!));
        if (mail.HasSmtp) account.Add(Protocol(a, "SMTP", mail.HostName, mail.SmtpEndpoint, address!));
        var doc = new XDocument(new XDeclaration("1.0", "utf-8", null),
            new XElement(ns + "Autodiscover", new XElement(a + "Response", account)));
        return Results.Content(doc.Declaration + "\n" + doc.Root, "application/xml; charset=utf-8", Encoding.UTF8);
    }

    private static XElement Protocol(XNamespace a, string type, string host, (int Port, bool ImplicitTls) endpoint, string address) =>
        new(a + "Protocol",
            new XElement(a + "Type", type),
            new XElement(a + "Server", host),
            new XElement(a + "Port", endpoint.Port),
            new XElement(a + "LoginName", address),
            new XElement(a + "SPA", "off"),
            new XElement(a + "SSL", "on"),
            new XElement(a + "Encryption", endpoint.ImplicitTls ? "SSL" : "TLS"),
            new XElement(a + "AuthRequired", "on"));

    /// <summary>The domain of <paramref name="address"/> when it is one of the tenant's (the primary one when no address is given).</summary>
    private static async Task<string?> DomainOfAsync(WebSiteOptions options, string? address, CancellationToken ct)
    {
        await using var db = options.Database.Open();
        var domains = await db.Domains.AsNoTracking().ToListAsync(ct);
        if (string.IsNullOrWhiteSpace(address)) return domains.FirstOrDefault(d => d.IsPrimary)?.Name;
        var at = address.LastIndexOf('@');
        var domain = at >= 0 ? address[(at + 1)..].Trim().ToLowerInvariant() : address.Trim().ToLowerInvariant();
        return domains.FirstOrDefault(d => d.Name == domain)?.Name;
    }

    public const string AppleProfilePath = "/cai-dat-dien-thoai/hop-thu.mobileconfig";

    /// <summary>The signed-in user's Apple configuration profile (iPhone, iPad, Mac), without a password.</summary>
    private static IResult AppleProfileFile(HttpContext http, WebSiteOptions options)
    {
        if (options.MailClients is not { } mail || !mail.HasImap || !mail.HasSmtp || WebUser.From(http.User) is not { } user) return Results.NotFound();
        var profile = AppleProfile.Build(mail, user.AccountId, user.Address, user.DisplayName);
        if (mail.ProfileSigner?.Invoke(http.RequestServices) is { Leaf.HasPrivateKey: true } certificate) profile = AppleProfile.Sign(profile, certificate);
        return Results.File(profile, AppleProfile.ContentType,
            AppleProfile.FileName(user.Address));
    }

    /// <summary>The QR code of the setup page's address, to open it on a phone.</summary>
    private static IResult QrCode(WebSiteOptions options)
    {
        if (options.MailClients is not { } mail) return Results.NotFound();
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(mail.SetupUrl, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(8);
        return Results.File(png, "image/png");
    }
}
