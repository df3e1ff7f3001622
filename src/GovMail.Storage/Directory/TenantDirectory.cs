using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Audit;
using GovMail.Core.Directory;
using GovMail.Core.Security;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Directory;

/// <summary>The tenant of a data folder: created once by <c>govmail init</c> (or the first <c>serve</c>) with its first administrator.</summary>
public sealed class TenantDirectory(GovMailDatabase database, TimeProvider clock, PasswordHasher hasher)
{
    /// <summary>The tenant, or null when the database is still empty.</summary>
    public async Task<Tenant?> FindAsync(CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await db.Tenants.AsNoTracking().Include(t => t.Domains).OrderBy(t => t.CreatedAt).FirstOrDefaultAsync(ct);
    }

    /// <summary>The tenant; an error the CLI can show when <c>govmail init</c> has not been run.</summary>
    public async Task<Result<Tenant>> RequireAsync(CancellationToken ct = default) =>
        await FindAsync(ct) is { } t ? Result<Tenant>.Ok(t) : Problem.Of("NoTenant");

    /// <summary>
    /// Creates the tenant with its primary domain, a top-level unit named after the organisation and the first
    /// city-operator account with a one-time password that must be changed at first login.
    /// </summary>
    public async Task<Result<InitResult>> InitAsync(string domain, string name, string? adminAddress, CancellationToken ct = default,
        string? operatorUnit = null)
    {
        domain = domain.Trim().ToLowerInvariant();
        name = Core.Text.VietnameseText.CleanName(name);
        if (!AddressGenerator.IsValidDomain(domain)) return Problem.Of("InvalidDomain", domain);
        if (name.Length is 0 or > 200) return Problem.Of("InvalidOrganisationName");
        adminAddress = (adminAddress ?? $"admin@{domain}").Trim().ToLowerInvariant();
        if (!adminAddress.Contains('@')) adminAddress += "@" + domain;
        if (AddressGenerator.ParseAddress(adminAddress) is not { } parsed || parsed.Domain != domain)
            return Problem.Of("InvalidAddressForDomain", adminAddress, domain);

        await using var db = database.Open();
        if (await db.Tenants.AnyAsync(ct)) return Problem.Of("AlreadyInitialised");

        var now = clock.GetUtcNow();
        var tenant = new Tenant { Name = name, CreatedAt = now };
        tenant.Domains.Add(new MailDomain { Name = domain, IsPrimary = true, TenantId = tenant.Id });
        var unit = new OrgUnit { TenantId = tenant.Id, Name = operatorUnit ?? name, Kind = UnitKind.Agency, CreatedAt = now };
        var password = TemporaryPassword.Generate(tenant.Policy.Password);
        var admin = new Account
        {
            TenantId = tenant.Id,
            Address = adminAddress,
            DisplayName = "Quản trị hệ thống",
            Title = "Quản trị viên",
            UnitId = unit.Id,
            Kind = AccountKind.Service,
            Role = AdminRole.CityOperator,
            QuotaBytes = tenant.Policy.DefaultQuotaBytes,
            PasswordHash = hasher.Hash(password),
            MustChangePassword = true,
            PasswordChangeDeadline = tenant.Policy.FirstLoginDeadline(now),
            IssuedOn = Core.Time.VietnamTime.Today(now),
            CreatedAt = now,
        };
        db.Tenants.Add(tenant);
        db.Units.Add(unit);
        // Like every unit's automatic group (UnitDirectory.AddAsync, imports): the units below it are members too.
        db.Groups.Add(new DistributionGroup { TenantId = tenant.Id, Name = unit.Name, UnitId = unit.Id, IncludeSubunits = true, CreatedAt = now });
        db.Accounts.Add(admin);
        Mail.MailStore.AddStandardMailboxes(db, admin.Id, now);
        db.AccountHistory.Add(new AccountTransition
        {
            AccountId = admin.Id, Event = "issue", ToState = admin.State, Actor = AuditActor.System, Reason = "first administrator", At = now,
        });
        db.Audit.Add(new AuditEntry { At = now, Actor = AuditActor.System, Action = "tenant.init", Target = domain, Detail = name });
        await db.SaveChangesAsync(ct);
        return Result<InitResult>.Ok(new InitResult(tenant, admin.Address, password));
    }

