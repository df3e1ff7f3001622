using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Lifecycle;
using GovMail.Core.Security;
using GovMail.Storage.Directory;
using GovMail.Storage.Lifecycle;
using GovMail.Web.Admin;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Admin;

/// <summary>
/// One account (chi tiết tài khoản) with its history, and the administrator's actions on it: lock, unlock (a new temporary
/// password, shown once), reset password, transfer to another unit, retire or resign, cancel, disable, close. Each is the service the CLI
/// calls, with the administrator as actor, after the scope check for the account (and for a transfer, the new unit).
/// </summary>
public sealed class AccountModel(AccountDirectory accounts, LifecycleWorkflows lifecycle, UnitDirectory units, KeeperAssignments keepers) : AdminPageModel
{
    protected override Permission Needs => Permission.ReadDirectory;

    [FromRoute] public string Address { get; set; } = "";
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? TargetUnit { get; set; }
    [BindProperty] public string? Effective { get; set; }
    [BindProperty] public string? ForwardTo { get; set; }
    [BindProperty] public string? ForwardDays { get; set; }
    [BindProperty] public string? Keeper { get; set; }

    public AccountView View { get; private set; } = null!;
    public IReadOnlyList<AccountTransition> History { get; private set; } = [];
    public IReadOnlyList<ScheduledAccountAction> Scheduled { get; private set; } = [];
    public IReadOnlyList<string> TransferUnits { get; private set; } = [];
    public bool CanManage { get; private set; }

    /// <summary>For a collective mailbox its keepers; for a person the collective mailboxes they keep (within the scope).</summary>
    public IReadOnlyList<KeeperView> Keepers { get; private set; } = [];

