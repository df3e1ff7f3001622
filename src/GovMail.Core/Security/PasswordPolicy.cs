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
        return problems;
    }

    public static bool IsSpecial(char c) => !char.IsLetterOrDigit(c) && !char.IsControl(c) && !char.IsWhiteSpace(c);

    /// <summary>True when the password contains the owner's address local part or a name part of four letters or more, diacritics ignored.</summary>
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
        return parts.Any(p => p.Length >= 4 && folded.Contains(p, StringComparison.Ordinal));
    }
}

/// <summary>Whose password is being checked, so that the person's own name and address can be refused.</summary>
public sealed record PasswordOwner(string? DisplayName, string? Address);
