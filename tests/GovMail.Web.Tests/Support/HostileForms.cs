using System.Net;

namespace GovMail.Web.Tests.Support;

/// <summary>
/// Posts a form once per field and hostile value, the other fields holding values that would go through, and says what
/// went wrong: a 5xx, a bare 400 (a 400 is fair for what no browser sends, with its message), or markup shown back
/// unescaped. For the hostile-form tests of the webmail and the admin portal.
/// </summary>
public static class HostileForms
{
    /// <summary>Empty, 100,000 characters, NUL, a header injection, markup, SQL, a broken encoded word, a lone surrogate, impossible numbers, a path, 2,000 addresses.</summary>
    public static readonly string[] Values =
    [
        "", " ", new string('x', 100_000), "a\0b", "x\r\nBcc: evil@example.org", "\r\n\r\n.\r\n", "<script>alert('xss')</script>",
        "' OR 1=1 --", "=?utf-8?b?////?=", "\ud800", "-1", "99999999999999999999", "%00", "../../etc/passwd",
        string.Join(", ", Enumerable.Range(0, 2000).Select(i => $"nguoi{i}@example.org")),
    ];

    public static async Task<List<string>> PostEveryFieldAsync(BrowserClient browser, string page, string[] fields, Func<string, string> defaults,
        string? action = null)
    {
        var problems = new List<string>();
        foreach (var field in fields)
            foreach (var value in Values)
            {
                var response = await browser.SubmitAsync(page, fields.Select(f => KeyValuePair.Create(f, f == field ? value : defaults(f))), action);
                var html = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.BadRequest && !html.Contains("Hãy tải lại trang"))
                    problems.Add($"{action ?? page} {field}={Show(value)} → {(int)response.StatusCode} {html[..Math.Min(200, html.Length)]}");
                if (html.Contains("<script>alert('xss')", StringComparison.Ordinal)) problems.Add($"{action ?? page} {field}: markup shown back unescaped");
            }
        return problems;
    }

    public static string Show(string value) =>
        value.Length > 40 ? value[..40].Replace("\0", "\\0") + "…" : value.Replace("\0", "\\0").Replace("\r\n", "\\r\\n");
}
