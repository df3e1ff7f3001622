using System.Text;
using GovMail.Smtp.Dkim;
using GovMail.Smtp.Inbound;
using GovMail.Smtp.Tests.Inbound;
using GovMail.Smtp.Tests.Outbound;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using MimeKit.Cryptography;

namespace GovMail.Smtp.Tests.Dkim;

/// <summary><c>govmail dkim init DOMAIN [--selector S]</c>.</summary>
public sealed class DkimInitCommandTests : IAsyncLifetime, IDisposable
{
    private readonly CliRunner _cli = new(new FakeTimeProvider(RelayTestBed.Start.ToUniversalTime()));

    public async Task InitializeAsync() => await _cli.InitAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Init_creates_the_key_and_prints_a_record_that_verifies_signatures()
    {
        var output = await _cli.OkAsync("dkim", "init", "tphcm.gov.vn");

        var line = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("govmail._domainkey.", StringComparison.Ordinal));
        Assert.StartsWith("govmail._domainkey.tphcm.gov.vn. IN TXT \"v=DKIM1; k=rsa; p=", line);
        var strings = System.Text.RegularExpressions.Regex.Matches(line, "\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.True(strings.Count >= 2);
        Assert.All(strings, s => Assert.InRange(s.Length, 1, 255));
        Assert.Contains("Đã tạo khóa DKIM cho tphcm.gov.vn", output);

        var pem = Path.Combine(_cli.DataDirectory, "dkim", "tphcm.gov.vn.govmail.pem");
        Assert.True(File.Exists(pem));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pem));

        // What the operator publishes is what receivers check the relay's signatures against.
        var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(RelayTestBed.Letter)));
        new DkimMessageSigner(DkimKeyStore.In(_cli.DataDirectory)).Sign(FormatOptions.Default, message);
        var locator = new DkimDnsKeyLocator(new TestDnsZone().Txt("govmail._domainkey.tphcm.gov.vn.", string.Concat(strings)));
        Assert.True(await new DkimVerifier(locator).VerifyAsync(message, message.Headers[0]));
    }

    [Fact]
    public async Task Json_names_the_record_and_a_second_init_keeps_the_key()
    {
        var first = await _cli.JsonAsync("dkim", "init", "tphcm.gov.vn", "--selector", "s2026");
        Assert.True(first.GetProperty("created").GetBoolean());
        Assert.Equal("s2026._domainkey.tphcm.gov.vn.", first.GetProperty("name").GetString());
        Assert.Equal("TXT", first.GetProperty("type").GetString());
        var value = first.GetProperty("value").GetString()!;
        Assert.StartsWith("v=DKIM1; k=rsa; p=", value);
        Assert.Equal(value, string.Concat(first.GetProperty("strings").EnumerateArray().Select(s => s.GetString())));

        var second = await _cli.JsonAsync("dkim", "init", "tphcm.gov.vn", "--selector", "s2026");
        Assert.False(second.GetProperty("created").GetBoolean());
        Assert.Equal(value, second.GetProperty("value").GetString());
    }

    [Fact]
    public async Task A_domain_that_is_not_the_tenants_is_refused()
    {
        var line = await _cli.RefusedAsync(1, "dkim", "init", "hanoi.gov.vn");
        Assert.Equal("govmail: hanoi.gov.vn không phải là tên miền thư của đơn vị.", line);
        Assert.False(Directory.Exists(Path.Combine(_cli.DataDirectory, "dkim")));
    }

    [Fact]
    public async Task A_bad_selector_is_refused() =>
        Assert.Contains("Bộ chọn DKIM không hợp lệ", await _cli.RefusedAsync(2, "dkim", "init", "tphcm.gov.vn", "--selector", "mùa_xuân"));
}
