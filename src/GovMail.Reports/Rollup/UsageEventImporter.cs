using System.Security.Cryptography;
using System.Text;
using GovMail.Core;
using GovMail.Core.Audit;
using GovMail.Core.Progress;
using GovMail.Core.Usage;
using GovMail.Storage.Database;
using GovMail.Storage.Usage;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Reports.Rollup;

/// <summary>What an import loaded.</summary>
public sealed record UsageImportResult(int Imported, string Sha256);

/// <summary>
/// Loads historical usage events from the old system (<c>govmail usage import FILE</c>): all or nothing, every bad line
/// named by its number, and the same file refused a second time so history is not counted twice.
/// </summary>
public sealed class UsageEventImporter(GovMailDatabase database, TimeProvider clock)
{
    /// <summary>At most this many bad lines are quoted in the refusal; the rest are counted.</summary>
    public const int QuotedErrors = 10;

    /// <summary>Counts the events written (the command line shows it).</summary>
    public IProgressCounter Progress { get; init; } = NoProgress.Instance;

    public async Task<Result<UsageImportResult>> ImportAsync(string path, string actor, bool force = false, CancellationToken ct = default)
    {
        if (!File.Exists(path)) return Problem.Of("FileNotFound", path);
        var bytes = await File.ReadAllBytesAsync(path, ct);
        return await ImportAsync(bytes, Path.GetFileName(path), actor, force, ct);
    }

    public async Task<Result<UsageImportResult>> ImportAsync(byte[] content, string name, string actor, bool force = false,
        CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var (events, errors) = UsageEventFile.Parse(new StringReader(Encoding.UTF8.GetString(content)), now);

        await using var db = database.Open();
        var accounts = await db.Accounts.AsNoTracking().Select(a => new { a.Address, a.Id }).ToDictionaryAsync(a => a.Address, a => a.Id, ct);
        foreach (var alias in await db.Aliases.AsNoTracking().Select(a => new { a.Address, a.AccountId }).ToListAsync(ct))
            accounts.TryAdd(alias.Address, alias.AccountId);
        foreach (var e in events)
            if (!accounts.ContainsKey(e.Address)) errors.Add(new ImportLineError(e.Line, Problem.Of("UsageImportUnknownAccount", e.Address)));

        if (errors.Count > 0)
        {
            var sorted = errors.OrderBy(e => e.Line).ToList();
            var quoted = sorted.Take(QuotedErrors).Select(e => Messages.Format("UsageImportLine", null, [e.Line, e.Problem.Message()])).ToList();
            if (sorted.Count > QuotedErrors) quoted.Add(Messages.Format("UsageImportMore", null, [sorted.Count - QuotedErrors]));
            return Problem.Of("UsageImportBadLines", name, sorted.Count, string.Join("; ", quoted));
        }
        if (events.Count == 0) return Problem.Of("UsageImportEmpty", name);

        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        if (!force && await db.Audit.AsNoTracking().Where(a => a.Action == "usage.import" && a.Target == hash)
                .Select(a => (DateTimeOffset?)a.At).FirstOrDefaultAsync(ct) is { } earlier)
            return Problem.Of("UsageImportAlreadyImported", name, earlier);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Old months get their partitions first, so they can be pruned whole later (PostgreSQL).
        await UsageEventPartitions.EnsureAsync(db, events.Min(e => e.At), events.Max(e => e.At), ct);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        Progress.Begin(Messages.Format("ProgressImportingUsage", null, [name]), events.Count);
        foreach (var chunk in events.Chunk(5000))
        {
            db.UsageEvents.AddRange(chunk.Select(e => new UsageEvent
            {
                Address = e.Address, AccountId = accounts[e.Address], At = e.At.ToUniversalTime(), Kind = e.Kind,
                Protocol = e.Protocol, RemoteAddress = e.Ip,
            }));
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            Progress.Advance(chunk.Length);
        }
        db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "usage.import", Target = hash, Detail = $"{name}: {events.Count}" });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new UsageImportResult(events.Count, hash);
    }
}
