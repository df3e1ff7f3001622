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
        db.Groups.Add(new DistributionGroup { TenantId = tenant.Id, Name = unit.Name, UnitId = unit.Id, CreatedAt = now });
        db.Accounts.Add(admin);
        db.AccountHistory.Add(new AccountTransition
        {
            AccountId = admin.Id, Event = "issue", ToState = admin.State, Actor = "system", Reason = "first administrator", At = now,
        });
        db.Audit.Add(new AuditEntry { At = now, Actor = "system", Action = "tenant.init", Target = domain, Detail = name });
        await db.SaveChangesAsync(ct);
        return Result<InitResult>.Ok(new InitResult(tenant, admin.Address, password));
    }
}

/// <summary>What <see cref="TenantDirectory.InitAsync"/> made: the one-time password is shown once and never stored in clear.</summary>
public sealed record InitResult(Tenant Tenant, string AdminAddress, string AdminPassword);
