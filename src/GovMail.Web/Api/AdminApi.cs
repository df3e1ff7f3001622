using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Lifecycle;
using GovMail.Core.Security;
using GovMail.Core.Usage;
using GovMail.Reports;
using GovMail.Reports.Export;
using GovMail.Reports.Governance;
using GovMail.Storage.Audit;
using GovMail.Storage.Directory;
using GovMail.Storage.Import;
using GovMail.Storage.Lifecycle;
using GovMail.Storage.Mail;
using GovMail.Storage.Security;
using GovMail.Web.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace GovMail.Web.Api;

// The API's bodies: a field without a default must be given (and not null), the others may be left out.
public sealed record ReasonBody(string? Reason = null);
public sealed record TransferBody(string Unit, string? Reason = null);
public sealed record DepartureBody(string? Effective = null, string? ForwardTo = null, int? ForwardDays = null, string? Reason = null);
public sealed record CancelBody(string? Effective = null, string? Reason = null);
public sealed record KeeperBody(string? Keeper = null);
public sealed record DecisionBody(string Quarter, string List, string Address, string Decision, string? Reason = null);

/// <summary>
/// The JSON API under <c>/api/v1</c> (issue 7, item 7): the admin portal's operations and reports for scripts and other
/// systems, authenticated by an administrator's bearer token and scoped exactly like the portal and the CLI's <c>--as</c>
/// (<see cref="AdminAccess"/>). Reports answer with the CLI's JSON (<c>govmail report … --format json</c>) or its files.
/// </summary>
public static class AdminApi
{
    public const string Prefix = "/api/v1";