    /// <summary>What the last action did, and a temporary password to hand over (shown on this answer only).</summary>
    public string? Done { get; private set; }
    public string? TemporaryPassword { get; private set; }
    public DateTimeOffset? PasswordDeadline { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await RequireAccountAsync(Permission.ReadDirectory, Address) is { } refused) return refused;
        return await ShowAsync();
    }

    public Task<IActionResult> OnPostLockAsync() => ChangeAsync(AccountAction.Lock);
    public Task<IActionResult> OnPostUnlockAsync() => ChangeAsync(AccountAction.Unlock);
    public Task<IActionResult> OnPostDisableAsync() => ChangeAsync(AccountAction.Disable);
    public Task<IActionResult> OnPostReactivateAsync() => ChangeAsync(AccountAction.Reactivate);
    public Task<IActionResult> OnPostCloseAsync() => ChangeAsync(AccountAction.Close);

    public Task<IActionResult> OnPostResetAsync() => ManageAsync(async () =>
    {
        var reset = await accounts.ResetPasswordAsync(Address, null, mustChange: true, Actor, Aborted);
        if (!reset.IsOk) return reset.Problem;
        (TemporaryPassword, PasswordDeadline) = (reset.Value!.GeneratedPassword, reset.Value.Deadline);
        Done = T("WebAdminDoneReset");
        return null;
    });

    public Task<IActionResult> OnPostTransferAsync() => ManageAsync(async () =>
    {
        if (string.IsNullOrWhiteSpace(TargetUnit)) return Problem.Of("WebAdminChooseUnit");
        if (await Access.CheckUnitAsync(Scope, Permission.ManageAccounts, TargetUnit, Aborted) is { } outside) return outside;
        var moved = await lifecycle.TransferAsync(new TransferRequest(Address, TargetUnit) { Reason = Clean(Reason) }, Actor, Aborted);
        if (!moved.IsOk) return moved.Problem;
        Done = T("WebAdminDoneTransfer", moved.Value!.View.UnitPath);
        return null;
    });

    public Task<IActionResult> OnPostRetireAsync() => DepartAsync(LifecycleKind.Retirement, "WebAdminDoneRetire");
    public Task<IActionResult> OnPostResignAsync() => DepartAsync(LifecycleKind.Resignation, "WebAdminDoneResign");

    /// <summary>Cancellation (hủy): closed on the day, the data kept for the retention period then purged, the address quarantined.</summary>
    public Task<IActionResult> OnPostCancelAsync() => ManageAsync(async () =>
    {
        var on = Day(Effective);
        if (!on.IsOk) return on.Problem;
        var cancelled = await lifecycle.CancelAsync(new CancelRequest(Address) { Effective = on.Value, Reason = Clean(Reason) }, Actor, Aborted);
        if (!cancelled.IsOk) return cancelled.Problem;
        var r = cancelled.Value!;
        Done = T("AccountCancelledLine", r.Account.Address,
            T("CancellationPlanned", r.Account.ClosedAt ?? r.Scheduled[0].DueAt, r.KeptUntil, r.QuarantinedUntil));
        return null;
    });

    /// <summary>A dd/MM/yyyy day typed in the form, or none when left empty.</summary>
    private static Result<DateOnly?> Day(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Result<DateOnly?>.Ok(null);
        if (AdminText.ParseDay(text) is { } day) return Result<DateOnly?>.Ok(day);
        return Problem.Of("WebAdminBadDate", text);
    }

    /// <summary>Retirement or resignation: login stops on the day, mail is answered and forwarded for a period, then the account closes.</summary>
    private Task<IActionResult> DepartAsync(LifecycleKind kind, string done) => ManageAsync(async () =>
    {
        var on = Day(Effective);
        if (!on.IsOk) return on.Problem;
        var days = DeparturePlan.DefaultForwardDays;
        if (!string.IsNullOrWhiteSpace(ForwardDays) && !int.TryParse(ForwardDays.Trim(), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out days))
            return Problem.Of("ForwardDaysOutOfRange", ForwardDays.Trim());
        var departed = await lifecycle.DepartAsync(new DepartureRequest(Address, kind)
            { Effective = on.Value, ForwardTo = Clean(ForwardTo), ForwardDays = days, Reason = Clean(Reason) }, Actor, Aborted);
        if (!departed.IsOk) return departed.Problem;
        Done = T(done);
        return null;
    });

    public Task<IActionResult> OnPostAddKeeperAsync() => ManageAsync(async () =>
    {
        var assigned = await keepers.AssignAsync(Scope, Address, Keeper ?? "", Aborted);
        if (!assigned.IsOk) return assigned.Problem;
        Done = T("KeeperAssigned", assigned.Value!.Keeper, assigned.Value.KeeperName, assigned.Value.Mailbox);
        return null;
    });

    public Task<IActionResult> OnPostRemoveKeeperAsync() => ManageAsync(async () =>
    {
        var removed = await keepers.RemoveAsync(Scope, Address, Keeper ?? "", Aborted);
        if (!removed.IsOk) return removed.Problem;
        Done = T("KeeperRemoved", removed.Value, Address.Trim().ToLowerInvariant());
        return null;
    });

    private Task<IActionResult> ChangeAsync(AccountAction action) => ManageAsync(async () =>
    {
        var changed = await accounts.ApplyAsync(Address, action, Actor, Clean(Reason), action == AccountAction.Lock ? LockReason.Administrator : null, Aborted);
        if (!changed.IsOk) return changed.Problem;
        TemporaryPassword = changed.Value!.TemporaryPassword;
        PasswordDeadline = changed.Value.Account.Account.PasswordChangeDeadline;
        Done = T("WebAdminDone" + action);
        return null;
    });

    /// <summary>Checks the administrator may manage this account, runs the action, then shows the account again with the outcome.</summary>
    private async Task<IActionResult> ManageAsync(Func<Task<Problem?>> action)
    {
        if (await RequireAccountAsync(Permission.ManageAccounts, Address) is { } refused) return refused;
        if (await action() is { } problem)
        {
            Error = Say(problem);
            Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status422UnprocessableEntity;
        }
        return await ShowAsync();
    }

    private async Task<IActionResult> ShowAsync()
    {
        var found = await accounts.FindAsync(Address, Aborted);
        if (!found.IsOk) return OutOfScope(found.Problem!);
        View = found.Value!;
        Address = View.Account.Address;
        History = (await accounts.HistoryAsync(View.Account.Id, Aborted)).OrderByDescending(h => h.At).ThenByDescending(h => h.Id).ToList();
        Scheduled = await lifecycle.PendingAsync(View.Account.Id, Aborted);
        CanManage = Scope.Allows(Permission.ManageAccounts, View.Account.UnitId);
        var kept = await keepers.ListAsync(Scope, Address, Aborted);
        Keepers = kept.IsOk ? kept.Value! : [];
        if (CanManage)
        {
            var inScope = await UnitsAsync(Permission.ManageAccounts);
            TransferUnits = (await units.ListAsync(Aborted)).Where(u => (inScope is null || inScope.Contains(u.Unit.Id)) && u.Unit.Id != View.Account.UnitId)
                .Select(u => u.Path).ToList();
        }
        return Page();
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string T(string code, params object?[] args) => Localization.WebText.T(code, args);
}
