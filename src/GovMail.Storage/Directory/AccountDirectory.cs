using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Audit;
using GovMail.Core.Directory;
using GovMail.Core.Security;
using GovMail.Core.Text;
using GovMail.Core.Usage;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Directory;

/// <summary>Issuing, finding, changing and ending accounts. Every change is recorded in the account's history and the audit log.</summary>
public sealed class AccountDirectory(GovMailDatabase database, TimeProvider clock, PasswordHasher hasher)
{
    /// <summary>Issues a mailbox. Without an address one is generated from the name; without a password a temporary one is generated.</summary>
    public async Task<Result<IssuedAccount>> AddAsync(NewAccount request, string actor, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var tenant = await db.Tenants.AsNoTracking().Include(t => t.Domains).FirstOrDefaultAsync(ct);
        if (tenant is null) return Problem.Of("NoTenant");
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        var prepared = await PrepareAsync(db, tenant, units, request, clock.GetUtcNow(), ct);
        if (!prepared.IsOk) return prepared.Problem!;
        var issued = prepared.Value!;
        await AddPreparedAsync(db, issued, request, actor, ct);
        await db.SaveChangesAsync(ct);
        return issued;
    }

    /// <summary>Validates a request and builds the account (not yet added); used by single adds and by imports.</summary>
    internal async Task<Result<IssuedAccount>> PrepareAsync(GovMailDbContext db, Tenant tenant, IReadOnlyList<OrgUnit> units,
        NewAccount request, DateTimeOffset now, CancellationToken ct, ISet<string>? reservedInBatch = null)
    {
        var name = VietnameseText.CleanName(request.DisplayName);
        if (name.Length == 0) return Problem.Of("DisplayNameRequired");
        if (name.Length > 200) return Problem.Of("DisplayNameTooLong", 200);
        var unit = request.Unit ?? (string.IsNullOrWhiteSpace(request.UnitReference)
            ? null : UnitDirectory.Resolve(units, request.UnitReference) is { IsOk: true } r ? r.Value : null);
        if (unit is null)
            return string.IsNullOrWhiteSpace(request.UnitReference)
                ? Problem.Of("UnitRequired")
                : UnitDirectory.Resolve(units, request.UnitReference).Problem!;

        string address;
        DateTimeOffset? quarantinedUntil = null;
        if (string.IsNullOrWhiteSpace(request.Address))
        {
            var domain = tenant.PrimaryDomain.Name;
            var taken = await AddressBook.TakenLocalPartsAsync(db, domain, ct);
            var local = AddressGenerator.Suggest(name, l => taken.Contains(l) || (reservedInBatch?.Contains($"{l}@{domain}") ?? false));
            address = $"{local}@{domain}";
        }
        else
        {
            var typed = request.Address.Trim().ToLowerInvariant();
            if (!typed.Contains('@')) typed += "@" + tenant.PrimaryDomain.Name;
            if (AddressGenerator.ParseAddress(typed) is not { } parsed) return Problem.Of("InvalidAddress", request.Address);
            if (tenant.Domains.All(d => d.Name != parsed.Domain)) return Problem.Of("ForeignDomain", parsed.Domain);
            address = $"{parsed.Local}@{parsed.Domain}";
            if (reservedInBatch?.Contains(address) == true) return Problem.Of("AddressTaken", address);
            if (await AddressBook.CheckFreeAsync(db, address, now, ct) is { } problem)
            {
                // A cancelled official's address is kept from others for the quarantine; an administrator may issue it
                // earlier (to the same person coming back, say) only with a justification, which the audit log keeps.
                if (problem.Code != "AddressQuarantined" || string.IsNullOrWhiteSpace(request.OverrideReason)) return problem;
                quarantinedUntil = (DateTimeOffset)problem.Args[1]!;
            }
        }

        var policy = tenant.Policy;
        string password;
        var generated = request.Password is null;
        if (generated) password = TemporaryPassword.Generate(policy.Password);
        else
        {
            password = request.Password!;
            var problems = policy.Password.Check(password, new PasswordOwner(name, address));
            if (problems.Count > 0) return problems[0];
        }
        var mustChange = request.MustChangePassword;
        var today = Core.Time.VietnamTime.Today(now);
        var account = new Account
        {
            TenantId = tenant.Id,
            Address = address,
            DisplayName = name,
            Title = Clean(request.Title),
            UnitId = unit.Id,
            Phone = Clean(request.Phone),
            StaffNumber = Clean(request.StaffNumber),
            Kind = request.Kind,
            Role = request.Role,
            QuotaBytes = request.QuotaBytes ?? policy.DefaultQuotaBytes,
            State = mustChange ? AccountState.PendingFirstLogin : AccountState.Active,
            PasswordHash = request.PasswordHash ?? hasher.Hash(password),
            MustChangePassword = mustChange,
            PasswordChangeDeadline = mustChange ? request.PasswordChangeDeadline ?? policy.FirstLoginDeadline(now) : null,
            PasswordChangedAt = mustChange ? null : now,
            IssuedOn = request.IssuedOn ?? today,
            CreatedAt = now,
        };
        var bar = await ReRegistration.FindBarAsync(db, account, ct);
        var overrideReason = string.IsNullOrWhiteSpace(request.OverrideReason) ? null : request.OverrideReason.Trim();
        if (bar is not null && overrideReason is null)
            return Problem.Of("ReRegistrationBarred", name, bar.Address,
                UsagePeriod.Parse(bar.Quarter) is { IsOk: true } q ? q.Value!.Previous.Name() + " – " + q.Value.Name() : bar.Quarter, bar.RecordedAt);
        reservedInBatch?.Add(address);
        return new IssuedAccount(account, generated ? password : null)
        {
            OverriddenBar = bar, OverriddenQuarantineUntil = quarantinedUntil,
            OverrideReason = bar is null && quarantinedUntil is null ? null : overrideReason,
        };
    }

