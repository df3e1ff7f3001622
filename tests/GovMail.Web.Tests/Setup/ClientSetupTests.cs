using System.Net;
using System.Xml.Linq;
using GovMail.Web.Tests.Support;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Setup;

public sealed class ClientSetupTests
{
    [Fact]
    public async Task The_mobile_setup_page_gives_the_imap_and_smtp_settings_and_a_qr_code()
    {
        await using var site = await StartAsync();
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var (status, page, _) = await an.GetAsync("/cai-dat-dien-thoai");
        var qr = await an.Http.GetAsync("/cai-dat-dien-thoai/qr.png");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<dd id=\"imap-host\">mail.tphcm.gov.vn</dd>", page);
        Assert.Contains("<dd id=\"imap-port\">993</dd>", page);
        Assert.Contains("<dd id=\"smtp-port\">465</dd>", page);
        Assert.Contains("<dd>an@tphcm.gov.vn</dd>", page);
        Assert.Equal("image/png", qr.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await qr.Content.ReadAsByteArrayAsync())[..4]);
    }

    [Fact]
    public async Task The_qr_code_needs_a_session()
    {
        await using var site = await StartAsync();
        using var stranger = site.Browser();

        Assert.Equal(HttpStatusCode.Redirect, (await stranger.GetAsync("/cai-dat-dien-thoai/qr.png")).Status);
    }

    [Theory]
    [InlineData("/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=an%40tphcm.gov.vn")]
    [InlineData("/mail/config-v1.1.xml?emailaddress=an%40tphcm.gov.vn")]
    public async Task Thunderbird_autoconfig_names_the_servers_for_the_tenants_domain(string url)
    {
        await using var site = await StartAsync();
        using var thunderbird = site.Browser();

        var (status, xml, _) = await thunderbird.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, status);
        var provider = XDocument.Parse(xml).Root!.Element("emailProvider")!;
        Assert.Equal("tphcm.gov.vn", provider.Attribute("id")?.Value);
        var incoming = provider.Element("incomingServer")!;
        Assert.Equal("imap", incoming.Attribute("type")?.Value);
        Assert.Equal("mail.tphcm.gov.vn", incoming.Element("hostname")?.Value);
        Assert.Equal("993", incoming.Element("port")?.Value);
        Assert.Equal("SSL", incoming.Element("socketType")?.Value);
        Assert.Equal("465", provider.Element("outgoingServer")!.Element("port")?.Value);
        Assert.Equal(HttpStatusCode.NotFound, (await thunderbird.GetAsync("/mail/config-v1.1.xml?emailaddress=x%40gmail.com")).Status);
    }

    [Fact]
    public async Task Outlook_autodiscover_answers_a_post_for_a_tenant_address_and_refuses_garbage()
    {
        await using var site = await StartAsync();
        using var outlook = site.Browser();
        const string request = """
            <?xml version="1.0" encoding="utf-8"?>
            <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
              <Request><EMailAddress>an@tphcm.gov.vn</EMailAddress>
              <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request>
            </Autodiscover>
            """;

        var answer = await outlook.Http.PostAsync("/autodiscover/autodiscover.xml", new StringContent(request, System.Text.Encoding.UTF8, "text/xml"));
        var garbage = await outlook.Http.PostAsync("/autodiscover/autodiscover.xml", new StringContent("<not-closed", System.Text.Encoding.UTF8, "text/xml"));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        XNamespace a = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";
        var protocols = XDocument.Parse(await answer.Content.ReadAsStringAsync()).Descendants(a + "Protocol").ToList();
        var imap = protocols.Single(p => p.Element(a + "Type")?.Value == "IMAP");
        Assert.Equal("mail.tphcm.gov.vn", imap.Element(a + "Server")?.Value);
        Assert.Equal("993", imap.Element(a + "Port")?.Value);
        Assert.Equal("an@tphcm.gov.vn", imap.Element(a + "LoginName")?.Value);
        Assert.Equal("465", protocols.Single(p => p.Element(a + "Type")?.Value == "SMTP").Element(a + "Port")?.Value);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }
}
