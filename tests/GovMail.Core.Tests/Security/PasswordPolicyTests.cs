using System.Text;
using GovMail.Core.Security;

namespace GovMail.Core.Tests.Security;

public class PasswordPolicyTests
{
    private static readonly PasswordOwner Thinh = new("Lê Đức Thịnh", "ldthinh@tphcm.gov.vn");

    private static string[] Codes(IReadOnlyList<Problem> problems) => problems.Select(p => p.Code).ToArray();

    [Theory]
    [InlineData("Sở#VănHóa2024")]
    [InlineData("Đà#Lạt-mùa-sương")]
    [InlineData("Correct#Horse7")]
    [InlineData("Tr0ub4dor&3")]
    [InlineData("Xk9!mq2Lp")]
    [InlineData("Bến Nhà Rồng 1911!")]
    public void Good_password_is_accepted(string password) =>
        Assert.Empty(new PasswordPolicy().Check(password));

    [Fact]
    public void Good_password_is_accepted_for_its_owner() =>
        Assert.Empty(new PasswordPolicy().Check("Sở#VănHóa2024", Thinh));

    [Fact]
    public void Eight_characters_is_long_enough() =>
        Assert.Empty(new PasswordPolicy().Check("Xk9!mq2L"));

    [Fact]
    public void Seven_characters_is_too_short()
    {
        var problems = new PasswordPolicy().Check("Xk9!mq2");

        var problem = Assert.Single(problems);
        Assert.Equal("PasswordTooShort", problem.Code);
        Assert.Equal([8], problem.Args);
    }

    [Fact]
    public void Minimum_length_follows_the_policy()
    {
        var policy = new PasswordPolicy { MinLength = 14 };

        Assert.Equal(["PasswordTooShort"], Codes(policy.Check("Sở#VănHóa2024")));
        Assert.Equal([14], policy.Check("Sở#VănHóa2024")[0].Args);
        Assert.Empty(policy.Check("Sở#VănHóa2024!"));
    }

    [Fact]
    public void Password_longer_than_the_maximum_is_refused()
    {
        var policy = new PasswordPolicy();

        Assert.Empty(policy.Check("Xk9!" + new string('q', 124)));
        Assert.Equal(["PasswordTooLong"], Codes(policy.Check("Xk9!" + new string('q', 125))));
    }

    [Theory]
    [InlineData("xk9!mq2lp")]
    [InlineData("sở#vănhóa2024")]
    public void Password_without_upper_case_is_refused(string password) =>
        Assert.Equal(["PasswordNeedsUpper"], Codes(new PasswordPolicy().Check(password)));

    [Theory]
    [InlineData("XK9!MQ2LP")]
    [InlineData("SỞ#VĂNHÓA2024")]
    public void Password_without_lower_case_is_refused(string password) =>
        Assert.Equal(["PasswordNeedsLower"], Codes(new PasswordPolicy().Check(password)));

    [Theory]
    [InlineData("Xk9mq2Lpz")]
    [InlineData("SởVănHóa2024")]
    [InlineData("Bến Nhà Rồng 1911")]
    public void Password_without_special_character_is_refused(string password) =>
        Assert.Equal(["PasswordNeedsSpecial"], Codes(new PasswordPolicy().Check(password)));

    [Fact]
    public void Space_is_not_a_special_character() =>
        Assert.False(PasswordPolicy.IsSpecial(' '));

    [Theory]
    [InlineData('@')]
    [InlineData('#')]
    [InlineData('!')]
    [InlineData('-')]
    [InlineData('€')]
    public void Punctuation_and_symbols_are_special_characters(char c) =>
        Assert.True(PasswordPolicy.IsSpecial(c));

    [Theory]
    [InlineData('a')]
    [InlineData('Đ')]
    [InlineData('ở')]
    [InlineData('7')]
    [InlineData('\t')]
    public void Letters_digits_and_control_characters_are_not_special(char c) =>
        Assert.False(PasswordPolicy.IsSpecial(c));

    [Theory]
    [InlineData("Xk9!mq2\tLp")]
    [InlineData("Xk9!mq2\nLp")]
    [InlineData("Xk9!mq2\0Lp")]
    public void Password_with_a_control_character_is_refused(string password) =>
        Assert.Equal(["PasswordHasWhitespaceOrControl"], Codes(new PasswordPolicy().Check(password)));

    [Fact]
    public void Digit_is_not_required_by_default() =>
        Assert.Empty(new PasswordPolicy().Check("Đà#Lạt-mùa-sương"));

