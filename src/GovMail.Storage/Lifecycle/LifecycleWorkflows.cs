using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Audit;
using GovMail.Core.Directory;
using GovMail.Core.Lifecycle;
using GovMail.Core.Mail;
using GovMail.Core.Security;
using GovMail.Core.Time;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Lifecycle;

/// <summary>
/// The lifecycle workflows of seed 003 ("trường hợp chuyển công tác, thôi việc, nghỉ hưu … điều chỉnh hoặc xóa bỏ hộp thư"):
/// transfer, resignation or retirement, cancellation; and the scheduled half that carries out what was decided for a later
/// date. Each workflow works inside one context so a bulk HR change file applies all its rows or none.
/// </summary>
public sealed class LifecycleWorkflows(GovMailDatabase database, TimeProvider clock, PasswordHasher hasher)
{
    private readonly AccountDirectory _accounts = new(database, clock, hasher);

    public Task<Result<LifecycleResult>> TransferAsync(TransferRequest request, string actor, CancellationToken ct = default) =>
        RunAsync((session, c) => TransferInAsync(session, request, actor, c), ct);

    public Task<Result<LifecycleResult>> DepartAsync(DepartureRequest request, string actor, CancellationToken ct = default) =>
        RunAsync((session, c) => DepartInAsync(session, request, actor, c), ct);

    public Task<Result<LifecycleResult>> CancelAsync(CancelRequest request, string actor, CancellationToken ct = default) =>
        RunAsync((session, c) => CancelInAsync(session, request, actor, c), ct);

    private async Task<Result<LifecycleResult>> RunAsync(Func<LifecycleSession, CancellationToken, Task<Result<LifecycleResult>>> work,
        CancellationToken ct)
    {
        await using var session = await LifecycleSession.OpenAsync(database, clock.GetUtcNow(), ct);
        var result = await work(session, ct);
        if (!result.IsOk) return result;
        await session.CommitAsync(ct);
        return result;
    }

    /// <summary>Chuyển công tác: the account moves to the new unit; optionally a new address, the old one an alias until a date.</summary>
    internal async Task<Result<LifecycleResult>> TransferInAsync(LifecycleSession s, TransferRequest r, string actor, CancellationToken ct)
    {
        var a = await AccountDirectory.FindTrackedAsync(s.Db, r.Address, ct);
        if (a is null) return Problem.Of("AccountNotFound", r.Address);
        var moved = AccountDirectory.TransferIn(s.Db, a, s.Units, r.UnitReference, actor, r.Reason, s.Now);
        if (!moved.IsOk) return moved.Problem!;
        string? oldAddress = null;
        DateTimeOffset? oldUntil = null;
        if (!string.IsNullOrWhiteSpace(r.NewAddress))
        {
            var typed = r.NewAddress.Trim().ToLowerInvariant();
            if (!typed.Contains('@')) typed += "@" + s.Tenant.PrimaryDomain.Name;
            if (AddressGenerator.ParseAddress(typed) is not { } parsed) return Problem.Of("InvalidAddress", r.NewAddress);
            if (s.Tenant.Domains.All(d => d.Name != parsed.Domain)) return Problem.Of("ForeignDomain", parsed.Domain);
            var address = $"{parsed.Local}@{parsed.Domain}";
            if (address == a.Address) return Problem.Of("NewAddressSameAsOld", address);
            if (!s.Reserve(address)) return Problem.Of("AddressTaken", address);
            if (await AddressBook.CheckFreeAsync(s.Db, address, s.Now, ct) is { } taken) return taken;
            oldUntil = r.KeepOldAddressUntil is { } day ? VietnamTime.EndOfDay(day) : s.Now.AddDays(LifecycleRules.DefaultOldAddressDays);
            if (oldUntil <= s.Now) return Problem.Of("KeepOldAddressUntilPast", r.KeepOldAddressUntil);
            await AddressBook.ReleaseQuarantinedAsync(s.Db, address, ct);
            oldAddress = a.Address;
            a.Address = address;
            a.Version = Guid.NewGuid();
            s.Db.Aliases.Add(new Alias { TenantId = a.TenantId, Address = oldAddress, AccountId = a.Id, CreatedAt = s.Now, ExpiresAt = oldUntil });
            var detail = $"{oldAddress} → {address}; {oldAddress} ≤ {Messages.Format("DateTime", Messages.Vietnamese, [oldUntil.Value])}";
            s.Db.AccountHistory.Add(new AccountTransition { AccountId = a.Id, Event = "rename", Actor = actor, Reason = detail, At = s.Now });
            s.Db.Audit.Add(new AuditEntry { At = s.Now, Actor = actor, Action = "account.rename", Target = address, Detail = detail });
        }
        return new LifecycleResult(LifecycleKind.Transfer, a, s.View(a)) { OldAddress = oldAddress, OldAddressUntil = oldUntil };
    }

