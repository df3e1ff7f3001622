namespace GovMail.Reports.Export;

/// <summary>CSV as Excel opens it: UTF-8 with a byte order mark when written to a file, commas, quotes where needed.</summary>
internal static class CsvWriter
{
    public static void Row(TextWriter w, IEnumerable<object?> cells) =>
        w.WriteLine(string.Join(',', cells.Select(c => Quote(Convert.ToString(c, System.Globalization.CultureInfo.InvariantCulture)))));

    private static string Quote(string? v)
    {
        if (string.IsNullOrEmpty(v)) return "";
        // A leading = + - @ would be a formula when the file is opened in Excel.
        if (v[0] is '=' or '+' or '-' or '@') v = "'" + v;
        return v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
    }
}
