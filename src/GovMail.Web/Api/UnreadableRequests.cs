using System.Text.Json;
using GovMail.Core;
using Microsoft.AspNetCore.Http;

namespace GovMail.Web.Api;

/// <summary>
/// A request whose body or parameters cannot be read (broken JSON, a value of the wrong type, a required field or parameter
/// missing) is answered 400 with a plain message, never an empty answer or a 500: the JSON API's error body
/// (<see cref="ApiError"/>) under <c>/api/</c>, a line of text in the reader's language elsewhere. Endpoints throw
/// <see cref="BadHttpRequestException"/> for it (<c>RouteHandlerOptions.ThrowOnBadRequest</c>), and it is caught here; a body of
/// a content type the endpoint does not read (415) and a bare 400 (a form whose antiforgery token is missing, expired or
/// unreadable, an action a page does not know) get their message the same way.
/// </summary>
public static class UnreadableRequests
{
    public static async Task Answer(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await WriteAsync(context, e.StatusCode, Problem.Of("RequestUnreadable", Where(e)));
            return;
        }
        // Refusals the framework (or a page) gives without a word: a body of a type the endpoint does not read, a form whose
        // antiforgery token is missing, expired or unreadable, an action a page does not know. Say what to do.
        if (context.Response.HasStarted || context.Response.ContentType is not null || context.Response.ContentLength is not null) return;
        if (context.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            await WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, Problem.Of("RequestContentTypeRefused", context.Request.ContentType ?? "-"));
        else if (context.Response.StatusCode == StatusCodes.Status400BadRequest)
            await WriteAsync(context, StatusCodes.Status400BadRequest, Problem.Of("RequestRefused"));
    }

    private static async Task WriteAsync(HttpContext context, int status, Problem problem)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await Results.Json(ApiError.Body(problem), statusCode: status).ExecuteAsync(context);
            return;
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(problem.Message(WebSite.Culture));
    }

    /// <summary>The JSON path of what could not be read when the JSON reader said it, else the framework's own words.</summary>
    private static string Where(BadHttpRequestException e) =>
        e.InnerException is JsonException { Path: { Length: > 0 } path } ? path : e.Message;
}