    /// <summary>Changes the tenant's policy. Values outside sensible bounds are refused with the bound.</summary>
    public async Task<Result<TenantPolicy>> UpdatePolicyAsync(PolicyChange change, string actor, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var tenant = await db.Tenants.FirstOrDefaultAsync(ct);
        if (tenant is null) return Problem.Of("NoTenant");
        var p = tenant.Policy;
        static Problem? Bound(string name, long? value, long min, long max) =>
            value is { } v && (v < min || v > max) ? Problem.Of("PolicyOutOfRange", name, v, min, max) : null;
        var problem = Bound("first-login-days", change.FirstLoginWindowDays, 1, 90)
            ?? Bound("default-quota", change.DefaultQuotaBytes, 1L << 20, 1L << 42)
            ?? Bound("closed-retention-days", change.ClosedRetentionDays, 0, 3650)
            ?? Bound("address-quarantine-days", change.AddressQuarantineDays, 0, 3650)
            ?? Bound("password-min-length", change.PasswordMinLength, 8, 64)
            ?? Bound("password-history", change.PasswordHistoryCount, 0, 24)
            ?? Bound("password-expiry-days", change.PasswordExpiryDays, 0, 3650)
            ?? Bound("max-failed-logins", change.MaxFailedLogins, 0, 1000)
            ?? Bound("failed-login-window-minutes", change.FailedLoginWindowMinutes, 1, 1440)
            ?? Bound("lockout-minutes", change.LockoutMinutes, 1, 1440)
            ?? Bound("failed-login-delay-cap-seconds", change.FailedLoginDelayCapSeconds, 0, 60);
        if (problem is not null) return problem;
        p.FirstLoginWindowDays = change.FirstLoginWindowDays ?? p.FirstLoginWindowDays;
        p.DefaultQuotaBytes = change.DefaultQuotaBytes ?? p.DefaultQuotaBytes;
        p.ClosedRetentionDays = change.ClosedRetentionDays ?? p.ClosedRetentionDays;
        p.AddressQuarantineDays = change.AddressQuarantineDays ?? p.AddressQuarantineDays;
        p.Password.MinLength = change.PasswordMinLength ?? p.Password.MinLength;
        p.Password.RequireUpper = change.PasswordRequireUpper ?? p.Password.RequireUpper;
        p.Password.RequireLower = change.PasswordRequireLower ?? p.Password.RequireLower;
        p.Password.RequireDigit = change.PasswordRequireDigit ?? p.Password.RequireDigit;
        p.Password.RequireSpecial = change.PasswordRequireSpecial ?? p.Password.RequireSpecial;
        p.Password.HistoryCount = change.PasswordHistoryCount ?? p.Password.HistoryCount;
        p.Password.ExpiryDays = change.PasswordExpiryDays ?? p.Password.ExpiryDays;
        p.InboundQuarantine = change.InboundQuarantine ?? p.InboundQuarantine;
        p.ProfileChangesNeedApproval = change.ProfileChangesNeedApproval ?? p.ProfileChangesNeedApproval;
        p.Lockout.MaxFailedLogins = change.MaxFailedLogins ?? p.Lockout.MaxFailedLogins;
        p.Lockout.WindowMinutes = change.FailedLoginWindowMinutes ?? p.Lockout.WindowMinutes;
        p.Lockout.LockoutMinutes = change.LockoutMinutes ?? p.Lockout.LockoutMinutes;
        p.Lockout.DelayCapSeconds = change.FailedLoginDelayCapSeconds ?? p.Lockout.DelayCapSeconds;
        db.Audit.Add(new AuditEntry { At = clock.GetUtcNow(), Actor = actor, Action = "policy.set", Detail = System.Text.Json.JsonSerializer.Serialize(change) });
        await db.SaveChangesAsync(ct);
        return p;
    }
}

/// <summary>A change to a tenant's policy, validated before it is stored.</summary>
public sealed record PolicyChange
{
    public int? FirstLoginWindowDays { get; init; }
    public long? DefaultQuotaBytes { get; init; }
    public int? ClosedRetentionDays { get; init; }
    public int? AddressQuarantineDays { get; init; }
    public int? PasswordMinLength { get; init; }
    public bool? PasswordRequireUpper { get; init; }
    public bool? PasswordRequireLower { get; init; }
    public bool? PasswordRequireDigit { get; init; }
    public bool? PasswordRequireSpecial { get; init; }
    public int? PasswordHistoryCount { get; init; }
    public int? PasswordExpiryDays { get; init; }
    public InboundQuarantine? InboundQuarantine { get; init; }
    public bool? ProfileChangesNeedApproval { get; init; }
    public int? MaxFailedLogins { get; init; }
    public int? FailedLoginWindowMinutes { get; init; }
    public int? LockoutMinutes { get; init; }
    public int? FailedLoginDelayCapSeconds { get; init; }
}

/// <summary>What <see cref="TenantDirectory.InitAsync"/> made: the one-time password is shown once and never stored in clear.</summary>
public sealed record InitResult(Tenant Tenant, string AdminAddress, string AdminPassword);