    /// <summary>Thôi việc / nghỉ hưu: login disabled at the effective day, reply and forward for a period, then closed.</summary>
    internal async Task<Result<LifecycleResult>> DepartInAsync(LifecycleSession s, DepartureRequest r, string actor, CancellationToken ct)
    {
        var a = await AccountDirectory.FindTrackedAsync(s.Db, r.Address, ct);
        if (a is null) return Problem.Of("AccountNotFound", r.Address);
        var forwardTo = r.ForwardTo?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(forwardTo))
        {
            var unitMailbox = await UnitMailboxAsync(s, a, ct);
            if (unitMailbox is null) return Problem.Of("NoUnitMailbox", s.View(a).UnitPath);
            forwardTo = unitMailbox;
        }
        else if ((OfficialUse.CheckForwardTarget(forwardTo, r.PublicMailDomains) ?? await CheckForwardTargetAsync(s, forwardTo, a, ct)) is { } bad) return bad;
        var plan = DeparturePlan.For(r.Kind, a, r.Effective, r.ForwardDays, forwardTo, s.Now);
        if (!plan.IsOk) return plan.Problem!;
        var p = plan.Value!;
        var name = LifecycleRules.Name(r.Kind);
        var why = r.Reason is null ? name : $"{name}: {r.Reason}";
        await SupersedeAsync(s, a, ct);
        var scheduled = new List<ScheduledAccountAction>();
        if (p.DisableAt <= s.Now)
        {
            var disabled = await _accounts.ApplyInAsync(s.Db, a, s.Tenant.Policy, AccountAction.Disable, actor, why, null, s.Now, ct);
            if (!disabled.IsOk) return disabled.Problem!;
        }
        else scheduled.Add(Schedule(s, a, AccountAction.Disable, p.DisableAt, actor, why));
        if (p.CloseAt <= s.Now)
        {
            var closed = await _accounts.ApplyInAsync(s.Db, a, s.Tenant.Policy, AccountAction.Close, actor, why, null, s.Now, ct);
            if (!closed.IsOk) return closed.Problem!;
        }
        else scheduled.Add(Schedule(s, a, AccountAction.Close, p.CloseAt, actor, why));
        DeliveryRule? rule = null;
        if (p.CloseAt > p.DisableAt)
        {
            rule = new DeliveryRule
            {
                AccountId = a.Id, ForwardTo = p.ForwardTo, KeepCopy = true,
                AutoReplySubject = Messages.Format("AutoReplySubject", Messages.Vietnamese, [a.DisplayName]),
                AutoReplyBody = string.IsNullOrWhiteSpace(r.Reply) ? p.DefaultReply(a) : r.Reply.Trim(),
                StartsAt = p.DisableAt, EndsAt = p.CloseAt, CreatedBy = actor, CreatedAt = s.Now, Reason = why,
            };
            s.Db.DeliveryRules.Add(rule);
        }
        var summary = Messages.Format("DeparturePlanned", Messages.Vietnamese, [p.DisableAt, p.ForwardTo, p.CloseAt]);
        s.Db.AccountHistory.Add(new AccountTransition { AccountId = a.Id, Event = name, Actor = actor, Reason = $"{why}; {summary}", At = s.Now });
        s.Db.Audit.Add(new AuditEntry { At = s.Now, Actor = actor, Action = "account." + name, Target = a.Address, Detail = $"{why}; {summary}" });
        return new LifecycleResult(r.Kind, a, s.View(a)) { Scheduled = scheduled, Rule = rule, Plan = p };
    }

    /// <summary>Hủy: closed now (or on the effective day), kept for the retention period, then purged; the address quarantined.</summary>
    internal async Task<Result<LifecycleResult>> CancelInAsync(LifecycleSession s, CancelRequest r, string actor, CancellationToken ct)
    {
        var a = await AccountDirectory.FindTrackedAsync(s.Db, r.Address, ct);
        if (a is null) return Problem.Of("AccountNotFound", r.Address);
        if (a.State is AccountState.Closed or AccountState.Purged) return Problem.Of("AccountClosed", a.Address);
        var why = r.Reason is null ? "cancel" : $"cancel: {r.Reason}";
        await SupersedeAsync(s, a, ct);
        var scheduled = new List<ScheduledAccountAction>();
        var at = r.Effective is { } day ? LifecycleRules.StartOfDay(day) : s.Now;
        if (at <= s.Now)
        {
            var closed = await _accounts.ApplyInAsync(s.Db, a, s.Tenant.Policy, AccountAction.Close, actor, why, null, s.Now, ct);
            if (!closed.IsOk) return closed.Problem!;
            at = s.Now;
        }
        else scheduled.Add(Schedule(s, a, AccountAction.Close, at, actor, why));
        var keptUntil = at.AddDays(s.Tenant.Policy.ClosedRetentionDays);
        var quarantinedUntil = at.AddDays(s.Tenant.Policy.AddressQuarantineDays);
        var summary = Messages.Format("CancellationPlanned", Messages.Vietnamese, [at, keptUntil, quarantinedUntil]);
        s.Db.Audit.Add(new AuditEntry { At = s.Now, Actor = actor, Action = "account.cancel", Target = a.Address, Detail = $"{why}; {summary}" });
        return new LifecycleResult(LifecycleKind.Cancellation, a, s.View(a))
        {
            Scheduled = scheduled, KeptUntil = keptUntil, QuarantinedUntil = quarantinedUntil,
        };
    }

    /// <summary>
    /// The scheduled half, run by <c>govmail serve</c> and <c>account run-scheduled</c>: due disables and closes, old addresses
    /// whose alias period ended, closed accounts whose retention ended (purged). Returns one line per thing done.
    /// </summary>
    public async Task<IReadOnlyList<ScheduledOutcome>> RunDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var done = new List<ScheduledOutcome>();
        await using var db = database.Open();
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(ct);
        if (tenant is null) return done;

        var due = await db.ScheduledActions.Where(x => x.DoneAt == null && x.DueAt <= now).OrderBy(x => x.DueAt).ThenBy(x => x.Id).ToListAsync(ct);
        foreach (var item in due)
        {
            var a = await db.Accounts.FirstOrDefaultAsync(x => x.Id == item.AccountId, ct);
            item.DoneAt = now;
            if (a is null) { item.Outcome = "AccountNotFound"; await db.SaveChangesAsync(ct); continue; }
            var reason = $"{item.Reason} ({Messages.Format("DecidedBy", Messages.Vietnamese, [item.DecidedBy, item.CreatedAt])})";
            var applied = await _accounts.ApplyInAsync(db, a, tenant.Policy, item.Action, AuditActor.System, reason, null, now, ct);
            item.Outcome = applied.IsOk ? "done" : applied.Problem!.Code;
            if (await TrySaveAsync(db, ct) && applied.IsOk) done.Add(new ScheduledOutcome(a.Address, AccountLifecycle.ActionName(item.Action)));
        }

        foreach (var alias in await db.Aliases.Where(x => x.ExpiresAt != null && x.ExpiresAt <= now).ToListAsync(ct))
        {
            db.Aliases.Remove(alias);
            db.Audit.Add(new AuditEntry { At = now, Actor = AuditActor.System, Action = "alias.expire", Target = alias.Address });
            if (await TrySaveAsync(db, ct)) done.Add(new ScheduledOutcome(alias.Address, "alias-expired"));
        }

        var retentionStart = now.AddDays(-tenant.Policy.ClosedRetentionDays);
        foreach (var a in await db.Accounts.Where(x => x.State == AccountState.Closed && x.ClosedAt != null && x.ClosedAt <= retentionStart)
                     .OrderBy(x => x.Address).ToListAsync(ct))
        {
            var purged = await _accounts.ApplyInAsync(db, a, tenant.Policy, AccountAction.Purge, AuditActor.System,
                Messages.Get("RetentionOver", Messages.Vietnamese), null, now, ct);
            if (purged.IsOk && await TrySaveAsync(db, ct)) done.Add(new ScheduledOutcome(a.Address, "purge"));
        }
        return done;
    }

    /// <summary>The account's scheduled changes not yet carried out, soonest first.</summary>
    public async Task<IReadOnlyList<ScheduledAccountAction>> PendingAsync(Guid accountId, CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await db.ScheduledActions.AsNoTracking().Where(x => x.AccountId == accountId && x.DoneAt == null)
            .OrderBy(x => x.DueAt).ThenBy(x => x.Id).ToListAsync(ct);
    }

    /// <summary>The account's delivery rules that have not ended, for <c>account show</c>.</summary>
    public async Task<IReadOnlyList<DeliveryRule>> RulesAsync(Guid accountId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = database.Open();
        return await db.DeliveryRules.AsNoTracking().Where(x => x.AccountId == accountId && x.EndsAt > now).OrderBy(x => x.StartsAt).ToListAsync(ct);
    }

    private static async Task<bool> TrySaveAsync(GovMailDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Changed meanwhile (by an administrator, or another node): leave it to that change.
            db.ChangeTracker.Clear();
            return false;
        }
    }

    private static ScheduledAccountAction Schedule(LifecycleSession s, Account a, AccountAction action, DateTimeOffset at, string actor, string why)
    {
        var item = new ScheduledAccountAction { AccountId = a.Id, Action = action, DueAt = at, DecidedBy = actor, Reason = why, CreatedAt = s.Now };
        s.Db.ScheduledActions.Add(item);
        return item;
    }

    /// <summary>A new decision replaces the account's pending ones and ends its forwarding and automatic reply.</summary>
    private static async Task SupersedeAsync(LifecycleSession s, Account a, CancellationToken ct)
    {
        foreach (var old in await s.Db.ScheduledActions.Where(x => x.AccountId == a.Id && x.DoneAt == null).ToListAsync(ct))
            (old.DoneAt, old.Outcome) = (s.Now, "superseded");
        foreach (var rule in await s.Db.DeliveryRules.Where(x => x.AccountId == a.Id && x.EndsAt > s.Now).ToListAsync(ct))
            rule.EndsAt = s.Now > rule.StartsAt ? s.Now : rule.StartsAt;
    }

    /// <summary>The unit's collective mailbox (hộp thư đơn vị): in the person's unit, else the nearest one above it.</summary>
    private static async Task<string?> UnitMailboxAsync(LifecycleSession s, Account a, CancellationToken ct)
    {
        var collective = await s.Db.Accounts.AsNoTracking()
            .Where(x => x.Kind == AccountKind.Collective && x.Id != a.Id
                && (x.State == AccountState.Active || x.State == AccountState.PendingFirstLogin || x.State == AccountState.Locked))
            .Select(x => new { x.UnitId, x.Address }).ToListAsync(ct);
        var byId = s.Units.ToDictionary(u => u.Id);
        for (Guid? unit = a.UnitId; unit is { } id; unit = byId.TryGetValue(id, out var u) ? u.ParentId : null)
            if (collective.Where(c => c.UnitId == id).OrderBy(c => c.Address, StringComparer.Ordinal).FirstOrDefault() is { } found)
                return found.Address;
        return null;
    }

    /// <summary>A forwarding target must be a known address of the tenant or a valid address elsewhere.</summary>
    internal static async Task<Problem?> CheckForwardTargetAsync(LifecycleSession s, string target, Account a, CancellationToken ct)
    {
        if (target == a.Address) return Problem.Of("ForwardToSelf", target);
        var at = target.LastIndexOf('@');
        if (at <= 0 || AddressGenerator.ParseAddress(target) is null) return Problem.Of("InvalidAddress", target);
        var domain = target[(at + 1)..];
        if (s.Tenant.Domains.Any(d => d.Name == domain))
        {
            var known = await s.Db.Accounts.AnyAsync(x => x.Address == target && x.State != AccountState.Closed && x.State != AccountState.Purged, ct)
                || await s.Db.Aliases.AnyAsync(x => x.Address == target, ct) || await s.Db.Groups.AnyAsync(g => g.Address == target, ct);
            if (!known) return Problem.Of("ForwardTargetUnknown", target);
        }
        return null;
    }
}