    internal async Task AddPreparedAsync(GovMailDbContext db, IssuedAccount issued, NewAccount request, string actor, CancellationToken ct)
    {
        var account = issued.Account;
        var now = account.CreatedAt;
        if (request.Address is not null) await AddressBook.ReleaseQuarantinedAsync(db, account.Address, ct);
        db.Accounts.Add(account);
        Mail.MailStore.AddStandardMailboxes(db, account.Id, now);
        db.AccountHistory.Add(new AccountTransition
        {
            AccountId = account.Id, Event = "issue", ToState = account.State, Actor = actor, Reason = request.Reason, At = now,
        });
        db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "account.add", Target = account.Address, Detail = account.DisplayName });
        if (issued.OverriddenBar is { } bar)
            db.Audit.Add(new AuditEntry
            {
                At = now, Actor = actor, Action = "account.add.override-bar", Target = account.Address,
                Detail = $"bar #{bar.Id} ({bar.Address}, {bar.Quarter}): {issued.OverrideReason}",
            });
        if (issued.OverriddenQuarantineUntil is { } until)
            db.Audit.Add(new AuditEntry
            {
                At = now, Actor = actor, Action = "account.add.override-quarantine", Target = account.Address,
                Detail = $"quarantined until {Core.Time.VietnamTime.Today(until).ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture)}: {issued.OverrideReason}",
            });
    }

    /// <summary>An account by its address or by one of its aliases.</summary>
    public async Task<Result<AccountView>> FindAsync(string address, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var a = await FindTrackedAsync(db, address, ct);
        if (a is null) return Problem.Of("AccountNotFound", address);
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        return View(a, units.ToDictionary(u => u.Id));
    }

    /// <summary>Accounts in a unit's subtree, in a state, of a kind, or matching a text (name or address, diacritics ignored).</summary>
    public async Task<Result<IReadOnlyList<AccountView>>> ListAsync(AccountFilter filter, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        IQueryable<Account> q = db.Accounts.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.UnitReference))
        {
            var unit = UnitDirectory.Resolve(units, filter.UnitReference);
            if (!unit.IsOk) return unit.Problem!;
            var scope = filter.IncludeSubunits ? UnitTree.Subtree(unit.Value!.Id, units) : [unit.Value!.Id];
            q = q.Where(a => scope.Contains(a.UnitId));
        }
        if (filter.State is { } s) q = q.Where(a => a.State == s);
        else if (!filter.IncludeClosed) q = q.Where(a => a.State != AccountState.Closed && a.State != AccountState.Purged);
        if (filter.Kind is { } k) q = q.Where(a => a.Kind == k);
        var rows = await q.ToListAsync(ct);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var key = VietnameseText.Key(filter.Search);
            rows = rows.Where(a => VietnameseText.Key(a.DisplayName).Contains(key, StringComparison.Ordinal)
                || a.Address.Contains(key, StringComparison.Ordinal)).ToList();
        }
        var byId = units.ToDictionary(u => u.Id);
        var comparer = StringComparer.Create(Messages.Vietnamese, false);
        return Result<IReadOnlyList<AccountView>>.Ok(rows.Select(a => View(a, byId))
            .OrderBy(v => v.UnitPath, comparer).ThenBy(v => v.Account.LocalPart, StringComparer.Ordinal).ToList());
    }

    /// <summary>The profile fields an administrator (or, later, the holder) may change.</summary>
    /// <summary>The checks of the profile fields (name, phone) before anything is stored; null when they pass.</summary>
    public static Problem? CheckProfile(AccountUpdate update)
    {
        if (update.DisplayName is { } n)
        {
            n = VietnameseText.CleanName(n);
            if (n.Length == 0) return Problem.Of("DisplayNameRequired");
            if (n.Length > 200) return Problem.Of("DisplayNameTooLong", 200);
        }
        if (update.Phone is { } p && Clean(p) is { } cp && !PhoneNumber.IsValid(cp)) return Problem.Of("InvalidPhone", p);
        return null;
    }

    public async Task<Result<AccountView>> UpdateAsync(string address, AccountUpdate update, string actor, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var a = await FindTrackedAsync(db, address, ct);
        if (a is null) return Problem.Of("AccountNotFound", address);
        if (a.State is AccountState.Purged) return Problem.Of("AccountClosed", a.Address);
        if (CheckProfile(update) is { } problem) return problem;
        var changes = new List<string>();
        if (update.DisplayName is { } n && VietnameseText.CleanName(n) != a.DisplayName)
        {
            n = VietnameseText.CleanName(n);
            changes.Add($"name: {a.DisplayName} → {n}"); a.DisplayName = n;
        }
        if (update.Title is { } t && Clean(t) != a.Title) { changes.Add($"title: {a.Title} → {Clean(t)}"); a.Title = Clean(t); }
        if (update.Phone is { } p && Clean(p) != a.Phone) { changes.Add($"phone: {a.Phone} → {Clean(p)}"); a.Phone = Clean(p); }
        if (update.StaffNumber is { } sn && Clean(sn) != a.StaffNumber) { changes.Add($"staff number: {a.StaffNumber} → {Clean(sn)}"); a.StaffNumber = Clean(sn); }
        if (update.QuotaBytes is { } qb)
        {
            if (qb <= 0) return Problem.Of("InvalidQuota");
            if (qb != a.QuotaBytes) { changes.Add($"quota: {a.QuotaBytes} → {qb}"); a.QuotaBytes = qb; }
        }
        if (update.Kind is { } k && k != a.Kind) { changes.Add($"kind: {a.Kind} → {k}"); a.Kind = k; }
        if (update.Role is { } r && r != a.Role) { changes.Add($"role: {a.Role} → {r}"); a.Role = r; }
        if (changes.Count > 0)
        {
            var now = clock.GetUtcNow();
            a.Version = Guid.NewGuid();
            var detail = string.Join("; ", changes);
            db.AccountHistory.Add(new AccountTransition { AccountId = a.Id, Event = "update", Actor = actor, Reason = detail, At = now });
            db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "account.update", Target = a.Address, Detail = detail });
            await db.SaveChangesAsync(ct);
        }
        return View(a, (await db.Units.AsNoTracking().ToListAsync(ct)).ToDictionary(u => u.Id));
    }

    /// <summary>
    /// Moves an account through its state machine (lock, unlock, disable, reactivate, close, purge). When the account
    /// goes back to first login, a new temporary password is issued and returned.
    /// </summary>
    public async Task<Result<AccountChange>> ApplyAsync(string address, AccountAction action, string actor, string? reason,
        LockReason? lockReason = null, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var a = await FindTrackedAsync(db, address, ct);
        if (a is null) return Problem.Of("AccountNotFound", address);
        var tenant = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == a.TenantId, ct);
        var applied = await ApplyInAsync(db, a, tenant.Policy, action, actor, reason, lockReason, clock.GetUtcNow(), ct);
        if (!applied.IsOk) return applied.Problem!;
        await db.SaveChangesAsync(ct);
        var units = (await db.Units.AsNoTracking().ToListAsync(ct)).ToDictionary(u => u.Id);
        return new AccountChange(View(a, units), applied.Value.Transition, applied.Value.Password);
    }

    /// <summary>
    /// One state change of a tracked account inside <paramref name="db"/>, not yet saved: the state machine's move, the new
    /// temporary password when it goes back to first login, what a purge removes, the history and audit rows.
    /// </summary>
    internal async Task<Result<(AccountTransition Transition, string? Password)>> ApplyInAsync(GovMailDbContext db, Account a,
        TenantPolicy policy, AccountAction action, string actor, string? reason, LockReason? lockReason, DateTimeOffset now,
        CancellationToken ct)
    {
        var result = AccountLifecycle.Apply(a, action, actor, reason, now, policy, lockReason);
        if (!result.IsOk) return result.Problem!;
        string? password = null;
        if (a.State == AccountState.PendingFirstLogin)
        {
            password = TemporaryPassword.Generate(policy.Password);
            a.PasswordHash = hasher.Hash(password);
        }
        if (action == AccountAction.Purge)
        {
            // The directory drops what identifies the person; the mailboxes (and their messages' placement) go with them.
            a.Phone = null;
            a.StaffNumber = null;
            a.PasswordHash = "";
            await db.Aliases.Where(x => x.AccountId == a.Id).ExecuteDeleteAsync(ct);
            await db.GroupMembers.Where(x => x.AccountId == a.Id).ExecuteDeleteAsync(ct);
            await db.DeliveryRules.Where(x => x.AccountId == a.Id).ExecuteDeleteAsync(ct);
            await db.Mailboxes.Where(x => x.AccountId == a.Id).ExecuteDeleteAsync(ct);
        }
        if (action is AccountAction.Close or AccountAction.Disable)
        {
            foreach (var u in await db.Units.Where(u => u.HeadAccountId == a.Id).ToListAsync(ct)) u.HeadAccountId = null;
        }
        db.AccountHistory.Add(result.Value!);
        db.Audit.Add(new AuditEntry
        {
            At = now, Actor = actor, Action = "account." + AccountLifecycle.ActionName(action), Target = a.Address,
            Detail = result.Value!.Reason,
        });
        return (result.Value!, password);
    }

    /// <summary>Moves an account to another unit (chuyển công tác within the tenant). A unit head stops being its old unit's head.</summary>
    public async Task<Result<AccountView>> TransferAsync(string address, string unitReference, string actor, string? reason,
        CancellationToken ct = default)
    {
        await using var db = database.Open();
        var a = await FindTrackedAsync(db, address, ct);
        if (a is null) return Problem.Of("AccountNotFound", address);
        var units = await db.Units.ToListAsync(ct);
        var moved = TransferIn(db, a, units, unitReference, actor, reason, clock.GetUtcNow());
        if (!moved.IsOk) return moved.Problem!;
        await db.SaveChangesAsync(ct);
        return View(a, units.ToDictionary(u => u.Id));
    }

    /// <summary>The unit move of a transfer on a tracked account inside <paramref name="db"/>, not yet saved.</summary>
    internal static Result<OrgUnit> TransferIn(GovMailDbContext db, Account a, IReadOnlyList<OrgUnit> units, string unitReference,
        string actor, string? reason, DateTimeOffset now)
    {
        if (a.State is AccountState.Closed or AccountState.Purged) return Problem.Of("AccountClosed", a.Address);
        var target = UnitDirectory.Resolve(units, unitReference);
        if (!target.IsOk) return target.Problem!;
        var byId = units.ToDictionary(u => u.Id);
        if (target.Value!.Id == a.UnitId) return Problem.Of("AlreadyInUnit", a.Address, target.Value.Name);
        var from = UnitTree.PathOf(byId[a.UnitId], byId);
        var to = UnitTree.PathOf(target.Value, byId);
        foreach (var u in units.Where(u => u.HeadAccountId == a.Id)) u.HeadAccountId = null;
        a.UnitId = target.Value.Id;
        a.Version = Guid.NewGuid();
        var detail = $"{from} → {to}" + (reason is null ? "" : $" ({reason})");
        db.AccountHistory.Add(new AccountTransition { AccountId = a.Id, Event = "transfer", Actor = actor, Reason = detail, At = now });
        db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "account.transfer", Target = a.Address, Detail = detail });
        return target.Value;
    }

    /// <summary>
    /// An administrator sets a new password (given, or generated when null). With <paramref name="mustChange"/> the holder
    /// must change it at next login within the first-login window.
    /// </summary>
    public async Task<Result<PasswordReset>> ResetPasswordAsync(string address, string? password, bool mustChange, string actor,
        CancellationToken ct = default)
    {
        await using var db = database.Open();
        var a = await FindTrackedAsync(db, address, ct);
        if (a is null) return Problem.Of("AccountNotFound", address);
        if (a.State is AccountState.Closed or AccountState.Purged) return Problem.Of("AccountClosed", a.Address);
        var tenant = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == a.TenantId, ct);
        var generated = password is null;
        password ??= TemporaryPassword.Generate(tenant.Policy.Password);
        if (await CheckNewPasswordAsync(db, a, tenant.Policy.Password, password, ct) is { } problem) return problem;
        var now = clock.GetUtcNow();
        KeepInHistory(db, a);
        a.PasswordHash = hasher.Hash(password);
        a.MustChangePassword = mustChange;
        a.PasswordChangeDeadline = mustChange ? tenant.Policy.FirstLoginDeadline(now) : null;
        if (!mustChange) a.PasswordChangedAt = now;
        a.Version = Guid.NewGuid();
        db.AccountHistory.Add(new AccountTransition { AccountId = a.Id, Event = "reset-password", Actor = actor, Reason = mustChange ? "must change" : null, At = now });
        db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "account.reset-password", Target = a.Address });
        await db.SaveChangesAsync(ct);
        return new PasswordReset(a.Address, generated ? password : null, a.PasswordChangeDeadline);
    }

    /// <summary>
    /// The holder changes their own password: the current one must match, the new one must follow the policy and not be
    /// one of the last N. A pending account becomes active (first login completed).
    /// </summary>
    public async Task<Result<AccountView>> ChangePasswordAsync(string address, string currentPassword, string newPassword,
        CancellationToken ct = default)
    {
        await using var db = database.Open();
        var a = await FindTrackedAsync(db, address, ct);
        if (a is null || !PasswordHasher.Verify(currentPassword, a.PasswordHash)) return Problem.Of("WrongPassword");
        if (!AccountLifecycle.CanLogIn(a)) return Problem.Of("AccountCannotLogIn", a.Address, AccountLifecycle.Describe(a.State));
        var tenant = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == a.TenantId, ct);
        if (await CheckNewPasswordAsync(db, a, tenant.Policy.Password, newPassword, ct) is { } problem) return problem;
        var now = clock.GetUtcNow();
        KeepInHistory(db, a);
        a.PasswordHash = hasher.Hash(newPassword);
        a.PasswordChangedAt = now;
        a.LastLoginAt = now;
        a.FirstLoginAt ??= now;
        if (a.State == AccountState.PendingFirstLogin)
        {
            var step = AccountLifecycle.Apply(a, AccountAction.CompleteFirstLogin, a.Address, null, now, tenant.Policy);
            db.AccountHistory.Add(step.Value!);
        }
        a.MustChangePassword = false;
        a.PasswordChangeDeadline = null;
        a.Version = Guid.NewGuid();
        db.AccountHistory.Add(new AccountTransition { AccountId = a.Id, Event = "change-password", Actor = a.Address, At = now });
        db.Audit.Add(new AuditEntry { At = now, Actor = a.Address, Action = "account.change-password", Target = a.Address });
        await db.SaveChangesAsync(ct);
        return View(a, (await db.Units.AsNoTracking().ToListAsync(ct)).ToDictionary(u => u.Id));
    }

    /// <summary>
    /// The rules every new password meets, whoever sets it (the holder, an administrator, later the web and the API): the
    /// tenant's policy with the person's own name and address, and none of the last N passwords (the current one included).
    /// </summary>
    private static async Task<Problem?> CheckNewPasswordAsync(GovMailDbContext db, Account a, PasswordPolicy policy, string password,
        CancellationToken ct)
    {
        var problems = policy.Check(password, new PasswordOwner(a.DisplayName, a.Address));
        if (problems.Count > 0) return problems[0];
        if (policy.HistoryCount <= 0) return null;
        var previous = await db.PasswordHistory.Where(p => p.AccountId == a.Id).OrderByDescending(p => p.SetAt)
            .Take(policy.HistoryCount - 1).Select(p => p.Hash).ToListAsync(ct);
        if (a.PasswordHash.Length > 0) previous.Insert(0, a.PasswordHash);
        return previous.Any(h => PasswordHasher.Verify(password, h)) ? Problem.Of("PasswordReused", policy.HistoryCount) : null;
    }

    private static void KeepInHistory(GovMailDbContext db, Account a)
    {
        if (a.PasswordHash.Length > 0)
            db.PasswordHistory.Add(new PasswordHistoryEntry { AccountId = a.Id, Hash = a.PasswordHash, SetAt = a.PasswordChangedAt ?? a.CreatedAt });
    }

    /// <summary>An account's history, oldest first.</summary>
    public async Task<IReadOnlyList<AccountTransition>> HistoryAsync(Guid accountId, CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await db.AccountHistory.AsNoTracking().Where(t => t.AccountId == accountId).OrderBy(t => t.Id).ToListAsync(ct);
    }

    internal static async Task<Account?> FindTrackedAsync(GovMailDbContext db, string address, CancellationToken ct)
    {
        var key = address.Trim().ToLowerInvariant();
        var a = await db.Accounts.FirstOrDefaultAsync(x => x.Address == key, ct);
        if (a is not null) return a;
        var alias = await db.Aliases.AsNoTracking().FirstOrDefaultAsync(x => x.Address == key, ct);
        return alias is null ? null : await db.Accounts.FirstOrDefaultAsync(x => x.Id == alias.AccountId, ct);
    }

    internal static AccountView View(Account a, IReadOnlyDictionary<Guid, OrgUnit> units)
    {
        var unit = units[a.UnitId];
        return new AccountView(a, unit.Name, UnitTree.PathOf(unit, units), UnitTree.AgencyOf(unit, units).Name);
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : VietnameseText.CleanName(s);
}

