using System.Globalization;
using System.Text;

namespace GovMail.Core.Text;

/// <summary>Vietnamese text folding: <c>Lê Đức Thịnh</c> → <c>Le Duc Thinh</c>, so that <c>cong van</c> finds <c>công văn</c>.</summary>
public static class VietnameseText
{
    /// <summary>Removes diacritics and maps đ/Đ to d/D; other characters pass through unchanged.</summary>
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            switch (CharUnicodeInfo.GetUnicodeCategory(ch))
            {
                case UnicodeCategory.NonSpacingMark:
                case UnicodeCategory.SpacingCombiningMark:
                case UnicodeCategory.EnclosingMark:
                    continue;
            }
            sb.Append(ch switch { 'đ' => 'd', 'Đ' => 'D', _ => ch });
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>Folded, lower-case, with runs of white space collapsed: the key used to compare names.</summary>
    public static string Key(string text) =>
        string.Join(' ', Fold(text).ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Normalises a display name as typed: NFC, trimmed, single spaces.</summary>
    public static string CleanName(string text) =>
        string.Join(' ', text.Normalize(NormalizationForm.FormC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
