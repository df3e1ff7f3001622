using Microsoft.AspNetCore.Http;

namespace GovMail.Web.Security;

/// <summary>
/// Headers on every answer: a strict Content-Security-Policy (only this origin's own style sheet, scripts and images; no
/// inline script, no plug-ins, no framing by other sites), no MIME sniffing, no referrer leaking a message URL. An answer
/// that sets its own policy (the sandboxed message body) keeps it.
/// </summary>
internal static class SecurityHeaders
{
    public const string PagePolicy =
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static Task Apply(HttpContext context, Func<Task> next)
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpContext)state).Response.Headers;
            if (!headers.ContainsKey("Content-Security-Policy")) headers.ContentSecurityPolicy = PagePolicy;
            if (!headers.ContainsKey("X-Frame-Options")) headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return Task.CompletedTask;
        }, context);
        return next();
    }
}
