namespace GovMail.Core.Security;

/// <summary>
/// Passwords that satisfy the character rules but are among the first any attacker tries
/// (<c>Abc@1234</c>, <c>123456a@</c>, <c>P@ssw0rd</c>…), including common Vietnamese ones.
/// The list is <c>common-passwords.txt</c>, embedded.
/// </summary>
public static class CommonPasswords
{
    private static readonly Lazy<HashSet<string>> List = new(Load);

    public static bool IsCommon(string password)
    {
        var lower = password.ToLowerInvariant();
        if (List.Value.Contains(lower)) return true;
        // The same word with the usual decorations: digits and symbols around a listed word ("Matkhau@2024").
        var core = lower.Trim("0123456789!@#$%^&*()_+-=.?~".ToCharArray());
        if (core.Length >= 4 && List.Value.Contains(core)) return true;
        // One character repeated, or a run of the keyboard or alphabet, decorated.
        var letters = new string(lower.Where(char.IsLetterOrDigit).ToArray());
        return letters.Length > 0 && (letters.Distinct().Count() <= 2 || IsSequence(letters));
    }

    private static bool IsSequence(string s)
    {
        if (s.Length < 6) return false;
        var runs = new[] { "abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890" };
        return runs.Any(r => r.Contains(s, StringComparison.Ordinal))
            || runs.Any(r => s.Length >= 6 && SplitsIntoRuns(s, r));
    }

    // "abc123", "abcd1234": a run of letters followed by a run of digits; "123456a", "12345678abc": digits then letters.
    private static bool SplitsIntoRuns(string s, string run)
    {
        var i = 0;
        var lettersFirst = char.IsLetter(s[0]);
        while (i < s.Length && char.IsLetter(s[i]) == lettersFirst) i++;
        if (i == 0 || i == s.Length) return false;
        var (a, b) = lettersFirst ? (s[..i], s[i..]) : (s[i..], s[..i]);
        return "abcdefghijklmnopqrstuvwxyz".StartsWith(a, StringComparison.Ordinal)
            && "1234567890".StartsWith(b, StringComparison.Ordinal) && run.Length > 0;
    }

    private static HashSet<string> Load()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream("GovMail.Core.Security.common-passwords.txt")
            ?? throw new InvalidOperationException("common-passwords.txt is not embedded");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length > 0 && !line.StartsWith('#')) set.Add(line.ToLowerInvariant());
        }
        return set;
    }
}
