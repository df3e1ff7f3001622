using System.Security.Claims;
using System.Text.Encodings.Web;
using GovMail.Core.Security;
using GovMail.Storage.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GovMail.Web.Api;

/// <summary>
/// The JSON API's authentication: <c>Authorization: Bearer gm_…</c>, a per-administrator token checked by
/// <see cref="AdminTokens.AuthenticateAsync"/> on every request. Cookies play no part, so another site cannot make a
/// signed-in browser call the API (no CSRF), and a revoked token, role or account stops working at once.
/// </summary>
public sealed class ApiTokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AdminTokens tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "govmail-api-token";
    public const string Policy = "api";
    private const string ScopeItem = "govmail:admin-scope";

    /// <summary>The administrator's scope for this request (set once the token was accepted).</summary>
    public static AdminScope ScopeOf(HttpContext http) => (AdminScope)http.Items[ScopeItem]!;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var scope = await tokens.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (!scope.IsOk) return AuthenticateResult.Fail(scope.Problem!.Message(Core.Messages.English));
        Context.Items[ScopeItem] = scope.Value;
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Email, scope.Value!.Actor)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"govmail\"";
        await Response.WriteAsJsonAsync(ApiError.Body(Core.Problem.Of("TokenInvalid")));
    }
}
