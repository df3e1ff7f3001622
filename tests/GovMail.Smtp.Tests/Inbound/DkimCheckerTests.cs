using System.Text;
using GovMail.Smtp.Dkim;
using GovMail.Smtp.Inbound;
using GovMail.Smtp.Tests.Outbound;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace GovMail.Smtp.Tests.Inbound;

/// <summary>DKIM verification of received mail: signed by our own signer, the key published in a fixed zone.</summary>
public sealed class DkimCheckerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "govmail-dkim-verify-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 5, 21, 1, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The relay test letter signed for tphcm.gov.vn, as the bytes a receiving server would get.</summary>
    private (byte[] Wire, DkimKey Key) SignedLetter()
    {
        var store = DkimKeyStore.In(_folder);
        var (key, _) = store.Create("tphcm.gov.vn", "govmail");
        var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(RelayTestBed.Letter)));
        Assert.Equal("tphcm.gov.vn", new DkimMessageSigner(store).Sign(FormatOptions.Default, message));
        using var wire = new MemoryStream();
        message.WriteTo(FormatOptions.Default, wire);
        return (wire.ToArray(), key);
    }

    private Task<IReadOnlyList<DkimCheck>> VerifyAsync(TestDnsZone zone, byte[] wire) =>
        new DkimChecker(zone, _clock).VerifyAsync(MimeMessage.Load(new MemoryStream(wire)), CancellationToken.None);

    [Fact]
    public async Task Message_signed_by_our_signer_passes_with_the_key_published_in_dns()
    {
        var (wire, key) = SignedLetter();
        var zone = new TestDnsZone().Publish(key.Record());

        var check = Assert.Single(await VerifyAsync(zone, wire));

        Assert.Equal(DkimResult.Pass, check.Result);
        Assert.Equal(("tphcm.gov.vn", "govmail"), (check.Domain, check.Selector));
        Assert.Equal(12, check.Signature!.Length);
        Assert.Equal(["TXT govmail._domainkey.tphcm.gov.vn"], zone.Questions);
    }

    [Theory]
    [InlineData("báo cáo quý II", "báo cáo quý III")]
    [InlineData("trước ngày 30/6", "trước ngày 31/7")]
    [InlineData("Nguyễn Văn An <nguyen.van.an@tphcm.gov.vn>", "Nguyễn Văn An <ke.mao.danh@tphcm.gov.vn>")]
    public async Task Tampered_header_or_body_fails(string original, string tampered)
    {
        var (wire, key) = SignedLetter();
        var text = Encoding.UTF8.GetString(wire);
        Assert.Contains(original, text);
        var changed = Encoding.UTF8.GetBytes(text.Replace(original, tampered, StringComparison.Ordinal));

        var check = Assert.Single(await VerifyAsync(new TestDnsZone().Publish(key.Record()), changed));

        Assert.Equal(DkimResult.Fail, check.Result);
        Assert.Equal("tphcm.gov.vn", check.Domain);
    }

    [Fact]
    public async Task Missing_key_is_permerror_and_a_failing_lookup_is_temperror()
    {
        var (wire, _) = SignedLetter();
        Assert.Equal(DkimResult.PermError, Assert.Single(await VerifyAsync(new TestDnsZone(), wire)).Result);
        Assert.Equal(DkimResult.TempError, Assert.Single(await VerifyAsync(new TestDnsZone().Fail("govmail._domainkey.tphcm.gov.vn"), wire)).Result);
    }

    [Fact]
    public async Task Key_of_another_domain_does_not_verify()
    {
        var (wire, _) = SignedLetter();
        var (other, _) = DkimKeyStore.In(Path.Combine(_folder, "other")).Create("tphcm.gov.vn", "govmail");
        Assert.Equal(DkimResult.Fail, Assert.Single(await VerifyAsync(new TestDnsZone().Publish(other.Record()), wire)).Result);
    }

    [Fact]
    public async Task Unsigned_message_is_none()
    {
        var check = Assert.Single(await VerifyAsync(new TestDnsZone(), Encoding.UTF8.GetBytes(RelayTestBed.Letter)));
        Assert.Equal(DkimResult.None, check.Result);
    }

    [Fact]
    public async Task Signature_without_a_domain_is_permerror()
    {
        var wire = Encoding.UTF8.GetBytes("DKIM-Signature: v=1; a=rsa-sha256; s=govmail; bh=abc=; b=def=\r\n" + RelayTestBed.Letter);
        var check = Assert.Single(await VerifyAsync(new TestDnsZone(), wire));
        Assert.Equal(DkimResult.PermError, check.Result);
    }
}
