using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace GovMail.Core.Security;

/// <summary>
/// Argon2id password hashes in the PHC string format
/// (<c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>), so parameters can be raised later without breaking old hashes.
/// </summary>
public sealed class PasswordHasher(int memoryKiB = 19456, int iterations = 2, int parallelism = 1)
{
    /// <summary>OWASP's minimum recommended Argon2id parameters.</summary>
    public static PasswordHasher Default { get; } = new();

    private const int SaltLength = 16;
    private const int HashLength = 32;

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var hash = Compute(password, salt, memoryKiB, iterations, parallelism, HashLength);
        return $"$argon2id$v=19$m={memoryKiB},t={iterations},p={parallelism}${B64(salt)}${B64(hash)}";
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="phc"/>; false for a wrong password or a malformed hash.</summary>
    public static bool Verify(string password, string phc)
    {
        var parts = phc.Split('$');
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        if (parts.Length != 6 || parts[1] != "argon2id" || parts[2] != "v=19") return false;
        // Argon2 cannot hash an empty password (the policy never allows one), and throws if asked to.
        if (password.Length == 0) return false;
        int m = 0, t = 0, p = 0;
        foreach (var kv in parts[3].Split(','))
        {
            var pair = kv.Split('=');
            if (pair.Length != 2 || !int.TryParse(pair[1], out var n)) return false;
            switch (pair[0]) { case "m": m = n; break; case "t": t = n; break; case "p": p = n; break; default: return false; }
        }
        // m ≥ 8p is Argon2's own minimum (RFC 9106); below it the library throws.
        if (m is < 8 or > 4 * 1024 * 1024 || t is < 1 or > 100 || p is < 1 or > 64 || m < 8 * p) return false;
        byte[] salt, expected;
        try { (salt, expected) = (FromB64(parts[4]), FromB64(parts[5])); }
        catch (FormatException) { return false; }
        if (expected.Length is < 16 or > 128) return false;
        var actual = Compute(password, salt, m, t, p, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static byte[] Compute(string password, byte[] salt, int m, int t, int p, int length)
    {
        using var argon = new Argon2id(Encoding.UTF8.GetBytes(Composed(password)))
        {
            Salt = salt,
            MemorySize = m,
            Iterations = t,
            DegreeOfParallelism = p,
        };
        return argon.GetBytes(length);
    }

    // The same password typed precomposed or with combining marks (Unikey's "Unicode tổ hợp") must give the same bytes
    // (RFC 8265). A string with a lone surrogate cannot be normalised; it is hashed as it is.
    private static string Composed(string password)
    {
        try { return password.Normalize(NormalizationForm.FormC); }
        catch (ArgumentException) { return password; }
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] FromB64(string s) => Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
}