    public static void Map(IEndpointRouteBuilder e)
    {
        var api = e.MapGroup(Prefix).RequireAuthorization(ApiTokenAuthentication.Policy).WithTags("GovMail");

        api.MapGet("/me", (HttpContext http) =>
        {
            var scope = ApiTokenAuthentication.ScopeOf(http);
            return Results.Ok(new { address = scope.Actor, roles = scope.Grants.Select(g => RolePermissions.Name(g.Role)).Distinct().ToList() });
        }).WithSummary("The administrator the token stands for");

        api.MapGet("/units", async (HttpContext http, UnitDirectory units, AdminAccess access, CancellationToken ct) =>
        {
            var scope = ApiTokenAuthentication.ScopeOf(http);
            if (scope.Roots(Permission.ReadDirectory) is { Count: 0 }) return Forbidden(scope);
            var inScope = await access.UnitsAsync(scope, Permission.ReadDirectory, ct);
            return Results.Ok((await units.ListAsync(ct)).Where(u => inScope is null || inScope.Contains(u.Unit.Id))
                .Select(u => new { path = u.Path, name = u.Unit.Name, depth = u.Depth, head = u.HeadAddress, accounts = u.AccountCount }));
        }).WithSummary("The unit tree within the scope");

        api.MapGet("/accounts", async (HttpContext http, AccountDirectory accounts, AdminAccess access, string? search, string? state, string? unit,
            CancellationToken ct) =>
        {
            var scope = ApiTokenAuthentication.ScopeOf(http);
            if (scope.Roots(Permission.ReadDirectory) is { Count: 0 }) return Forbidden(scope);
            AccountState? s = null;
            if (state is not null && (s = AccountLifecycle.ParseState(state)) is null) return ApiError.BadRequest(Problem.Of("UnknownState", state));
            if (unit is not null && await access.CheckUnitAsync(scope, Permission.ReadDirectory, unit, ct) is { } outside) return ApiError.OutOfScope(outside);
            var listed = await accounts.ListAsync(new AccountFilter { Search = search, State = s, UnitReference = unit }, ct);
            if (!listed.IsOk) return ApiError.Of(listed.Problem!);
            var inScope = await access.UnitsAsync(scope, Permission.ReadDirectory, ct);
            return Results.Ok(listed.Value!.Where(a => inScope is null || inScope.Contains(a.Account.UnitId)).Select(Json));
        }).WithSummary("Accounts within the scope, by search text, state (pending-first-login, active, locked, disabled, closed) and unit");

        api.MapGet("/accounts/{address}", async (HttpContext http, string address, AccountDirectory accounts, AdminAccess access, CancellationToken ct) =>
        {
            var scope = ApiTokenAuthentication.ScopeOf(http);
            if (await access.CheckAccountAsync(scope, Permission.ReadDirectory, address, ct) is { } outside) return ApiError.OutOfScope(outside);
            var found = await accounts.FindAsync(address, ct);
            if (!found.IsOk) return ApiError.OutOfScope(found.Problem!);
            var history = await accounts.HistoryAsync(found.Value!.Account.Id, ct);
            return Results.Ok(new
            {
                account = Json(found.Value),
                history = history.Select(h => new { at = h.At, @event = h.Event, actor = h.Actor, reason = h.Reason }),
            });
        }).WithSummary("One account and its history");

        foreach (var (path, action) in new[]
                 {
                     ("lock", AccountAction.Lock), ("unlock", AccountAction.Unlock), ("disable", AccountAction.Disable),
                     ("reactivate", AccountAction.Reactivate), ("close", AccountAction.Close),
                 })
        {
            api.MapPost("/accounts/{address}/" + path, (HttpContext http, string address, [FromBody] ReasonBody? body, AccountDirectory accounts,
                AdminAccess access, CancellationToken ct) => ManageAsync(http, access, address, ct, async () =>
            {
                var changed = await accounts.ApplyAsync(address, action, ActorOf(http), Clean(body?.Reason),
                    action == AccountAction.Lock ? LockReason.Administrator : null, ct);
                return changed.IsOk
                    ? Results.Ok(new { account = Json(changed.Value!.Account), temporaryPassword = changed.Value.TemporaryPassword,
                        deadline = changed.Value.TemporaryPassword is null ? null : changed.Value.Account.Account.PasswordChangeDeadline })
                    : ApiError.Of(changed.Problem!);
            })).WithSummary($"{path} the account (as govmail account {path}); a new temporary password when it goes back to first login");
        }

        api.MapPost("/accounts/{address}/reset-password", (HttpContext http, string address, AccountDirectory accounts, AdminAccess access,
            CancellationToken ct) => ManageAsync(http, access, address, ct, async () =>
        {
            var reset = await accounts.ResetPasswordAsync(address, null, mustChange: true, ActorOf(http), ct);
            return reset.IsOk
                ? Results.Ok(new { address = reset.Value!.Address, temporaryPassword = reset.Value.GeneratedPassword, deadline = reset.Value.Deadline })
                : ApiError.Of(reset.Problem!);
        })).WithSummary("A new temporary password, to be changed at the next sign-in");

        api.MapPost("/accounts/{address}/transfer", (HttpContext http, string address, TransferBody body, LifecycleWorkflows lifecycle,
            AdminAccess access, CancellationToken ct) => ManageAsync(http, access, address, ct, async () =>
        {
            if (await access.CheckUnitAsync(ApiTokenAuthentication.ScopeOf(http), Permission.ManageAccounts, body.Unit, ct) is { } outside)
                return ApiError.OutOfScope(outside);
            var moved = await lifecycle.TransferAsync(new TransferRequest(address, body.Unit) { Reason = Clean(body.Reason) }, ActorOf(http), ct);
            return moved.IsOk ? Results.Ok(new { account = Json(moved.Value!.View) }) : ApiError.Of(moved.Problem!);
        })).WithSummary("Transfer (chuyển công tác) to another unit within the scope");

        foreach (var (path, kind, summary) in new[]
                 {
                     ("retire", LifecycleKind.Retirement, "Retirement (nghỉ hưu)"), ("resign", LifecycleKind.Resignation, "Resignation (thôi việc)"),
                 })
        {
            api.MapPost("/accounts/{address}/" + path, (HttpContext http, string address, [FromBody] DepartureBody? body, LifecycleWorkflows lifecycle,
                AdminAccess access, CancellationToken ct) => ManageAsync(http, access, address, ct, async () =>
            {
                DateOnly? on = null;
                if (!string.IsNullOrWhiteSpace(body?.Effective))
                {
                    if (AdminText.ParseDay(body.Effective) is not { } day) return ApiError.BadRequest(Problem.Of("WebAdminBadDate", body.Effective));
                    on = day;
                }
                var departed = await lifecycle.DepartAsync(new DepartureRequest(address, kind)
                    { Effective = on, ForwardTo = Clean(body?.ForwardTo), ForwardDays = body?.ForwardDays ?? DeparturePlan.DefaultForwardDays, Reason = Clean(body?.Reason) },
                    ActorOf(http), ct);
                return departed.IsOk
                    ? Results.Ok(new { account = Json(departed.Value!.View), scheduled = departed.Value.Scheduled.Select(s => new { action = AccountLifecycle.ActionName(s.Action), dueAt = s.DueAt }) })
                    : ApiError.Of(departed.Problem!);
            })).WithSummary(summary + ": login stops on the day (effective dd/MM/yyyy, default today), mail answered and forwarded to the unit mailbox "
                + "(or forwardTo) for forwardDays (default 90), then closed, as govmail account " + path);
        }

        api.MapPost("/accounts/{address}/cancel", (HttpContext http, string address, [FromBody] CancelBody? body, LifecycleWorkflows lifecycle,
            AdminAccess access, CancellationToken ct) => ManageAsync(http, access, address, ct, async () =>
        {
            DateOnly? on = null;
            if (!string.IsNullOrWhiteSpace(body?.Effective))
            {
                if (AdminText.ParseDay(body.Effective) is not { } day) return ApiError.BadRequest(Problem.Of("WebAdminBadDate", body.Effective));
                on = day;
            }
            var cancelled = await lifecycle.CancelAsync(new CancelRequest(address) { Effective = on, Reason = Clean(body?.Reason) }, ActorOf(http), ct);
            return cancelled.IsOk
                ? Results.Ok(new
                {
                    account = Json(cancelled.Value!.View), keptUntil = cancelled.Value.KeptUntil, quarantinedUntil = cancelled.Value.QuarantinedUntil,
                    scheduled = cancelled.Value.Scheduled.Select(s => new { action = AccountLifecycle.ActionName(s.Action), dueAt = s.DueAt }),
                })
                : ApiError.Of(cancelled.Problem!);
        })).WithSummary("Cancellation (hủy): closed on the day (effective dd/MM/yyyy, default now), kept for the retention period then purged, "
            + "the address quarantined, as govmail account cancel");

        api.MapPost("/accounts", async (HttpContext http, AccountRequest body, AccountIssuing issuing, AccountDirectory accounts, CancellationToken ct) =>
        {
            var scope = ApiTokenAuthentication.ScopeOf(http);
            if (scope.Roots(Permission.ManageAccounts) is { Count: 0 }) return Forbidden(scope);
            var issued = await issuing.IssueAsync(scope, body, ct);
            if (!issued.IsOk)
                return AccountIssuing.InputProblems.Contains(issued.Problem!.Code) ? ApiError.BadRequest(issued.Problem) : ApiError.Refusal(issued.Problem);
            var view = await accounts.FindAsync(issued.Value!.Account.Address, ct);
            return Results.Json(new
            {
                account = Json(view.Value!), temporaryPassword = issued.Value.TemporaryPassword,
                overrodeBar = issued.Value.OverriddenBar is { } b ? new { address = b.Address, quarter = b.Quarter, reason = issued.Value.OverrideReason } : null,
            }, statusCode: StatusCodes.Status201Created);
        }).WithSummary("Issue one mailbox (as govmail account add): address (or generated from the name), displayName, title, unit, phone, "
            + "kind individual|collective, firstLoginDeadline dd/MM/yyyy, overrideReason for a person barred from re-registration; the temporary password once");

        api.MapGet("/accounts/{address}/keepers", async (HttpContext http, string address, KeeperAssignments keepers, CancellationToken ct) =>
        {
            var listed = await keepers.ListAsync(ApiTokenAuthentication.ScopeOf(http), address, ct);
            return listed.IsOk ? Results.Ok(listed.Value!.Select(KeeperJson)) : ApiError.Refusal(listed.Problem!);
        }).WithSummary("The keepers of a collective mailbox, or the mailboxes a person keeps (as govmail account keeper list --json)");

        api.MapPost("/accounts/{address}/keepers", async (HttpContext http, string address, KeeperBody body, KeeperAssignments keepers, CancellationToken ct) =>
        {
            var assigned = await keepers.AssignAsync(ApiTokenAuthentication.ScopeOf(http), address, body.Keeper ?? "", ct);
            return assigned.IsOk ? Results.Ok(KeeperJson(assigned.Value!)) : ApiError.Refusal(assigned.Problem!);
        }).WithSummary("Assign a keeper (người quản lý hộp thư) to a unit's collective mailbox, as govmail account keeper add");

        api.MapDelete("/accounts/{address}/keepers/{keeper}", async (HttpContext http, string address, string keeper, KeeperAssignments keepers,
            CancellationToken ct) =>
        {
            var removed = await keepers.RemoveAsync(ApiTokenAuthentication.ScopeOf(http), address, keeper, ct);
            return removed.IsOk ? Results.Ok(new { mailbox = address.Trim().ToLowerInvariant(), keeper = removed.Value, removed = true }) : ApiError.Refusal(removed.Problem!);
        }).WithSummary("Remove a keeper from a collective mailbox, as govmail account keeper remove");

        api.MapPost("/accounts/import", async (HttpContext http, IFormFile file, bool? dryRun, AdminImport import, CancellationToken ct) =>
        {
            var scope = ApiTokenAuthentication.ScopeOf(http);
            if (scope.Roots(Permission.ManageAccounts) is { Count: 0 }) return Forbidden(scope);
            if (file.Length == 0) return ApiError.BadRequest(Problem.Of("WebAdminImportChooseFile"));
            if (file.Length > AdminImport.MaxBytes) return ApiError.BadRequest(Problem.Of("WebAdminImportTooLarge", AdminImport.MaxBytes / (1024 * 1024)));
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy, ct);
            var plan = await import.RunAsync(copy.ToArray(), file.FileName, dryRun ?? false, scope, scope.Actor, ct);
            var body = new
            {
                applied = plan.Applied,
                dryRun = dryRun ?? false,
                accounts = plan.Accounts.Select(a => new
                {
                    row = a.RowNumber, address = a.Issued.Account.Address, displayName = a.Issued.Account.DisplayName,
                    temporaryPassword = plan.Applied ? a.Issued.TemporaryPassword : null,
                }),
                newUnits = plan.NewUnits.Select(u => u.Name),
                problems = plan.Problems.Select(p => new
                {
                    row = p.RowNumber, code = p.Problem.Code, message = p.Problem.Message(Messages.Vietnamese), messageEn = p.Problem.Message(Messages.English),
                }),
            };
            return Results.Json(body, statusCode: plan.Problems.Count > 0 ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status200OK);
        }).DisableAntiforgery().WithSummary("Issue mailboxes from a staff list (.xlsx or .csv), all or nothing; dryRun=true previews");

