namespace GovMail.Core.Directory;

/// <summary>Vietnamese phone numbers as staff lists write them: <c>0918.595.098</c>, <c>(028) 3829 1234</c>, <c>+84 918 595 098</c>.</summary>
public static class PhoneNumber
{
    public static bool IsValid(string text)
    {
        var t = text.Trim();
        if (t.Length is 0 or > 25) return false;
        if (t.Any(c => !(char.IsAsciiDigit(c) || c is ' ' or '.' or '-' or '(' or ')' or '+'))) return false;
        if (t.IndexOf('+') > 0 || t.Count(c => c == '+') > 1) return false;
        var digits = new string(t.Where(char.IsAsciiDigit).ToArray());
        if (t.StartsWith('+'))
        {
            if (!digits.StartsWith("84", StringComparison.Ordinal)) return false;
            digits = "0" + digits[2..];
        }
        return digits.StartsWith('0') && digits.Length is 10 or 11;
    }
}
