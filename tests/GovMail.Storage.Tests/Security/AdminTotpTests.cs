using System.Security.Cryptography;
using GovMail.Storage.Database;
using GovMail.Storage.Security;
using GovMail.Storage.Tests.Directory;
using Microsoft.EntityFrameworkCore;
using OtpNet;

namespace GovMail.Storage.Tests.Security;

/// <summary>TOTP for administrators on a moved clock: a code works in its step (and the next), once, and never a wrong one.</summary>
public abstract class AdminTotpTests(DatabaseProvider provider) : DirectoryTest(provider)
{
    private readonly SecretProtector _protector = new(RandomNumberGenerator.GetBytes(32));

    private AdminTotp Totp => new(Database, Test.Clock, _protector);

    private string CodeNow(string secret) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(Test.Clock.GetUtcNow().UtcDateTime);

    [Fact]
    public async Task An_enrolled_administrator_logs_in_with_the_current_code_once()
    {
        var setup = Ok(await Totp.EnrollAsync(Admin, City, Admin));

        Assert.StartsWith("otpauth://totp/", setup.Uri, StringComparison.Ordinal);
        Assert.Contains("secret=" + setup.Secret, setup.Uri, StringComparison.Ordinal);
        var code = CodeNow(setup.Secret);
        Assert.Equal(Test.Clock.GetUtcNow(), Ok(await Totp.VerifyAsync(Admin, code)));
        Refused(await Totp.VerifyAsync(Admin, code), "TotpCodeReused");

        Test.Clock.Advance(TimeSpan.FromSeconds(30));
        var next = CodeNow(setup.Secret);
        Ok(await Totp.VerifyAsync(Admin, next));
        Assert.Single(await AuditAsync("admin.totp.enroll", Admin));
        Assert.Single(await AuditAsync("admin.totp.confirm", Admin));
    }

    [Fact]
    public async Task A_late_a_wrong_or_a_malformed_code_is_refused()
    {
        var setup = Ok(await Totp.EnrollAsync(Admin, City, Admin));
        var code = CodeNow(setup.Secret);

        Test.Clock.Advance(TimeSpan.FromSeconds(90));
        Refused(await Totp.VerifyAsync(Admin, code), "TotpCodeWrong");
        var now = CodeNow(setup.Secret);
        Refused(await Totp.VerifyAsync(Admin, now == "000000" ? "000001" : "000000"), "TotpCodeWrong");
        Refused(await Totp.VerifyAsync(Admin, "12ab56"), "TotpCodeWrong");
        Refused(await Totp.VerifyAsync(Admin, "1234567"), "TotpCodeWrong");
        // A code from the step before still counts (the phone's clock a little behind).
        Test.Clock.Advance(TimeSpan.FromSeconds(30));
        Ok(await Totp.VerifyAsync(Admin, now));
    }

    [Fact]
    public async Task The_secret_is_stored_encrypted_and_only_administrators_enrol()
    {
        await AddUnitAsync("Sở Du lịch");
        await AddAccountAsync("Nguyễn Văn Hải", "Sở Du lịch", "nvhai@tphcm.gov.vn");
        var setup = Ok(await Totp.EnrollAsync(Admin, City, Admin));

        await using (var db = Database.Open())
            Assert.DoesNotContain(setup.Secret, (await db.TotpEnrollments.SingleAsync()).ProtectedSecret, StringComparison.Ordinal);
        Refused(await Totp.EnrollAsync("nvhai@tphcm.gov.vn", City, Admin), "NotAnAdministrator");
        Refused(await Totp.VerifyAsync("nvhai@tphcm.gov.vn", "123456"), "TotpNotEnrolled");
        Refused(await new AdminTotp(Database, Test.Clock, new SecretProtector(RandomNumberGenerator.GetBytes(32))).VerifyAsync(Admin, CodeNow(setup.Secret)),
            "TotpSecretUnreadable");
        Assert.True(await Totp.IsEnrolledAsync(Admin));
    }
}

public sealed class AdminTotpTestsOnSqlite() : AdminTotpTests(DatabaseProvider.Sqlite);

public sealed class AdminTotpTestsOnPostgres() : AdminTotpTests(DatabaseProvider.Postgres);