    [Fact]
    public void Digit_is_required_when_the_policy_says_so()
    {
        var policy = new PasswordPolicy { RequireDigit = true };

        Assert.Equal(["PasswordNeedsDigit"], Codes(policy.Check("Đà#Lạt-mùa-sương")));
        Assert.Empty(policy.Check("Đà#Lạt-mùa-sương-2"));
    }

    [Fact]
    public void Character_classes_can_be_switched_off()
    {
        var policy = new PasswordPolicy { RequireUpper = false, RequireLower = false, RequireSpecial = false };

        Assert.Empty(policy.Check("xk9mq2lpz"));
        Assert.Empty(policy.Check("XK9MQ2LPZ"));
    }

    [Theory]
    [InlineData("123456a@")]
    [InlineData("Abc@1234")]
    [InlineData("P@ssw0rd")]
    [InlineData("Matkhau@2024")]
    [InlineData("Vietnam@123")]
    [InlineData("Admin@123")]
    [InlineData("Tphcm@123")]
    [InlineData("Qwerty@123")]
    [InlineData("Abcd@1234")]
    [InlineData("Anhyeuem@2024")]
    [InlineData("!!Hochiminh2025")]
    [InlineData("Aaaaaaa@1")]
    [InlineData("Abcdefgh!")]
    [InlineData("Qwertyuiop#")]
    public void Common_password_is_refused(string password) =>
        Assert.Contains("PasswordTooCommon", Codes(new PasswordPolicy().Check(password)));

    [Theory]
    [InlineData("Abc@1234")]
    [InlineData("P@ssw0rd")]
    [InlineData("Matkhau@2024")]
    [InlineData("Vietnam@123")]
    public void Common_password_that_satisfies_every_character_rule_is_refused_only_for_being_common(string password) =>
        Assert.Equal(["PasswordTooCommon"], Codes(new PasswordPolicy().Check(password)));

    [Fact]
    public void Common_list_ignores_case()
    {
        Assert.True(CommonPasswords.IsCommon("P@SSW0RD"));
        Assert.True(CommonPasswords.IsCommon("MATKHAU"));
        Assert.True(CommonPasswords.IsCommon("matkhau"));
    }

    [Theory]
    [InlineData("Sở#VănHóa2024")]
    [InlineData("Correct#Horse7")]
    [InlineData("Xk9!mq2Lp")]
    public void Uncommon_password_is_not_in_the_common_list(string password) =>
        Assert.False(CommonPasswords.IsCommon(password));

    [Theory]
    [InlineData("Thinh#2024x")]
    [InlineData("Thịnh#2024x")]
    [InlineData("THỊNH#2024x")]
    [InlineData("Ldthinh@99")]
    [InlineData("xX!ldthinh")]
    [InlineData("Leducthinh#1")]
    [InlineData("Lê#ĐứcThịnh")]
    public void Password_containing_the_owners_name_or_address_is_refused(string password) =>
        Assert.Equal(["PasswordContainsName"], Codes(new PasswordPolicy().Check(password, Thinh)));

    [Fact]
    public void Owners_name_is_recognised_in_decomposed_form()
    {
        var decomposed = "Thịnh#2024x".Normalize(NormalizationForm.FormD);

        Assert.Equal(["PasswordContainsName"], Codes(new PasswordPolicy().Check(decomposed, Thinh)));
    }

    [Fact]
    public void Owners_address_alone_is_enough_to_refuse() =>
        Assert.Equal(["PasswordContainsName"],
            Codes(new PasswordPolicy().Check("Ldthinh@99", new PasswordOwner(null, "ldthinh@tphcm.gov.vn"))));

    [Fact]
    public void Owners_name_alone_is_enough_to_refuse() =>
        Assert.Equal(["PasswordContainsName"],
            Codes(new PasswordPolicy().Check("Thinh#2024x", new PasswordOwner("Lê Đức Thịnh", null))));

    [Fact]
    public void Name_parts_shorter_than_four_letters_are_not_refused()
    {
        // "Lê" and "Đức" are too short to count: too many passwords would contain them by chance.
        Assert.Empty(new PasswordPolicy().Check("Lê#Đức-2024x", Thinh));
    }

    [Fact]
    public void Someone_elses_name_is_not_refused() =>
        Assert.Empty(new PasswordPolicy().Check("Thinh#2024x", new PasswordOwner("Nguyễn Thị Minh Khai", "ntmkhai@tphcm.gov.vn")));

    [Fact]
    public void Name_is_not_checked_without_an_owner() =>
        Assert.Empty(new PasswordPolicy().Check("Thinh#2024x"));

    [Fact]
    public void Every_broken_rule_is_reported_at_once()
    {
        var problems = new PasswordPolicy().Check("abc");

        Assert.Equal(["PasswordTooShort", "PasswordNeedsUpper", "PasswordNeedsSpecial"], Codes(problems));
    }

