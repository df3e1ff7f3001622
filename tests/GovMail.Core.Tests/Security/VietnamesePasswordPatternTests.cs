using GovMail.Core.Security;

namespace GovMail.Core.Tests.Security;

/// <summary>Issue 6: the patterns Vietnamese officials reach for first are refused even when they pass the character rules.</summary>
public class VietnamesePasswordPatternTests
{
    private static readonly PasswordOwner Binh = new("Trần Thị Bình", "ttbinh@tphcm.gov.vn");
    private static readonly PasswordOwner An = new("Nguyễn Văn An", "nvan@tphcm.gov.vn");

    private static string[] Codes(string password, PasswordOwner? owner = null) =>
        new PasswordPolicy().Check(password, owner).Select(p => p.Code).ToArray();

    [Theory]
    [InlineData("123456a@")]
    [InlineData("123456Abc@")]
    [InlineData("Abc@1234")]
    [InlineData("Abc@123456")]
    [InlineData("Matkhau@2024")]
    [InlineData("12345678Abc@")]
    public void Common_patterns_are_refused(string password) =>
        Assert.Contains("PasswordTooCommon", Codes(password));

    [Theory]
    [InlineData("Binh@1990")]
    [InlineData("ThiBinh#2024")]
    [InlineData("Ttbinh@2024")]
    [InlineData("TranThiBinh!1")]
    public void The_persons_own_name_or_address_is_refused(string password) =>
        Assert.Contains("PasswordContainsName", Codes(password, Binh));

    [Fact]
    public void A_short_given_name_alone_with_digits_is_refused() =>
        Assert.Contains("PasswordContainsName", Codes("An@123456789", An));

    [Fact]
    public void A_short_given_name_inside_other_words_is_not_a_name() =>
        Assert.Empty(Codes("Sở#VănHóa-Sáng2024", An));

    [Theory]
    [InlineData("01011990")]
    [InlineData("Ab@01011990")]
    [InlineData("Hoa@19901231")]
    [InlineData("Nam#150890")]
    [InlineData("X@31/12/1985")]
    public void A_birthday_like_date_is_refused(string password) =>
        Assert.Contains("PasswordLooksLikeDate", Codes(password));

    [Theory]
    [InlineData("Sở#VănHóa2024")]
    [InlineData("Cầu-Rồng-Đà-Nẵng-2028")]
    [InlineData("Hoa-Mai-Ngày-Tết-01012027")]
    public void Passwords_with_a_date_among_enough_other_words_are_accepted(string password) =>
        Assert.Empty(Codes(password));

    [Fact]
    public void Expiry_zero_never_expires_and_otherwise_counts_days()
    {
        var changed = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.False(new PasswordPolicy().IsExpired(changed, changed.AddYears(10)));
        var policy = new PasswordPolicy { ExpiryDays = 90 };
        Assert.False(policy.IsExpired(changed, changed.AddDays(90).AddTicks(-1)));
        Assert.True(policy.IsExpired(changed, changed.AddDays(90)));
    }
}

/// <summary>The lockout rule's numbers: when an account locks and how long a failing client waits.</summary>
public class LoginLockoutPolicyTests
{
    [Fact]
    public void The_account_locks_at_the_tenth_failure_by_default_and_never_when_off()
    {
        var policy = new LoginLockoutPolicy();
        Assert.False(policy.LocksAfter(9));
        Assert.True(policy.LocksAfter(10));
        Assert.False(new LoginLockoutPolicy { MaxFailedLogins = 0 }.LocksAfter(1000));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(3, 0)]
    [InlineData(4, 1)]
    [InlineData(5, 2)]
    [InlineData(6, 4)]
    [InlineData(7, 8)]
    [InlineData(8, 10)]
    [InlineData(100, 10)]
    [InlineData(int.MaxValue, 10)]
    public void A_failing_client_waits_longer_each_time_up_to_the_cap(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), new LoginLockoutPolicy().DelayFor(failures));

    [Fact]
    public void Slowing_can_be_turned_off() =>
        Assert.Equal(TimeSpan.Zero, new LoginLockoutPolicy { DelayCapSeconds = 0 }.DelayFor(50));
}
