using GovMail.Core;
using GovMail.Core.Mail;
using GovMail.Core.Security;
using GovMail.Web.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GovMail.Web.Api;

public sealed record DropBody(string? Reason = null);

/// <summary>
/// The tenant-wide part of the API: the outbound queue (as <c>govmail queue list|retry|drop</c>) and the policies (as
/// <c>govmail policy show|set</c> and <c>govmail usage policy show|set</c>). Reading the queue needs a tenant-wide role; retry,
/// drop and policy changes need the city operator's; any administrator reads the policies.
/// </summary>
public static class TenantApi
{
    public static void Map(IEndpointRouteBuilder e)
    {
        var api = e.MapGroup(AdminApi.Prefix).RequireAuthorization(ApiTokenAuthentication.Policy).WithTags("GovMail");

        api.MapGet("/queue", async (HttpContext http, OutboundQueueDesk desk, CancellationToken ct) =>
        {
            var scope = ApiTokenAuthentication.ScopeOf(http);
            if (!OutboundQueueDesk.MayRead(scope)) return Forbidden(scope);
            return Results.Ok((await desk.WaitingAsync(ct)).Select(Json));
        }).WithSummary("Messages waiting to leave (queued or deferred): recipients, attempts, next try, last error");

        api.MapPost("/queue/{id}/retry", async (HttpContext http, string id, OutboundQueueDesk desk, CancellationToken ct) =>
        {
            var scope = ApiTokenAuthentication.ScopeOf(http);
            if (!OutboundQueueDesk.MayChange(scope)) return Forbidden(scope);
            var retried = await desk.RetryAsync(scope, id, ct);
            return retried.IsOk ? Results.Ok(Json(retried.Value!)) : QueueRefusal(retried.Problem!);
        }).WithSummary("Try a waiting message again now, as govmail queue retry");

        api.MapPost("/queue/{id}/drop", async (HttpContext http, string id, DropBody body, OutboundQueueDesk desk, CancellationToken ct) =>
        {
            var scope = ApiTokenAuthentication.ScopeOf(http);
            if (!OutboundQueueDesk.MayChange(scope)) return Forbidden(scope);
            var dropped = await desk.DropAsync(scope, id, body.Reason, ct);
            return dropped.IsOk ? Results.Ok(Json(dropped.Value!)) : QueueRefusal(dropped.Problem!);
        }).WithSummary("Give up a waiting message without telling the sender, with the reason for the audit log, as govmail queue drop");

        api.MapGet("/policies", async (HttpContext http, PolicyEditor policies, CancellationToken ct) =>
        {
            var scope = ApiTokenAuthentication.ScopeOf(http);
            if (scope.Roots(Permission.ReadDirectory) is { Count: 0 }) return Forbidden(scope);
            var read = await policies.ReadAsync(ct);
            return read.IsOk ? Results.Ok(Json(read.Value!)) : ApiError.Of(read.Problem!);
        }).WithSummary("The tenant's policies: passwords, first-login window, quotas, retention, lockout, usage classification");

        api.MapPut("/policies", async (HttpContext http, PolicyEdit body, PolicyEditor policies, CancellationToken ct) =>
        {
            var scope = ApiTokenAuthentication.ScopeOf(http);
            if (!PolicyEditor.MayChange(scope)) return Forbidden(scope);
            var changed = await policies.ChangeAsync(body, scope.Actor, ct);
            return changed.IsOk ? Results.Ok(Json(changed.Value!)) : ApiError.BadRequest(changed.Problem!);
        }).WithSummary("Change the policies (missing fields stay as they are), as govmail policy set and govmail usage policy set; " +
            "the tenant's own days off and worked weekend days with addDaysOff, removeDaysOff, addWorkingDays, removeWorkingDays (lists of YYYY-MM-DD)");
    }

    private static IResult Forbidden(AdminScope scope) => ApiError.Of(Problem.Of("TenantWideOutOfScope", scope.Actor), StatusCodes.Status403Forbidden);

    private static IResult QueueRefusal(Problem p) => p.Code is "QueueMessageNotFound" ? ApiError.Of(p, StatusCodes.Status404NotFound)
        : p.Code is "WebAdminQueueDropReasonRequired" or "QueueIdAmbiguous" ? ApiError.BadRequest(p) : ApiError.Of(p);

    private static object Json(OutboundMessage m) => new
    {
        id = m.Id.ToString("N"),
        state = m.State.ToString().ToLowerInvariant(),
        mailFrom = OutboundQueueDesk.Sender(m),
        size = m.Size,
        createdAt = m.CreatedAt,
        nextAttemptAt = m.NextAttemptAt,
        attempts = m.Attempts,
        lastError = m.LastError,
        recipients = m.Recipients.OrderBy(r => r.Id).Select(r => new { address = r.Address, state = r.State.ToString().ToLowerInvariant(), lastReply = r.LastReply }),
    };

    private static object Json(TenantPolicies p) => new
    {
        firstLoginWindowDays = p.Tenant.FirstLoginWindowDays,
        defaultQuotaMegabytes = p.Tenant.DefaultQuotaBytes >> 20,
        closedRetentionDays = p.Tenant.ClosedRetentionDays,
        addressQuarantineDays = p.Tenant.AddressQuarantineDays,
        password = new
        {
            minLength = p.Tenant.Password.MinLength, requireUpper = p.Tenant.Password.RequireUpper, requireLower = p.Tenant.Password.RequireLower,
            requireDigit = p.Tenant.Password.RequireDigit, requireSpecial = p.Tenant.Password.RequireSpecial,
            historyCount = p.Tenant.Password.HistoryCount, expiryDays = p.Tenant.Password.ExpiryDays,
        },
        inboundQuarantine = PolicyEditor.InboundQuarantineName(p.Tenant.InboundQuarantine),
        lockout = new
        {
            maxFailedLogins = p.Tenant.Lockout.MaxFailedLogins, windowMinutes = p.Tenant.Lockout.WindowMinutes,
            lockoutMinutes = p.Tenant.Lockout.LockoutMinutes, delayCapSeconds = p.Tenant.Lockout.DelayCapSeconds,
        },
        usage = new
        {
            workingDaysPerActiveDay = p.Usage.WorkingDaysPerActiveDay, requireSentOrRead = p.Usage.RequireSentOrRead, monthlyHeadRule = p.Usage.MonthlyHeadRule,
            nonUseLockDays = p.Usage.NonUseLockDays, eventRetentionMonths = p.Usage.EventRetentionMonths, reminderDay = p.Usage.ReminderDay,
            reminderPerQuarter = p.Usage.ReminderPerQuarter, extraDaysOff = p.Usage.ExtraDaysOff, extraWorkingDays = p.Usage.ExtraWorkingDays,
        },
    };
}
