using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace GovMail.Web.Security;

/// <summary>
/// Sends plain-HTTP page requests to the HTTPS port (a permanent redirect for GET, 308 keeps a POST a POST). The health
/// check and the well-known discovery URLs answer on HTTP as they are.
/// </summary>
internal static class HttpsRedirect
{
    public static Task Apply(HttpContext context, Func<Task> next, int httpsPort)
    {
        var request = context.Request;
        if (request.IsHttps || request.Path.StartsWithSegments("/healthz") || request.Path.StartsWithSegments("/.well-known")) return next();
        var host = httpsPort == 443 ? new HostString(request.Host.Host) : new HostString(request.Host.Host, httpsPort);
        context.Response.Redirect(UriHelper.BuildAbsolute("https", host, request.PathBase, request.Path, request.QueryString), permanent: true, preserveMethod: true);
        return Task.CompletedTask;
    }
}