        api.MapGet("/reports/usage", (HttpContext http, string period, string? unit, string? format, UsageReports reports, AdminAccess access,
                CancellationToken ct) =>
            ReportAsync(http, access, unit, UsagePeriod.Parse(period), format, ct, p => reports.PeriodAsync(p, unit, ct),
                r => UsageReportExport.Json(r), (r, f) => ReportFiles.Usage(r, f)))
            .WithSummary("The period report of a month (2026-09) or quarter (2026-Q3), as govmail report usage --format json|xlsx|csv; unit required for a scoped administrator");

        api.MapGet("/reports/governance", (HttpContext http, string quarter, string? unit, string? format, UsageReports reports, AdminAccess access,
                CancellationToken ct) =>
            ReportAsync(http, access, unit, UsagePeriod.ParseQuarter(quarter), format, ct, q => reports.GovernanceAsync(q, unit, ct),
                r => GovernanceExport.Json(r), (r, f) => ReportFiles.Governance(r, f)))
            .WithSummary("The quarter's governance lists with their decisions, as govmail report governance");

        api.MapPost("/reports/governance/decisions", async (HttpContext http, DecisionBody body, UsageReports reports, AdminAccess access, CancellationToken ct) =>
        {
            var scope = ApiTokenAuthentication.ScopeOf(http);
            if (await access.CheckAccountAsync(scope, Permission.DecideGovernance, body.Address, ct) is { } outside) return ApiError.OutOfScope(outside);
            var q = UsagePeriod.ParseQuarter(body.Quarter);
            if (!q.IsOk) return ApiError.BadRequest(q.Problem!);
            if (GovernanceReport.ParseList(body.List) is not { } list) return ApiError.BadRequest(Problem.Of("UnknownGovernanceList", body.List));
            GovernanceDecisionKind? kind = body.Decision switch { "apply" => GovernanceDecisionKind.Apply, "exempt" => GovernanceDecisionKind.Exempt, _ => null };
            if (kind is null) return ApiError.BadRequest(Problem.Of("DecisionChoiceRequired"));
            var decided = await reports.DecideAsync(q.Value, list, body.Address, kind.Value, body.Reason, scope.Actor, ct);
            return decided.IsOk
                ? Results.Ok(new
                {
                    quarter = decided.Value!.Quarter, list = GovernanceReport.Describe(decided.Value.List), address = body.Address.Trim().ToLowerInvariant(),
                    decision = decided.Value.Decision.ToString().ToLowerInvariant(), reason = decided.Value.Reason, decidedBy = decided.Value.DecidedBy,
                    decidedAt = decided.Value.DecidedAt,
                })
                : ApiError.Of(decided.Problem!);
        }).WithSummary("Record the HR decision (apply or exempt) on one line, as govmail report decide");

