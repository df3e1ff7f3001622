using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using GovMail.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace GovMail.Web.Mail;

/// <summary>
/// The two answers of the reading pane that are not pages: the message body as its own small document (shown in a
/// sandboxed frame, under a policy that allows no script at all and remote images only when asked), and an attachment.
/// </summary>
internal static class MessageEndpoints
{
    // Letters with diacritics stay letters; only markup characters are escaped.
    private static readonly HtmlEncoder Text = HtmlEncoder.Create(UnicodeRanges.All);

    private const string FramePolicy =
        "default-src 'none'; style-src 'unsafe-inline'; font-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; img-src 'self' data:";

    public static void Map(IEndpointRouteBuilder e)
    {
        e.MapGet("/thu/{mailboxId:long}/{uid:long}/noi-dung", BodyAsync).RequireAuthorization(WebSessions.MailPolicy);
        e.MapGet("/thu/{mailboxId:long}/{uid:long}/tep/{index:int}", AttachmentAsync).RequireAuthorization(WebSessions.MailPolicy);
    }

    public static string BodyUrl(long mailboxId, uint uid, bool images) => $"/thu/{mailboxId}/{uid}/noi-dung" + (images ? "?anh=1" : "");

    public static string AttachmentUrl(long mailboxId, uint uid, int index) => $"/thu/{mailboxId}/{uid}/tep/{index}";

    private static async Task<IResult> BodyAsync(HttpContext http, MessageReading reading, long mailboxId, long uid, int? anh)
    {
        if (WebUser.MailboxFrom(http.User) is not { } user || uid is < 1 or > uint.MaxValue) return Results.NotFound();
        if (await reading.OpenAsync(user, mailboxId, (uint)uid, http.RequestAborted) is not { } opened) return Results.NotFound();
        var images = anh == 1;
        var body = RenderBody(opened, images);
        http.Response.Headers.ContentSecurityPolicy = images ? FramePolicy + " https: http:" : FramePolicy;
        http.Response.Headers.XFrameOptions = "SAMEORIGIN";
        http.Response.Headers.CacheControl = "private, no-store";
        return Results.Content(body, "text/html; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>The document the frame shows: the sanitized HTML, or the plain text escaped and kept as written.</summary>
    internal static string RenderBody(OpenedMessage opened, bool images)
    {
        string inner;
        if (opened.HtmlBody is { } html)
        {
            inner = MailHtmlSanitizer.Sanitize(html, images,
                cid => opened.ByContentId(cid) is { } part ? AttachmentUrl(opened.Mailbox.Id, opened.Row.Uid, part.Index) : null).Html;
        }
        else
        {
            inner = "<pre>" + Text.Encode(opened.TextBody ?? "") + "</pre>";
        }
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><base target=\"_blank\"><style>"
            + "body{margin:0;padding:4px 2px;font:15px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1f2937;overflow-wrap:anywhere}"
            + "pre{white-space:pre-wrap;font:inherit;margin:0}img{max-width:100%;height:auto}a{color:#1d4ed8}blockquote{margin:0 0 0 .5em;padding-left:.8em;border-left:3px solid #d1d5db;color:#4b5563}"
            + "</style></head><body>" + inner + "</body></html>";
    }

    /// <summary>An attachment as a download (never shown inline: a file from outside is not a page of this site).</summary>
    private static async Task<IResult> AttachmentAsync(HttpContext http, MessageReading reading, long mailboxId, long uid, int index)
    {
        if (WebUser.MailboxFrom(http.User) is not { } user || uid is < 1 or > uint.MaxValue) return Results.NotFound();
        if (await reading.OpenAsync(user, mailboxId, (uint)uid, http.RequestAborted) is not { } opened) return Results.NotFound();
        if (index < 0 || index >= opened.Parts.Count) return Results.NotFound();
        var part = opened.Parts[index];
        var content = new MemoryStream();
        if (part.Part.Content is not null) await part.Part.Content.DecodeToAsync(content, http.RequestAborted);
        content.Position = 0;
        var inlineImage = part.Part.ContentType.MediaType == "image" && part.Part.ContentType.MediaSubtype is "png" or "jpeg" or "gif" or "webp";
        http.Response.Headers.CacheControl = "private, no-store";
        if (inlineImage) return Results.Stream(content, part.Part.ContentType.MimeType);
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(part.FileName);
        http.Response.Headers.ContentDisposition = disposition.ToString();
        return Results.Stream(content, "application/octet-stream");
    }
}
