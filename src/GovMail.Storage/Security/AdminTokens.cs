using System.Security.Cryptography;
using System.Text;
using GovMail.Core;
using GovMail.Core.Audit;
using GovMail.Core.Security;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Security;

/// <summary>
/// Per-administrator bearer tokens for the JSON API (issue 7, item 7): created and revoked from the portal or the CLI,
/// shown once, kept only as a SHA-256 hash. A token acts as its administrator, with their roles and scope as they are at
/// each request: a revoked role, a locked account or a revoked token stops it at once.
/// </summary>
public sealed class AdminTokens(GovMailDatabase database, TimeProvider clock)
{
    public const string TokenPrefix = "gm_";

    /// <summary>Last-use times are written at most this often per token, not on every request.</summary>
    private static readonly TimeSpan LastUsedGranularity = TimeSpan.FromMinutes(1);

    /// <summary>A new token for the administrator at <paramref name="address"/>; the token text is in the result only.</summary>
    public async Task<Result<NewAdminToken>> CreateAsync(string address, string name, string actor, CancellationToken ct = default)
    {
        name = name.Trim();
        if (name.Length == 0) return Problem.Of("TokenNameRequired");
        if (name.Length > 100) return Problem.Of("TokenNameTooLong", 100);
        var scope = await new AdminAccess(database, clock).ScopeForAsync(address, ct);
        if (!scope.IsOk) return scope.Problem!;
        await using var db = database.Open();
        var account = (await AccountDirectory.FindTrackedAsync(db, address, ct))!;
        var text = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var token = new AdminApiToken
        {
            AccountId = account.Id, Name = name, Prefix = text[..9], Hash = HashOf(text), CreatedBy = actor, CreatedAt = now,
        };
        db.AdminApiTokens.Add(token);
        db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "admin.token.create", Target = account.Address, Detail = $"{token.Prefix}… {name}" });
        await db.SaveChangesAsync(ct);
        return new NewAdminToken(View(token, account.Address), text);
    }

    /// <summary>Revokes the administrator's token number <paramref name="id"/>.</summary>
    public async Task<Result<AdminTokenView>> RevokeAsync(string address, long id, string actor, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var account = await AccountDirectory.FindTrackedAsync(db, address, ct);
        if (account is null) return Problem.Of("AccountNotFound", address);
        var token = await db.AdminApiTokens.FirstOrDefaultAsync(t => t.Id == id && t.AccountId == account.Id, ct);
        if (token is null) return Problem.Of("TokenNotFound", id, account.Address);
        if (token.RevokedAt is null)
        {
            var now = clock.GetUtcNow();
            token.RevokedAt = now;
            token.RevokedBy = actor;
            db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "admin.token.revoke", Target = account.Address, Detail = $"#{token.Id} {token.Prefix}… {token.Name}" });
            await db.SaveChangesAsync(ct);
        }
        return View(token, account.Address);
    }

    /// <summary>The tokens of one administrator, or of everyone when <paramref name="address"/> is null, newest first.</summary>
    public async Task<IReadOnlyList<AdminTokenView>> ListAsync(string? address, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var q = from t in db.AdminApiTokens.AsNoTracking()
                join a in db.Accounts.AsNoTracking() on t.AccountId equals a.Id
                select new { t, a.Address };
        if (address is not null)
        {
            var key = address.Trim().ToLowerInvariant();
            q = q.Where(x => x.Address == key);
        }
        var rows = await q.ToListAsync(ct);
        return rows.Select(x => View(x.t, x.Address)).OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id).ToList();
    }

    /// <summary>
    /// The administrator a bearer token stands for, with their scope now; refused (as one plain reason) when the token is
    /// unknown or revoked, or its administrator can no longer log in or holds no role.
    /// </summary>
    public async Task<Result<AdminScope>> AuthenticateAsync(string token, CancellationToken ct = default)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 100) return Problem.Of("TokenInvalid");
        var hash = HashOf(token);
        await using var db = database.Open();
        var row = await db.AdminApiTokens.FirstOrDefaultAsync(t => t.Hash == hash, ct);
        if (row is null || row.RevokedAt is not null) return Problem.Of("TokenInvalid");
        var address = await db.Accounts.AsNoTracking().Where(a => a.Id == row.AccountId).Select(a => a.Address).FirstAsync(ct);
        var scope = await new AdminAccess(database, clock).ScopeForAsync(address, ct);
        if (!scope.IsOk) return scope.Problem!;
        var now = clock.GetUtcNow();
        if (row.LastUsedAt is not { } last || now - last >= LastUsedGranularity)
        {
            row.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
        }
        return scope;
    }

    private static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static AdminTokenView View(AdminApiToken t, string address) =>
        new(t.Id, address, t.Name, t.Prefix, t.CreatedBy, t.CreatedAt, t.LastUsedAt, t.RevokedAt);
}

/// <summary>A token as listed: never the token itself.</summary>
public sealed record AdminTokenView(long Id, string Address, string Name, string Prefix, string CreatedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public bool Active => RevokedAt is null;
}

/// <summary>A token just made: <see cref="Token"/> is shown once and never stored.</summary>
public sealed record NewAdminToken(AdminTokenView View, string Token);