        api.MapGet("/reports/registrations", (HttpContext http, string? unit, string? since, OfficialUseReports reports, AdminAccess access,
                CancellationToken ct) =>
            OfficialUseAsync(http, access, reports, unit, since, ct, async (units, from) => reports.RegistrationsJson(await reports.RegistrationsAsync(from, units, ct))))
            .WithSummary("Mail officials received from social networks, e-commerce and e-banking (seed 004), as govmail report registrations --format json");

        api.MapGet("/reports/public-webmail", (HttpContext http, string? unit, string? since, OfficialUseReports reports, AdminAccess access,
                CancellationToken ct) =>
            OfficialUseAsync(http, access, reports, unit, since, ct, async (units, from) => reports.PublicWebmailJson(await reports.PublicWebmailAsync(from, units, ct))))
            .WithSummary("Official mail sent giving a public webmail address (gmail, yahoo…) as contact (seed 004), as govmail report public-webmail --format json");

        api.MapGet("/audit", async (HttpContext http, string? account, string? since, AuditLog log, AdminAccess access, CancellationToken ct) =>
        {
            var scope = ApiTokenAuthentication.ScopeOf(http);
            if (scope.Roots(Permission.ReadAudit) is { Count: 0 }) return Forbidden(scope);
            var from = Since(since);
            if (!from.IsOk) return ApiError.BadRequest(from.Problem!);
            var entries = await log.ListAsync(account, from.Value, await access.UnitsAsync(scope, Permission.ReadAudit, ct), ct);
            return Results.Ok(entries.Select(x => new { id = x.Id, at = x.At, actor = x.Actor, action = x.Action, target = x.Target, detail = x.Detail, hash = x.Hash }));
        }).WithSummary("The audit log, oldest first, as govmail audit list --json");
    }

    /// <summary>A report for a unit within the scope, as the CLI's JSON or as one of its files.</summary>
    private static async Task<IResult> ReportAsync<T>(HttpContext http, AdminAccess access, string? unit, Result<UsagePeriod> period, string? format,
        CancellationToken ct, Func<UsagePeriod, Task<Result<T>>> build, Func<T, object> json, Func<T, string, FileContentResult?> file)
    {
        if (await access.CheckUnitAsync(ApiTokenAuthentication.ScopeOf(http), Permission.ReadReports, unit, ct) is { } outside) return ApiError.OutOfScope(outside);
        if (!period.IsOk) return ApiError.BadRequest(period.Problem!);
        var built = await build(period.Value);
        if (!built.IsOk) return ApiError.Of(built.Problem!);
        if (format is null or "json") return Results.Json(json(built.Value!));
        return file(built.Value!, format) is { } f ? Results.File(f.FileContents, f.ContentType, f.FileDownloadName)
            : ApiError.BadRequest(Problem.Of("UnknownFormat", format));
    }

    /// <summary>A seed 004 report for a unit's subtree within the scope (a scoped administrator names a unit), from a day.</summary>
    private static async Task<IResult> OfficialUseAsync(HttpContext http, AdminAccess access, OfficialUseReports reports, string? unit, string? since,
        CancellationToken ct, Func<HashSet<Guid>?, DateTimeOffset?, Task<object>> build)
    {
        if (await access.CheckUnitAsync(ApiTokenAuthentication.ScopeOf(http), Permission.ReadReports, unit, ct) is { } outside) return ApiError.OutOfScope(outside);
        var from = Since(since);
        if (!from.IsOk) return ApiError.BadRequest(from.Problem!);
        var units = await reports.SubtreeAsync(unit, ct);
        if (!units.IsOk) return ApiError.OutOfScope(units.Problem!);
        return Results.Json(await build(units.Value, from.Value));
    }

    /// <summary>00:00 in Vietnam of a <c>since=dd/MM/yyyy</c> day, or null when not given.</summary>
    private static Result<DateTimeOffset?> Since(string? since)
    {
        if (since is null) return Result<DateTimeOffset?>.Ok(null);
        return AdminText.ParseDay(since) is { } day ? UsagePeriod.StartOfLocalDay(day) : Problem.Of("WebAdminBadDate", since);
    }

    /// <summary>Checks the administrator may manage the account, then runs the action.</summary>
    private static async Task<IResult> ManageAsync(HttpContext http, AdminAccess access, string address, CancellationToken ct, Func<Task<IResult>> action)
    {
        var scope = ApiTokenAuthentication.ScopeOf(http);
        if (await access.CheckAccountAsync(scope, Permission.ManageAccounts, address, ct) is { } outside) return ApiError.OutOfScope(outside);
        return await action();
    }

    private static IResult Forbidden(AdminScope scope) => ApiError.Of(Problem.Of("TenantWideOutOfScope", scope.Actor), StatusCodes.Status403Forbidden);

    private static string ActorOf(HttpContext http) => ApiTokenAuthentication.ScopeOf(http).Actor;

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static object KeeperJson(KeeperView v) =>
        new { mailbox = v.Mailbox, keeper = v.Keeper, keeperName = v.KeeperName, assignedBy = v.AssignedBy, assignedAt = v.AssignedAt };

    private static object Json(AccountView v) => new
    {
        address = v.Account.Address,
        displayName = v.Account.DisplayName,
        title = v.Account.Title,
        phone = v.Account.Phone,
        unit = v.UnitPath,
        agency = v.AgencyName,
        state = AccountLifecycle.Describe(v.Account.State),
        lockReason = v.Account.LockReason is { } lr ? AccountLifecycle.Describe(lr) : null,
        kind = v.Account.Kind.ToString().ToLowerInvariant(),
        passwordChangeDeadline = v.Account.PasswordChangeDeadline,
    };
}
