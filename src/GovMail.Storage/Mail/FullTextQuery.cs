using System.Text;

namespace GovMail.Storage.Mail;

/// <summary>
/// Turns a folded search string (lower case, no diacritics: <c>cong van</c>) into what the database's full-text index
/// can answer without losing any message that contains it as a substring, as IMAP SEARCH TEXT and BODY require. The
/// index only narrows the candidates; the substring itself is confirmed on the stored search text.
/// </summary>
public static class FullTextQuery
{
    /// <summary>The shortest string the SQLite trigram index can look up.</summary>
    public const int MinTrigramLength = 3;

    /// <summary>
    /// An FTS5 phrase for the SQLite trigram index (any substring of three characters or more), or null when the
    /// string is shorter than that.
    /// </summary>
    public static string? Fts5Phrase(string folded) =>
        folded.EnumerateRunes().Count() < MinTrigramLength ? null : "\"" + folded.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// A PostgreSQL tsquery over the words of the text (runs of a-z and 0-9, as the migration splits the search text):
    /// the words inside the string must be words of the message, the last may be the start of one (<c>van:*</c>); the
    /// first may be the end of a longer word, so it cannot be looked up. Null when no word can be (a single word is
    /// matched anywhere inside words, which a word index cannot answer).
    /// </summary>
    public static string? TsQuery(string folded)
    {
        var terms = new StringBuilder();
        var i = 0;
        while (i < folded.Length)
        {
            if (!IsWordChar(folded[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < folded.Length && IsWordChar(folded[i])) i++;
            var atStart = start == 0;
            var atEnd = i == folded.Length;
            if (atStart) continue;
            if (terms.Length > 0) terms.Append(" & ");
            terms.Append(folded, start, i - start);
            if (atEnd) terms.Append(":*");
        }
        return terms.Length == 0 ? null : terms.ToString();
    }

    /// <summary>
    /// The text as a LIKE pattern of itself (PostgreSQL's default escape, the backslash): <c>%</c>, <c>_</c> and the
    /// backslash stand for themselves. Wrapped in <c>%</c> it is a substring test the trigram index (pg_trgm) answers.
    /// </summary>
    public static string LikeEscape(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

    private static bool IsWordChar(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';
}
