using GovMail.Core.Security;

namespace GovMail.Core.Tests.Security;

public class TemporaryPasswordTests
{
    private const int Generations = 200;

    private static readonly PasswordPolicy Strict = new() { RequireDigit = true, MinLength = 14 };

    [Fact]
    public void Generated_password_passes_the_default_policy()
    {
        var policy = new PasswordPolicy();

        for (var i = 0; i < Generations; i++)
        {
            var password = TemporaryPassword.Generate(policy);
            Assert.Empty(policy.Check(password));
        }
    }

    [Fact]
    public void Generated_password_is_12_characters_by_default() =>
        Assert.Equal(12, TemporaryPassword.Generate(new PasswordPolicy()).Length);

    [Fact]
    public void Generated_password_passes_a_stricter_policy()
    {
        for (var i = 0; i < Generations; i++)
        {
            var password = TemporaryPassword.Generate(Strict);
            Assert.Empty(Strict.Check(password));
            Assert.True(password.Length >= 14, $"\"{password}\" is shorter than 14");
        }
    }

    [Fact]
    public void Generated_password_always_has_a_digit_even_when_the_policy_does_not_ask()
    {
        for (var i = 0; i < Generations; i++)
            Assert.Contains(TemporaryPassword.Generate(new PasswordPolicy()), char.IsAsciiDigit);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(40)]
    public void Requested_length_is_honoured(int length) =>
        Assert.Equal(length, TemporaryPassword.Generate(new PasswordPolicy(), length).Length);

    [Fact]
    public void Requested_length_below_the_policy_minimum_is_raised_to_it() =>
        Assert.Equal(14, TemporaryPassword.Generate(Strict, length: 8).Length);

    [Fact]
    public void Requested_length_below_eight_is_raised_to_eight() =>
        Assert.Equal(8, TemporaryPassword.Generate(new PasswordPolicy { MinLength = 4 }, length: 4).Length);

    [Fact]
    public void Requested_length_above_the_policy_maximum_is_cut_to_it() =>
        Assert.Equal(20, TemporaryPassword.Generate(new PasswordPolicy { MaxLength = 20 }, length: 30).Length);

    [Fact]
    public void Generated_passwords_are_distinct()
    {
        var passwords = Enumerable.Range(0, Generations).Select(_ => TemporaryPassword.Generate(new PasswordPolicy())).ToList();

        Assert.Equal(Generations, passwords.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Generated_passwords_are_distinct_under_the_strict_policy()
    {
        var passwords = Enumerable.Range(0, Generations).Select(_ => TemporaryPassword.Generate(Strict)).ToList();

        Assert.Equal(Generations, passwords.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Generated_password_has_no_characters_that_are_confused_on_paper()
    {
        var policies = new[] { new PasswordPolicy(), Strict };

        foreach (var policy in policies)
        {
            for (var i = 0; i < Generations; i++)
            {
                var password = TemporaryPassword.Generate(policy);
                Assert.True(password.IndexOfAny(['0', 'O', '1', 'l', 'I']) < 0, $"\"{password}\" has an ambiguous character");
            }
        }
    }

    [Fact]
    public void Generated_password_is_plain_ASCII_without_spaces()
    {
        for (var i = 0; i < Generations; i++)
        {
            var password = TemporaryPassword.Generate(Strict);
            Assert.All(password, c => Assert.True(c is > ' ' and < (char)127, $"\"{password}\" has '{c}'"));
        }
    }

    [Fact]
    public void Generated_passwords_use_the_whole_alphabet_over_many_draws()
    {
        // A weak generator that always picks from the same few characters would still pass the checks above.
        var seen = new HashSet<char>();
        for (var i = 0; i < Generations; i++) seen.UnionWith(TemporaryPassword.Generate(new PasswordPolicy()));

        Assert.True(seen.Count >= 50, $"only {seen.Count} distinct characters in {Generations} passwords");
    }
}
