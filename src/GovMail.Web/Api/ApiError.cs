using GovMail.Core;
using Microsoft.AspNetCore.Http;

namespace GovMail.Web.Api;

/// <summary>A refusal as JSON: the stable code, the sentence in Vietnamese and in English.</summary>
public static class ApiError
{
    public static object Body(Problem p) => new { error = p.Code, message = p.Message(Messages.Vietnamese), messageEn = p.Message(Messages.English) };

    /// <summary>422 for a refusal of the service (an account already locked, a bad row), 404 for what lies outside the scope.</summary>
    public static IResult Of(Problem p, int status = StatusCodes.Status422UnprocessableEntity) => Results.Json(Body(p), statusCode: status);

    public static IResult OutOfScope(Problem p) => Of(p, StatusCodes.Status404NotFound);

    public static IResult BadRequest(Problem p) => Of(p, StatusCodes.Status400BadRequest);

    /// <summary>A refusal of a scoped service: 404 when it is about the scope, 422 otherwise.</summary>
    public static IResult Refusal(Problem p) => Admin.AccountIssuing.IsOutOfScope(p) ? OutOfScope(p) : Of(p);
}
