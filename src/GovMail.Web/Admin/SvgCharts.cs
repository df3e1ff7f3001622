using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace GovMail.Web.Admin;

/// <summary>One bar: its label, its value, and the text written at its end.</summary>
public sealed record ChartBar(string Label, double Value, string Text);

/// <summary>
/// Charts drawn on the server as inline SVG (biểu đồ): no script and no library, so they pass the strict
/// Content-Security-Policy and show on an old office PC. Colours come from the style sheet's classes, not inline styles.
/// </summary>
public static class SvgCharts
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    /// <summary>Columns over time (e.g. the percentage of regular users per month) on a 0–<paramref name="max"/> scale.</summary>
    public static IHtmlContent Columns(string id, string title, IReadOnlyList<ChartBar> bars, double max = 100)
    {
        const int width = 640, height = 240, left = 36, bottom = 28, top = 16;
        var plot = height - bottom - top;
        var sb = Open(id, title, width, height);
        for (var tick = 0; tick <= 4; tick++)
        {
            var y = top + plot - plot * tick / 4.0;
            sb.Append(CultureInfo.InvariantCulture, $"<line class=\"chart-grid\" x1=\"{left}\" x2=\"{width}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-axis\" x=\"{left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{max * tick / 4:0}</text>");
        }
        var slot = bars.Count == 0 ? 0 : (width - left) / (double)bars.Count;
        for (var i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            var h = max <= 0 ? 0 : plot * Math.Clamp(b.Value / max, 0, 1);
            var x = left + i * slot + slot * 0.2;
            var w = slot * 0.6;
            sb.Append(CultureInfo.InvariantCulture, $"<g class=\"chart-bar\"><title>{E(b.Label)}: {E(b.Text)}</title>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar bar-0\" x=\"{x:0.#}\" y=\"{top + plot - h:0.#}\" width=\"{w:0.#}\" height=\"{h:0.#}\" rx=\"3\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-value\" x=\"{x + w / 2:0.#}\" y=\"{top + plot - h - 4:0.#}\" text-anchor=\"middle\">{E(b.Text)}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-axis\" x=\"{x + w / 2:0.#}\" y=\"{height - 8}\" text-anchor=\"middle\">{E(b.Label)}</text></g>");
        }
        return Close(sb);
    }

    /// <summary>Horizontal bars, one per line (an agency ranking, the accounts by class).</summary>
    public static IHtmlContent Bars(string id, string title, IReadOnlyList<ChartBar> bars, double? max = null, bool coloured = false)
    {
        const int width = 640, row = 30, label = 230, right = 70;
        var height = Math.Max(row, bars.Count * row) + 8;
        var scale = max ?? (bars.Count == 0 ? 1 : Math.Max(1, bars.Max(b => b.Value)));
        var sb = Open(id, title, width, height);
        for (var i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            var y = 4 + i * row;
            var w = (width - label - right) * Math.Clamp(b.Value / scale, 0, 1);
            sb.Append(CultureInfo.InvariantCulture, $"<g class=\"chart-bar\"><title>{E(b.Label)}: {E(b.Text)}</title>");
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-label\" x=\"{label - 8}\" y=\"{y + 19}\" text-anchor=\"end\">{E(Shorten(b.Label))}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar-track\" x=\"{label}\" y=\"{y + 5}\" width=\"{width - label - right}\" height=\"18\" rx=\"3\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar bar-{(coloured ? i % 5 : 0)}\" x=\"{label}\" y=\"{y + 5}\" width=\"{w:0.#}\" height=\"18\" rx=\"3\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-value\" x=\"{label + w + 6:0.#}\" y=\"{y + 19}\">{E(b.Text)}</text></g>");
        }
        return Close(sb);
    }

    private static StringBuilder Open(string id, string title, int width, int height) => new StringBuilder()
        .Append(CultureInfo.InvariantCulture, $"<svg id=\"{E(id)}\" class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{E(title)}\" xmlns=\"http://www.w3.org/2000/svg\">")
        .Append(CultureInfo.InvariantCulture, $"<title>{E(title)}</title>");

    private static HtmlString Close(StringBuilder sb) => new(sb.Append("</svg>").ToString());

    private static string Shorten(string text) => text.Length <= 34 ? text : text[..33] + "…";

    private static string E(string text) => Encoder.Encode(text);
}
