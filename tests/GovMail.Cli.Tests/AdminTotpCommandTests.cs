using GovMail.Cli.Tests.Support;
using OtpNet;

namespace GovMail.Cli.Tests;

/// <summary><c>govmail admin totp enroll|verify</c>: the otpauth:// URI and QR code, and codes checked on the command's clock.</summary>
public sealed class AdminTotpCommandTests
{
    private const string Admin = "admin@tphcm.gov.vn";

    [Fact]
    public async Task Enrol_prints_the_uri_and_a_qr_code_and_a_code_from_the_app_is_accepted_once()
    {
        using var data = new DataFolder();
        await data.InitAsync();

        var shown = (await data.RunAsync("admin", "totp", "enroll", Admin)).Ok().Out;
        Assert.Contains("otpauth://totp/", shown, StringComparison.Ordinal);
        Assert.Contains("█", shown, StringComparison.Ordinal);
        var secret = (await data.RunAsync("admin", "totp", "enroll", Admin, "--json")).Ok().Json.GetProperty("secret").GetString()!;
        Assert.True(File.Exists(Path.Combine(data.Path, "secret.key")));

        var code = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(data.Clock.GetUtcNow().UtcDateTime);
        (await data.RunAsync("admin", "totp", "verify", Admin, code)).Ok();
        var again = (await data.RunAsync("admin", "totp", "verify", Admin, code)).Refused(1);
        Assert.Contains("đã được dùng", again.Err, StringComparison.Ordinal);
        (await data.RunAsync("admin", "totp", "verify", Admin, "12345")).Refused(1);
    }

    [Fact]
    public async Task Only_administrators_enrol_and_only_themselves_unless_they_manage_roles()
    {
        using var data = new DataFolder();
        await data.InitWithUnitsAsync();
        (await data.RunAsync("account", "add", "vp.svhtt@tphcm.gov.vn", "--name", "Văn phòng Sở", "--unit", "Sở Văn hóa và Thể thao")).Ok();
        (await data.RunAsync("account", "add", "lvtam@tphcm.gov.vn", "--name", "Lê Văn Tám", "--unit", "Phòng Nghệ thuật")).Ok();
        (await data.RunAsync("admin", "grant", "vp.svhtt@tphcm.gov.vn", "--role", "agency-administrator")).Ok();

        (await data.RunAsync("admin", "totp", "enroll", "lvtam@tphcm.gov.vn")).Refused(1);
        (await data.RunAsync("admin", "totp", "enroll", Admin, "--as", "vp.svhtt@tphcm.gov.vn")).Refused(1);
        (await data.RunAsync("admin", "totp", "enroll", "vp.svhtt@tphcm.gov.vn", "--as", "vp.svhtt@tphcm.gov.vn", "--no-qr")).Ok();
    }
}
