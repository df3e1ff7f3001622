using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Audit;
using GovMail.Core.Directory;
using GovMail.Core.Progress;
using GovMail.Core.Security;
using GovMail.Core.Text;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Storage.Import;

/// <summary>
/// Issues mailboxes from an agency's staff list (danh sách cán bộ). All or nothing: every row is checked first, and when any
/// row is bad the list of bad rows comes back and nothing is written. Agencies (cơ quan) and departments (phòng ban) that do
/// not exist yet are created.
/// </summary>
public sealed class StaffListImporter(GovMailDatabase database, TimeProvider clock, PasswordHasher hasher)
{
    /// <summary>Counts rows checked, then temporary passwords made and mailboxes written (the command line shows it).</summary>
    public IProgressCounter Progress { get; init; } = NoProgress.Instance;

    public async Task<ImportPlan> ImportAsync(IReadOnlyList<StaffListRow> rows, ImportOptions options, string actor,
        CancellationToken ct = default)
    {
        var problems = StaffListCheck.Check(rows).ToList();
        await using var db = database.Open();
        var tenant = await db.Tenants.AsNoTracking().Include(t => t.Domains).FirstOrDefaultAsync(ct);
        if (tenant is null) return ImportPlan.Refused([new StaffListProblem(0, Problem.Of("NoTenant"))]);

        var now = clock.GetUtcNow();
        var units = await db.Units.AsNoTracking().ToListAsync(ct);
        var newUnits = new List<OrgUnit>();
        var reserved = new HashSet<string>(StringComparer.Ordinal);
        var accounts = new List<PlannedAccount>();
        var badRows = problems.Select(p => p.RowNumber).ToHashSet();
        var directory = new AccountDirectory(database, clock, hasher);

        Progress.Begin(Messages.Format("ProgressCheckingStaffRows", null, [options.SourceName ?? ""]), rows.Count);
        foreach (var row in rows)
        {
            Progress.Advance();
            if (badRows.Contains(row.RowNumber)) continue;
            var agency = FindOrPlan(units, newUnits, tenant.Id, null, row.Agency!, now);
            var unit = string.IsNullOrWhiteSpace(row.Department) ? agency : FindOrPlan(units, newUnits, tenant.Id, agency, row.Department, now);
            if (options.Scope is { } scope && !scope.Allows(Permission.ManageAccounts, ExistingAncestor(unit, newUnits)))
            {
                problems.Add(new StaffListProblem(row.RowNumber, Problem.Of("ImportRowOutOfScope", UnitTree.PathOf(unit, units.ToDictionary(u => u.Id)), scope.Actor)));
                continue;
            }
            var kind = StaffListCheck.ParseKind(row.Kind) ?? AccountKind.Individual;
            var request = new NewAccount(row.FullName!, null)
            {
                Address = row.Address,
                Title = row.Title,
                Phone = row.Phone,
                StaffNumber = row.StaffNumber,
                Kind = kind,
                Unit = unit,
                IssuedOn = StaffListCheck.ParseIssued(row.Issued) ?? options.IssuedOn,
                PasswordChangeDeadline = options.Deadline,
                MustChangePassword = options.MustChangePassword,
                Password = options.Password,
                // Hashed below, in parallel, once every row is known to be good.
                PasswordHash = options.PasswordHash ?? "",
                Reason = options.Reason,
                OverrideReason = options.OverrideRows.Contains(row.RowNumber) ? options.OverrideReason : null,
            };
            var prepared = await directory.PrepareAsync(db, tenant, units, request, now, ct, reserved);
            if (!prepared.IsOk) { problems.Add(new StaffListProblem(row.RowNumber, prepared.Problem!)); continue; }
            accounts.Add(new PlannedAccount(row.RowNumber, prepared.Value!, request));
        }

        var plan = new ImportPlan(accounts, newUnits, problems.OrderBy(p => p.RowNumber).ToList(), options.DryRun || problems.Count > 0 ? false : true);
        if (!plan.Applied) return plan;

        if (options.PasswordHash is null)
        {
            Progress.Begin(Messages.Get("ProgressHashingPasswords"), accounts.Count);
            var hashed = new object();
            Parallel.ForEach(accounts, new ParallelOptions { CancellationToken = ct }, a =>
            {
                a.Issued.Account.PasswordHash = hasher.Hash(a.Issued.TemporaryPassword ?? options.Password!);
                lock (hashed) Progress.Advance();
            });
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var u in newUnits)
        {
            db.Units.Add(u);
            db.Groups.Add(new DistributionGroup { TenantId = tenant.Id, Name = u.Name, UnitId = u.Id, IncludeSubunits = true, CreatedAt = now });
        }
        Progress.Begin(Messages.Get("ProgressIssuingMailboxes"), accounts.Count);
        foreach (var a in accounts)
        {
            await directory.AddPreparedAsync(db, a.Issued, a.Request, actor, ct);
            Progress.Advance();
        }
        db.Audit.Add(new AuditEntry
        {
            At = now, Actor = actor, Action = "account.import", Target = options.SourceName,
            Detail = $"{accounts.Count} accounts, {newUnits.Count} units",
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return plan;
    }

    /// <summary>The unit itself when it exists already, else its nearest existing ancestor (null: a new agency, tenant level).</summary>
    private static Guid? ExistingAncestor(OrgUnit unit, List<OrgUnit> newUnits)
    {
        Guid? id = unit.Id;
        while (id is { } current && newUnits.FirstOrDefault(n => n.Id == current) is { } planned) id = planned.ParentId;
        return id;
    }

    private static OrgUnit FindOrPlan(List<OrgUnit> units, List<OrgUnit> newUnits, Guid tenantId, OrgUnit? parent, string name,
        DateTimeOffset now)
    {
        var key = VietnameseText.Key(name);
        var existing = units.FirstOrDefault(u => u.ParentId == parent?.Id && VietnameseText.Key(u.Name) == key);
        if (existing is not null) return existing;
        var unit = new OrgUnit
        {
            TenantId = tenantId,
            ParentId = parent?.Id,
            Name = VietnameseText.CleanName(name),
            Kind = OrgUnit.GuessKind(name, parent is null),
            CreatedAt = now,
        };
        units.Add(unit);
        newUnits.Add(unit);
        return unit;
    }
}

public sealed record ImportOptions
{
    public bool DryRun { get; init; }
    public DateOnly? IssuedOn { get; init; }

    /// <summary>The first-login deadline of this batch (seed 001: 23/05), instead of the tenant's window.</summary>
    public DateTimeOffset? Deadline { get; init; }

    public bool MustChangePassword { get; init; } = true;

    /// <summary>One password for every imported account (demo data); normally null so each gets its own temporary one.</summary>
    public string? Password { get; init; }

    /// <summary>The hash of <see cref="Password"/>, computed once by the caller.</summary>
    internal string? PasswordHash { get; init; }

    public string? SourceName { get; init; }
    public string? Reason { get; init; }

    /// <summary>
    /// Rows (as numbered in the file) whose person may be issued a mailbox although barred from re-registration, with the
    /// administrator's justification <see cref="OverrideReason"/> (recorded in the audit log); other barred rows are refused.
    /// </summary>
    public IReadOnlySet<int> OverrideRows { get; init; } = new HashSet<int>();

    public string? OverrideReason { get; init; }

    /// <summary>
    /// The scope of the administrator importing (web, API): a row whose unit lies outside it (for a unit the list creates, its
    /// nearest existing parent) is a bad row. Null: no limit (a tenant-wide administrator, the operator's shell).
    /// </summary>
    public AdminScope? Scope { get; init; }
}

/// <summary>One account an import issues (or would issue), with the row it came from.</summary>
public sealed record PlannedAccount(int RowNumber, IssuedAccount Issued, NewAccount Request);

/// <summary>What an import did or would do, and every bad row. <see cref="Applied"/> is false for dry runs and refused files.</summary>
public sealed record ImportPlan(IReadOnlyList<PlannedAccount> Accounts, IReadOnlyList<OrgUnit> NewUnits,
    IReadOnlyList<StaffListProblem> Problems, bool Applied)
{
    public static ImportPlan Refused(IReadOnlyList<StaffListProblem> problems) => new([], [], problems, false);
}
