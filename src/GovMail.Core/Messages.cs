using System.Globalization;
using System.Resources;

namespace GovMail.Core;

/// <summary>
/// User-facing text, from <c>Resources/Messages.resx</c> (Vietnamese, the default) and <c>Messages.en.resx</c>.
/// Dates in arguments are shown as dd/MM/yyyy in the tenant's zone by the caller.
/// </summary>
public static class Messages
{
    private static readonly ResourceManager Resources = new("GovMail.Core.Resources.Messages", typeof(Messages).Assembly);

    public static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    /// <summary>The culture to speak to the current user in: Vietnamese unless GOVMAIL_LANG or LANG asks for English.</summary>
    public static CultureInfo UserCulture { get; set; } = PickCulture();

    public static string Get(string code, CultureInfo? culture = null) =>
        Resources.GetString(code, culture ?? UserCulture) ?? code;

    public static string Format(string code, CultureInfo? culture, IReadOnlyList<object?> args)
    {
        var c = culture ?? UserCulture;
        var text = Get(code, c);
        if (args.Count == 0) return text;
        var shown = args.Select(a => a switch
        {
            DateTimeOffset d => (object?)Time.VietnamTime.ToLocal(d).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
            _ => a,
        }).ToArray();
        return string.Format(c, text, shown);
    }

    private static CultureInfo PickCulture()
    {
        var lang = Environment.GetEnvironmentVariable("GOVMAIL_LANG");
        if (string.IsNullOrEmpty(lang)) return Vietnamese;
        return lang.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English : Vietnamese;
    }
}
