using System.Text.Encodings.Web;
using System.Text.Unicode;
using GovMail.Reports;
using GovMail.Reports.Exemptions;
using GovMail.Storage.Audit;
using GovMail.Storage.Directory;
using GovMail.Storage.Import;
using GovMail.Storage.Lifecycle;
using GovMail.Storage.Mail;
using GovMail.Storage.Security;
using GovMail.Web.Api;
using GovMail.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace GovMail.Web.Admin;

/// <summary>
/// The admin side of the web: the services the portal and the API call (the same ones the CLI uses), the TOTP step of the
/// sign-in, the API's bearer-token authentication, and its OpenAPI document at <c>/api/v1/openapi.json</c>.
/// </summary>
public static class AdminServices
{
    public static IServiceCollection AddGovMailAdmin(this IServiceCollection services, WebSiteOptions options)
    {
        var (db, clock, hasher) = (options.Database, options.Clock, options.Hasher);
        services.AddSingleton(new AccountDirectory(db, clock, hasher));
        services.AddSingleton(new UnitDirectory(db, clock));
        services.AddSingleton(new LifecycleWorkflows(db, clock, hasher));
        var access = new AdminAccess(db, clock);
        services.AddSingleton(access);
        services.AddSingleton(new AdminTotp(db, clock, options.Secrets));
        services.AddSingleton(new AdminTokens(db, clock));
        services.AddSingleton(new AuditLog(db));
        services.AddSingleton(new UsageReports(db, clock));
        services.AddSingleton(new GovMail.Storage.Mail.OfficialUseReports(db, options.OfficialUse));
        services.AddSingleton(new AdminImport(new StaffListImporter(db, clock, hasher)));
        services.AddSingleton(new AdminHrChanges(new HrChangeImporter(db, clock, hasher), access, options.OfficialUse.PublicMail));
        services.AddSingleton<ReportScope>();
        // Issuing single mailboxes, collective mailbox keepers, the outbound queue and the policies (as the CLI's commands).
        services.AddSingleton(new MailboxKeepers(db, clock));
        services.AddSingleton(new OutboundQueue(db, clock));
        services.AddSingleton(new TenantDirectory(db, clock, hasher));
        services.AddSingleton(new UsagePolicies(db, clock));
        services.AddSingleton<AccountIssuing>();
        services.AddSingleton<KeeperAssignments>();
        services.AddSingleton<OutboundQueueDesk>();
        services.AddSingleton<PolicyEditor>();
        services.AddSingleton<PendingSecondFactor>();

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiTokenAuthentication>(ApiTokenAuthentication.SchemeName, null);
        services.AddAuthorization(o => o.AddPolicy(ApiTokenAuthentication.Policy,
            p => p.AddAuthenticationSchemes(ApiTokenAuthentication.SchemeName).RequireAuthenticatedUser()));
        // The API writes Vietnamese as it is, like the pages.
        // A body missing a field the API needs, or giving it null, is refused as unreadable instead of reaching the handler.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
            o.SerializerOptions.RespectNullableAnnotations = true;
            o.SerializerOptions.RespectRequiredConstructorParameters = true;
        });
        // Unreadable requests throw, so that Api.UnreadableRequests answers them with a message instead of an empty 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi("v1", o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            o.AddSchemaTransformer(PolicyEditJson.DescribeAsync);
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "GovMail API", Version = "v1",
                    Description = "Quản trị hộp thư công vụ: tài khoản, người quản lý hộp thư đơn vị, nhập danh sách, hàng đợi gửi đi, chính sách, báo cáo sử dụng, danh sách xử lý quý, nhật ký. "
                        + "Administration of official mailboxes. Authorization: Bearer gm_… (govmail admin token create).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An administrator's API token (mã truy cập API)",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static void MapGovMailAdmin(this IEndpointRouteBuilder e)
    {
        AdminApi.Map(e);
        TenantApi.Map(e);
        e.MapOpenApi("/api/{documentName}/openapi.json").AllowAnonymous();
    }
}
