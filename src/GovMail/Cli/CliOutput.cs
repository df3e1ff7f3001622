using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GovMail.Cli;

/// <summary>Where a command writes: human text by default, JSON with <c>--json</c>.</summary>
public sealed class CliOutput(TextWriter output, TextWriter error, bool json)
{
    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;
    public bool Json { get; } = json;

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        // Vietnamese names stay readable in the output instead of \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public void WriteJson(object value) => Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    public void Line(string text = "") => Out.WriteLine(text);

    /// <summary>Writes rows as aligned columns, padding by text elements so Vietnamese letters line up.</summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var all = rows.Select(r => r.Select(c => c ?? "").ToArray()).ToList();
        var widths = headers.Select((h, i) => Math.Max(Width(h), all.Count == 0 ? 0 : all.Max(r => Width(r[i])))).ToArray();
        Out.WriteLine(Format(headers.ToArray(), widths));
        Out.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var r in all) Out.WriteLine(Format(r, widths));
    }

    private static string Format(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c + new string(' ', widths[i] - Width(c)))).TrimEnd();

    private static int Width(string s) => new System.Globalization.StringInfo(s.Normalize(System.Text.NormalizationForm.FormC)).LengthInTextElements;
}
