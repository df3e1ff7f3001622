using GovMail.Cli;
using GovMail.Core;
using GovMail.Core.Audit;
using GovMail.Core.Accounts;
using GovMail.Storage.Directory;
using GovMail.Storage.Import;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Demo;

/// <summary>
/// The demo tenant of <c>govmail serve --demo</c>: Ho Chi Minh City (<c>tphcm.gov.vn</c>) with the Department of Culture and
/// Sports, its Exhibition Information Centre and Bình Chánh district, issued from <c>Demo/demo-staff.csv</c> the way an
/// agency issues from its staff list. Every demo account shares one known password so a visitor can log in as anyone.
/// </summary>
public static class DemoTenant
{
    public const string Domain = "tphcm.gov.vn";
    public const string Name = "Thành phố Hồ Chí Minh";
    public const string OperatorUnit = "Sở Thông tin và Truyền thông";
    public const string Password = "Demo#GovMail2024";

    public static string StaffListPath => Path.Combine(AppContext.BaseDirectory, "Demo", "demo-staff.csv");

    public static async Task<DemoResult> SeedAsync(CliContext ctx, CancellationToken ct)
    {
        var init = (await ctx.Tenants.InitAsync(Domain, Name, null, ct, OperatorUnit)).OrFail();
        var read = StaffListReader.Read(StaffListPath);
        if (!read.IsOk) throw new CliException(read.Problem!);
        var now = ctx.Clock.GetUtcNow();
        var plan = await new StaffListImporter(ctx.Database, ctx.Clock, ctx.Hasher).ImportAsync(read.Rows, new ImportOptions
        {
            Password = Password,
            PasswordHash = ctx.Hasher.Hash(Password),
            IssuedOn = DateOnly.FromDateTime(now.AddMonths(-14).DateTime),
            SourceName = "demo-staff.csv",
            Reason = "demo",
        }, AuditActor.System, ct);
        if (!plan.Applied)
            throw new CliException(plan.Problems.Count > 0 ? plan.Problems[0].Problem : Problem.Of("DemoNotApplied"));
        await ShapeAsync(ctx, plan, ct);
        return new DemoResult(init, plan.Accounts.Count, plan.NewUnits.Count);
    }

    /// <summary>
    /// Gives the demo a realistic spread: heads named from titles, most people past their first login, a few still pending,
    /// one locked for the missed deadline and one who retired.
    /// </summary>
    private static async Task ShapeAsync(CliContext ctx, ImportPlan plan, CancellationToken ct)
    {
        await using var db = ctx.Database.Open();
        var now = ctx.Clock.GetUtcNow();
        var ids = plan.Accounts.Select(a => a.Issued.Account.Id).ToHashSet();
        var accounts = await db.Accounts.Where(a => ids.Contains(a.Id)).ToListAsync(ct);
        var units = await db.Units.ToListAsync(ct);
        var byUnit = accounts.ToLookup(a => a.UnitId);
        foreach (var unit in units)
        {
            var head = byUnit[unit.Id].FirstOrDefault(a => IsHeadTitle(a.Title));
            if (head is not null) unit.HeadAccountId = head.Id;
        }
        var random = new Random(2024);
        var tenant = await db.Tenants.AsNoTracking().FirstAsync(ct);
        var ordered = accounts.OrderBy(a => a.Address, StringComparer.Ordinal).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var a = ordered[i];
            var roll = random.NextDouble();
            if (roll < 0.85 || a.Kind == AccountKind.Collective)
            {
                var first = now.AddDays(-random.Next(60, 400));
                db.AccountHistory.Add(AccountLifecycle.Apply(a, AccountAction.CompleteFirstLogin, a.Address, "demo", first, tenant.Policy).Value!);
                a.FirstLoginAt = first;
                a.PasswordChangedAt = first;
                a.LastLoginAt = now.AddHours(-random.Next(1, 24 * 60));
            }
            else if (roll < 0.95)
            {
                a.PasswordChangeDeadline = now.AddDays(random.Next(1, 3));
            }
            else
            {
                a.PasswordChangeDeadline = now.AddDays(-random.Next(2, 30));
                var step = AccountLifecycle.Apply(a, AccountAction.Lock, AuditActor.System, "demo", a.PasswordChangeDeadline.Value, tenant.Policy,
                    LockReason.FirstLoginDeadlineMissed);
                db.AccountHistory.Add(step.Value!);
            }
        }
        await db.SaveChangesAsync(ct);
    }

    private static bool IsHeadTitle(string? title)
    {
        if (title is null) return false;
        var t = Core.Text.VietnameseText.Key(title);
        return t.StartsWith("truong phong", StringComparison.Ordinal) || t.StartsWith("giam doc", StringComparison.Ordinal)
            || t.StartsWith("chanh van phong", StringComparison.Ordinal) || t.StartsWith("chanh thanh tra", StringComparison.Ordinal)
            || t.StartsWith("chu tich", StringComparison.Ordinal);
    }
}

public sealed record DemoResult(InitResult Init, int Accounts, int Units);
