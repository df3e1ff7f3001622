using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using GovMail.Core;
using GovMail.Core.Security;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using GovMail.Storage.Security;
using GovMail.Web.Admin;
using GovMail.Web.Localization;
using GovMail.Web.Mail;
using GovMail.Web.Security;
using GovMail.Web.Setup;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.WebEncoders;

namespace GovMail.Web;

/// <summary>What the web needs from the host: the database, the clock, the blob store, the one notification bus and the
/// submission pipeline (the SMTP room's, wired by the host).</summary>
public sealed class WebSiteOptions
{
    public required GovMailDatabase Database { get; init; }
    public required TimeProvider Clock { get; init; }
    public required PasswordHasher Hasher { get; init; }
    public required IBlobStore Blobs { get; init; }
    public required MailboxNotifications Notifications { get; init; }
    public required IMailSubmission Submission { get; init; }

    /// <summary>
    /// The HTTPS port, when there is one: plain HTTP requests for pages are then redirected to it, so the session and
    /// antiforgery cookies (Secure whenever the request is) never travel in clear text. Null serves pages over HTTP too.
    /// </summary>
    public int? HttpsPort { get; init; }

    /// <summary>Where mail programs connect (the mobile setup page, autoconfig and autodiscover); null hides those answers.</summary>
    public MailClientSettings? MailClients { get; init; }

    /// <summary>
    /// The installation's secret key (<c>Security:SecretKey</c>) for secrets kept in the database: administrators' TOTP keys and
    /// the cookie key ring (<see cref="WebKeyRing"/>).
    /// </summary>
    public required SecretProtector Secrets { get; init; }

    /// <summary>The official-use domain lists (settings <c>Safeguards:…</c>) the seed 004 reports work from.</summary>
    public OfficialUseDomains OfficialUse { get; init; } = OfficialUseDomains.Defaults;

    /// <summary>A signed-in session ends after this long without a request (phiên làm việc hết hạn).</summary>
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromMinutes(30);
}

/// <summary>
/// The web room (webmail, self-service): Razor Pages rendered on the server, one style sheet and a few small scripts served
/// from the assembly, a strict Content-Security-Policy, cookie sessions checked against the account on every request.
/// </summary>
public static class WebSite
{
    public const string StaticPrefix = "/static";