/// <summary>A request to issue a mailbox.</summary>
public sealed record NewAccount(string DisplayName, string? UnitReference)
{
    public string? Address { get; init; }
    public string? Title { get; init; }
    public string? Phone { get; init; }
    public string? StaffNumber { get; init; }
    public AccountKind Kind { get; init; } = AccountKind.Individual;
    public AdminRole Role { get; init; } = AdminRole.None;
    public string? Password { get; init; }
    public bool MustChangePassword { get; init; } = true;
    public DateOnly? IssuedOn { get; init; }
    public DateTimeOffset? PasswordChangeDeadline { get; init; }
    public long? QuotaBytes { get; init; }
    public string? Reason { get; init; }

    /// <summary>
    /// An administrator's justification for issuing a mailbox to a person barred from re-registration
    /// (<see cref="Core.Usage.ReRegistrationBar"/>); without it such a request is refused. Recorded in the audit log.
    /// </summary>
    public string? OverrideReason { get; init; }

    /// <summary>Set by imports that have already resolved the unit.</summary>
    internal OrgUnit? Unit { get; init; }

    /// <summary>Set by the demo seeder, which hashes one known password once for all demo accounts.</summary>
    internal string? PasswordHash { get; init; }
}

/// <summary>A newly issued account and, when it was generated, its temporary password (shown once).</summary>
public sealed record IssuedAccount(Account Account, string? TemporaryPassword)
{
    /// <summary>The re-registration bar this issue overrode (with <see cref="OverrideReason"/>), or null.</summary>
    public Core.Usage.ReRegistrationBar? OverriddenBar { get; init; }

