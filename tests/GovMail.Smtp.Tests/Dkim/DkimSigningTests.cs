using System.Text;
using GovMail.Core.Mail;
using GovMail.Smtp.Dkim;
using GovMail.Smtp.Inbound;
using GovMail.Smtp.Tests.Inbound;
using GovMail.Smtp.Tests.Outbound;
using MimeKit;
using MimeKit.Cryptography;

namespace GovMail.Smtp.Tests.Dkim;

public sealed class DkimSigningTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "govmail-dkim-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static MimeMessage Letter() => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(RelayTestBed.Letter)));

    [Fact]
    public void Key_is_created_once_as_a_private_pem_file_readable_only_by_its_owner()
    {
        var store = DkimKeyStore.In(_folder);
        var (key, created) = store.Create("TPHCM.gov.vn", "govmail");

        Assert.True(created);
        Assert.Equal(Path.Combine(_folder, "dkim", "tphcm.gov.vn.govmail.pem"), key.FilePath);
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", File.ReadAllText(key.FilePath));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key.FilePath));

        var again = store.Create("tphcm.gov.vn", "govmail");
        Assert.False(again.Created);
        Assert.Equal(key.PublicKeyBase64(), again.Key.PublicKeyBase64());
        Assert.Equal(key, store.Find("tphcm.gov.vn"));
        Assert.Null(store.Find("hanoi.gov.vn"));
        Assert.Throws<ArgumentException>(() => store.Create("tphcm.gov.vn", "bad_selector"));
    }

    [Fact]
    public void Record_is_a_dkim1_rsa_key_cut_into_strings_of_at_most_255_characters()
    {
        var (key, _) = DkimKeyStore.In(_folder).Create("tphcm.gov.vn", "s2026");
        var record = key.Record();

        Assert.Equal("s2026._domainkey.tphcm.gov.vn.", record.Name);
        Assert.StartsWith("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", record.Value);
        Assert.True(record.Strings.Count >= 2);
        Assert.All(record.Strings, s => Assert.InRange(s.Length, 1, 255));
        Assert.Equal(record.Value, string.Concat(record.Strings));
        Assert.Equal($"s2026._domainkey.tphcm.gov.vn. IN TXT \"{record.Strings[0]}\" \"{record.Strings[1]}\"", record.ZoneLine);
    }

    [Fact]
    public async Task Signed_message_verifies_with_the_published_key_and_fails_once_altered()
    {
        var (key, _) = DkimKeyStore.In(_folder).Create("tphcm.gov.vn", "govmail");
        var zone = new TestDnsZone().Publish(key.Record());
        var message = Letter();

        Assert.Equal("tphcm.gov.vn", new DkimMessageSigner(DkimKeyStore.In(_folder)).Sign(FormatOptions.Default, message));

        var signature = message.Headers[0];
        Assert.Equal(HeaderId.DkimSignature, signature.Id);
        Assert.Contains("a=rsa-sha256", signature.Value);
        Assert.Contains("c=relaxed/relaxed", signature.Value);
        Assert.Contains("d=tphcm.gov.vn", signature.Value);
        Assert.Contains("s=govmail", signature.Value);
        var signedHeaders = Tag(signature.Value, "h").Split(':').Select(h => h.Trim().ToLowerInvariant()).ToList();
        Assert.Equal(["from", "to", "subject", "date", "message-id", "mime-version", "content-type", "content-transfer-encoding"], signedHeaders);

        var verifier = new DkimVerifier(new DkimDnsKeyLocator(zone));
        Assert.True(await verifier.VerifyAsync(message, signature));
        Assert.Equal(["TXT govmail._domainkey.tphcm.gov.vn"], zone.Questions);

        message.Subject = "Công văn số 124";
        Assert.False(await verifier.VerifyAsync(message, signature));
    }

    [Fact]
    public void Mail_from_a_domain_without_a_key_is_left_unsigned()
    {
        DkimKeyStore.In(_folder).Create("hanoi.gov.vn", "govmail");
        var message = Letter();

        Assert.Null(new DkimMessageSigner(DkimKeyStore.In(_folder)).Sign(FormatOptions.Default, message));
        Assert.False(message.Headers.Contains(HeaderId.DkimSignature));
    }

    [Fact]
    public async Task Relayed_message_arrives_with_a_signature_that_verifies()
    {
        await using var bed = await RelayTestBed.CreateAsync();
        var (key, _) = bed.Dkim.Create(RelayTestBed.Domain, "govmail");
        await bed.EnqueueLetterAsync();

        await bed.NewRelay().RunOnceAsync();

        var received = MimeMessage.Load(new MemoryStream(Assert.Single(bed.Sink.Messages).Data));
        var signature = received.Headers.First(h => h.Id == HeaderId.DkimSignature);
        Assert.True(await new DkimVerifier(new DkimDnsKeyLocator(new TestDnsZone().Publish(key.Record()))).VerifyAsync(received, signature));
        Assert.Equal(OutboundState.Delivered, (await bed.Queue.ListAsync()).Single().State);
    }

    private static string Tag(string value, string tag) =>
        value.Split(';').Select(t => t.Trim()).First(t => t.StartsWith(tag + "=", StringComparison.Ordinal))[(tag.Length + 1)..];
}