    public static IServiceCollection AddGovMailWeb(this IServiceCollection services, WebSiteOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(options.Database);
        services.AddSingleton(options.Clock);
        services.AddSingleton(options.Hasher);
        services.AddSingleton(options.Blobs);
        services.AddSingleton(options.Notifications);
        services.AddSingleton(options.Submission);
        services.AddSingleton(new MailboxQueries(options.Database));
        services.AddSingleton(new MailStore(options.Database, options.Clock) { Notifications = options.Notifications, Blobs = options.Blobs });
        services.AddSingleton(new LoginService(options.Database, options.Clock));
        services.AddSingleton<MessageReading>();
        services.AddSingleton<WebSessions>();
        services.AddGovMailAdmin(options);
        // Webmail: the list with sort, filters and search; actions on messages; drafts; the address list.
        services.AddSingleton<MessageList>();
        services.AddSingleton<ConversationList>();
        services.AddSingleton<MessageActions>();
        services.AddSingleton<DraftStore>();
        services.AddSingleton<AddressBook>();
        // Self-service: TOTP enrolment, unit mailbox keepers, profile changes awaiting approval.
        services.AddSingleton<TotpEnrolmentKey>();
        services.AddSingleton(new GovMail.Storage.Directory.MailboxKeepers(options.Database, options.Clock));
        services.AddSingleton(new GovMail.Storage.Directory.ProfileChanges(options.Database, options.Clock, options.Hasher));
        services.AddGovMailKeyRing(options.Database, options.Secrets);

        // Vietnamese is written as it is, not as a character reference per letter with a diacritic.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddRazorPages(o =>
            {
                o.Conventions.AuthorizeFolder("/Mail", WebSessions.MailPolicy);
                o.Conventions.AuthorizeFolder("/Setup", WebSessions.MailPolicy);
                o.Conventions.AuthorizeFolder("/Profile", WebSessions.MailPolicy);
                o.Conventions.AuthorizeFolder("/Admin", WebSessions.MailPolicy);
                o.Conventions.AllowAnonymousToPage("/Account/SecondFactor");
                o.Conventions.AuthorizePage("/Account/ChangePassword", WebSessions.SignedInPolicy);
                o.Conventions.AllowAnonymousToPage("/Account/SignIn");
            })
            // Validation runs on the server and speaks Vietnamese; no English data-val attributes in the pages.
            .AddViewOptions(o => o.HtmlHelperOptions.ClientValidationEnabled = false)
            .ConfigureApplicationPartManager(m =>
            {
                // The host (or a test) may not reference this assembly as its entry point's: name it once.
                // The pages are compiled into this assembly; its factory gives both the code part and the compiled Razor part.
                var assembly = typeof(WebSite).Assembly;
                if (m.ApplicationParts.Any(p => p is AssemblyPart a && a.Assembly == assembly)) return;
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                    m.ApplicationParts.Add(part);
            });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "govmail-xsrf";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.FormFieldName = "__xsrf";
        });
        services.AddAuthentication(WebSessions.Scheme).AddCookie(WebSessions.Scheme, o =>
        {
            o.Cookie.Name = "govmail-session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.ExpireTimeSpan = options.SessionIdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = "/dang-nhap";
            o.LogoutPath = "/dang-xuat";
            o.AccessDeniedPath = "/doi-mat-khau";
            o.ReturnUrlParameter = "returnUrl";
            o.Events.OnValidatePrincipal = c => c.HttpContext.RequestServices.GetRequiredService<WebSessions>().ValidateAsync(c);
        });
        services.AddAuthorization(o =>
        {
            o.AddPolicy(WebSessions.SignedInPolicy, p => p.RequireAuthenticatedUser());
            o.AddPolicy(WebSessions.MailPolicy, p => p.RequireAuthenticatedUser().RequireClaim(WebSessions.ActiveClaim));
        });
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SupportedCultures = o.SupportedUICultures = [Messages.Vietnamese, Messages.English];
            o.DefaultRequestCulture = new RequestCulture(Messages.Vietnamese);
            o.RequestCultureProviders = [new CookieRequestCultureProvider { CookieName = WebLanguage.CookieName }];
        });
        return services;
    }

    /// <summary>Security headers, static files, localization, sessions and the pages, in that order.</summary>
    public static void UseGovMailWeb(this IApplicationBuilder app)
    {
        app.Use(SecurityHeaders.Apply);
        app.Use(Api.UnreadableRequests.Answer);
        var options = app.ApplicationServices.GetRequiredService<WebSiteOptions>();
        if (options.HttpsPort is { } httpsPort) app.Use((c, next) => HttpsRedirect.Apply(c, next, httpsPort));
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = StaticPrefix,
            FileProvider = new EmbeddedFileProvider(typeof(WebSite).Assembly, "GovMail.Web.Assets"),
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
        app.UseRequestLocalization();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseEndpoints(e =>
        {
            e.MapRazorPages();
            e.MapGovMailWebEndpoints();
        });
    }

    private static void MapGovMailWebEndpoints(this IEndpointRouteBuilder e)
    {
        e.MapGet("/", (HttpContext c) => Results.Redirect(c.User.Identity?.IsAuthenticated == true ? "/thu" : "/dang-nhap"));
        e.MapGet("/ngon-ngu/{lang}", WebLanguage.Switch).AllowAnonymous();
        MessageEndpoints.Map(e);
        MailEvents.Map(e);
        AddressBook.Map(e);
        Setup.ClientDiscovery.Map(e);
        e.MapGovMailAdmin();
    }

    /// <summary>The culture pages speak: the request's UI culture, Vietnamese unless the language cookie says English.</summary>
    public static CultureInfo Culture => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? Messages.English : Messages.Vietnamese;
}
