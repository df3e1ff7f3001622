using System.Security.Cryptography;

namespace GovMail.Core.Security;

/// <summary>Generates temporary passwords that satisfy a <see cref="PasswordPolicy"/> and are easy to read aloud or type from paper.</summary>
public static class TemporaryPassword
{
    // No 0/O, 1/l/I: officials type these from a printed sheet.
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnpqrstuvwxyz";
    private const string Digits = "23456789";
    private const string Special = "@#%&*!";

    public static string Generate(PasswordPolicy policy, int length = 12)
    {
        length = Math.Clamp(Math.Max(length, policy.MinLength), 8, policy.MaxLength);
        while (true)
        {
            var chars = new char[length];
            // One of each required class, the rest from all classes, then shuffled.
            chars[0] = Pick(Upper);
            chars[1] = Pick(Lower);
            chars[2] = Pick(Digits);
            chars[3] = Pick(Special);
            const string all = Upper + Lower + Digits;
            for (var i = 4; i < length; i++) chars[i] = Pick(all);
            RandomNumberGenerator.Shuffle(chars.AsSpan());
            var candidate = new string(chars);
            if (policy.Check(candidate).Count == 0) return candidate;
        }
    }

    private static char Pick(string set) => set[RandomNumberGenerator.GetInt32(set.Length)];
}
