using System.Text;
using GovMail.Core.Security;

namespace GovMail.Core.Tests.Security;

public class PasswordHasherTests
{
    // Cheap parameters keep the suite fast; Verify reads the parameters from the hash, so they are still exercised.
    private static readonly PasswordHasher Cheap = new(memoryKiB: 1024, iterations: 1);

    [Theory]
    [InlineData("Sở#VănHóa2024")]
    [InlineData("Correct#Horse7")]
    [InlineData("x")]
    [InlineData("Bến Nhà Rồng 1911!")]
    public void Hash_verifies_against_the_same_password(string password) =>
        Assert.True(PasswordHasher.Verify(password, Cheap.Hash(password)));

    [Theory]
    [InlineData("Correct#Horse8")]
    [InlineData("correct#horse7")]
    [InlineData("Correct#Horse7 ")]
    [InlineData("Correct#Horse")]
    public void Hash_does_not_verify_against_another_password(string other) =>
        Assert.False(PasswordHasher.Verify(other, Cheap.Hash("Correct#Horse7")));

    [Fact]
    public void Diacritics_count_in_the_password() =>
        Assert.False(PasswordHasher.Verify("So#VanHoa2024", Cheap.Hash("Sở#VănHóa2024")));

    [Fact]
    public void Password_typed_decomposed_verifies_against_the_one_set_precomposed()
    {
        // Unikey's "Unicode tổ hợp" types combining marks; the holder types the same password.
        const string precomposed = "Sở#VănHóa2024";
        var decomposed = precomposed.Normalize(NormalizationForm.FormD);
        Assert.NotEqual(precomposed, decomposed);

        Assert.True(PasswordHasher.Verify(decomposed, Cheap.Hash(precomposed)));
        Assert.True(PasswordHasher.Verify(precomposed, Cheap.Hash(decomposed)));
    }

    [Fact]
    public void Two_hashes_of_the_same_password_differ_by_their_salt()
    {
        var first = Cheap.Hash("Correct#Horse7");
        var second = Cheap.Hash("Correct#Horse7");

        Assert.NotEqual(first, second);
        Assert.NotEqual(first.Split('$')[4], second.Split('$')[4]);
        Assert.True(PasswordHasher.Verify("Correct#Horse7", first));
        Assert.True(PasswordHasher.Verify("Correct#Horse7", second));
    }

    [Fact]
    public void Hash_is_a_PHC_string_with_its_parameters_and_unpadded_base64()
    {
        var phc = Cheap.Hash("Correct#Horse7");

        var parts = phc.Split('$');
        Assert.Equal(6, parts.Length);
        Assert.Equal("", parts[0]);
        Assert.Equal("argon2id", parts[1]);
        Assert.Equal("v=19", parts[2]);
        Assert.Equal("m=1024,t=1,p=1", parts[3]);
        Assert.DoesNotContain('=', parts[4]);
        Assert.DoesNotContain('=', parts[5]);
        Assert.Equal(16, Convert.FromBase64String(parts[4] + "==").Length);
        Assert.Equal(32, Convert.FromBase64String(parts[5] + "=").Length);
    }

    [Fact]
    public void Default_hasher_uses_the_OWASP_minimum_and_round_trips()
    {
        var phc = PasswordHasher.Default.Hash("Sở#VănHóa2024");

        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", phc);
        Assert.True(PasswordHasher.Verify("Sở#VănHóa2024", phc));
        Assert.False(PasswordHasher.Verify("Sở#VănHóa2025", phc));
    }

    // Made with the reference implementation (Debian package argon2, 0~20171227):
    //   echo -n 'Sở#VănHóa2024' | argon2 'GovMailSalt2024!' -id -t 2 -m 10 -p 1 -l 32 -e
    //   echo -n 'P@ssw0rd-ref' | argon2 'somesaltsomesalt' -id -t 3 -k 64 -p 2 -l 32 -e
    [Theory]
    [InlineData("Sở#VănHóa2024",
        "$argon2id$v=19$m=1024,t=2,p=1$R292TWFpbFNhbHQyMDI0IQ$YiHM3EWdfOTDfJIzlL6L4EY4ZsLla/OQckjnyI6KLh0")]
    [InlineData("P@ssw0rd-ref",
        "$argon2id$v=19$m=64,t=3,p=2$c29tZXNhbHRzb21lc2FsdA$eCq4fHdCHFML8iifRAIr9387EexDfbfSAdQww5OmG1A")]
    public void Hash_made_by_the_reference_implementation_verifies(string password, string phc)
    {
        Assert.True(PasswordHasher.Verify(password, phc));
        Assert.False(PasswordHasher.Verify(password + "x", phc));
    }

