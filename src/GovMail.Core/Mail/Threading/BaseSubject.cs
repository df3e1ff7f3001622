using System.Text;

namespace GovMail.Core.Mail.Threading;

/// <summary>
/// The base subject of RFC 5256 section 2.1, which SORT SUBJECT and THREAD compare: the subject without <c>Re:</c>,
/// <c>Fwd:</c>, <c>[list]</c> blobs, a trailing <c>(fwd)</c> or a <c>[fwd: …]</c> wrapper, with white space collapsed.
/// </summary>
public static class BaseSubject
{
    /// <summary>The base subject, and whether anything showed the message to be a reply or a forward.</summary>
    public static (string Base, bool IsReply) Extract(string? subject)
    {
        if (string.IsNullOrEmpty(subject)) return ("", false);
        var s = Collapse(subject);
        var isReply = false;
        while (true)
        {
            // (2) Trailing "(fwd)" and white space.
            while (true)
            {
                s = s.TrimEnd(' ');
                if (!s.EndsWith("(fwd)", StringComparison.OrdinalIgnoreCase)) break;
                s = s[..^5];
                isReply = true;
            }
            // (3) to (5): leading "Re:", "Fw:", "Fwd:" (after any blobs) and white space; then a lone leading blob.
            var changed = true;
            while (changed)
            {
                changed = false;
                if (s.Length > 0 && s[0] == ' ')
                {
                    s = s[1..];
                    changed = true;
                    continue;
                }
                if (TryLeader(s, out var afterLeader))
                {
                    s = afterLeader;
                    isReply = true;
                    changed = true;
                    continue;
                }
                if (TryBlob(s, 0, out var afterBlob) && s[afterBlob..].Trim(' ').Length > 0)
                {
                    s = s[afterBlob..];
                    changed = true;
                }
            }
            // (6) "[fwd: … ]" around the whole subject.
            if (s.Length >= 6 && s.StartsWith("[fwd:", StringComparison.OrdinalIgnoreCase) && s[^1] == ']')
            {
                s = s[5..^1];
                isReply = true;
                continue;
            }
            return (s, isReply);
        }
    }

    /// <summary>Tabs, line breaks and runs of white space become one space.</summary>
    private static string Collapse(string subject)
    {
        var text = new StringBuilder(subject.Length);
        var space = false;
        foreach (var c in subject)
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                space = true;
                continue;
            }
            if (space && text.Length > 0) text.Append(' ');
            space = false;
            text.Append(c);
        }
        if (space) text.Append(' ');
        return text.ToString();
    }

    /// <summary>subj-leader without the white space: *subj-blob ("re" / "fw" ["d"]) *WSP [subj-blob] ":".</summary>
    private static bool TryLeader(string s, out string rest)
    {
        rest = s;
        var p = 0;
        while (TryBlob(s, p, out var next)) p = next;
        if (At(s, p, "re")) p += 2;
        else if (At(s, p, "fw"))
        {
            p += 2;
            if (At(s, p, "d")) p++;
        }
        else return false;
        while (p < s.Length && s[p] == ' ') p++;
        if (TryBlob(s, p, out var afterBlob)) p = afterBlob;
        if (p >= s.Length || s[p] != ':') return false;
        rest = s[(p + 1)..];
        return true;
    }

    /// <summary>subj-blob = "[" *BLOBCHAR "]" *WSP, starting at <paramref name="start"/>.</summary>
    private static bool TryBlob(string s, int start, out int end)
    {
        end = start;
        if (start >= s.Length || s[start] != '[') return false;
        var close = start + 1;
        while (close < s.Length && s[close] is not ('[' or ']')) close++;
        if (close >= s.Length || s[close] != ']') return false;
        end = close + 1;
        while (end < s.Length && s[end] == ' ') end++;
        return true;
    }

    private static bool At(string s, int p, string word) =>
        p + word.Length <= s.Length && string.Compare(s, p, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0;
}
