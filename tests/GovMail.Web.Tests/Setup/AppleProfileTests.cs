using System.Net;
using System.Xml;
using System.Xml.Linq;
using GovMail.Web.Tests.Support;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Setup;

public sealed class AppleProfileTests
{
    [Fact]
    public async Task The_setup_page_offers_a_configuration_profile_with_the_users_servers_and_no_password()
    {
        await using var site = await StartAsync();
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);
        var (_, page, _) = await an.GetAsync("/cai-dat-dien-thoai");
        Assert.Contains("href=\"/cai-dat-dien-thoai/hop-thu.mobileconfig\"", page);

        var answer = await an.Http.GetAsync("/cai-dat-dien-thoai/hop-thu.mobileconfig");
        var bytes = await answer.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("application/x-apple-aspen-config", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal("an.mobileconfig", answer.Content.Headers.ContentDisposition?.FileNameStar ?? answer.Content.Headers.ContentDisposition?.FileName);
        var profile = Plist(bytes);
        Assert.Equal("Configuration", profile["PayloadType"]);
        Assert.Equal(1L, profile["PayloadVersion"]);
        var mail = Assert.Single((List<object>)profile["PayloadContent"]) as Dictionary<string, object>;
        Assert.NotNull(mail);
        Assert.Equal("com.apple.mail.managed", mail["PayloadType"]);
        Assert.Equal("EmailTypeIMAP", mail["EmailAccountType"]);
        Assert.Equal(An, mail["EmailAddress"]);
        Assert.Equal("Nguyễn Văn An", mail["EmailAccountName"]);
        Assert.Equal("mail.tphcm.gov.vn", mail["IncomingMailServerHostName"]);
        Assert.Equal(993L, mail["IncomingMailServerPortNumber"]);
        Assert.Equal(true, mail["IncomingMailServerUseSSL"]);
        Assert.Equal(An, mail["IncomingMailServerUsername"]);
        Assert.Equal("mail.tphcm.gov.vn", mail["OutgoingMailServerHostName"]);
        Assert.Equal(465L, mail["OutgoingMailServerPortNumber"]);
        Assert.Equal(true, mail["OutgoingMailServerUseSSL"]);
        Assert.Equal(An, mail["OutgoingMailServerUsername"]);
        Assert.DoesNotContain("IncomingPassword", mail.Keys);
        Assert.DoesNotContain("OutgoingPassword", mail.Keys);
        Assert.DoesNotContain(AnPassword, System.Text.Encoding.UTF8.GetString(bytes));
        // Downloading again gives the same identifiers: the device replaces the profile instead of adding a second account.
        var again = Plist(await an.Http.GetByteArrayAsync("/cai-dat-dien-thoai/hop-thu.mobileconfig"));
        Assert.Equal(profile["PayloadUUID"], again["PayloadUUID"]);
        Assert.True(Guid.TryParse((string)profile["PayloadUUID"], out _));
    }

    [Fact]
    public async Task The_profile_needs_a_session()
    {
        await using var site = await StartAsync();
        using var stranger = site.Browser();

        Assert.Equal(HttpStatusCode.Redirect, (await stranger.GetAsync("/cai-dat-dien-thoai/hop-thu.mobileconfig")).Status);
    }

    /// <summary>Reads an XML property list (dict, array, string, integer, true, false) as a device would.</summary>
    private static Dictionary<string, object> Plist(byte[] bytes)
    {
        using var reader = XmlReader.Create(new MemoryStream(bytes), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
        var root = XDocument.Load(reader).Root!;
        Assert.Equal("plist", root.Name.LocalName);
        Assert.Equal("1.0", root.Attribute("version")?.Value);
        return (Dictionary<string, object>)Value(Assert.Single(root.Elements()));
    }

    private static object Value(XElement e) => e.Name.LocalName switch
    {
        "dict" => e.Elements().Chunk(2).ToDictionary(p => { Assert.Equal("key", p[0].Name.LocalName); return p[0].Value; }, p => Value(p[1])),
        "array" => e.Elements().Select(Value).ToList(),
        "string" => e.Value,
        "integer" => long.Parse(e.Value, System.Globalization.CultureInfo.InvariantCulture),
        "true" => true,
        "false" => false,
        _ => throw new Xunit.Sdk.XunitException("Not a plist value: " + e.Name),
    };
}
