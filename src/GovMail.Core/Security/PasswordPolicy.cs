using GovMail.Core.Text;

namespace GovMail.Core.Security;

/// <summary>
/// A tenant's password rules. The default is the seeds' rule (seed 001): at least 8 characters with upper case,
/// lower case and a special character; plus a list of common passwords that are refused whatever their shape.
/// </summary>
public sealed class PasswordPolicy
{
    public int MinLength { get; set; } = 8;
    public int MaxLength { get; set; } = 128;
    public bool RequireUpper { get; set; } = true;
    public bool RequireLower { get; set; } = true;
    public bool RequireDigit { get; set; }
    public bool RequireSpecial { get; set; } = true;

    /// <summary>How many earlier passwords may not be used again.</summary>
    public int HistoryCount { get; set; } = 5;

    /// <summary>Days after which a password must be changed; 0 means never.</summary>
    public int ExpiryDays { get; set; }

    /// <summary>Has a password set at <paramref name="changedAt"/> expired by <paramref name="now"/>? Never when <see cref="ExpiryDays"/> is 0.</summary>
    public bool IsExpired(DateTimeOffset? changedAt, DateTimeOffset now) =>
        ExpiryDays > 0 && changedAt is { } c && now >= c.AddDays(ExpiryDays);

    /// <summary>
    /// Checks a new password. Every broken rule is returned, so a form can show them all at once;
    /// an empty list means the password is acceptable. Reuse of earlier passwords is checked by the caller
    /// against the stored hashes (<see cref="PasswordHasher"/>).
    /// </summary>
    public IReadOnlyList<Problem> Check(string password, PasswordOwner? owner = null)
    {
        var problems = new List<Problem>();
        if (password.Any(char.IsControl)) problems.Add(Problem.Of("PasswordHasWhitespaceOrControl"));
        if (password.Length < MinLength) problems.Add(Problem.Of("PasswordTooShort", MinLength));
        if (password.Length > MaxLength) problems.Add(Problem.Of("PasswordTooLong", MaxLength));
        if (RequireUpper && !password.Any(char.IsUpper)) problems.Add(Problem.Of("PasswordNeedsUpper"));
        if (RequireLower && !password.Any(char.IsLower)) problems.Add(Problem.Of("PasswordNeedsLower"));
        if (RequireDigit && !password.Any(char.IsDigit)) problems.Add(Problem.Of("PasswordNeedsDigit"));
        if (RequireSpecial && !password.Any(IsSpecial)) problems.Add(Problem.Of("PasswordNeedsSpecial"));
        if (CommonPasswords.IsCommon(password)) problems.Add(Problem.Of("PasswordTooCommon"));
        if (owner is not null && ContainsOwnName(password, owner)) problems.Add(Problem.Of("PasswordContainsName"));
        if (IsMostlyDate(password)) problems.Add(Problem.Of("PasswordLooksLikeDate"));
        return problems;
    }

    /// <summary>
    /// True when the password is a date (a birthday such as <c>01011990</c>, <c>1990-01-01</c>, <c>010190</c>) with at most a few
    /// other letters or digits around it (<c>Abc@01011990</c>): the first thing anyone who knows the person tries.
    /// </summary>
    public static bool IsMostlyDate(string password)
    {
        var alnum = new string(password.Where(char.IsLetterOrDigit).ToArray());
        var digits = new string(password.Where(char.IsAsciiDigit).ToArray());
        foreach (var length in (int[])[8, 6])
        {
            for (var i = 0; i + length <= digits.Length; i++)
            {
                if (!IsDate(digits.AsSpan(i, length))) continue;
                if (alnum.Length - length <= 4) return true;
            }
        }
        return false;
    }

    private static bool IsDate(ReadOnlySpan<char> d)
    {
        static int N(ReadOnlySpan<char> s) => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        static bool Valid(int y, int m, int day) => m is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(y, m);
        if (d.Length == 8)
        {
            var (dd, mm, yyyy) = (N(d[..2]), N(d[2..4]), N(d[4..]));
            if (yyyy is >= 1900 and <= 2099 && Valid(yyyy, mm, dd)) return true;
            var (y2, m2, d2) = (N(d[..4]), N(d[4..6]), N(d[6..]));
            return y2 is >= 1900 and <= 2099 && Valid(y2, m2, d2);
        }
        var (a, b, c) = (N(d[..2]), N(d[2..4]), N(d[4..]));
        return Valid(2000, b, a) && c is >= 0 and <= 99;
    }

    public static bool IsSpecial(char c) => !char.IsLetterOrDigit(c) && !char.IsControl(c) && !char.IsWhiteSpace(c);

    /// <summary>
    /// True when the password contains the owner's address local part or a name part of four letters or more, or when its
    /// letters are nothing but one or more of the person's name parts (<c>An@123456</c>, <c>ThiBinh#2024</c>), diacritics ignored.
    /// </summary>
    private static bool ContainsOwnName(string password, PasswordOwner owner)
    {
        var folded = VietnameseText.Fold(password).ToLowerInvariant();
        var parts = new List<string>();
        if (owner.Address is { } address)
        {
            var at = address.IndexOf('@');
            parts.Add((at > 0 ? address[..at] : address).ToLowerInvariant());
        }
        if (owner.DisplayName is { } name)
        {
            var words = VietnameseText.Key(name).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            parts.AddRange(words);
            if (words.Length > 1) parts.Add(string.Concat(words));
        }
        if (parts.Any(p => p.Length >= 4 && folded.Contains(p, StringComparison.Ordinal))) return true;
        var letters = new string(folded.Where(char.IsAsciiLetter).ToArray());
        return letters.Length > 0 && IsMadeOf(letters, parts.Where(p => p.Length > 0).ToList());
    }

    // Can the letters be cut into name parts only ("thibinh" from "thi" + "binh")?
    private static bool IsMadeOf(string letters, IReadOnlyList<string> parts)
    {
        var reachable = new bool[letters.Length + 1];
        reachable[0] = true;
        for (var i = 0; i < letters.Length; i++)
        {
            if (!reachable[i]) continue;
            foreach (var p in parts)
                if (i + p.Length <= letters.Length && string.CompareOrdinal(letters, i, p, 0, p.Length) == 0) reachable[i + p.Length] = true;
        }
        return reachable[letters.Length];
    }
}

/// <summary>Whose password is being checked, so that the person's own name and address can be refused.</summary>
public sealed record PasswordOwner(string? DisplayName, string? Address);