    /// <summary>The end of the address quarantine this issue overrode (with <see cref="OverrideReason"/>), or null.</summary>
    public DateTimeOffset? OverriddenQuarantineUntil { get; init; }

    public string? OverrideReason { get; init; }
}

/// <summary>An account with the names of its unit, its unit path and its agency, as lists and reports show it.</summary>
public sealed record AccountView(Account Account, string UnitName, string UnitPath, string AgencyName);

public sealed record AccountFilter
{
    public string? UnitReference { get; init; }
    public bool IncludeSubunits { get; init; } = true;
    public AccountState? State { get; init; }
    public AccountKind? Kind { get; init; }
    public string? Search { get; init; }
    public bool IncludeClosed { get; init; }
}

public sealed record AccountUpdate
{
    public string? DisplayName { get; init; }
    public string? Title { get; init; }
    public string? Phone { get; init; }
    public string? StaffNumber { get; init; }
    public long? QuotaBytes { get; init; }
    public AccountKind? Kind { get; init; }
    public AdminRole? Role { get; init; }
}

/// <summary>The result of a state change; <see cref="TemporaryPassword"/> is set when the account went back to first login.</summary>
public sealed record AccountChange(AccountView Account, AccountTransition Transition, string? TemporaryPassword);

public sealed record PasswordReset(string Address, string? GeneratedPassword, DateTimeOffset? Deadline);