    [Fact]
    public void Short_common_password_with_the_owners_name_reports_every_reason()
    {
        var problems = new PasswordPolicy { RequireDigit = true }.Check("thinh", Thinh);

        Assert.Equal(
            ["PasswordTooShort", "PasswordNeedsUpper", "PasswordNeedsDigit", "PasswordNeedsSpecial", "PasswordContainsName"],
            Codes(problems));
    }

    [Fact]
    public void Common_password_missing_a_class_reports_both()
    {
        var problems = new PasswordPolicy().Check("123456a@");

        Assert.Equal(["PasswordNeedsUpper", "PasswordTooCommon"], Codes(problems));
    }

    [Fact]
    public void Empty_password_reports_every_character_rule()
    {
        var problems = new PasswordPolicy { RequireDigit = true }.Check("");

        Assert.Equal(
            ["PasswordTooShort", "PasswordNeedsUpper", "PasswordNeedsLower", "PasswordNeedsDigit", "PasswordNeedsSpecial"],
            Codes(problems));
    }

    [Theory]
    [InlineData("PasswordTooShort", 8, "Mật khẩu phải có ít nhất 8 ký tự.")]
    [InlineData("PasswordNeedsUpper", null, "Mật khẩu phải có ít nhất một chữ in hoa.")]
    [InlineData("PasswordNeedsLower", null, "Mật khẩu phải có ít nhất một chữ thường.")]
    [InlineData("PasswordNeedsDigit", null, "Mật khẩu phải có ít nhất một chữ số.")]
    [InlineData("PasswordNeedsSpecial", null, "Mật khẩu phải có ít nhất một ký tự đặc biệt (!, @, #, %, &, *…).")]
    [InlineData("PasswordTooCommon", null, "Mật khẩu này quá phổ biến, dễ bị đoán ra; hãy chọn mật khẩu khác.")]
    [InlineData("PasswordContainsName", null, "Mật khẩu không được chứa tên hoặc địa chỉ thư của chính bạn.")]
    public void Refusal_reads_in_Vietnamese(string code, object? arg, string expected)
    {
        var problem = arg is null ? Problem.Of(code) : Problem.Of(code, arg);
        var message = problem.Message(Messages.Vietnamese);

        Assert.Equal(expected, message);
        Assert.True(message.IsNormalized(NormalizationForm.FormC));
    }

    [Theory]
    [InlineData("PasswordTooShort", 8, "The password must be at least 8 characters long.")]
    [InlineData("PasswordNeedsUpper", null, "The password must contain an upper-case letter.")]
    [InlineData("PasswordNeedsLower", null, "The password must contain a lower-case letter.")]
    [InlineData("PasswordNeedsDigit", null, "The password must contain a digit.")]
    [InlineData("PasswordNeedsSpecial", null, "The password must contain a special character (!, @, #, %, &, *…).")]
    [InlineData("PasswordTooCommon", null, "This password is too common and easy to guess; choose another.")]
    [InlineData("PasswordContainsName", null, "The password must not contain your own name or mail address.")]
    public void Refusal_reads_in_English(string code, object? arg, string expected)
    {
        var problem = arg is null ? Problem.Of(code) : Problem.Of(code, arg);

        Assert.Equal(expected, problem.Message(Messages.English));
    }

    [Fact]
    public void Every_refusal_of_the_policy_has_a_Vietnamese_and_an_English_message()
    {
        var policy = new PasswordPolicy { RequireDigit = true, MaxLength = 10 };
        var problems = policy.Check("thinh\t", Thinh)
            .Concat(policy.Check("123456A@"))
            .Concat(policy.Check(new string('x', 11)))
            .ToList();
        Assert.Equal(
            new HashSet<string>
            {
                "PasswordHasWhitespaceOrControl", "PasswordTooShort", "PasswordTooLong", "PasswordNeedsUpper", "PasswordNeedsLower",
                "PasswordNeedsDigit", "PasswordNeedsSpecial", "PasswordTooCommon", "PasswordContainsName",
            },
            Codes(problems).ToHashSet());

        foreach (var problem in problems)
        {
            var vietnamese = problem.Message(Messages.Vietnamese);
            var english = problem.Message(Messages.English);
            Assert.NotEqual(problem.Code, vietnamese);
            Assert.NotEqual(problem.Code, english);
            Assert.StartsWith("Mật khẩu", vietnamese);
            Assert.Matches("^(The|This) password ", english);
            Assert.All(english, c => Assert.True(c < 128 || c == '…', $"'{c}' in \"{english}\" is not English text"));
        }
    }
}
