using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Audit;
using GovMail.Core.Security;
using GovMail.Core.Text;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Directory;

/// <summary>How a holder's profile change went: stored at once, or waiting for an administrator.</summary>
public enum ProfileChangeOutcome
{
    Applied,
    Pending,
}

/// <summary>A pending profile change as an administrator reviews it: the holder's present values next to the ones asked for.</summary>
public sealed record ProfileChangeView(long Id, string Address, Guid UnitId, string UnitPath, string CurrentName, string? CurrentTitle,
    string? CurrentPhone, string DisplayName, string? Title, string? Phone, DateTimeOffset RequestedAt);

/// <summary>
/// A holder's own profile changes (display name, title, phone; thay đổi hồ sơ cá nhân). When the tenant's policy asks for
/// approval (<see cref="Core.Directory.TenantPolicy.ProfileChangesNeedApproval"/>) the change waits as a
/// <see cref="ProfileChangeRequest"/> until an administrator of the holder's unit approves it (then it is stored through
/// <see cref="AccountDirectory.UpdateAsync"/> with the administrator as actor) or rejects it. Every step is in the audit log.
/// </summary>
public sealed class ProfileChanges(GovMailDatabase database, TimeProvider clock, PasswordHasher hasher)
{
    private AccountDirectory Accounts => new(database, clock, hasher);

    /// <summary>The holder asks for <paramref name="update"/>: stored now, or kept pending (replacing an earlier pending one).</summary>
    public async Task<Result<ProfileChangeOutcome>> RequestAsync(string address, AccountUpdate update, CancellationToken ct = default)
    {
        if (AccountDirectory.CheckProfile(update) is { } problem) return problem;
        await using var db = database.Open();
        var account = await AccountDirectory.FindTrackedAsync(db, address, ct);
        if (account is null) return Problem.Of("AccountNotFound", address);
        var needsApproval = await db.Tenants.AsNoTracking().Where(t => t.Id == account.TenantId)
            .Select(t => t.Policy.ProfileChangesNeedApproval).FirstOrDefaultAsync(ct);
        if (!needsApproval)
        {
            var updated = await Accounts.UpdateAsync(account.Address, update, account.Address, ct);
            return updated.IsOk ? ProfileChangeOutcome.Applied : updated.Problem!;
        }
        var now = clock.GetUtcNow();
        foreach (var earlier in await db.ProfileChangeRequests.Where(r => r.AccountId == account.Id && r.Status == ProfileChangeStatus.Pending).ToListAsync(ct))
            (earlier.Status, earlier.DecidedAt, earlier.DecidedBy) = (ProfileChangeStatus.Withdrawn, now, account.Address);
        var request = new ProfileChangeRequest
        {
            AccountId = account.Id, RequestedAt = now,
            DisplayName = VietnameseText.CleanName(update.DisplayName ?? account.DisplayName),
            Title = Clean(update.Title ?? account.Title), Phone = Clean(update.Phone ?? account.Phone),
        };
        db.ProfileChangeRequests.Add(request);
        db.Audit.Add(new AuditEntry
        {
            At = now, Actor = account.Address, Action = "profile.change.request", Target = account.Address,
            Detail = $"name: {request.DisplayName}; title: {request.Title}; phone: {request.Phone}",
        });
        await db.SaveChangesAsync(ct);
        return ProfileChangeOutcome.Pending;
    }

    /// <summary>The holder's latest request that was not replaced (pending, approved or rejected), or null.</summary>
    public async Task<ProfileChangeRequest?> LatestAsync(Guid accountId, CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await db.ProfileChangeRequests.AsNoTracking()
            .Where(r => r.AccountId == accountId && r.Status != ProfileChangeStatus.Withdrawn)
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>The pending requests of accounts in <paramref name="units"/> (null: the whole tenant), oldest first.</summary>
    public async Task<IReadOnlyList<ProfileChangeView>> PendingAsync(IReadOnlySet<Guid>? units, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var rows = await (from r in db.ProfileChangeRequests.AsNoTracking()
                          join a in db.Accounts.AsNoTracking() on r.AccountId equals a.Id
                          where r.Status == ProfileChangeStatus.Pending
                          orderby r.Id
                          select new { r, a.Address, a.UnitId, a.DisplayName, a.Title, a.Phone }).ToListAsync(ct);
        if (units is not null) rows = [.. rows.Where(x => units.Contains(x.UnitId))];
        var byId = (await db.Units.AsNoTracking().ToListAsync(ct)).ToDictionary(u => u.Id);
        return [.. rows.Select(x => new ProfileChangeView(x.r.Id, x.Address, x.UnitId, UnitTree.PathOf(byId[x.UnitId], byId), x.DisplayName, x.Title,
            x.Phone, x.r.DisplayName, x.r.Title, x.r.Phone, x.r.RequestedAt))];
    }

    /// <summary>The account a pending request is for (to check the administrator's scope before deciding), or null.</summary>
    public async Task<string?> AccountOfPendingAsync(long id, CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await (from r in db.ProfileChangeRequests where r.Id == id && r.Status == ProfileChangeStatus.Pending
                      join a in db.Accounts on r.AccountId equals a.Id select a.Address).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Approves (the values are stored with <paramref name="actor"/> in the account's history) or rejects a pending request.
    /// The caller has checked that the account is within the administrator's scope.
    /// </summary>
    public async Task<Result<ProfileChangeRequest>> DecideAsync(long id, bool approve, string actor, string? reason, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var request = await db.ProfileChangeRequests.FirstOrDefaultAsync(r => r.Id == id && r.Status == ProfileChangeStatus.Pending, ct);
        if (request is null) return Problem.Of("ProfileChangeNotFound", id);
        var address = await db.Accounts.Where(a => a.Id == request.AccountId).Select(a => a.Address).FirstAsync(ct);
        if (approve)
        {
            var updated = await Accounts.UpdateAsync(address,
                new AccountUpdate { DisplayName = request.DisplayName, Title = request.Title ?? "", Phone = request.Phone ?? "" }, actor, ct);
            if (!updated.IsOk) return updated.Problem!;
        }
        var now = clock.GetUtcNow();
        request.Status = approve ? ProfileChangeStatus.Approved : ProfileChangeStatus.Rejected;
        (request.DecidedBy, request.DecidedAt, request.Reason) = (actor, now, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim());
        db.Audit.Add(new AuditEntry
        {
            At = now, Actor = actor, Action = approve ? "profile.change.approve" : "profile.change.reject", Target = address, Detail = request.Reason,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problem.Of("ProfileChangeNotFound", id);
        }
        return request;
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : VietnameseText.CleanName(s);
}
