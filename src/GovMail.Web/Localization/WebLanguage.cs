using System.Globalization;
using GovMail.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;

namespace GovMail.Web.Localization;

/// <summary>The language switch: Vietnamese by default, English on request, remembered in a cookie for a year.</summary>
public static class WebLanguage
{
    public const string CookieName = "govmail-lang";

    public static IResult Switch(HttpContext http, string lang, string? back)
    {
        var culture = lang == "en" ? "en" : "vi-VN";
        http.Response.Cookies.Append(CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)), new CookieOptions
        {
            Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, Secure = true, SameSite = SameSiteMode.Lax, IsEssential = true,
        });
        return Results.LocalRedirect(IsLocal(back) ? back! : "/");
    }

    /// <summary>A path on this site (not <c>//host</c> nor <c>/\host</c>), safe to redirect to.</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}

/// <summary>Page text from the resource files (<c>Messages.resx</c> Vietnamese, <c>Messages.en.resx</c> English) in the request's language.</summary>
public static class WebText
{
    public static string T(string code) => Messages.Get(code, WebSite.Culture);

    public static string T(string code, params object?[] args) => Messages.Format(code, WebSite.Culture, args);

    /// <summary>A date as the city writes it: the time for today, dd/MM/yyyy otherwise (Vietnam time).</summary>
    public static string ShortDate(DateTimeOffset at, DateTimeOffset now)
    {
        var local = Core.Time.VietnamTime.ToLocal(at);
        return local.Date == Core.Time.VietnamTime.ToLocal(now).Date
            ? local.ToString("HH:mm", CultureInfo.InvariantCulture)
            : local.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
    }

    public static string FullDate(DateTimeOffset at) =>
        Core.Time.VietnamTime.ToLocal(at).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.#", WebSite.Culture) + " KB",
        _ => (bytes / (1024.0 * 1024)).ToString("0.#", WebSite.Culture) + " MB",
    };
}