/// <summary>One context, one transaction, the tenant and the units, for one workflow or a whole HR change file.</summary>
internal sealed class LifecycleSession : IAsyncDisposable
{
    private readonly HashSet<string> _reserved = new(StringComparer.Ordinal);

    private LifecycleSession(GovMailDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, Tenant tenant,
        List<OrgUnit> units, DateTimeOffset now)
    {
        (Db, Transaction, Tenant, Units, Now) = (db, transaction, tenant, units, now);
    }

    public GovMailDbContext Db { get; }
    public Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction Transaction { get; }
    public Tenant Tenant { get; }
    public List<OrgUnit> Units { get; }
    public DateTimeOffset Now { get; }

    public static async Task<LifecycleSession> OpenAsync(GovMailDatabase database, DateTimeOffset now, CancellationToken ct)
    {
        var db = database.Open();
        try
        {
            var transaction = await db.Database.BeginTransactionAsync(ct);
            var tenant = await db.Tenants.AsNoTracking().Include(t => t.Domains).FirstOrDefaultAsync(ct)
                ?? throw new InvalidOperationException("no tenant");
            var units = await db.Units.ToListAsync(ct);
            return new LifecycleSession(db, transaction, tenant, units, now);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>Claims a new address for this session (two rows of one file may not both take it).</summary>
    public bool Reserve(string address) => _reserved.Add(address);

    public AccountView View(Account a) => AccountDirectory.View(a, Units.ToDictionary(u => u.Id));

    public async Task CommitAsync(CancellationToken ct)
    {
        await Db.SaveChangesAsync(ct);
        await Transaction.CommitAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Db.DisposeAsync();
    }
}

public sealed record TransferRequest(string Address, string UnitReference)
{
    /// <summary>A new address (or local part) at the new agency; the old one then delivers as an alias until <see cref="KeepOldAddressUntil"/>.</summary>
    public string? NewAddress { get; init; }

    /// <summary>Last day the old address delivers (default 180 days).</summary>
    public DateOnly? KeepOldAddressUntil { get; init; }

    public string? Reason { get; init; }
}

public sealed record DepartureRequest(string Address, LifecycleKind Kind)
{
    /// <summary>The day the person leaves (default today): login stops at its start.</summary>
    public DateOnly? Effective { get; init; }

    public int ForwardDays { get; init; } = DeparturePlan.DefaultForwardDays;

    /// <summary>Default: the unit's collective mailbox.</summary>
    public string? ForwardTo { get; init; }

    /// <summary>Public webmail domains forwarding may not go to (seed 004); the configured list, else <see cref="OfficialUse.PublicMailDomains"/>.</summary>
    public IReadOnlyCollection<string> PublicMailDomains { get; init; } = OfficialUse.PublicMailDomains.ToList();

    /// <summary>The automatic reply's text (default: a Vietnamese and English notice naming the unit mailbox).</summary>
    public string? Reply { get; init; }

    public string? Reason { get; init; }
}

public sealed record CancelRequest(string Address)
{
    public DateOnly? Effective { get; init; }
    public string? Reason { get; init; }
}

/// <summary>What a workflow did or scheduled.</summary>
public sealed record LifecycleResult(LifecycleKind Kind, Account Account, AccountView View)
{
    public IReadOnlyList<ScheduledAccountAction> Scheduled { get; init; } = [];
    public DeliveryRule? Rule { get; init; }
    public DeparturePlan? Plan { get; init; }
    public string? OldAddress { get; init; }
    public DateTimeOffset? OldAddressUntil { get; init; }
    public DateTimeOffset? KeptUntil { get; init; }
    public DateTimeOffset? QuarantinedUntil { get; init; }
}

/// <summary>One thing the scheduled half did: the address and what (disable, close, purge, alias-expired).</summary>
public sealed record ScheduledOutcome(string Address, string Action);
