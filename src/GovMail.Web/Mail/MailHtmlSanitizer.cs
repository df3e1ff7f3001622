using Ganss.Xss;

namespace GovMail.Web.Mail;

/// <summary>
/// Makes the HTML of a received message safe to show (làm sạch HTML): scripts, forms, frames, event handlers and
/// <c>javascript:</c> URLs are removed by HtmlSanitizer; images from other servers are dropped unless the reader asked to
/// see them (a remote image tells the sender the mail was opened, and from where); <c>cid:</c> images point at the
/// message's own parts; links open outside the mail page.
/// </summary>
public static class MailHtmlSanitizer
{
    private static readonly string[] FormTags = ["form", "input", "button", "select", "option", "optgroup", "textarea", "fieldset", "legend", "label"];

    /// <summary>The sanitized HTML and how many remote images were held back.</summary>
    public static (string Html, int BlockedImages) Sanitize(string html, bool showRemoteImages, Func<string, string?> contentIdUrl)
    {
        var sanitizer = new HtmlSanitizer();
        foreach (var tag in FormTags) sanitizer.AllowedTags.Remove(tag);
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedSchemes.Add("cid");
        sanitizer.AllowedSchemes.Add("data");
        sanitizer.AllowedAtRules.Clear();
        var blocked = 0;
        sanitizer.FilterUrl += (_, e) =>
        {
            var url = e.OriginalUrl.Trim();
            var isImage = e.Tag.LocalName is "img" or "image" || !(e.Tag.LocalName is "a" or "area");
            if (url.StartsWith("cid:", StringComparison.OrdinalIgnoreCase))
            {
                e.SanitizedUrl = isImage ? contentIdUrl(url[4..]) : null;
                return;
            }
            if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            {
                // Only pictures may be inline data; a data: link could carry a page of its own.
                e.SanitizedUrl = isImage && url.StartsWith("data:image/", StringComparison.OrdinalIgnoreCase)
                    && !url.StartsWith("data:image/svg", StringComparison.OrdinalIgnoreCase) ? e.SanitizedUrl : null;
                return;
            }
            if (isImage && !showRemoteImages && (url.StartsWith("http:", StringComparison.OrdinalIgnoreCase)
                    || url.StartsWith("https:", StringComparison.OrdinalIgnoreCase) || url.StartsWith("//", StringComparison.Ordinal)))
            {
                blocked++;
                e.SanitizedUrl = null;
            }
        };
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "a" } a)
            {
                a.SetAttribute("target", "_blank");
                a.SetAttribute("rel", "noopener noreferrer");
            }
        };
        var clean = sanitizer.Sanitize(html);
        return (clean, blocked);
    }
}
