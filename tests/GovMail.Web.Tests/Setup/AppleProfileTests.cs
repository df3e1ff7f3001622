using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using System.Xml.Linq;
using GovMail.Testing;
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
    public async Task With_a_server_certificate_the_profile_is_signed_by_it_and_openssl_verifies_the_signature()
    {
        await using var site = await StartAsync();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=mail.tphcm.gov.vn", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        site.ServerCertificate = GovMail.Net.ServerCertificateChain.Of(certificate);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var answer = await an.Http.GetAsync("/cai-dat-dien-thoai/hop-thu.mobileconfig");
        var bytes = await answer.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("application/x-apple-aspen-config", answer.Content.Headers.ContentType?.MediaType);
        var cms = new SignedCms();
        cms.Decode(bytes);
        cms.CheckSignature(verifySignatureOnly: true);
        var signer = Assert.IsType<SignerInfo>(Assert.Single(cms.SignerInfos));
        Assert.Equal(certificate.Thumbprint, signer.Certificate?.Thumbprint);
        Assert.Equal("2.16.840.1.101.3.4.2.1", signer.DigestAlgorithm.Value);
        var profile = Plist(cms.ContentInfo.Content);
        Assert.Equal("Configuration", profile["PayloadType"]);
        Assert.Equal(An, ((Dictionary<string, object>)((List<object>)profile["PayloadContent"])[0])["EmailAddress"]);
        Assert.DoesNotContain(AnPassword, System.Text.Encoding.UTF8.GetString(bytes));

        // What a Mac's `security cms -D` or a device does, with a tool no one here wrote: OpenSSL checks the signature
        // against the certificate inside and gives back the profile byte for byte; a changed byte fails it.
        var work = Directory.CreateTempSubdirectory("govmail-profile-");
        try
        {
            var signed = Path.Combine(work.FullName, "an.mobileconfig");
            await File.WriteAllBytesAsync(signed, bytes);
            var (code, output) = await OpenSslVerifyAsync(signed);
            Assert.True(code == 0, output);
            Assert.Equal(cms.ContentInfo.Content, await File.ReadAllBytesAsync(signed + ".out"));
            var tampered = bytes.ToArray();
            var at = tampered.AsSpan().IndexOf("mail.tphcm.gov.vn</string>"u8);
            tampered[at] = (byte)'M';
            await File.WriteAllBytesAsync(signed, tampered);
            Assert.NotEqual(0, (await OpenSslVerifyAsync(signed)).Code);
        }
        finally
        {
            work.Delete(true);
        }
    }

    [Fact]
    public async Task Without_a_server_certificate_the_profile_is_the_plain_property_list()
    {
        await using var site = await StartAsync();
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var bytes = await an.Http.GetByteArrayAsync("/cai-dat-dien-thoai/hop-thu.mobileconfig");

        Assert.StartsWith("<?xml", System.Text.Encoding.UTF8.GetString(bytes));
    }

    /// <summary><c>openssl cms -verify -noverify</c>: the signature only (a self-signed certificate has no chain to check).</summary>
    [Fact]
    public async Task With_a_ca_issued_certificate_the_signed_profile_carries_the_intermediate_so_a_device_trusting_the_root_verifies_it()
    {
        await using var site = await StartAsync();
        using var issued = TestCertificateChain.Create("mail.tphcm.gov.vn");
        site.ServerCertificate = issued.ServerChain();
        var work = Directory.CreateTempSubdirectory("govmail-profile-");
        try
        {
            using var an = site.Browser();
            await an.SignInAsync(An, AnPassword);

            var bytes = await an.Http.GetByteArrayAsync("/cai-dat-dien-thoai/hop-thu.mobileconfig");

            var cms = new SignedCms();
            cms.Decode(bytes);
            var signer = Assert.IsType<SignerInfo>(Assert.Single(cms.SignerInfos));
            Assert.Equal(issued.Leaf.Thumbprint, signer.Certificate?.Thumbprint);
            Assert.Contains(cms.Certificates, c => c.Thumbprint == issued.Intermediate.Thumbprint);
            Assert.DoesNotContain(cms.Certificates, c => c.Thumbprint == issued.Root.Thumbprint);
            Assert.True(issued.BuildsToRoot(signer.Certificate!, cms.Certificates));
            // OpenSSL, trusting the root alone, builds the chain from the certificates inside and checks the signature.
            var signed = Path.Combine(work.FullName, "an.mobileconfig");
            await File.WriteAllBytesAsync(signed, bytes);
            var root = Path.Combine(work.FullName, "root.pem");
            await File.WriteAllTextAsync(root, issued.Root.ExportCertificatePem());
            var (code, output) = await OpenSslVerifyAsync(signed, "-CAfile", root, "-purpose", "any");
            Assert.True(code == 0, output);
        }
        finally
        {
            work.Delete(true);
        }
    }

    private static Task<(int Code, string Output)> OpenSslVerifyAsync(string file) => OpenSslVerifyAsync(file, "-noverify");

    private static async Task<(int Code, string Output)> OpenSslVerifyAsync(string file, params string[] trust)
    {
        var start = new ProcessStartInfo("openssl", ["cms", "-verify", .. trust, "-inform", "DER", "-in", file, "-out", file + ".out"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
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
