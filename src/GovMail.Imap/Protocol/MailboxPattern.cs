namespace GovMail.Imap.Protocol;

/// <summary>
/// LIST patterns (RFC 3501 section 6.3.8): <c>*</c> matches anything, <c>%</c> anything but the hierarchy separator;
/// INBOX matches in any case. Matching takes time proportional to pattern times name, whatever the pattern.
/// </summary>
public static class MailboxPattern
{
    public static bool Matches(string pattern, string name)
    {
        pattern = MailboxName.Normalize(pattern);
        // next[j]: the rest of the pattern (after position i) matches name[j..].
        var next = new bool[name.Length + 1];
        var current = new bool[name.Length + 1];
        next[name.Length] = true;
        for (var i = pattern.Length - 1; i >= 0; i--)
        {
            var p = pattern[i];
            current[name.Length] = p is '*' or '%' && next[name.Length];
            for (var j = name.Length - 1; j >= 0; j--)
            {
                current[j] = p switch
                {
                    '*' => next[j] || current[j + 1],
                    '%' => next[j] || (name[j] != '/' && current[j + 1]),
                    _ => name[j] == p && next[j + 1],
                };
            }
            (next, current) = (current, next);
        }
        return next[0];
    }
}