    public static TheoryData<string> MalformedHashes()
    {
        var good = Cheap.Hash("Correct#Horse7").Split('$');
        var (salt, hash) = (good[4], good[5]);
        return new TheoryData<string>
        {
            "",
            "$",
            "not a hash",
            "Correct#Horse7",
            "$$$$$",
            // Wrong algorithm or version.
            $"$argon2i$v=19$m=1024,t=1,p=1${salt}${hash}",
            $"$argon2d$v=19$m=1024,t=1,p=1${salt}${hash}",
            $"$ARGON2ID$v=19$m=1024,t=1,p=1${salt}${hash}",
            $"$bcrypt$v=19$m=1024,t=1,p=1${salt}${hash}",
            "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
            $"$argon2id$v=16$m=1024,t=1,p=1${salt}${hash}",
            $"$argon2id$m=1024,t=1,p=1${salt}${hash}",
            // Missing or extra parts.
            $"$argon2id$v=19$m=1024,t=1,p=1${salt}",
            $"$argon2id$v=19$m=1024,t=1,p=1${salt}${hash}$",
            $"argon2id$v=19$m=1024,t=1,p=1${salt}${hash}",
            // Parameters missing, unknown, not numbers or absurd.
            $"$argon2id$v=19$m=1024,t=1${salt}${hash}",
            $"$argon2id$v=19$${salt}${hash}",
            $"$argon2id$v=19$m=1024,t=1,p=1,x=1${salt}${hash}",
            $"$argon2id$v=19$m=1024,t=one,p=1${salt}${hash}",
            $"$argon2id$v=19$m=1024,t==1,p=1${salt}${hash}",
            $"$argon2id$v=19$m=99999999999,t=1,p=1${salt}${hash}",
            $"$argon2id$v=19$m=2147483647,t=1,p=1${salt}${hash}",
            $"$argon2id$v=19$m=0,t=1,p=1${salt}${hash}",
            $"$argon2id$v=19$m=-1024,t=1,p=1${salt}${hash}",
            $"$argon2id$v=19$m=7,t=1,p=1${salt}${hash}",
            $"$argon2id$v=19$m=1024,t=0,p=1${salt}${hash}",
            $"$argon2id$v=19$m=1024,t=-1,p=1${salt}${hash}",
            $"$argon2id$v=19$m=1024,t=1000000,p=1${salt}${hash}",
            $"$argon2id$v=19$m=1024,t=1,p=0${salt}${hash}",
            $"$argon2id$v=19$m=1024,t=1,p=1000${salt}${hash}",
            // Less memory than Argon2 needs for the lanes asked (RFC 9106: m ≥ 8p).
            $"$argon2id$v=19$m=8,t=1,p=64${salt}${hash}",
            $"$argon2id$v=19$m=15,t=1,p=4${salt}${hash}",
            // Salt or hash not base64, or of a length no real hash has.
            $"$argon2id$v=19$m=1024,t=1,p=1$!!!!${hash}",
            $"$argon2id$v=19$m=1024,t=1,p=1${salt}$!!!!",
            $"$argon2id$v=19$m=1024,t=1,p=1$A${hash}",
            $"$argon2id$v=19$m=1024,t=1,p=1${salt}$A",
            $"$argon2id$v=19$m=1024,t=1,p=1${salt}$ééé",
            $"$argon2id$v=19$m=1024,t=1,p=1${salt}$",
            $"$argon2id$v=19$m=1024,t=1,p=1${salt}$AAAA",
            $"$argon2id$v=19$m=1024,t=1,p=1${salt}${new string('A', 200)}",
            // Empty salt with the right hash length.
            $"$argon2id$v=19$m=1024,t=1,p=1$${hash}",
        };
    }

    [Theory]
    [MemberData(nameof(MalformedHashes))]
    public void Malformed_or_hostile_hash_is_refused_without_throwing(string phc)
    {
        var verified = PasswordHasher.Verify("Correct#Horse7", phc);

        Assert.False(verified);
    }

    [Fact]
    public void Hash_with_one_byte_changed_does_not_verify()
    {
        var parts = Cheap.Hash("Correct#Horse7").Split('$');
        parts[5] = (parts[5][0] == 'A' ? "B" : "A") + parts[5][1..];

        Assert.False(PasswordHasher.Verify("Correct#Horse7", string.Join('$', parts)));
    }

    [Fact]
    public void Hash_with_another_salt_does_not_verify()
    {
        var parts = Cheap.Hash("Correct#Horse7").Split('$');
        parts[4] = Cheap.Hash("Correct#Horse7").Split('$')[4];

        Assert.False(PasswordHasher.Verify("Correct#Horse7", string.Join('$', parts)));
    }

    [Fact]
    public void Empty_password_is_refused_without_throwing()
    {
        var phc = Cheap.Hash("Correct#Horse7");

        Assert.False(PasswordHasher.Verify("", phc));
    }

    [Fact]
    public void Password_with_a_lone_surrogate_is_refused_without_throwing()
    {
        var phc = Cheap.Hash("Correct#Horse7");

        Assert.False(PasswordHasher.Verify("Correct#Horse7\uD800", phc));
    }
}
